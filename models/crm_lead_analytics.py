from odoo import api, fields, models

SECONDS_PER_DAY = 86400.0


def _days_between(start, end):
    """Days from ``start`` to ``end`` (datetimes), to a tenth of a day; never negative."""
    if not start or not end:
        return 0.0
    return round(max(0.0, (end - start).total_seconds() / SECONDS_PER_DAY), 1)


class CrmLead(models.Model):
    """Stored figures for the reporting (CRM > Reporting): pivot and graph
    views add them up or average them per group, country and month."""

    _inherit = "crm.lead"

    network_selected_date = fields.Datetime(
        string="Coordinator Selected On",
        readonly=True,
        copy=False,
        help="When the OP team selected the coordinator among the applicants.",
    )
    days_to_publication = fields.Float(
        compute="_compute_days_to_publication",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days from the request to its publication to the network. Zero while not "
        "published: reports average it over the published requests only.",
    )
    days_to_selection = fields.Float(
        compute="_compute_days_to_selection",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days from the publication to the network to the selection of the coordinator. "
        "Zero while none is selected: reports average it over the staffed requests only.",
    )
    won_count = fields.Integer(
        string="Won Requests",
        compute="_compute_conversion",
        store=True,
        aggregator="sum",
        help="1 when the request is won, else 0: the number of won requests in reports.",
    )
    conversion_rate = fields.Float(
        string="Conversion (%)",
        compute="_compute_conversion",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="100 when the request is won, else 0: averaged in reports, the share of won "
        "requests among all requests (lost ones included).",
    )

    @api.depends("create_date", "network_published_date")
    def _compute_days_to_publication(self):
        for lead in self:
            lead.days_to_publication = _days_between(lead.create_date, lead.network_published_date)

    @api.depends("network_published_date", "network_selected_date")
    def _compute_days_to_selection(self):
        for lead in self:
            lead.days_to_selection = _days_between(
                lead.network_published_date, lead.network_selected_date
            )

    @api.depends("won_status")
    def _compute_conversion(self):
        for lead in self:
            won = lead.won_status == "won"
            lead.won_count = 1 if won else 0
            lead.conversion_rate = 100.0 if won else 0.0
