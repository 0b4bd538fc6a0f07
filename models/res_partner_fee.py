from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

OVERDUE_LOOKBACK_MONTHS = 12


class ResPartner(models.Model):
    _inherit = "res.partner"

    fee_declaration_ids = fields.One2many(
        "fee.declaration", "partner_id", string="Fee Declarations"
    )
    fee_reminder_period_start = fields.Date(
        string="Last Fee Reminder Period",
        copy=False,
        readonly=True,
        help="Start of the last period the facilitator was reminded to declare.",
    )
    fee_overdue_periods = fields.Char(
        string="Overdue Declarations",
        compute="_compute_fee_overdue",
        help="Ended periods (last 12 months) with a delivered client-introduction "
        "opportunity and no declaration.",
    )
    fee_overdue_lead_titles = fields.Char(
        string="Opportunities to Declare", compute="_compute_fee_overdue"
    )
    fee_is_overdue = fields.Boolean(
        string="Declaration Overdue",
        compute="_compute_fee_overdue",
        search="_search_fee_is_overdue",
    )

    @api.model
    def _fee_overdue_map(self, company=None):
        """``{partner: [(period label, leads)]}`` of the facilitators with a
        delivered client-introduction opportunity and no declaration, for
        each period ended within the last 12 months."""
        company = company or self.env.company
        Declaration = self.env["fee.declaration"]
        today = fields.Date.context_today(self)
        limit = today - relativedelta(months=OVERDUE_LOOKBACK_MONTHS)
        start, end = Declaration._fee_last_ended_period(company, today)
        overdue = {}
        while end >= limit:
            label = Declaration._fee_period_label(company, start)
            for partner, leads in Declaration._fee_missing_declarations(
                company, start, end
            ).items():
                overdue.setdefault(partner, []).append((label, leads))
            start, end = Declaration._fee_period_bounds(company, start - relativedelta(days=1))
        return overdue

    def _compute_fee_overdue(self):
        overdue = {p.id: periods for p, periods in self._fee_overdue_map().items()}
        for partner in self:
            periods = overdue.get(partner._origin.id, [])
            partner.fee_is_overdue = bool(periods)
            partner.fee_overdue_periods = ", ".join(label for label, __ in periods) or False
            partner.fee_overdue_lead_titles = (
                ", ".join(
                    {lead.public_title or lead.name for __, leads in periods for lead in leads}
                )
                or False
            )

    def _search_fee_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        ids = [p.id for p in self._fee_overdue_map()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]
