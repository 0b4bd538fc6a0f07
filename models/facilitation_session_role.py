from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.constants import PREFETCH_MAX

from .facilitator_team_member import TEAM_ROLES


class FacilitationSessionRole(models.Model):
    """A facilitator's role in one session: the payable of a payout. One line
    of one vendor bill pays it, once (see ``facilitator.billable.mixin``)."""

    _name = "facilitation.session.role"
    _description = "Facilitator Role in a Session"
    _inherit = ["facilitator.billable.mixin"]
    _order = "session_date, session_id, role, id"
    _rec_names_search = ["partner_id", "session_id"]

    session_id = fields.Many2one(
        "facilitation.session", required=True, ondelete="cascade", index=True
    )
    lead_id = fields.Many2one(related="session_id.lead_id", store=True, index=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True)
    session_date = fields.Date(related="session_id.date", store=True, string="Date")
    session_state = fields.Selection(
        related="session_id.state", store=True, string="Session Status"
    )
    facilitation_format = fields.Selection(related="session_id.facilitation_format", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Facilitator", required=True, index=True, ondelete="restrict"
    )
    role = fields.Selection(TEAM_ROLES, required=True, default="facilitator")
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_rate",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    rate_id = fields.Many2one(
        "facilitator.payout.rate",
        compute="_compute_rate",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
    )
    amount = fields.Monetary(
        compute="_compute_rate",
        store=True,
        readonly=False,
        precompute=True,
        currency_field="currency_id",
        string="Amount (excl. tax)",
    )

    _session_partner_role_unique = models.Constraint(
        "UNIQUE(session_id, partner_id, role)",
        "This facilitator already has this role in this session.",
    )
    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A payout cannot be negative.")

    @api.depends("partner_id", "role", "session_id")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for line in self:
            line.display_name = "%s – %s (%s)" % (
                line.session_id.display_name or "",
                line.partner_id.name or "",
                roles.get(line.role, ""),
            )

    @api.depends("partner_id", "role", "session_id.date", "session_id.facilitation_format")
    def _compute_rate(self):
        Rate = self.env["facilitator.payout.rate"]
        rates = Rate._rate_table(self.session_id.company_id or self.env.company)
        for line in self:
            company = line.session_id.company_id or self.env.company
            if not line.partner_id:
                line.currency_id = line.currency_id or company.currency_id
                continue
            currency = line.partner_id._facilitator_payout_currency(company)
            rate = Rate._find_rate(
                rates,
                company,
                line.role,
                line.session_id.facilitation_format,
                currency,
                line.session_id.date,
            )
            line.currency_id = currency
            line.rate_id = rate
            line.amount = rate.amount if rate else 0.0

    @api.constrains("partner_id", "session_id")
    def _check_team_member(self):
        for line in self:
            team = line.session_id.lead_id.facilitator_team_member_ids.filtered(
                lambda m: m.state == "accepted"
            )
            if line.partner_id not in team.partner_id:
                raise ValidationError(
                    _(
                        "%(partner)s is not in the accepted team of “%(lead)s”: only its team "
                        "members can work on its sessions.",
                        partner=line.partner_id.name,
                        lead=line.session_id.lead_id.name,
                    )
                )

    def write(self, vals):
        if {"partner_id", "role", "amount", "currency_id", "session_id"} & set(vals) and any(
            self.mapped("is_billed")
        ):
            raise UserError(_("This payout is already billed: cancel its bill before changing it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if any(self.mapped("is_billed")):
            raise UserError(_("A billed payout cannot be deleted: cancel its bill first."))

    # ------------------------------------------------------------------
    # Billing engine hooks (facilitator.billable.mixin)
    # ------------------------------------------------------------------

    @api.model
    def _billing_line_field(self):
        return "payout_session_role_id"

    @api.model
    def _billing_move_type(self):
        return "in_invoice"

    def _billing_key(self):
        self.ensure_one()
        period = self.session_date.strftime("%Y-%m") if self.session_date else ""
        return (self.partner_id.commercial_partner_id, period, self.currency_id)

    def _billing_check_partner(self, partner):
        if not partner.bank_ids and not partner.commercial_partner_id.bank_ids:
            return _(
                "%(partner)s has no bank account: add one on their contact "
                "(Accounting tab), then generate the payouts again.",
                partner=partner.name,
            )
        return False

    @api.model
    def _payout_product(self):
        return self.env.ref(
            "crm_facilitator_network.product_facilitator_payout", raise_if_not_found=False
        )

    def _prepare_billing_line_values(self):
        self.ensure_one()
        return self._prepare_billing_lines_values()[0]

    def _prepare_billing_lines_values(self):
        # What the lines share is read once per run, not once per role.
        roles = dict(self._fields["role"]._description_selection(self.env))
        product = self._payout_product()
        if len(self) > PREFETCH_MAX:
            self.session_id.fetch(["name", "lead_id"])  # one query, not one per 1,000 sessions
        values_list = []
        for role in self:
            lead = role.session_id.lead_id
            values = {
                "name": _(
                    "%(date)s – %(session)s – %(role)s – %(lead)s",
                    date=fields.Date.to_string(role.session_date),
                    session=role.session_id.name,
                    role=roles.get(role.role, ""),
                    lead=lead.public_title or lead.name,
                ),
                "quantity": 1.0,
                "price_unit": role.amount,
                "tax_ids": [fields.Command.clear()],
            }
            if product:
                values["product_id"] = product.id
            values_list.append(values)
        return values_list

    def _prepare_billing_move_values(self, partner, period, currency):
        values = super()._prepare_billing_move_values(partner, period, currency)
        company = self[:1].company_id or self.env.company
        values["company_id"] = company.id
        values["ref"] = _("Payouts %(period)s", period=period)
        if partner._facilitator_self_billed(company):
            values["facilitator_self_billing"] = True
            values["narration"] = self.env["account.move"]._self_billing_mention(company, partner)
        else:
            values["facilitator_invoice_to_check"] = True
        return values
