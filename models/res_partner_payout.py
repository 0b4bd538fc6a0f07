from odoo import fields, models

# France and its overseas departments and collectivities: the association
# self-bills these facilitators (autofacturation).
SELF_BILLING_COUNTRY_CODES = frozenset(
    {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    facilitator_payout_currency_id = fields.Many2one(
        "res.currency",
        string="Payout Currency",
        help="Currency of this facilitator's payouts; the company's currency when empty. "
        "The rate grid must have rates in this currency.",
    )

    def _facilitator_payout_currency(self, company=None):
        self.ensure_one()
        company = company or self.env.company
        return self.commercial_partner_id.facilitator_payout_currency_id or company.currency_id

    def _facilitator_self_billed(self, company=None):
        """Facilitators in France are self-billed; the others send their own invoice."""
        self.ensure_one()
        company = company or self.env.company
        country = self.commercial_partner_id.country_id or company.country_id
        return country.code in SELF_BILLING_COUNTRY_CODES
