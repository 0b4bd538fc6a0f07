from odoo import _, api, fields, models
from odoo.exceptions import UserError


class FacilitatorPayoutWizard(models.TransientModel):
    """Generate the payout bills of any number of subcontracted opportunities:
    one vendor bill per facilitator, month and currency, one line per session
    and role. Running it again creates nothing new."""

    _name = "facilitator.payout.wizard"
    _description = "Generate Facilitator Payouts"

    lead_ids = fields.Many2many(
        "crm.lead",
        string="Opportunities",
        domain=[("routing_type", "=", "subcontracting")],
    )
    date_to = fields.Date(
        string="Sessions Delivered Until", required=True, default=fields.Date.context_today
    )
    post_self_billing = fields.Boolean(
        string="Post Self-Billed Bills",
        default=True,
        help="Bills of facilitators in France are issued by the association (autofacturation) "
        "and can be posted at once. Bills of facilitators abroad stay in draft until their "
        "own invoice is checked.",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    move_ids = fields.Many2many("account.move", string="Bills")
    move_count = fields.Integer(compute="_compute_move_count")
    error_message = fields.Text(string="Not Paid", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "lead_ids" in fields_list
            and not values.get("lead_ids")
            and context.get("active_model") == "crm.lead"
            and context.get("active_ids")
        ):
            values["lead_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    @api.depends("move_ids")
    def _compute_move_count(self):
        for wizard in self:
            wizard.move_count = len(wizard.move_ids)

    def _payable_roles(self):
        self.ensure_one()
        # is_billed is searched with SQL on parent_state: flush it first.
        self.env["account.move.line"].flush_model(["parent_state", "payout_session_role_id"])
        domain = [
            ("session_state", "=", "delivered"),
            ("session_date", "<=", self.date_to),
            ("is_billed", "=", False),
        ]
        if self.lead_ids:
            domain.append(("lead_id", "in", self.lead_ids.ids))
        else:
            domain.append(("lead_id.routing_type", "=", "subcontracting"))
        return self.env["facilitation.session.role"].search(domain, order="session_date, id")

    def _generate(self):
        """(moves, {partner: reason}) for the delivered, unbilled session roles."""
        self.ensure_one()
        if any(lead.routing_type != "subcontracting" for lead in self.lead_ids):
            raise UserError(_("Payouts are generated for subcontracted opportunities only."))
        roles = self._payable_roles()
        no_rate = roles.filtered(lambda r: not r.amount)
        errors = {}
        for role in no_rate:
            errors.setdefault(
                role.partner_id,
                _(
                    "no payout rate for %(role)s (%(format)s, %(currency)s) on %(date)s: "
                    "complete the rate grid, or type the amount on the session.",
                    role=role.role,
                    format=role.facilitation_format,
                    currency=role.currency_id.name,
                    date=role.session_date,
                ),
            )
        moves, engine_errors = (roles - no_rate)._generate_billing_moves()
        errors.update(engine_errors)
        if self.post_self_billing:
            moves.filtered("facilitator_self_billing").action_post()
        return moves, errors

    def action_generate(self):
        self.ensure_one()
        moves, errors = self._generate()
        self.write(
            {
                "state": "done",
                "move_ids": [fields.Command.set(moves.ids)],
                "error_message": "\n".join(
                    _("%(partner)s: %(reason)s", partner=partner.name, reason=reason)
                    for partner, reason in errors.items()
                )
                or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_bills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        return action

    @api.model
    def _generate_payouts(self, lead_ids, date_to=None, post_self_billing=True):
        """Generate the payouts of the opportunities ``lead_ids`` (ids) without
        the dialog: (moves, {partner: reason})."""
        wizard = self.create(
            {
                "lead_ids": [fields.Command.set(list(lead_ids))],
                "date_to": date_to or fields.Date.context_today(self),
                "post_self_billing": post_self_billing,
            }
        )
        return wizard._generate()
