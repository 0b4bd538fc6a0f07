from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fee_usage_rate = fields.Float(related="company_id.fee_usage_rate", readonly=False)
    fee_contribution_rate = fields.Float(related="company_id.fee_contribution_rate", readonly=False)
    fee_period = fields.Selection(related="company_id.fee_period", readonly=False)
    fee_payment_term_id = fields.Many2one(related="company_id.fee_payment_term_id", readonly=False)
    fee_product_usage_id = fields.Many2one(
        related="company_id.fee_product_usage_id", readonly=False
    )
    fee_product_usage_contribution_id = fields.Many2one(
        related="company_id.fee_product_usage_contribution_id", readonly=False
    )
    fee_product_contribution_id = fields.Many2one(
        related="company_id.fee_product_contribution_id", readonly=False
    )
