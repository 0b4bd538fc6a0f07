import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_network_common import NetworkCase


@tagged("post_install", "-at_install")
class TestNetworkSelection(NetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app_green = (
            cls.env["facilitator.application"]
            .sudo()
            ._submit(cls.lead, cls.fac_green, {"motivation": "Green wants it"})
        )
        cls.app_blue = (
            cls.env["facilitator.application"]
            .sudo()
            ._submit(cls.lead, cls.fac_blue, {"motivation": "Blue wants it"})
        )

    def messages(self, application, subject):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "facilitator.application"),
                    ("res_id", "=", application.id),
                    ("subject", "=", subject),
                ]
            )
        )

    def test_select(self):
        self.app_blue.with_user(self.officer).action_select()
        self.assertEqual(self.app_blue.state, "selected")
        self.assertEqual(self.app_green.state, "not_selected")
        self.assertEqual(self.lead.coordinator_id, self.fac_blue)
        self.assertEqual(self.lead.network_state, "staffed")
        member = self.lead.facilitator_team_member_ids
        self.assertEqual(
            (member.partner_id, member.role, member.state),
            (self.fac_blue, "coordinator", "accepted"),
        )
        title = self.lead.public_title
        chosen = self.messages(self.app_blue, f"You coordinate {title}")
        self.assertEqual(len(chosen), 1)
        self.assertIn(self.fac_blue, chosen.partner_ids)
        self.assertIn("You have been selected to coordinate", str(chosen.body))
        others = self.messages(self.app_green, f"Your application to {title}")
        self.assertEqual(len(others), 1)
        self.assertIn(self.fac_green, others.partner_ids)
        self.assertTrue(
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("subject", "=", f"You coordinate {title}"),
                    ("recipient_ids", "in", self.fac_blue.ids),
                ]
            )
        )
        # Client introduction: a note says the coordinator now sees the client
        self.assertTrue(any("now see" in str(m.body) for m in self.lead.message_ids))
        self.assertTrue(self.lead._network_client_visible_to(self.fac_blue))
        with self.assertRaisesRegex(UserError, "Only a submitted application"):
            self.app_green.with_user(self.officer).action_select()

    def test_select_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_facilitator_network"], ["fr_FR"], overwrite=True
        )
        self.fac_blue.lang = "fr_FR"
        self.fac_green.lang = "fr_FR"
        self.app_blue.with_user(self.officer).action_select()
        title = self.lead.public_title
        chosen = self.messages(self.app_blue, f"Vous coordonnez {title}")
        self.assertEqual(len(chosen), 1)
        self.assertIn("Vous avez été sélectionné", str(chosen.body))
        others = self.messages(self.app_green, f"Votre candidature à {title}")
        self.assertEqual(len(others), 1)
        self.assertIn("Un autre animateur", str(others.body))
        # Code sentences and level names follow the reader's language too
        self.assertEqual(
            self.fac_yellow.with_context(lang="fr_FR")._facilitator_apply_blocker(
                self.new_lead("Autre", self.env.ref("base.de"))
            ),
            "Cette opportunité demande au moins le niveau « Ceinture verte » ; "
            "le vôtre est « Ceinture jaune ».",
        )

    def test_subcontracting_schedules_introduction(self):
        lead = self.new_lead("Paris", self.env.ref("base.fr"), lang=self.lang_fr)
        self.assertEqual(lead.routing_type, "subcontracting")
        application = self.apply(self.fac_green, lead)
        application.with_user(self.officer).action_select()
        activity = lead.activity_ids.filtered(lambda a: "Introduce Gina Green" in a.summary)
        self.assertEqual(len(activity), 1)

    def test_second_selected_refused_by_database(self):
        self.app_blue.with_user(self.officer).action_select()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.app_green.write({"state": "selected"})
            self.app_green.flush_recordset()

    def test_select_when_already_staffed(self):
        self.app_blue.with_user(self.officer).action_select()
        late = self.apply  # the lead is no longer open: nobody can apply
        with self.assertRaisesRegex(UserError, "not open for applications"):
            late(self.new_facilitator("Late Comer", self.green))

    def test_lock_held_by_another_selection(self):
        """A selection running in another transaction holds the lead: this one
        stops with a clear message instead of waiting or double-selecting."""
        lead = self.env.ref("crm_facilitator_network.lead_toronto_maple")
        application = self.apply(self.fac_green, lead)
        self.env.flush_all()
        with self.registry.cursor() as other_cr:
            other_cr.execute(
                "SELECT id FROM crm_lead WHERE id = %s FOR NO KEY UPDATE NOWAIT", [lead.id]
            )
            with self.assertRaisesRegex(UserError, "Another coordinator is being selected"):
                application.with_user(self.officer).action_select()
            other_cr.rollback()
        self.assertEqual(application.state, "submitted")
        self.assertFalse(lead.coordinator_id)
