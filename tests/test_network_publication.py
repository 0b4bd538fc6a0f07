from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_network_common import NetworkCase


@tagged("post_install", "-at_install")
class TestNetworkPublication(NetworkCase):
    def test_default_min_levels_client_introduction(self):
        lead = self.new_lead(
            "Intro company", self.env.ref("base.de"), publish=False, audience="company"
        )
        self.assertEqual(lead.routing_type, "client_introduction")
        self.assertEqual(lead.min_level_coordinate_id, self.green)
        self.assertEqual(lead.min_level_facilitate_id, self.green)
        self.assertEqual(lead.min_level_train_id, self.green)
        lead.audience = "education"
        self.assertEqual(lead.min_level_coordinate_id, self.orange)
        self.assertEqual(lead.min_level_facilitate_id, self.orange)
        self.assertEqual(lead.min_level_train_id, self.orange)

    def test_default_min_levels_subcontracting(self):
        lead = self.new_lead(
            "Sub company", self.env.ref("base.fr"), publish=False, audience="public_sector"
        )
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(
            (lead.min_level_coordinate_id, lead.min_level_facilitate_id, lead.min_level_train_id),
            (self.green, self.green, self.green),
        )
        lead.audience = "education"
        self.assertEqual(
            (lead.min_level_coordinate_id, lead.min_level_facilitate_id, lead.min_level_train_id),
            (self.orange, self.yellow, self.green),
        )
        # Staff may still set another minimum by hand
        lead.min_level_coordinate_id = self.blue
        self.assertEqual(lead.min_level_coordinate_id, self.blue)

    def test_publish_and_unpublish(self):
        lead = self.new_lead("To publish", self.env.ref("base.de"), publish=False)
        self.assertEqual(lead.network_state, "draft")
        self.env.flush_all()
        self.env.cr.precommit.run()  # as if the lead had been created in an earlier transaction
        lead.action_publish_to_network()
        self.assertEqual(lead.network_state, "open")
        self.assertTrue(lead.network_published_date)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        lead.invalidate_recordset(["message_ids"])
        messages = lead.sudo().message_ids
        self.assertTrue(
            any("Published to the facilitator network" in str(m.body) for m in messages)
        )
        tracked = messages.tracking_value_ids.filtered(lambda t: t.field_id.name == "network_state")
        self.assertEqual(
            (tracked.old_value_char, tracked.new_value_char),
            ("Not published", "Open for applications"),
        )
        self.assertIn(lead, self.env["crm.lead"].search(lead._network_domain_pending()))
        with self.assertRaisesRegex(UserError, "already published"):
            lead.action_publish_to_network()
        lead.action_unpublish_from_network()
        self.assertEqual(lead.network_state, "draft")
        self.assertNotIn(lead, self.env["crm.lead"].search(lead._network_domain_pending()))

    def test_publish_needs_title_deadline_group(self):
        lead = self.new_lead(
            "Incomplete",
            self.env.ref("base.de"),
            publish=False,
            public_title=False,
            application_deadline=False,
        )
        with self.assertRaisesRegex(UserError, "a public title, an application deadline"):
            lead.action_publish_to_network()
        self.assertEqual(lead.network_state, "draft")
        lead.write({"public_title": "Public", "application_deadline": "2000-01-01"})
        with self.assertRaisesRegex(UserError, "has passed"):
            lead.action_publish_to_network()

    def test_pending_domain_excludes_passed_deadline(self):
        lead = self.new_lead("Late", self.env.ref("base.de"))
        lead.application_deadline = "2000-01-01"
        self.assertNotIn(lead, self.env["crm.lead"].search(lead._network_domain_pending()))

    def test_public_fields_hide_the_client(self):
        public = self.env["crm.lead"]._network_public_fields()
        for name in ("partner_name", "contact_name", "email_from", "phone", "partner_id", "name"):
            self.assertNotIn(name, public)
        for name in public:
            self.assertIn(name, self.env["crm.lead"]._fields)

    def test_backend_views_load(self):
        """The Network tab, the facilitator profile and the menus' views load for OP officers."""
        lead_form = self.env["crm.lead"].with_user(self.officer).get_views([(False, "form")])
        arch = lead_form["views"]["form"]["arch"]
        self.assertIn('name="facilitator_network"', arch)
        self.assertIn('name="action_select"', arch)
        partner_form = self.env["res.partner"].with_user(self.officer).get_views([(False, "form")])
        self.assertIn('name="facilitator_profile"', partner_form["views"]["form"]["arch"])
        for model in ("facilitator.application", "facilitator.team.member", "facilitator.level"):
            self.env[model].with_user(self.officer).get_views(
                [(False, "list"), (False, "form"), (False, "search")]
            )
