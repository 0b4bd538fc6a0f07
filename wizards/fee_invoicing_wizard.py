from odoo import _, fields, models
from odoo.exceptions import UserError


class FeeInvoicingWizard(models.TransientModel):
    """Invoice the client-introduction fees now, instead of waiting for the
    scheduled action: the selected declarations, or all those due."""

    _name = "fee.invoicing.wizard"
    _description = "Invoice Client-Introduction Fees"

    ended_before = fields.Date(
        string="Periods Ended Before",
        required=True,
        default=fields.Date.context_today,
        help="Only the declarations of the periods that ended before this date are invoiced: "
        "a facilitator may still add declarations to a running period.",
    )
    declaration_ids = fields.Many2many(
        "fee.declaration",
        string="Declarations",
        default=lambda self: self._default_declarations(),
        help="Leave empty to invoice every declaration due.",
    )

    def _default_declarations(self):
        if self.env.context.get("active_model") == "fee.declaration":
            return self.env["fee.declaration"].browse(self.env.context.get("active_ids") or [])
        return self.env["fee.declaration"]

    def action_invoice(self):
        self.ensure_one()
        Declaration = self.env["fee.declaration"]
        domain = Declaration._fee_domain_to_invoice(self.ended_before) + [
            ("company_id", "=", self.env.company.id)
        ]
        if self.declaration_ids:
            domain.append(("id", "in", self.declaration_ids.ids))
        declarations = Declaration.search(domain)
        moves, errors = declarations._fee_invoice()
        if not moves and errors:
            raise UserError("\n".join(errors.values()))
        if not moves:
            raise UserError(_("There is nothing to invoice: every declaration due is invoiced."))
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice")
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"create": False}
        return action
