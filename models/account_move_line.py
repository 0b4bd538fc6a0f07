from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    payout_session_role_id = fields.Many2one(
        "facilitation.session.role",
        string="Paid Session Role",
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        readonly=True,
    )

    # A session role is paid by one journal item of a move that is not
    # cancelled, enforced by the database: cancelling the bill frees it.
    _payout_session_role_unique = models.UniqueIndex(
        "(payout_session_role_id) WHERE parent_state != 'cancel'",
        "This session role is already paid by another bill.",
    )
