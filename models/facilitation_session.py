from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .product_template import FACILITATION_FORMATS

SESSION_STATES = [
    ("planned", "Planned"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
]


class FacilitationSession(models.Model):
    """One delivery of a subcontracted opportunity: a workshop, a training or
    a mentoring session, with its team (``role_ids``, each payable once).
    Delivered sessions drive the delivered quantity of their sale order line."""

    _name = "facilitation.session"
    _description = "Facilitation Session"
    _inherit = ["mail.thread"]
    _order = "date, id"

    name = fields.Char(compute="_compute_name", store=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('order_id.opportunity_id', '=', lead_id), ('order_id.state', '=', 'sale'), "
        "('product_id.facilitation_format', '!=', False)]",
        help="The line of the confirmed sale order this session delivers.",
    )
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", store=True, string="Sale Order"
    )
    facilitation_format = fields.Selection(
        FACILITATION_FORMATS,
        string="Format",
        compute="_compute_facilitation_format",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    location = fields.Char(
        string="Place or Link", help="Address, or the link of an online session."
    )
    is_online = fields.Boolean(compute="_compute_is_online", store=True, readonly=False)
    lang_id = fields.Many2one("res.lang", string="Language")
    participant_count = fields.Integer(string="Expected Participants")
    attendee_count = fields.Integer(string="Attendees", tracking=True, copy=False)
    state = fields.Selection(
        SESSION_STATES, required=True, default="planned", tracking=True, index=True, copy=False
    )
    delivered_date = fields.Datetime(string="Delivery Confirmed On", readonly=True, copy=False)
    delivered_by_id = fields.Many2one(
        "res.partner", string="Delivery Confirmed By", readonly=True, copy=False
    )
    role_ids = fields.One2many("facilitation.session.role", "session_id", string="Team", copy=True)
    coordinator_id = fields.Many2one(related="lead_id.coordinator_id")
    payout_state = fields.Selection(
        [("none", "Nothing to Pay"), ("to_pay", "To Pay"), ("billed", "Billed")],
        compute="_compute_payout_state",
        search="_search_payout_state",
        string="Payout",
    )

    _attendees_positive = models.Constraint(
        "CHECK(attendee_count >= 0 AND participant_count >= 0)",
        "Participant and attendee counts cannot be negative.",
    )

    @api.depends("lead_id", "date", "facilitation_format")
    def _compute_name(self):
        formats = dict(self._fields["facilitation_format"]._description_selection(self.env))
        for session in self:
            session.name = "%s – %s" % (
                formats.get(session.facilitation_format) or _("Session"),
                fields.Date.to_string(session.date) or "",
            )

    @api.depends("sale_line_id.product_id.facilitation_format")
    def _compute_facilitation_format(self):
        for session in self:
            product_format = session.sale_line_id.product_id.facilitation_format
            if product_format:
                session.facilitation_format = product_format
            elif not session.facilitation_format:
                session.facilitation_format = (
                    "workshop_online"
                    if session.lead_id.workshop_format == "online"
                    else "workshop_in_person"
                )

    @api.depends("facilitation_format")
    def _compute_is_online(self):
        for session in self:
            session.is_online = session.facilitation_format == "workshop_online"

    def _compute_payout_state(self):
        for session in self:
            roles = session.role_ids
            if session.state != "delivered" or not roles:
                session.payout_state = "none"
            elif all(roles.mapped("is_billed")):
                session.payout_state = "billed"
            else:
                session.payout_state = "to_pay"

    def _search_payout_state(self, operator, value):
        if operator != "=" or value not in ("to_pay", "billed", "none"):
            return NotImplemented
        unbilled = self.env["facilitation.session.role"]._search([("is_billed", "=", False)])
        if value == "to_pay":
            return [("state", "=", "delivered"), ("role_ids", "any", unbilled)]
        if value == "billed":
            return [
                ("state", "=", "delivered"),
                ("role_ids", "!=", False),
                ("role_ids", "not any", unbilled),
            ]
        return ["|", ("state", "!=", "delivered"), ("role_ids", "=", False)]

    @api.constrains("sale_line_id", "lead_id")
    def _check_sale_line(self):
        for session in self.filtered("sale_line_id"):
            if session.sale_line_id.order_id.opportunity_id != session.lead_id:
                raise ValidationError(
                    _(
                        "The session of %(date)s must deliver a line of a sale order of its "
                        "own opportunity.",
                        date=session.date,
                    )
                )

    # ------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------

    def _confirm_delivery(self, attendee_count, partner=None):
        """Mark the sessions delivered with their number of attendees. Staff
        call it from the backend, the coordinator through the portal."""
        try:
            attendee_count = int(attendee_count)
        except (TypeError, ValueError):
            raise ValidationError(_("Give the number of attendees as a whole number.")) from None
        if attendee_count < 0 or attendee_count > 100000:
            raise ValidationError(_("The number of attendees must be between 0 and 100,000."))
        for session in self:
            if session.state != "planned":
                raise UserError(
                    _(
                        "The session of %(date)s is not planned: its delivery cannot be confirmed.",
                        date=session.date,
                    )
                )
            if not session.role_ids:
                raise UserError(
                    _(
                        "Add the facilitators of the session of %(date)s before confirming its "
                        "delivery.",
                        date=session.date,
                    )
                )
        partner = partner or self.env.user.partner_id
        self.write(
            {
                "state": "delivered",
                "attendee_count": attendee_count,
                "delivered_date": fields.Datetime.now(),
                "delivered_by_id": partner.id,
            }
        )
        for session in self:
            session.message_post(
                body=_(
                    "Delivery confirmed by %(partner)s: %(count)s attendee(s).",
                    partner=partner.name,
                    count=attendee_count,
                )
            )
        return True

    def action_confirm_delivery(self):
        """Staff: confirm with the attendee count typed on the session (or the
        expected participants when it is empty)."""
        for session in self:
            session._confirm_delivery(session.attendee_count or session.participant_count)
        return True

    def action_cancel(self):
        if any(role.is_billed for role in self.role_ids):
            raise UserError(
                _("A session whose payouts are billed cannot be cancelled: cancel the bill first.")
            )
        self.write({"state": "cancelled"})
        return True

    def action_reset_to_planned(self):
        if any(role.is_billed for role in self.role_ids):
            raise UserError(
                _(
                    "A session whose payouts are billed cannot go back to planned: cancel the bill "
                    "first."
                )
            )
        self.write({"state": "planned", "delivered_date": False, "delivered_by_id": False})
        return True

    def _portal_confirm_delivery(self, partner, attendee_count):
        """Called sudo by the portal: only the coordinator of the opportunity."""
        self.ensure_one()
        if not partner or self.lead_id.coordinator_id != partner:
            raise UserError(_("Only the coordinator of this opportunity can confirm its delivery."))
        return self._confirm_delivery(attendee_count, partner=partner)
