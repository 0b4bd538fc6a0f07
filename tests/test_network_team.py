from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_network_common import NetworkCase


@tagged("post_install", "-at_install")
class TestNetworkTeam(NetworkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        application = (
            cls.env["facilitator.application"]
            .sudo()
            ._submit(cls.lead, cls.fac_blue, {"motivation": "Blue coordinates"})
        )
        application.with_user(cls.officer).action_select()
        cls.Member = cls.env["facilitator.team.member"].sudo()
        cls.fac_other = cls.new_facilitator("Olivier Other", cls.green)

    def test_invite_accept_decline(self):
        member = self.Member._invite(self.lead, self.fac_blue, self.fac_green, "facilitator")
        self.assertEqual((member.state, member.invited_by_id), ("invited", self.fac_blue))
        self.assertTrue(
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "facilitator.team.member"),
                    ("res_id", "=", member.id),
                    ("subject", "=", f"Join the team of {self.lead.public_title}"),
                ]
            )
        )
        member.action_accept()
        self.assertEqual(member.state, "accepted")
        self.assertTrue(member.accepted_date)
        with self.assertRaisesRegex(UserError, "already answered"):
            member.action_decline()
        with self.assertRaisesRegex(UserError, "already in the team"):
            self.Member._invite(self.lead, self.fac_blue, self.fac_green, "facilitator")

        declined = self.Member._invite(self.lead, self.fac_blue, self.fac_other, "trainer")
        declined.action_decline()
        self.assertEqual(declined.state, "declined")
        # A declined facilitator may be invited again
        again = self.Member._invite(self.lead, self.fac_blue, self.fac_other, "trainer")
        self.assertEqual((again, again.state), (declined, "invited"))

    def test_only_the_coordinator_invites(self):
        with self.assertRaisesRegex(UserError, "Only the coordinator"):
            self.Member._invite(self.lead, self.fac_green, self.fac_other, "facilitator")

    def test_level_checked(self):
        with self.assertRaisesRegex(UserError, "Yann Yellow cannot join the team: .*Green level"):
            self.Member._invite(self.lead, self.fac_blue, self.fac_yellow, "facilitator")
        # Subcontracting in education: yellow may facilitate, not train
        lead = self.new_lead("School", self.env.ref("base.fr"), audience="education")
        self.apply(self.fac_blue, lead).with_user(self.officer).action_select()
        member = self.Member._invite(lead, self.fac_blue, self.fac_yellow, "facilitator")
        self.assertEqual(member.state, "invited")
        with self.assertRaisesRegex(UserError, "cannot join the team"):
            self.Member._invite(lead, self.fac_blue, self.fac_yellow, "trainer")

    def test_search_invitable(self):
        self.Member._invite(self.lead, self.fac_blue, self.fac_green, "facilitator")
        found = self.Member._search_invitable_facilitators(self.lead, limit=500)
        self.assertIn(self.fac_other, found)
        self.assertNotIn(self.fac_green, found)
        self.assertNotIn(self.fac_blue, found)
        found = self.Member._search_invitable_facilitators(
            self.lead, level_id=self.blue.id, limit=500
        )
        self.assertNotIn(self.fac_other, found)
        found = self.Member._search_invitable_facilitators(
            self.lead, lang_id=self.lang_de.id, limit=500
        )
        self.assertNotIn(self.fac_other, found)

    def test_client_visible_to(self):
        lead = self.lead
        self.assertTrue(lead._network_client_visible_to(self.fac_blue))
        self.assertFalse(lead._network_client_visible_to(self.fac_other))
        member = self.Member._invite(lead, self.fac_blue, self.fac_green, "facilitator")
        lead.share_client_with_team = True
        self.assertFalse(lead._network_client_visible_to(self.fac_green), "invited, not accepted")
        member.action_accept()
        self.assertTrue(lead._network_client_visible_to(self.fac_green))
        lead.share_client_with_team = False
        self.assertFalse(lead._network_client_visible_to(self.fac_green))
        self.assertFalse(lead._network_client_visible_to(self.env["res.partner"]))


