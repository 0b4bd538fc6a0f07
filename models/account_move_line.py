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


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _create_domain(self, fname, value):
        # Odoo appends False to the ``partner_category_id`` list *in place*.
        # That list is also inside the key under which
        # account.move.line._compute_analytic_distribution caches the
        # distribution of a batch of journal items: once mutated, the key never
        # matches again, and every journal item searched the distribution
        # models once more (one query per line of every bill or invoice).
        # Working on a copy makes that cache hit: one search per batch.
        if fname == "partner_category_id":
            value = list(value)
        return super()._create_domain(fname, value)
