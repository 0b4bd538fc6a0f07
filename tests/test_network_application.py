import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_network_common import NetworkCase


@tagged("post_install", "-at_install")
class TestNetworkApplication(NetworkCase):
    def test_blockers(self):
        blocker = self.fac_yellow._facilitator_apply_blocker(self.lead)
        self.assertEqual(
            blocker, "This opportunity needs at least the Green level; yours is Yellow."
        )
        self.assertFalse(self.fac_green._facilitator_apply_blocker(self.lead))

        self.fac_green.facilitator_commercial = False
        self.assertIn(
            "I facilitate in a commercial context",
            self.fac_green._facilitator_apply_blocker(self.lead),
        )
        self.fac_green.facilitator_commercial = True
        self.fac_green.company_registry = False
        self.assertIn("company details", self.fac_green._facilitator_apply_blocker(self.lead))
        self.fac_green.company_registry = "123"

        self.fac_green.facilitator_active = False
        self.assertIn("inactive", self.fac_green._facilitator_apply_blocker(self.lead))
        self.fac_green.facilitator_active = True

        client = self.env["res.partner"].create({"name": "Not a facilitator"})
        self.assertIn(
            "not registered as a facilitator", client._facilitator_apply_blocker(self.lead)
        )

        draft = self.new_lead("Draft", self.env.ref("base.de"), publish=False)
        self.assertEqual(
            self.fac_green._facilitator_apply_blocker(draft),
            "This opportunity is not open for applications.",
        )

        self.lead.application_deadline = "2000-01-01"
        self.assertEqual(
            self.fac_green._facilitator_apply_blocker(self.lead),
            "The deadline to apply to this opportunity has passed.",
        )
        self.lead.application_deadline = "2099-12-31"

        self.apply(self.fac_green)
        self.assertEqual(
            self.fac_green._facilitator_apply_blocker(self.lead),
            "You have already applied to this opportunity.",
        )

    def test_education_orange_may_coordinate(self):
        orange = self.new_facilitator("Olga Orange", self.orange)
        lead = self.new_lead("School", self.env.ref("base.de"), audience="education")
        self.assertFalse(orange._facilitator_apply_blocker(lead))
        self.assertTrue(self.fac_yellow._facilitator_apply_blocker(lead))

    def test_submit(self):
        application = self.apply(self.fac_green, availability="Mondays", proposed_team="Me")
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.routing_type, "client_introduction")
        self.assertEqual(self.lead.application_count, 1)
        self.assertIn("Gina Green applied", self.lead.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "You have already applied to this opportunity."):
            self.apply(self.fac_green)
        with self.assertRaisesRegex(UserError, "needs at least the Green level"):
            self.apply(self.fac_yellow)
        with self.assertRaises(ValidationError):
            self.apply(self.fac_blue, motivation="   ")
        with self.assertRaises(ValidationError):
            self.apply(self.fac_blue, state="selected")
        self.assertEqual(self.lead.application_count, 1)

    def test_unique_application_in_database(self):
        self.apply(self.fac_green)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["facilitator.application"].create(
                {
                    "lead_id": self.lead.id,
                    "partner_id": self.fac_green.id,
                    "motivation": "Again",
                }
            )

    def test_withdraw_only_before_selection(self):
        application = self.apply(self.fac_green)
        other = self.apply(self.fac_blue)
        application.action_withdraw()
        self.assertEqual(application.state, "withdrawn")
        self.assertIn("withdrew", self.fac_green._facilitator_apply_blocker(self.lead))
        other.with_user(self.officer).action_select()
        with self.assertRaisesRegex(UserError, "Only an application still waiting"):
            other.action_withdraw()
        self.assertEqual(other.state, "selected")
