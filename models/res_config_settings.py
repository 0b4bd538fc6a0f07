from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    subcontracting_team_id = fields.Many2one(
        related="company_id.subcontracting_team_id", readonly=False
    )
    client_introduction_team_id = fields.Many2one(
        related="company_id.client_introduction_team_id", readonly=False
    )
    duplicate_window_days = fields.Integer(
        related="company_id.duplicate_window_days", readonly=False
    )
    intake_rate_limit = fields.Integer(related="company_id.intake_rate_limit", readonly=False)
