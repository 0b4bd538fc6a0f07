from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    fee_declaration_id = fields.Many2one(
        "fee.declaration",
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        readonly=True,
    )

    # A declaration is billed once: cancelling the invoice releases it.
    _fee_declaration_unique = models.UniqueIndex(
        "(fee_declaration_id) WHERE parent_state != 'cancel'",
        "This fee declaration is already invoiced.",
    )
