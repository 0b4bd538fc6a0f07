"""Query counts pinned at a small and a large size: a page or an action whose
cost grows with the data fails here. Timings live in `make bench` only."""

from odoo import fields
from odoo.tests import HttpCase, tagged

from .performance_common import NetworkDataMixin


@tagged("post_install", "-at_install")
class TestPerformance(NetworkDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))

    def _warm(self, url):
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env.flush_all()

    def test_pending_page_same_queries_for_10_and_200_opportunities(self):
        self._facilitator_user("perf.pending")
        self.authenticate("perf.pending", "perf.pending")
        self._close_other_opportunities()
        url = "/my/pending-opportunities"
        self._published(10, "Small")
        self._warm(url)
        with self.assertQueryCount(22):
            self.url_open(url)
        self._published(190, "Large")
        self._warm(url)
        with self.assertQueryCount(22):
            self.url_open(url)

    def test_coordination_page_same_queries_for_5_and_100_applications(self):
        user = self._facilitator_user("perf.coordination")
        self.authenticate("perf.coordination", "perf.coordination")
        url = "/my/coordination-opportunities"
        self._apply(user.partner_id, self._published(5, "CoordSmall"))
        self._warm(url)
        with self.assertQueryCount(10):
            self.url_open(url)
        self._apply(user.partner_id, self._published(95, "CoordLarge"))
        self._warm(url)
        with self.assertQueryCount(10):
            self.url_open(url)

    def test_backend_list_same_queries_whatever_the_number_of_rules(self):
        self.env["crm.lead"].create(self._lead_values(100, "List"))
        read_list = self._backend_list_reader()

        read_list()
        with self.assertQueryCount(37):
            read_list()
        self.env["crm.routing.rule"].create(
            [
                {
                    "name": f"Rule {i}",
                    "sequence": 100 + i,
                    "condition": "country",
                    "country_ids": [fields.Command.set(self.env.ref("base.jp").ids)],
                    "routing_type": "client_introduction",
                }
                for i in range(30)
            ]
        )
        with self.assertQueryCount(37):
            read_list()

    def test_routing_adds_the_same_queries_to_a_batch_of_20_or_200(self):
        """Routing reads its rules (and countries, OP accounts) once per batch."""

        def routing_cost(size):
            counts = []
            for context in ({"crm_facilitator_network_skip_routing": True}, {}):
                self.env.invalidate_all()
                with self.env.cr.savepoint(flush=False) as savepoint:
                    before = self.cr.sql_log_count
                    self.env["crm.lead"].with_context(**context).create(
                        self._lead_values(size, f"Batch{size}")
                    )
                    self.env.flush_all()
                    counts.append(self.cr.sql_log_count - before)
                    savepoint.rollback()
            return counts[1] - counts[0]

        routing_cost(5)  # warm the caches
        # rules, countries, OP accounts, duplicates, teams: the same for any batch size
        self.assertEqual((routing_cost(20), routing_cost(200)), (21, 21))

    def test_ranking_queries_for_20_and_200_applicants(self):
        green = self.env.ref("crm_facilitator_network.facilitator_level_green")
        for size in (20, 200):
            lead = self._published(1, f"Ranking{size}")
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"Applicant {i}",
                        "is_facilitator": True,
                        "facilitator_level_id": green.id,
                    }
                    for i in range(size)
                ]
            )
            applications = self._apply(partners[0], lead)
            for partner in partners[1:]:
                applications |= self._apply(partner, lead)
            self.env.invalidate_all()
            with self.assertQueryCount(10):
                applications.mapped("ranking_reason")

    # ------------------------------------------------------------------
    # 5. payouts and fees: the queries grow with the bills, not the payables
    # ------------------------------------------------------------------

    def _count_queries(self, expected, func):
        """Run ``func`` under ``assertQueryCount(expected)``; return its
        result and the exact count (assertQueryCount lets a lower one pass)."""
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            before = self.cr.sql_log_count
            result = func()
            self.env.flush_all()
            count = self.cr.sql_log_count - before
        return result, count

    def test_payouts_same_queries_for_4_and_40_session_roles(self):
        """The payout wizard bills and posts 2 vendor bills (one per
        facilitator), of 4 then 40 session roles: the same queries."""
        self._payout_grid()
        facilitators = self._billing_facilitators(2, "Payout")
        # The first bills of a month number their sequence differently.
        self._generate_payouts(self._delivered_sessions(facilitators, 1, "Warm"))
        counts = []
        for sessions in (2, 20):
            leads = self._delivered_sessions(facilitators, sessions, f"Payout{sessions}")
            moves, count = self._count_queries(
                107, lambda leads=leads: self._generate_payouts(leads)
            )
            self.assertEqual(len(moves), 2)
            self.assertEqual(len(moves.invoice_line_ids), 2 * sessions)
            self.assertEqual(set(moves.mapped("state")), {"posted"})
            counts.append(count)
        self.assertEqual(counts[0], counts[1], "queries grow with the bills, not the sessions")

    def test_fees_same_queries_for_6_and_40_declarations(self):
        """Fee invoicing of 2 facilitators (2 posted invoices) with 6 then 40
        declarations: the same queries. 6, not 4: journal items search their
        analytic distribution once per (partner, product), and the 3 fee
        categories are 3 products, which 2 declarations each cannot cover."""
        self._fee_setup()
        warm = self._fee_declarations(self._billing_facilitators(2, "FeeWarm"), 3, "FeeWarm")
        self._invoice_fees(warm)
        counts = []
        for per_facilitator in (3, 20):
            facilitators = self._billing_facilitators(2, f"Fee{per_facilitator}")
            declarations = self._fee_declarations(
                facilitators, per_facilitator, f"Fee{per_facilitator}"
            )
            moves, count = self._count_queries(
                123, lambda declarations=declarations: self._invoice_fees(declarations)
            )
            self.assertEqual(len(moves), 2)
            self.assertEqual(len(moves.invoice_line_ids), 2 * per_facilitator)
            self.assertEqual(set(moves.mapped("state")), {"posted"})
            counts.append(count)
        self.assertEqual(
            counts[0], counts[1], "queries grow with the invoices, not the declarations"
        )
