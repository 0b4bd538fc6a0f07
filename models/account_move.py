from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class AccountMove(models.Model):
    _inherit = "account.move"

    facilitator_self_billing = fields.Boolean(
        string="Self-Billing",
        copy=False,
        readonly=True,
        help="Issued by the association on behalf of the facilitator (autofacturation).",
    )
    facilitator_invoice_to_check = fields.Boolean(
        string="Supplier Invoice to Check",
        copy=False,
        tracking=True,
        help="A payout bill of a facilitator outside France: check the invoice they uploaded "
        "against the sessions, then validate it.",
    )
    facilitator_invoice_number = fields.Char(
        string="Facilitator's Invoice Number", copy=False, tracking=True
    )
    facilitator_invoice_amount = fields.Monetary(
        string="Facilitator's Invoice Total",
        copy=False,
        tracking=True,
        currency_field="currency_id",
    )
    facilitator_invoice_uploaded = fields.Datetime(
        string="Invoice Uploaded On", copy=False, readonly=True
    )
    payout_lead_ids = fields.Many2many(
        "crm.lead", compute="_compute_payout_lead_ids", string="Paid Opportunities"
    )

    @api.depends("line_ids.payout_session_role_id")
    def _compute_payout_lead_ids(self):
        for move in self:
            move.payout_lead_ids = move.line_ids.payout_session_role_id.lead_id

    @api.model
    def _self_billing_mention(self, company, partner):
        return _(
            "<p><strong>Autofacturation</strong> – Self-billing: invoice issued by %(company)s "
            "in the name and on behalf of %(partner)s.</p>",
            company=company.name,
            partner=partner.facilitator_legal_name or partner.name,
        )

    # ------------------------------------------------------------------
    # Facilitators outside France: their own invoice
    # ------------------------------------------------------------------

    def _attach_facilitator_invoice(self, filename, content, number, amount):
        """Attach the invoice a facilitator uploaded (portal) to their draft
        payout bill, for accounting to check against the sessions."""
        self.ensure_one()
        if self.state != "draft" or not self.facilitator_invoice_to_check:
            raise UserError(_("This bill no longer waits for your invoice."))
        if not content:
            raise UserError(_("Choose the file of your invoice."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename or _("Invoice"),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write(
            {
                "facilitator_invoice_number": (number or "")[:64],
                "facilitator_invoice_amount": amount or 0.0,
                "facilitator_invoice_uploaded": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=_(
                "%(partner)s uploaded their invoice %(number)s (%(amount)s): check it against "
                "the sessions, then validate.",
                partner=self.partner_id.name,
                number=number or "",
                amount=self.currency_id.format(amount or 0.0),
            ),
            attachment_ids=attachment.ids,
        )
        return attachment

    def action_validate_facilitator_invoice(self):
        """Accounting: the uploaded invoice matches the sessions, post the bill."""
        for move in self:
            if not move.facilitator_invoice_to_check:
                raise UserError(
                    _("%(move)s has no facilitator invoice to check.", move=move.display_name)
                )
            if not move.facilitator_invoice_uploaded:
                raise UserError(
                    _(
                        "%(partner)s has not uploaded their invoice for %(move)s yet.",
                        partner=move.partner_id.name,
                        move=move.display_name,
                    )
                )
            if float_compare(
                move.facilitator_invoice_amount,
                move.amount_total,
                precision_rounding=move.currency_id.rounding,
            ):
                raise UserError(
                    _(
                        "The invoice of %(partner)s says %(invoiced)s, the sessions add up to "
                        "%(expected)s: fix the bill or ask for a corrected invoice.",
                        partner=move.partner_id.name,
                        invoiced=move.currency_id.format(move.facilitator_invoice_amount),
                        expected=move.currency_id.format(move.amount_total),
                    )
                )
            if move.facilitator_invoice_number:
                move.ref = move.facilitator_invoice_number
        self.write({"facilitator_invoice_to_check": False})
        self.filtered(lambda m: m.state == "draft").action_post()
        return True

    # ------------------------------------------------------------------
    # Never paid twice
    # ------------------------------------------------------------------

    def button_draft(self):
        """A cancelled payout bill may come back only if its sessions were not
        billed again meanwhile (the unique index would refuse it anyway)."""
        roles = self.filtered(lambda m: m.state == "cancel").line_ids.payout_session_role_id
        if roles:
            others = (
                self.env["account.move.line"]
                .sudo()
                .search(
                    [
                        ("payout_session_role_id", "in", roles.ids),
                        ("parent_state", "!=", "cancel"),
                        ("move_id", "not in", self.ids),
                    ]
                )
            )
            if others:
                raise UserError(
                    _(
                        "These sessions were billed again on %(moves)s: this cancelled bill cannot "
                        "be reset, or they would be paid twice.",
                        moves=", ".join(others.move_id.mapped("display_name")),
                    )
                )
        return super().button_draft()
