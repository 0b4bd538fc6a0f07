from odoo import fields, models

FACILITATION_FORMATS = [
    ("workshop_in_person", "In-person workshop"),
    ("workshop_online", "Online workshop"),
    ("training", "Training"),
    ("mentoring", "Mentoring"),
]
FACILITATION_UNITS = [
    ("session", "Per session"),
    ("participant", "Per participant"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    facilitation_format = fields.Selection(
        FACILITATION_FORMATS,
        help="Set on the association's offers: a sale order line of such a product is "
        "delivered through facilitation sessions, and its delivered quantity follows them.",
    )
    facilitation_unit = fields.Selection(
        FACILITATION_UNITS,
        string="Invoiced",
        default="session",
        help="Per session: one unit per delivered session. Per participant: one unit per "
        "attendee of the delivered sessions (price bands come from the pricelist).",
    )
