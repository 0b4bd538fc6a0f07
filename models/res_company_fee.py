from odoo import fields, models

FEE_PERIODS = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]


class ResCompany(models.Model):
    _inherit = "res.company"

    fee_usage_rate = fields.Float(
        string="Usage Fee (%)",
        default=10.0,
        digits=(16, 2),
        help="Percentage of the revenue excluding tax of a commercial service "
        "using the workshop, due by facilitators in client introduction.",
    )
    fee_contribution_rate = fields.Float(
        string="Business Contribution (%)",
        default=5.0,
        digits=(16, 2),
        help="Percentage of the revenue excluding tax due when the client came "
        "through the association.",
    )
    fee_period = fields.Selection(
        FEE_PERIODS,
        string="Declaration Period",
        default="quarterly",
        required=True,
    )
    fee_payment_term_id = fields.Many2one(
        "account.payment.term", string="Fee Payment Terms", check_company=True
    )
    fee_product_usage_id = fields.Many2one(
        "product.product", string="Usage Fee Product", check_company=True
    )
    fee_product_usage_contribution_id = fields.Many2one(
        "product.product", string="Usage Fee & Business Contribution Product", check_company=True
    )
    fee_product_contribution_id = fields.Many2one(
        "product.product", string="Business Contribution Product", check_company=True
    )
    fee_threshold_ids = fields.One2many(
        "fee.threshold", "company_id", string="Declaring Thresholds"
    )
