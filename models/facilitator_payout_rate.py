from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .facilitator_team_member import TEAM_ROLES
from .product_template import FACILITATION_FORMATS


class FacilitatorPayoutRate(models.Model):
    """The rate grid: what the association pays per session for a role, a
    format and a currency, between two dates. A rate without format applies to
    every format that has no rate of its own."""

    _name = "facilitator.payout.rate"
    _description = "Facilitator Payout Rate"
    _order = "role, facilitation_format, currency_id, date_from desc, id"

    name = fields.Char(compute="_compute_name", store=True)
    role = fields.Selection(TEAM_ROLES, required=True, index=True)
    facilitation_format = fields.Selection(
        FACILITATION_FORMATS, string="Format", help="Empty: any format without a rate of its own."
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    amount = fields.Monetary(
        string="Amount (excl. tax)",
        required=True,
        currency_field="currency_id",
        help="Paid per session, excluding tax.",
    )
    date_from = fields.Date(string="Valid From")
    date_to = fields.Date(string="Valid Until")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A payout rate cannot be negative.")
    _dates_ordered = models.Constraint(
        "CHECK(date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
        "A payout rate must start before it ends.",
    )

    @api.depends("role", "facilitation_format", "currency_id", "amount")
    def _compute_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        formats = dict(self._fields["facilitation_format"]._description_selection(self.env))
        for rate in self:
            rate.name = "%s – %s – %s %s" % (
                roles.get(rate.role, ""),
                formats.get(rate.facilitation_format) or _("any format"),
                rate.amount,
                rate.currency_id.name or "",
            )

    @api.constrains(
        "role", "facilitation_format", "currency_id", "date_from", "date_to", "company_id", "active"
    )
    def _check_no_overlap(self):
        for rate in self.filtered("active"):
            domain = [
                ("id", "!=", rate.id),
                ("role", "=", rate.role),
                ("facilitation_format", "=", rate.facilitation_format),
                ("currency_id", "=", rate.currency_id.id),
                ("company_id", "=", rate.company_id.id),
            ]
            if rate.date_to:
                domain += ["|", ("date_from", "=", False), ("date_from", "<=", rate.date_to)]
            if rate.date_from:
                domain += ["|", ("date_to", "=", False), ("date_to", ">=", rate.date_from)]
            if self.search_count(domain, limit=1):
                raise ValidationError(
                    _(
                        "Two payout rates overlap for %(rate)s: give them distinct validity dates.",
                        rate=rate.name,
                    )
                )

    @api.model
    def _rate_table(self, companies=None):
        """All active rates of ``companies`` in one query, for ``_find_rate``."""
        companies = companies or self.env.company
        return self.sudo().search_fetch(
            [("company_id", "in", companies.ids)],
            [
                "role",
                "facilitation_format",
                "currency_id",
                "amount",
                "date_from",
                "date_to",
                "company_id",
            ],
        )

    @api.model
    def _find_rate(self, rates, company, role, facilitation_format, currency, date):
        """The rate of ``rates`` (see ``_rate_table``) for this role, format and
        currency at ``date``: a rate of the format wins over a rate for any format."""
        candidates = rates.filtered(
            lambda r: (
                r.company_id == company
                and r.role == role
                and r.currency_id == currency
                and r.facilitation_format in (facilitation_format, False)
                and (not date or not r.date_from or r.date_from <= date)
                and (not date or not r.date_to or r.date_to >= date)
            )
        )
        if not candidates:
            return self.browse()
        return candidates.sorted(
            lambda r: (
                bool(r.facilitation_format),
                r.date_from or fields.Date.to_date("1900-01-01"),
            ),
            reverse=True,
        )[0]
