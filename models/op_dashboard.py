from odoo import _, api, fields, models


class CrmOpDashboard(models.TransientModel):
    """The OP manager's dashboard (CRM > Reporting > OP Dashboard): a few
    counts, each a button opening the records behind it. Community has no
    spreadsheet dashboards; a transient record computes the counts when the
    menu opens it."""

    _name = "crm.op.dashboard"
    _description = "OP Dashboard"

    name = fields.Char(default=lambda self: _("OP Dashboard"), readonly=True)
    request_month_count = fields.Integer(compute="_compute_counts", string="Requests This Month")
    request_month_subcontracting_count = fields.Integer(
        compute="_compute_counts", string="Subcontracting"
    )
    request_month_client_introduction_count = fields.Integer(
        compute="_compute_counts", string="Client Introduction"
    )
    request_month_to_qualify_count = fields.Integer(compute="_compute_counts", string="To Qualify")
    waiting_coordinator_count = fields.Integer(
        compute="_compute_counts",
        string="Waiting for a Coordinator",
        help="Opportunities open for applications: no coordinator selected yet.",
    )
    waiting_coordinator_late_count = fields.Integer(
        compute="_compute_counts",
        string="Deadline Passed",
        help="Opportunities open for applications whose application deadline has passed: "
        "select a coordinator.",
    )
    overdue_declaration_count = fields.Integer(
        compute="_compute_counts",
        string="Declarations Overdue",
        help="Facilitators with a delivered client-introduction opportunity and no fee "
        "declaration for a period ended within the last 12 months.",
    )

    # ------------------------------------------------------------------
    # Domains (shared by the counts and the buttons)
    # ------------------------------------------------------------------

    @api.model
    def _month_start(self):
        return fields.Date.context_today(self).replace(day=1)

    @api.model
    def _domain_requests_month(self, group=None):
        domain = [("create_date", ">=", fields.Datetime.to_string(self._month_start()))]
        if group == "to_qualify":
            domain.append(("routing_type", "=", False))
        elif group:
            domain.append(("routing_type", "=", group))
        return domain

    @api.model
    def _domain_waiting_coordinator(self, late=False):
        domain = [("network_state", "=", "open")]
        if late:
            domain.append(("application_deadline", "<", fields.Date.context_today(self)))
        return domain

    # ------------------------------------------------------------------
    # Counts
    # ------------------------------------------------------------------

    def _compute_counts(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        per_group = dict(
            Lead._read_group(
                self._domain_requests_month(), groupby=["routing_type"], aggregates=["__count"]
            )
        )
        waiting = self.env["crm.lead"].search_count(self._domain_waiting_coordinator())
        late = self.env["crm.lead"].search_count(self._domain_waiting_coordinator(late=True))
        overdue = len(self.env["res.partner"]._fee_overdue_map())
        for dashboard in self:
            dashboard.request_month_count = sum(per_group.values())
            dashboard.request_month_subcontracting_count = per_group.get("subcontracting", 0)
            dashboard.request_month_client_introduction_count = per_group.get(
                "client_introduction", 0
            )
            dashboard.request_month_to_qualify_count = per_group.get(False, 0)
            dashboard.waiting_coordinator_count = waiting
            dashboard.waiting_coordinator_late_count = late
            dashboard.overdue_declaration_count = overdue

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def action_open_dashboard(self):
        """Menu entry: a fresh dashboard, so that the counts are today's."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": _("OP Dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("crm_facilitator_network.crm_op_dashboard_view_form").id, "form")
            ],
            "target": "current",
            "context": {"form_view_initial_mode": "readonly"},
        }

    def _lead_action(self, name, domain, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "crm.lead",
            "view_mode": "list,kanban,form,pivot,graph",
            "views": [
                (False, "list"),
                (False, "kanban"),
                (False, "form"),
                (False, "pivot"),
                (False, "graph"),
            ],
            "domain": domain,
            "context": dict(context or {}, create=False),
        }

    def action_open_requests(self):
        group = self.env.context.get("dashboard_group")
        groups = dict(self.env["crm.lead"]._fields["routing_type"]._description_selection(self.env))
        groups["to_qualify"] = _("To Qualify")
        name = _("Requests This Month")
        if group in groups:
            name = _("Requests This Month: %(group)s", group=groups[group])
        return self._lead_action(name, self._domain_requests_month(group), {"active_test": False})

    def action_open_waiting_coordinator(self):
        late = bool(self.env.context.get("dashboard_late"))
        name = _("Deadline Passed") if late else _("Waiting for a Coordinator")
        return self._lead_action(name, self._domain_waiting_coordinator(late=late))

    def action_open_overdue_declarations(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "crm_facilitator_network.fee_overdue_action"
        )
