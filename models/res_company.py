from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    subcontracting_team_id = fields.Many2one(
        "crm.team",
        help="Sales team that receives the subcontracting requests (Offer & Programs).",
    )
    client_introduction_team_id = fields.Many2one(
        "crm.team",
        help="Sales team that receives the client-introduction requests (community).",
    )
    duplicate_window_days = fields.Integer(
        string="Duplicate Window (days)",
        default=90,
        help="A new request is flagged as a possible duplicate of an open request "
        "created within this many days with the same email, phone or organisation.",
    )
    intake_rate_limit = fields.Integer(
        string="Requests per Hour and Address",
        default=5,
        help="The public request form refuses more requests than this from one "
        "network address within an hour.",
    )
