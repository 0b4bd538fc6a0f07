"""Analytics: stored figures on crm.lead, the pivot measures, the payouts and
fees report, the OP dashboard and the automatic activities."""

from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .fee_common import FeeSetupMixin
from .test_subcontracting_common import SubcontractingCase

SEND_PROPOSAL = "crm_facilitator_network.mail_activity_type_send_proposal"
SELECT_COORDINATOR = "crm_facilitator_network.mail_activity_type_select_coordinator"


class AnalyticsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=True,
                no_reset_password=True,
            )
        )
        ref = cls.env.ref
        cls.france = ref("base.fr")
        cls.germany = ref("base.de")
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Maya Analytics Manager",
                "login": "maya.analytics.manager",
                "email": "maya.analytics@example.com",
                "group_ids": [(6, 0, [ref("crm_facilitator_network.group_op_manager").id])],
            }
        )
        cls.Lead = cls.env["crm.lead"].with_user(cls.manager)
        cls.send_proposal = ref(SEND_PROPOSAL)
        cls.select_coordinator = ref(SELECT_COORDINATOR)

    def new_lead(self, name, country, **values):
        return self.Lead.create(
            {
                "name": name,
                "type": "opportunity",
                "partner_name": f"{name} Org",
                "email_from": "analytics.client@example.com",
                "country_id": country.id,
                **values,
            }
        )

    def set_create_date(self, lead, when):
        self.env.flush_all()
        self.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", (when, lead.id))
        lead.invalidate_recordset(["create_date"])

    def activities(self, lead, activity_type):
        return lead.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def done_activities(self, lead, activity_type):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "=", lead.id),
                    ("mail_activity_type_id", "=", activity_type.id),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestAnalyticsFields(AnalyticsCase):
    def test_days_to_publication_and_selection(self):
        lead = self.new_lead("Analytics timing", self.france)
        self.assertEqual(lead.days_to_publication, 0.0, "not published yet")
        self.assertEqual(lead.days_to_selection, 0.0)
        self.set_create_date(lead, datetime(2025, 1, 1, 0, 0))
        lead.write({"network_published_date": datetime(2025, 1, 11, 12, 0)})
        self.assertEqual(lead.days_to_publication, 10.5)
        self.assertEqual(lead.days_to_selection, 0.0, "no coordinator selected yet")
        lead.write({"network_selected_date": datetime(2025, 1, 14, 12, 0)})
        self.assertEqual(lead.days_to_selection, 3.0)
        self.assertEqual(lead.days_to_publication, 10.5)
        # stored: the database holds them
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT days_to_publication, days_to_selection FROM crm_lead WHERE id = %s",
            (lead.id,),
        )
        self.assertEqual(self.env.cr.fetchone(), (10.5, 3.0))

    def test_conversion_fields(self):
        won = self.new_lead("Analytics won", self.france)
        lost = self.new_lead("Analytics lost", self.france)
        pending = self.new_lead("Analytics pending", self.france)
        won.action_set_won()
        lost.action_set_lost()
        self.assertEqual((won.won_count, won.conversion_rate), (1, 100.0))
        self.assertEqual((lost.won_count, lost.conversion_rate), (0, 0.0))
        self.assertEqual((pending.won_count, pending.conversion_rate), (0, 0.0))

    def test_pivot_measures(self):
        """The numbers the pivot views show, through the web client's API."""
        Lead = self.Lead.with_context(active_test=False)
        sub = [self.new_lead(f"Analytics sub {i}", self.france) for i in range(3)]
        intro = [self.new_lead(f"Analytics intro {i}", self.germany) for i in range(2)]
        self.assertEqual({lead.routing_type for lead in sub}, {"subcontracting"})
        self.assertEqual({lead.routing_type for lead in intro}, {"client_introduction"})
        sub[0].action_set_won()
        intro[0].action_set_won()
        intro[1].action_set_lost()  # archived: still a request
        for lead, days in ((sub[0], 2), (sub[1], 4), (intro[0], 9)):
            self.set_create_date(lead, datetime(2025, 3, 1))
            lead.write(
                {
                    "network_published_date": datetime(2025, 3, 1) + timedelta(days=days),
                    "network_selected_date": datetime(2025, 3, 1) + timedelta(days=days + 5),
                }
            )
        leads = Lead.browse([lead.id for lead in sub + intro])
        domain = [("id", "in", leads.ids)]

        groups = Lead.formatted_read_group(
            domain,
            ["routing_type"],
            ["__count", "won_count:sum", "conversion_rate:avg"],
        )
        by_group = {g["routing_type"]: g for g in groups}
        self.assertEqual(by_group["subcontracting"]["__count"], 3)
        self.assertEqual(by_group["subcontracting"]["won_count:sum"], 1)
        self.assertAlmostEqual(by_group["subcontracting"]["conversion_rate:avg"], 100 / 3, 4)
        self.assertEqual(by_group["client_introduction"]["__count"], 2)
        self.assertEqual(by_group["client_introduction"]["won_count:sum"], 1)
        self.assertAlmostEqual(by_group["client_introduction"]["conversion_rate:avg"], 50.0)

        # requests by group, country and month
        groups = Lead.formatted_read_group(
            domain, ["routing_type", "country_id", "create_date:month"], ["__count"]
        )
        counts = {
            (g["routing_type"], g["country_id"][0], g["create_date:month"][0][:7]): g["__count"]
            for g in groups
        }
        this_month = fields.Date.context_today(Lead).strftime("%Y-%m")
        self.assertEqual(
            counts,
            {
                ("subcontracting", self.france.id, "2025-03"): 2,
                ("subcontracting", self.france.id, this_month): 1,
                ("client_introduction", self.germany.id, "2025-03"): 1,
                ("client_introduction", self.germany.id, this_month): 1,
            },
        )

        # time to publication / selection, over the published requests (the menu's filter)
        groups = Lead.formatted_read_group(
            domain + [("network_published_date", "!=", False)],
            ["routing_type"],
            ["days_to_publication:avg", "days_to_selection:avg"],
        )
        by_group = {g["routing_type"]: g for g in groups}
        self.assertAlmostEqual(by_group["subcontracting"]["days_to_publication:avg"], 3.0)
        self.assertAlmostEqual(by_group["subcontracting"]["days_to_selection:avg"], 5.0)
        self.assertAlmostEqual(by_group["client_introduction"]["days_to_publication:avg"], 9.0)
        # the fields' default aggregator is the average (what the pivot shows)
        self.assertEqual(Lead._fields["days_to_publication"].aggregator, "avg")
        self.assertEqual(Lead._fields["days_to_selection"].aggregator, "avg")
        self.assertEqual(Lead._fields["conversion_rate"].aggregator, "avg")

    def test_report_actions_and_views_load(self):
        for xmlid in (
            "crm_lead_analytics_requests_action",
            "crm_lead_analytics_conversion_action",
            "crm_lead_analytics_publication_action",
            "crm_lead_analytics_selection_action",
            "facilitator_network_report_action",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(
                f"crm_facilitator_network.{xmlid}"
            )
            model = self.env[action["res_model"]].with_user(self.manager)
            for view_id, view_type in action["views"]:
                if view_type in ("pivot", "graph"):
                    model.get_views([(view_id, view_type)])
        # the payouts and fees view can be read by the OP staff
        self.env["facilitator.network.report"].with_user(self.manager).search([], limit=1)


@tagged("post_install", "-at_install")
class TestAnalyticsDashboard(AnalyticsCase):
    COUNTS = (
        "request_month_count",
        "request_month_subcontracting_count",
        "request_month_client_introduction_count",
        "request_month_to_qualify_count",
        "waiting_coordinator_count",
        "waiting_coordinator_late_count",
    )

    def dashboard(self):
        dashboard = self.env["crm.op.dashboard"].with_user(self.manager).create({})
        return dashboard, {fname: dashboard[fname] for fname in self.COUNTS}

    def test_counts(self):
        __, before = self.dashboard()
        self.new_lead("Dashboard sub", self.france)
        self.new_lead("Dashboard sub 2", self.france)
        intro = self.new_lead(
            "Dashboard intro",
            self.germany,
            public_title="Dashboard workshop",
            application_deadline=fields.Date.today() + timedelta(days=10),
        )
        to_qualify = self.Lead.create({"name": "Dashboard to qualify"})
        self.assertFalse(to_qualify.routing_type)
        old = self.new_lead("Dashboard old", self.france)
        self.set_create_date(old, datetime(2020, 1, 1))
        intro.action_publish_to_network()
        late = self.new_lead(
            "Dashboard late",
            self.germany,
            public_title="Dashboard late workshop",
            application_deadline=fields.Date.today() + timedelta(days=1),
        )
        late.action_publish_to_network()
        late.application_deadline = fields.Date.today() - timedelta(days=1)
        self.set_create_date(late, datetime(2020, 1, 1))

        after, counts = self.dashboard()
        self.assertEqual(
            {fname: counts[fname] - before[fname] for fname in self.COUNTS},
            {
                "request_month_count": 4,
                "request_month_subcontracting_count": 2,
                "request_month_client_introduction_count": 1,
                "request_month_to_qualify_count": 1,
                "waiting_coordinator_count": 2,
                "waiting_coordinator_late_count": 1,
            },
        )
        # the buttons open what the counts count
        action = after.with_context(dashboard_group="subcontracting").action_open_requests()
        found = self.env["crm.lead"].with_context(**action["context"]).search(action["domain"])
        self.assertEqual(len(found), after.request_month_subcontracting_count)
        action = after.with_context(dashboard_late=True).action_open_waiting_coordinator()
        found = self.env["crm.lead"].search(action["domain"])
        self.assertIn(late, found)
        self.assertNotIn(intro, found)
        self.assertEqual(len(found), after.waiting_coordinator_late_count)

    def test_menu_opens_a_dashboard(self):
        action = self.env.ref("crm_facilitator_network.crm_op_dashboard_action")
        result = action.with_user(self.manager).run()
        self.assertEqual(result["res_model"], "crm.op.dashboard")
        self.assertTrue(self.env["crm.op.dashboard"].browse(result["res_id"]).exists())
        menu = self.env.ref("crm_facilitator_network.analytics_menu_op_dashboard")
        self.assertEqual(menu.group_ids, self.env.ref("crm_facilitator_network.group_op_manager"))


@tagged("post_install", "-at_install")
class TestAnalyticsOverdue(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def test_dashboard_counts_overdue_declarations(self):
        dashboard = self.env["crm.op.dashboard"].create({})
        overdue = self.env["res.partner"].search([("fee_is_overdue", "=", True)])
        self.assertIn(self.ana, overdue)
        self.assertEqual(dashboard.overdue_declaration_count, len(overdue))
        self.declare(self.ana, 3000, "usage_contribution", self.lead_ci)
        self.env.invalidate_all()
        self.assertEqual(
            self.env["crm.op.dashboard"].create({}).overdue_declaration_count, len(overdue) - 1
        )
        action = dashboard.action_open_overdue_declarations()
        self.assertEqual(action["res_model"], "res.partner")

    def test_fees_by_month(self):
        declaration = self.declare(self.ana, 3000, "usage")
        moves, errors = declaration._fee_invoice()
        self.assertFalse(errors)
        Report = self.env["facilitator.network.report"]
        rows = Report.search([("move_id", "in", moves.ids)])
        self.assertEqual(set(rows.mapped("kind")), {"fee"})
        fee = sum(moves.invoice_line_ids.mapped("balance"))
        groups = Report.formatted_read_group(
            [("move_id", "in", moves.ids)],
            ["date:month", "kind"],
            ["fee_amount:sum", "payout_amount:sum"],
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["fee_amount:sum"], -fee)
        self.assertAlmostEqual(groups[0]["payout_amount:sum"], 0.0)
        self.assertGreater(groups[0]["fee_amount:sum"], 0)


@tagged("post_install", "-at_install")
class TestAnalyticsSubcontracting(SubcontractingCase):
    """The automatic activities along the subcontracting flow, and the payouts."""

    def test_activities_along_the_flow(self):
        send = self.env.ref(SEND_PROPOSAL)
        select = self.env.ref(SELECT_COORDINATOR)
        lead = (
            self.env["crm.lead"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Analytics flow",
                    "type": "opportunity",
                    "partner_id": self.client.id,
                    "partner_name": self.client.name,
                    "country_id": self.env.ref("base.fr").id,
                    "city": "Lyon",
                    "workshop_format": "in_person",
                    "user_id": self.officer.id,
                }
            )
        )
        self.assertEqual(lead.routing_type, "subcontracting")
        activity = lead.activity_ids.filtered(lambda a: a.activity_type_id == send)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, fields.Date.today() + timedelta(days=3))
        self.assertEqual(activity.user_id, self.officer)
        # a quotation only drafted: the proposal is not sent yet
        order = (
            self.env["sale.order"]
            .with_user(self.officer)
            .create(
                {
                    "partner_id": self.client.id,
                    "opportunity_id": lead.id,
                    "pricelist_id": self.pricelist.id,
                    "order_line": [
                        (0, 0, {"product_id": self.product_session.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        self.assertTrue(activity.exists())
        order.with_context(mark_so_as_sent=True).message_post(body="Your quotation")
        self.assertEqual(order.state, "sent")
        self.assertFalse(activity.active, "done (archived) when the proposal is sent")
        self.assertTrue(
            lead.message_ids.filtered(lambda m: m.mail_activity_type_id == send),
            "marked as done (in the chatter), not deleted",
        )
        # confirming publishes it: select a coordinator by the application deadline
        order.action_confirm()
        self.assertEqual(lead.network_state, "open")
        self.assertFalse(lead.activity_ids.filtered(lambda a: a.activity_type_id == send))
        select_activity = lead.activity_ids.filtered(lambda a: a.activity_type_id == select)
        self.assertEqual(len(select_activity), 1)
        self.assertEqual(select_activity.date_deadline, lead.application_deadline)
        self.assertEqual(select_activity.user_id, self.officer)
        # selection: done, and the selection date is recorded
        application = (
            self.env["facilitator.application"]
            .sudo()
            ._submit(lead, self.fac_fr, {"motivation": "I coordinate in Lyon."})
        )
        application.with_user(self.officer).action_select()
        self.assertFalse(select_activity.active, "done when the coordinator is selected")
        self.assertTrue(lead.message_ids.filtered(lambda m: m.mail_activity_type_id == select))
        self.assertTrue(lead.network_selected_date)
        self.assertGreaterEqual(lead.days_to_selection, 0.0)
        self.assertTrue(lead.network_published_date <= lead.network_selected_date)

    def test_confirming_without_sending_closes_the_proposal(self):
        lead, order = self.new_sold_lead()
        send = self.env.ref(SEND_PROPOSAL)
        self.assertEqual(order.state, "sale")
        self.assertFalse(lead.activity_ids.filtered(lambda a: a.activity_type_id == send))
        self.assertTrue(lead.message_ids.filtered(lambda m: m.mail_activity_type_id == send))

    def test_qualification_schedules_send_proposal(self):
        send = self.env.ref(SEND_PROPOSAL)
        lead = self.env["crm.lead"].with_user(self.officer).create({"name": "To qualify"})
        self.assertFalse(lead.routing_type)
        self.assertFalse(lead.activity_ids)
        lead.country_id = self.env.ref("base.fr")
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(len(lead.activity_ids.filtered(lambda a: a.activity_type_id == send)), 1)
        lead.phone = "+33 1 23 45 67 89"  # still subcontracting: no second activity
        self.assertEqual(len(lead.activity_ids.filtered(lambda a: a.activity_type_id == send)), 1)
        lead.country_id = self.env.ref("base.de")
        self.assertEqual(lead.routing_type, "client_introduction")
        self.assertFalse(lead.activity_ids.filtered(lambda a: a.activity_type_id == send))

    def test_unpublishing_removes_select_coordinator(self):
        select = self.env.ref(SELECT_COORDINATOR)
        lead = (
            self.env["crm.lead"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Unpublished",
                    "type": "opportunity",
                    "country_id": self.env.ref("base.de").id,
                    "public_title": "A workshop",
                    "application_deadline": fields.Date.today() + timedelta(days=20),
                }
            )
        )
        lead.action_publish_to_network()
        activity = lead.activity_ids.filtered(lambda a: a.activity_type_id == select)
        self.assertEqual(activity.date_deadline, fields.Date.today() + timedelta(days=20))
        lead.action_unpublish_from_network()
        self.assertFalse(activity.exists())
        lead.action_publish_to_network()
        self.assertEqual(len(lead.activity_ids.filtered(lambda a: a.activity_type_id == select)), 1)

    def test_batch_create_one_activity_create(self):
        """Creating many subcontracting requests schedules their activities in one go."""
        Lead = self.env["crm.lead"].with_user(self.officer)
        values = [
            {"name": f"Batch {i}", "country_id": self.env.ref("base.fr").id} for i in range(30)
        ]
        leads = Lead.create(values)
        send = self.env.ref(SEND_PROPOSAL)
        activities = leads.activity_ids.filtered(lambda a: a.activity_type_id == send)
        self.assertEqual(len(activities), 30)
        self.assertEqual(len(set(activities.mapped("create_date"))), 1)

    def test_payouts_by_month(self):
        lead, order = self.new_sold_lead()
        sessions = self.new_session(
            lead, order, [(self.fac_fr, "coordinator"), (self.fac_fr2, "facilitator")]
        ) | self.new_session(lead, order, [(self.fac_fr, "coordinator")], date="2025-04-02")
        sessions._confirm_delivery(14)
        moves, errors = (
            self.env["facilitator.payout.wizard"]
            .with_user(self.officer)
            ._generate_payouts(lead.ids)
        )
        self.assertFalse(errors)
        Report = self.env["facilitator.network.report"]
        rows = Report.search([("lead_id", "=", lead.id), ("kind", "=", "payout")])
        lines = self.env["account.move.line"].search(
            [("payout_session_role_id.lead_id", "=", lead.id)]
        )
        self.assertEqual(len(rows), len(lines))
        self.assertTrue(rows)
        groups = Report.formatted_read_group(
            [("lead_id", "=", lead.id)], ["kind"], ["payout_amount:sum", "fee_amount:sum"]
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["payout_amount:sum"], sum(lines.mapped("balance")))
        self.assertGreater(groups[0]["payout_amount:sum"], 0)
        by_month = Report.formatted_read_group(
            [("lead_id", "=", lead.id)], ["date:month"], ["payout_amount:sum"]
        )
        self.assertAlmostEqual(
            sum(g["payout_amount:sum"] for g in by_month), sum(lines.mapped("balance"))
        )
