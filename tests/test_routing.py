import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestRouting(RoutingCase):
    def test_france_is_subcontracting(self):
        lead = self.new_lead(country_id=self.env.ref("base.fr").id, partner_name="Mairie de Lyon")
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(lead.routing_rule_id, self.rule_france)
        self.assertIn("France", lead.routing_reason)
        self.assertIn("Subcontracting", lead.routing_reason)
        self.assertEqual(lead.team_id, self.op_team)

    def test_overseas_departments_are_subcontracting(self):
        for code in ("gp", "mq", "gf", "re", "yt"):
            with self.subTest(code=code):
                lead = self.new_lead(country_id=self.env.ref(f"base.{code}").id)
                self.assertEqual(lead.routing_type, "subcontracting")
                self.assertEqual(lead.routing_rule_id, self.rule_france)

    def test_other_country_is_client_introduction(self):
        for code in ("de", "ca", "ma"):
            with self.subTest(code=code):
                lead = self.new_lead(country_id=self.env.ref(f"base.{code}").id)
                self.assertEqual(lead.routing_type, "client_introduction")
                self.assertEqual(lead.routing_rule_id, self.rule_other)
                self.assertEqual(lead.team_id, self.community_team)
                self.assertIn("no earlier rule covers", lead.routing_reason)

    def test_known_op_account_wins_whatever_the_country(self):
        group = self.env["res.partner"].create(
            {"name": "Groupe Atlas", "is_company": True, "is_op_account": True}
        )
        office = self.env["res.partner"].create({"name": "Ana", "parent_id": group.id})
        by_partner = self.new_lead(partner_id=office.id, country_id=self.env.ref("base.es").id)
        by_name = self.new_lead(
            partner_name="  groupe ATLAS ", country_id=self.env.ref("base.de").id
        )
        without_country = self.new_lead(partner_name="Groupe Atlas")
        for lead in by_partner | by_name | without_country:
            self.assertEqual(lead.routing_type, "subcontracting")
            self.assertEqual(lead.routing_rule_id, self.rule_op)
            self.assertIn("already serves", lead.routing_reason)

    def test_overseas_list_is_configurable(self):
        self.rule_france.country_ids = [(3, self.env.ref("base.yt").id)]
        lead = self.new_lead(country_id=self.env.ref("base.yt").id)
        self.assertEqual(lead.routing_type, "client_introduction")

    def test_country_inferred_from_phone_and_said(self):
        lead = self.new_lead(phone="+262 692 12 34 56")
        self.assertFalse(lead.country_id, "the inferred country is shown, never silently set")
        self.assertEqual(lead.routing_country_id, self.env.ref("base.re"))
        self.assertTrue(lead.routing_country_inferred)
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertIn("inferred from the phone number", lead.routing_reason)
        german = self.new_lead(phone="0049 30 1234567")
        self.assertEqual(german.routing_country_id, self.env.ref("base.de"))
        self.assertEqual(german.routing_type, "client_introduction")

    def test_no_country_no_prefix_stays_to_qualify(self):
        lead = self.new_lead(phone="06 12 34 56 78", partner_name="Green Start")
        self.assertFalse(lead.routing_type)
        self.assertFalse(lead.routing_rule_id)
        self.assertIn("To qualify", lead.routing_reason)
        self.assertEqual(lead.phone, "06 12 34 56 78", "kept exactly as typed")
        self.assertEqual(lead.phone_state, "incorrect")

    def test_rerouted_when_country_or_organisation_changes(self):
        lead = self.new_lead(country_id=self.env.ref("base.de").id, partner_name="Acme")
        self.assertEqual(lead.routing_type, "client_introduction")
        lead.country_id = self.env.ref("base.fr")
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(lead.team_id, self.op_team)
        lead.country_id = self.env.ref("base.ca")
        self.assertEqual(lead.team_id, self.community_team)
        self.env["res.partner"].create({"name": "Acme", "is_company": True, "is_op_account": True})
        lead.partner_name = "ACME"
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(lead.routing_rule_id, self.rule_op)

    def test_rerouted_when_the_organisation_becomes_an_op_account(self):
        company = self.env["res.partner"].create({"name": "Blue Corp", "is_company": True})
        lead = self.new_lead(partner_id=company.id, country_id=self.env.ref("base.de").id)
        self.assertEqual(lead.routing_type, "client_introduction")
        company.is_op_account = True
        self.assertEqual(lead.routing_type, "subcontracting")

    def test_override_needs_a_reason_and_is_tracked(self):
        lead = self.new_lead(country_id=self.env.ref("base.es").id)
        self.cr.flush()  # as if created in an earlier request: its changes are now tracked
        wizard = (
            self.env["crm.lead.routing.override"]
            .with_user(self.officer)
            .with_context(active_model="crm.lead", active_ids=lead.ids)
            .create({"routing_type": "subcontracting", "reason": "Framework agreement"})
        )
        wizard.action_apply()
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(lead.team_id, self.op_team)
        self.assertIn("Framework agreement", lead.routing_reason)
        self.env.flush_all()
        self.cr.flush()  # tracking values are written when the cursor flushes
        tracked = lead.sudo().message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("routing_type", tracked)
        self.assertIn("routing_override_reason", tracked)
        # An overridden lead is not re-routed when its country changes.
        lead.country_id = self.env.ref("base.de")
        self.assertEqual(lead.routing_type, "subcontracting")
        lead.action_reset_routing_override()
        self.assertEqual(lead.routing_type, "client_introduction")

    @mute_logger("odoo.sql_db")
    def test_override_without_reason_is_refused(self):
        lead = self.new_lead(country_id=self.env.ref("base.es").id)
        with self.assertRaises(psycopg2.IntegrityError), self.cr.savepoint():
            lead.write({"routing_override_type": "subcontracting", "routing_override_reason": " "})
        lead.invalidate_recordset()
        self.assertFalse(lead.routing_override_type)

    def test_reroute_action_applies_changed_rules(self):
        lead = self.new_lead(country_id=self.env.ref("base.be").id)
        self.assertEqual(lead.routing_type, "client_introduction")
        self.rule_france.country_ids = [(4, self.env.ref("base.be").id)]
        lead.action_reroute()
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(lead.team_id, self.op_team)

    def test_country_rule_needs_countries(self):
        with self.assertRaises(ValidationError):
            self.env["crm.routing.rule"].create(
                {"name": "Empty", "condition": "country", "routing_type": "subcontracting"}
            )

    def test_routing_holds_for_email_and_import(self):
        lead = self.env["crm.lead"].message_new(
            {
                "subject": "Workshop for our Berlin team",
                "from": "Max <max@example.de>",
                "email_from": "max@example.de",
                "body": "Hello",
            },
            {"phone": "+49 30 7654321"},
        )
        self.assertEqual(lead.routing_type, "client_introduction")
        self.assertTrue(lead.routing_country_inferred)
        result = self.env["crm.lead"].load(
            ["name", "country_id/id"], [["Imported", "base.fr"], ["Imported 2", "base.ma"]]
        )
        self.assertFalse(result["messages"])
        imported = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(imported.mapped("routing_type"), ["subcontracting", "client_introduction"])

    def test_demo_requests_are_routed(self):
        demo = self.env.ref("crm_facilitator_network.lead_reunion_no_country")
        self.assertEqual(demo.routing_type, "subcontracting")
        self.assertTrue(demo.routing_country_inferred)
        self.assertEqual(
            self.env.ref("crm_facilitator_network.lead_horizon_madrid").routing_rule_id,
            self.rule_op,
        )
        self.assertTrue(
            self.env.ref("crm_facilitator_network.lead_berlin_stadtwerke_again").duplicate_of_id
        )
        self.assertTrue(
            all(lead.routing_reason for lead in self.env["crm.lead"].search([])),
            "every lead, crm's own demo ones included, says how it was routed",
        )
