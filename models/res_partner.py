from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_op_account = fields.Boolean(
        string="Known OP Account",
        tracking=True,
        help="An organisation the Offer & Programs team already serves (e.g. a French "
        "organisation with branches abroad): its requests are subcontracted, whatever "
        "their country.",
    )
