from odoo.tests import tagged

from .test_network_common import NetworkCase


@tagged("post_install", "-at_install")
class TestNetworkRanking(NetworkCase):
    def test_ranking_order_and_reason(self):
        veteran = self.new_facilitator(
            "Vera Veteran", self.green, langs=self.lang_de, countries=self.env.ref("base.de")
        )
        # Vera coordinated twice before, the last time today
        Member = self.env["facilitator.team.member"].sudo()
        for name in ("Past one", "Past two"):
            past = self.new_lead(name, self.env.ref("base.de"), publish=False)
            Member.create(
                {
                    "lead_id": past.id,
                    "partner_id": veteran.id,
                    "role": "coordinator",
                    "state": "accepted",
                }
            )
        fit = self.apply(self.fac_green)  # German, Germany, never coordinated
        far = self.apply(self.fac_blue)  # above the level, no language nor country
        experienced = self.apply(veteran)
        applications = fit | far | experienced
        applications.invalidate_recordset()
        ranked = applications.sorted("ranking_score", reverse=True)
        self.assertEqual(ranked[0], fit)
        self.assertGreater(fit.ranking_score, experienced.ranking_score)
        self.assertGreater(fit.ranking_score, far.ranking_score)
        self.assertEqual(experienced.partner_coordination_count, 2)
        self.assertTrue(experienced.partner_last_coordination_date)
        self.assertEqual(veteran.facilitator_coordination_count, 2)
        self.assertIn("speaks German", fit.ranking_reason)
        self.assertIn("serves Germany", fit.ranking_reason)
        self.assertIn("never coordinated before", fit.ranking_reason)
        self.assertIn("above the minimum Green", far.ranking_reason)
        self.assertIn("2 past coordination(s)", experienced.ranking_reason)
        self.assertTrue(fit.ranking_reason.startswith("Score "))

    def test_ranking_batch_queries(self):
        """The ranking of a lead's applications costs the same number of
        queries for 2 applicants as for 5."""

        def count_queries(applications):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            applications.mapped("ranking_reason")
            return self.env.cr.sql_log_count - before

        few = self.apply(self.fac_green) | self.apply(self.fac_blue)
        lead = self.new_lead("Crowded", self.env.ref("base.de"), lang=self.lang_de)
        many = self.env["facilitator.application"]
        for index in range(5):
            partner = self.new_facilitator(f"Crowd {index}", self.green, langs=self.lang_de)
            many |= self.apply(partner, lead)
        self.assertGreater(count_queries(few), 0)
        self.assertEqual(count_queries(few), count_queries(many))
