from odoo import api, fields, models


class FeeThreshold(models.Model):
    """Declaring threshold of a country.

    Facilitators whose country has a threshold owe no fee for a period while
    the total they declared for that period, converted into the threshold's
    currency at the end of the period, stays below the threshold. Their
    declarations are kept (flagged *Below Threshold*) and never invoiced; once
    the total reaches the threshold, every declaration of the period is due.
    """

    _name = "fee.threshold"
    _description = "Fee Declaring Threshold"
    _order = "country_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    country_id = fields.Many2one("res.country", required=True)
    currency_id = fields.Many2one("res.currency", required=True)
    amount = fields.Monetary(
        string="Threshold",
        required=True,
        help="Total invoiced excluding tax, per period, below which no fee is due.",
    )

    _company_country_unique = models.Constraint(
        "UNIQUE(company_id, country_id)",
        "A country has only one declaring threshold per company.",
    )
    _amount_positive = models.Constraint(
        "CHECK(amount >= 0)", "A declaring threshold cannot be negative."
    )

    @api.model
    def _fee_threshold_for(self, company, country):
        """The threshold of ``country`` for ``company`` (empty if none)."""
        if not country:
            return self.browse()
        return self.sudo().search(
            [("company_id", "=", company.id), ("country_id", "=", country.id)], limit=1
        )
