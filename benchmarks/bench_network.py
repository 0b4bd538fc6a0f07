"""`make bench`: the figures of the performance issue, measured in one run.

Every timing is a ratio of two measures taken in this same run, so that a
busy machine slows both sides alike. Query counts are exact. Each figure is
printed on one line and all of them are written to ``$BENCH_JSON``
(default ``bench.json``). The goals are asserted at the end, so that the
command fails when one is missed.

This is not part of ``make test``: the suite pins the query counts with
``assertQueryCount`` instead (tests/test_performance.py).
"""

import json
import logging
import os
import time

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_facilitator_network.tests.performance_common import NetworkDataMixin

_logger = logging.getLogger(__name__)
RESULTS = {}


def record(name, value, goal=None, ok=None):
    RESULTS[name] = {"value": value, "goal": goal, "ok": ok}
    status = "" if ok is None else ("  OK" if ok else "  MISSED")
    line = f"BENCH {name}: {value}" + (f"  (goal {goal})" if goal else "") + status
    print(line, flush=True)  # noqa: T201 - the benchmark's output is its point


def best_of(runs, func):
    """Smallest wall time of ``runs`` calls: the least disturbed by the machine."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return min(timings)


@tagged("-standard", "bench")
class BenchNetwork(NetworkDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            )
        )
        cls.green = cls.env.ref("crm_facilitator_network.facilitator_level_green")

    @classmethod
    def tearDownClass(cls):
        with open(os.environ.get("BENCH_JSON", "bench.json"), "w", encoding="utf-8") as out:
            json.dump(RESULTS, out, indent=2, sort_keys=True)
        super().tearDownClass()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _queries(self, func):
        self.env.flush_all()
        before = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - before

    # ------------------------------------------------------------------
    # 1. intake and routing
    # ------------------------------------------------------------------

    def test_1_intake_routing(self):
        Lead = self.env["crm.lead"]
        batches, size = 10, 500

        def create(context):
            def run():
                for batch in range(batches):
                    with self.env.cr.savepoint(flush=False) as savepoint:
                        Lead.with_context(**context).create(
                            self._lead_values(size, f"Intake{batch}")
                        )
                        self.env.flush_all()
                        savepoint.rollback()
                    self.env.invalidate_all()

            return run

        Lead.create(self._lead_values(50, "Warmup"))  # warm caches on both sides
        bypassed = best_of(2, create({"crm_facilitator_network_skip_routing": True}))
        routed = best_of(2, create({}))
        ratio = round(routed / bypassed, 3)
        record("intake_5000_leads_routed_seconds", round(routed, 2))
        record("intake_5000_leads_bypassed_seconds", round(bypassed, 2))
        record("intake_routing_time_ratio", ratio, "<= 1.15", ratio <= 1.15)

        # What routing adds, in queries, to one batch: constant, whatever its size.
        def extra_queries(size):
            counts = []
            for context in ({"crm_facilitator_network_skip_routing": True}, {}):
                with self.env.cr.savepoint(flush=False) as savepoint:
                    counts.append(
                        self._queries(
                            lambda context=context: (
                                Lead.with_context(**context).create(
                                    self._lead_values(size, "Count")
                                ),
                                self.env.flush_all(),
                            )
                        )
                    )
                    savepoint.rollback()
                self.env.invalidate_all()
            return counts[1] - counts[0]

        small, large = extra_queries(50), extra_queries(500)
        record("intake_routing_extra_queries_batch_50", small)
        record("intake_routing_extra_queries_batch_500", large, f"== {small}", large == small)

    # ------------------------------------------------------------------
    # 2. pending opportunities page, 3. coordination page
    # ------------------------------------------------------------------

    def _page(self, url):
        def run():
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)

        run()  # warm
        return run

    def test_2_pending_page(self):
        self._facilitator_user("bench.pending")
        self.authenticate("bench.pending", "bench.pending")
        url = "/my/pending-opportunities"
        self._close_other_opportunities()
        small = self._published(10, "Small")
        page = self._page(url)
        small_queries = self._queries(page)
        small_time = best_of(5, page)
        self._published(1990, "Large")
        large_queries = self._queries(page)
        large_time = best_of(5, page)
        self.assertTrue(small)
        ratio = round(large_time / small_time, 3)
        record("pending_page_queries_10", small_queries, "<= 30", small_queries <= 30)
        record(
            "pending_page_queries_2000",
            large_queries,
            f"== {small_queries}",
            large_queries == small_queries,
        )
        record("pending_page_time_ratio_2000_vs_10", ratio, "<= 2", ratio <= 2)

    def test_3_coordination_page(self):
        user = self._facilitator_user("bench.coordination")
        self.authenticate("bench.coordination", "bench.coordination")
        self._apply(user.partner_id, self._published(5, "CoordSmall"))
        page = self._page("/my/coordination-opportunities")
        small = self._queries(page)
        self._apply(user.partner_id, self._published(495, "CoordLarge"))
        large = self._queries(page)
        record("coordination_page_queries_5_applications", small)
        record("coordination_page_queries_500_applications", large, f"== {small}", large == small)

    # ------------------------------------------------------------------
    # 4. backend list with the Group column
    # ------------------------------------------------------------------

    def test_4_backend_list(self):
        self.env["crm.lead"].create(self._lead_values(100, "List"))
        view = self.env.ref("crm.crm_case_tree_view_oppor")
        fnames = self.env["crm.lead"].get_view(view.id, "list")["models"]["crm.lead"]
        spec = {name: {} for name in fnames}

        def read_list():
            self.env.invalidate_all()
            self.env["crm.lead"].web_search_read([], spec, limit=80)

        read_list()
        few = self._queries(read_list)
        self.env["crm.routing.rule"].create(
            [
                {
                    "name": f"Rule {i}",
                    "sequence": 100 + i,
                    "condition": "country",
                    "country_ids": [fields.Command.set(self.env.ref("base.jp").ids)],
                    "routing_type": "client_introduction",
                }
                for i in range(50)
            ]
        )
        many = self._queries(read_list)
        record("backend_list_80_rows_queries_3_rules", few)
        record("backend_list_80_rows_queries_53_rules", many, f"== {few}", many == few)

    # ------------------------------------------------------------------
    # 6. selection ranking
    # ------------------------------------------------------------------

    def test_6_ranking(self):
        lead = self._published(1, "Ranking")
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Applicant {i}",
                    "is_facilitator": True,
                    "facilitator_level_id": self.green.id,
                }
                for i in range(200)
            ]
        )
        applications = self.env["facilitator.application"].create(
            [
                {"lead_id": lead.id, "partner_id": partner.id, "motivation": "Bench"}
                for partner in partners
            ]
        )

        def rank():
            self.env.invalidate_all()
            applications.mapped("ranking_reason")

        queries = self._queries(rank)
        record("ranking_200_applicants_queries", queries, "<= 50", queries <= 50)

    def test_9_goals(self):
        missed = sorted(name for name, row in RESULTS.items() if row["ok"] is False)
        self.assertFalse(missed, f"benchmark goals missed: {missed}")
