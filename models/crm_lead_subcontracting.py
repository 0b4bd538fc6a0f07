from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

CHECKLIST_FIELDS = [
    "coordination_team_formed",
    "coordination_debrief_ready",
    "coordination_logistics_confirmed",
    "coordination_delivered",
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    facilitation_session_ids = fields.One2many(
        "facilitation.session", "lead_id", string="Sessions", copy=False
    )
    session_count = fields.Integer(compute="_compute_session_counts", string="Sessions Count")
    session_delivered_count = fields.Integer(
        compute="_compute_session_counts", string="Delivered Sessions"
    )
    # The coordinator's checklist (portal and backend)
    coordination_team_formed = fields.Boolean(string="Team Formed", tracking=True, copy=False)
    coordination_debrief_ready = fields.Boolean(
        string="Customised Debrief Prepared", tracking=True, copy=False
    )
    coordination_logistics_confirmed = fields.Boolean(
        string="Logistics Confirmed", tracking=True, copy=False
    )
    coordination_delivered = fields.Boolean(
        string="Delivered",
        compute="_compute_coordination_delivered",
        store=True,
        help="Every session that is not cancelled is delivered.",
    )
    coordination_progress = fields.Integer(
        compute="_compute_coordination_progress", string="Checklist (%)"
    )
    # Settlement (company currency)
    subcontracting_invoiced_amount = fields.Monetary(
        compute="_compute_subcontracting_margin",
        string="Client Invoiced",
        currency_field="company_currency",
    )
    subcontracting_payout_amount = fields.Monetary(
        compute="_compute_subcontracting_margin",
        string="Payouts",
        currency_field="company_currency",
    )
    subcontracting_margin = fields.Monetary(
        compute="_compute_subcontracting_margin",
        string="Margin",
        currency_field="company_currency",
    )

    @api.depends("facilitation_session_ids.state")
    def _compute_session_counts(self):
        for lead in self:
            sessions = lead.facilitation_session_ids
            lead.session_count = len(sessions)
            lead.session_delivered_count = len(sessions.filtered(lambda s: s.state == "delivered"))

    @api.depends("facilitation_session_ids.state")
    def _compute_coordination_delivered(self):
        for lead in self:
            sessions = lead.facilitation_session_ids.filtered(lambda s: s.state != "cancelled")
            lead.coordination_delivered = bool(sessions) and all(
                s.state == "delivered" for s in sessions
            )

    @api.depends(*CHECKLIST_FIELDS)
    def _compute_coordination_progress(self):
        for lead in self:
            done = sum(1 for fname in CHECKLIST_FIELDS if lead[fname])
            lead.coordination_progress = round(100 * done / len(CHECKLIST_FIELDS))

    def _compute_subcontracting_margin(self):
        groups = (
            self.env["subcontracting.margin.report"]
            .sudo()
            ._read_group(
                [("lead_id", "in", self.ids)],
                groupby=["lead_id"],
                aggregates=["invoiced_amount:sum", "payout_amount:sum"],
            )
        )
        amounts = {lead: (invoiced, payouts) for lead, invoiced, payouts in groups}
        for lead in self:
            invoiced, payouts = amounts.get(lead._origin, (0.0, 0.0))
            lead.subcontracting_invoiced_amount = invoiced
            lead.subcontracting_payout_amount = payouts
            lead.subcontracting_margin = invoiced - payouts

    # ------------------------------------------------------------------
    # Confirmation of the proposal
    # ------------------------------------------------------------------

    def _subcontracting_publication_defaults(self):
        """Values to publish ``self`` with: a public title that does not name
        the client, and a deadline two weeks ahead (or before the wished start)."""
        self.ensure_one()
        formats = dict(self._fields["workshop_format"]._description_selection(self.env))
        values = {}
        if not self.public_title:
            place = self.city or self.country_id.name
            label = formats.get(self.workshop_format) or _("Workshops")
            values["public_title"] = (
                _("%(format)s in %(place)s", format=label, place=place) if place else label
            )
        today = fields.Date.context_today(self)
        if not self.application_deadline or self.application_deadline < today:
            deadline = today + relativedelta(days=14)
            if self.wished_date_from and self.wished_date_from - relativedelta(days=7) > today:
                deadline = min(deadline, self.wished_date_from - relativedelta(days=7))
            values["application_deadline"] = deadline
        return values

    def _subcontracting_on_order_confirmed(self):
        for lead in self:
            if not lead.active or not lead.stage_id.is_won:
                lead.action_set_won()
            values = lead._subcontracting_publication_defaults()
            if values:
                lead.write(values)
            if lead.network_state in ("draft", "closed"):
                lead.action_publish_to_network()

    # ------------------------------------------------------------------
    # Settlement
    # ------------------------------------------------------------------

    def _subcontracting_client_invoices(self):
        return self.order_ids.invoice_ids.filtered(lambda m: m.state != "cancel")

    def _subcontracting_payout_bills(self):
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("payout_session_role_id.lead_id", "in", self.ids),
                    ("parent_state", "!=", "cancel"),
                ]
            )
        )
        return lines.move_id

    def action_view_facilitation_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_facilitator_network.facilitation_session_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    def action_view_client_invoices(self):
        invoices = self._subcontracting_client_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_payout_bills(self):
        bills = self._subcontracting_payout_bills()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("id", "in", bills.ids)]
        action["context"] = {"create": False}
        return action

    def action_open_payout_wizard(self):
        if any(lead.routing_type != "subcontracting" for lead in self):
            raise UserError(_("Payouts are generated for subcontracted opportunities only."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "facilitator.payout.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_ids": [fields.Command.set(self.ids)]},
        }

    def action_print_settlement(self):
        return self.env.ref(
            "crm_facilitator_network.action_report_opportunity_settlement"
        ).report_action(self)

    def _settlement_values(self):
        """What the settlement statement prints, for one opportunity."""
        self.ensure_one()
        invoices = self._subcontracting_client_invoices().filtered(lambda m: m.state == "posted")
        payout_lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("payout_session_role_id.lead_id", "=", self.id),
                    ("parent_state", "!=", "cancel"),
                ],
                order="partner_id, id",
            )
        )
        by_partner = {}
        for line in payout_lines:
            role = line.payout_session_role_id
            key = (line.partner_id, role.role, line.currency_id)
            entry = by_partner.setdefault(
                key,
                {
                    "partner": line.partner_id,
                    "role": role.role,
                    "currency": line.currency_id,
                    "count": 0,
                    "amount": 0.0,
                    "balance": 0.0,
                },
            )
            entry["count"] += 1
            entry["amount"] += line.price_subtotal
            entry["balance"] += line.balance
        roles = dict(
            self.env["facilitation.session.role"]._fields["role"]._description_selection(self.env)
        )
        return {
            "invoices": invoices,
            "payouts": sorted(
                by_partner.values(), key=lambda e: (e["partner"].name or "", e["role"])
            ),
            "role_labels": roles,
            "bills": payout_lines.move_id,
            "currency": self.company_currency or self.env.company.currency_id,
            "invoiced": self.subcontracting_invoiced_amount,
            "paid": self.subcontracting_payout_amount,
            "margin": self.subcontracting_margin,
        }
