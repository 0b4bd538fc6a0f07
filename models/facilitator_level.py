from odoo import fields, models


class FacilitatorLevel(models.Model):
    """A facilitator's level ("belt"): yellow < orange < green < blue.

    Levels are compared by ``rank``: a facilitator may take a role on an
    opportunity when the rank of their level is at least the rank of the
    minimum level the opportunity requires for that role.
    """

    _name = "facilitator.level"
    _description = "Facilitator Level"
    _order = "rank, id"

    name = fields.Char(required=True, translate=True)
    rank = fields.Integer(
        required=True,
        default=10,
        help="Higher is more advanced. A facilitator may take a role when the rank of their "
        "level is at least the rank of the level the opportunity requires.",
    )
    color = fields.Integer(string="Color Index")
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _rank_unique = models.Constraint("UNIQUE(rank)", "Two levels cannot have the same rank.")