@tagged("post_install", "-at_install")
class TestNetworkSecurity(NetworkCase):
    def test_portal_sees_own_applications(self):
        mine = self.apply(self.fac_green)
        other = self.apply(self.fac_blue)
        user = self.fac_green.user_ids
        found = self.env["facilitator.application"].with_user(user).search([])
        self.assertEqual(found, mine)
        self.assertNotIn(other, found)
        self.assertEqual(
            found.display_name,
            f"Gina Green – {self.lead.public_title}",
            "a facilitator sees the public title, never the client's name",
        )
        with self.assertRaises(AccessError):
            other.with_user(user).read(["motivation"])
        with self.assertRaises(AccessError):
            mine.with_user(user).write({"state": "selected"})

    def test_portal_sees_own_team_memberships(self):
        self.apply(self.fac_blue).with_user(self.officer).action_select()
        other_fac = self.new_facilitator("Otto Other", self.green)
        Member = self.env["facilitator.team.member"].sudo()
        green_member = Member._invite(self.lead, self.fac_blue, self.fac_green, "facilitator")
        other_member = Member._invite(self.lead, self.fac_blue, other_fac, "facilitator")
        # The coordinator sees the whole team
        coordinator_view = (
            self.env["facilitator.team.member"].with_user(self.fac_blue.user_ids).search([])
        )
        self.assertEqual(set(coordinator_view.ids), set(self.lead.facilitator_team_member_ids.ids))
        # A member sees only their own membership
        member_view = (
            self.env["facilitator.team.member"].with_user(self.fac_green.user_ids).search([])
        )
        self.assertEqual(member_view, green_member)
        self.assertNotIn(other_member, member_view)

    def test_portal_profile_write(self):
        partner = self.fac_yellow
        with self.assertRaisesRegex(ValidationError, "You cannot change"):
            partner._facilitator_portal_write({"facilitator_level_id": self.blue.id})
        with self.assertRaisesRegex(ValidationError, "You cannot change"):
            partner._facilitator_portal_write({"facilitator_active": False})
        with self.assertRaisesRegex(ValidationError, "You cannot change"):
            partner._facilitator_portal_write({"is_facilitator": False, "vat": "X"})
        with self.assertRaises(AccessError):
            partner.with_user(partner.user_ids).write({"facilitator_level_id": self.blue.id})
        salesman = self.env["res.users"].create(
            {
                "name": "Sam Salesman",
                "login": "sam.salesman.network",
                "group_ids": [(6, 0, [self.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        with self.assertRaises(AccessError):
            partner.with_user(salesman).write({"facilitator_level_id": self.blue.id})
        partner.with_user(self.officer).write({"facilitator_level_id": self.orange.id})
        partner.with_user(self.officer).write({"facilitator_level_id": self.yellow.id})
        self.assertEqual(partner.facilitator_level_id, self.yellow)
        self.assertTrue(partner.facilitator_active)
        self.assertFalse(partner.vat)
        with self.assertRaises(ValidationError):
            partner._facilitator_portal_write({"facilitator_lang_ids": [999999999]})
        with self.assertRaises(ValidationError):
            partner._facilitator_portal_write({"facilitator_commercial": "yes"})
        partner._facilitator_portal_write(
            {
                "facilitator_commercial": False,
                "facilitator_legal_name": "  Yann SAS ",
                "company_registry": "999",
                "vat": "FR123",
                "facilitator_lang_ids": [self.lang_fr.id],
                "facilitator_country_ids": [self.env.ref("base.fr").id],
                "facilitator_state_ids": [],
            }
        )
        self.assertFalse(partner.facilitator_commercial)
        self.assertEqual(partner.facilitator_legal_name, "Yann SAS")
        self.assertEqual(partner.facilitator_lang_ids, self.lang_fr)
