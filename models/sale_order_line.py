from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    facilitation_session_ids = fields.One2many(
        "facilitation.session", "sale_line_id", string="Sessions"
    )

    @api.depends("facilitation_session_ids.state", "facilitation_session_ids.attendee_count")
    def _compute_qty_delivered(self):
        return super()._compute_qty_delivered()

    def _prepare_qty_delivered(self):
        """Lines of a facilitation product are delivered by their sessions: one
        unit per delivered session, or per attendee for per-participant offers."""
        delivered = super()._prepare_qty_delivered()
        lines = self.filtered(
            lambda line: (
                line.qty_delivered_method == "manual" and line.product_id.facilitation_format
            )
        )
        if not lines:
            return delivered
        groups = (
            self.env["facilitation.session"]
            .sudo()
            ._read_group(
                [("sale_line_id", "in", lines._origin.ids), ("state", "=", "delivered")],
                groupby=["sale_line_id"],
                aggregates=["__count", "attendee_count:sum"],
            )
        )
        by_line = {line.id: (count, attendees) for line, count, attendees in groups}
        for line in lines:
            count, attendees = by_line.get(line._origin.id, (0, 0))
            per_participant = line.product_id.facilitation_unit == "participant"
            delivered[line] = float(attendees if per_participant else count)
        return delivered
