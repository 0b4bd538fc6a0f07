"""Issue 6: lifecycle integrity.

* A facilitator who leaves (contact archived, user archived, or marked
  inactive by the OP team): waiting applications are withdrawn, pending
  invitations declined, and the opportunities say so in their chatter.
* An opportunity lost after publication: unpublished (or closed once
  staffed), waiting applicants told (public title only), pending invitations
  declined.

Uninstalling and reinstalling the addon on a database with data is checked by
``tools/uninstall_reinstall.sh`` (a fresh database of its own).
"""

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .security_common import CLIENT_SECRETS, SecurityFixtures

# what stops a cancelled bill from being revived next to its replacement
REVIVE_ERRORS = (IntegrityError, UserError, ValidationError)


@tagged("post_install", "-at_install", "security")
class TestSecurityLifecycle(SecurityFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_security_fixtures()
        # chatter notes are what these tests look at
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))

    def notes(self, record):
        self.env.invalidate_all()
        return " ".join(record.message_ids.mapped(lambda m: str(m.body)))

    def assertReleased(self, partner):
        """B's application on lead_open is withdrawn, B's invitation on
        lead_staffed declined, both leads say so; A's records untouched."""
        self.env.invalidate_all()
        self.assertEqual(self.app_b.state, "withdrawn")
        self.assertEqual(self.member_b_invited.state, "declined")
        self.assertEqual(self.app_a.state, "submitted", "only the leaving facilitator's")
        self.assertIn("left the facilitator network", self.notes(self.lead_open))
        self.assertIn(partner.name, self.notes(self.lead_open))
        self.assertIn("invitation to the team is declined", self.notes(self.lead_staffed))

    def test_facilitator_contact_archived(self):
        """A facilitator without a portal user yet (Odoo archives a user's
        contact only with the user: see the next test)."""
        contact = self.env["res.partner"].create(
            {
                "name": "Cleo Contact",
                "email": "cleo@example.com",
                "is_facilitator": True,
                "facilitator_level_id": self.green.id,
                "facilitator_commercial": True,
                "facilitator_legal_name": "Cleo EI",
                "company_registry": "12345678900011",
            }
        )
        application = (
            self.env["facilitator.application"]
            .sudo()
            ._submit(self.lead_open, contact, {"motivation": "Cleo"})
        )
        contact.action_archive()
        self.assertEqual(application.state, "withdrawn")
        self.assertIn("Cleo Contact left the facilitator network", self.notes(self.lead_open))
        self.assertEqual(self.app_a.state, "submitted")

    def test_facilitator_user_archived(self):
        self.users["fac_b"].action_archive()
        self.assertReleased(self.partner_b)

    def test_facilitator_marked_inactive(self):
        self.partner_b.with_user(self.users["officer"]).write({"facilitator_active": False})
        self.assertReleased(self.partner_b)
        # and B can no longer apply
        blocker = self.partner_b._facilitator_apply_blocker(self.lead_a_only)
        self.assertTrue(blocker)

    def test_coordinator_archived_keeps_the_team_and_warns(self):
        """A coordinator who leaves keeps their accepted role (history, payouts)
        but the opportunity asks the OP team to find someone."""
        self.users["fac_a"].action_archive()
        self.env.invalidate_all()
        self.assertEqual(self.member_a_coordinator.state, "accepted")
        self.assertEqual(self.app_a.state, "withdrawn")
        self.assertIn("find someone to take over", self.notes(self.lead_staffed))
        self.assertIn("find someone to take over", self.notes(self.lead_a_only))

    def test_archiving_a_non_facilitator_changes_nothing(self):
        before = self.env["facilitator.application"].search([]).mapped("state")
        self.users["portal"].action_archive()
        self.env.invalidate_all()
        self.assertEqual(self.env["facilitator.application"].search([]).mapped("state"), before)

    def test_open_opportunity_lost(self):
        self.lead_open.with_user(self.users["officer"]).action_set_lost()
        self.env.invalidate_all()
        self.assertFalse(self.lead_open.active)
        self.assertEqual(self.lead_open.network_state, "draft", "unpublished")
        self.assertEqual((self.app_a | self.app_b).mapped("state"), ["not_selected"] * 2)
        pending = self.env["crm.lead"].sudo().search(self.env["crm.lead"]._network_domain_pending())
        self.assertNotIn(self.lead_open, pending)
        for application in self.app_a | self.app_b:
            message = application.message_ids.filtered(
                lambda m, partner=application.partner_id: partner in m.partner_ids
            )
            self.assertTrue(message, f"{application.partner_id.name} is notified")
            body = str(message[0].body)
            self.assertIn(self.lead_open.public_title, body)
            for secret in CLIENT_SECRETS["lead_open"]:
                self.assertNotIn(secret, body, "the notice never names the client")
        self.assertIn("2 applicant(s) notified", self.notes(self.lead_open))

    def test_staffed_opportunity_lost(self):
        self.lead_staffed.with_user(self.users["officer"]).action_set_lost()
        self.env.invalidate_all()
        self.assertEqual(self.lead_staffed.network_state, "closed")
        self.assertEqual(self.member_b_invited.state, "declined")
        self.assertEqual(self.member_a_coordinator.state, "accepted", "history is kept")
        for member in self.member_a_coordinator | self.member_b_invited:
            self.assertTrue(
                member.message_ids.filtered(lambda m, p=member.partner_id: p in m.partner_ids),
                f"{member.partner_id.name} is notified",
            )

    def test_unpublished_opportunity_lost(self):
        """Never published: nothing to tell anyone."""
        self.lead_draft.action_set_lost()
        self.assertEqual(self.lead_draft.network_state, "draft")
        self.assertNotIn("Lost:", self.notes(self.lead_draft))


@tagged("post_install", "-at_install", "security")
class TestSecurityLifecycleBilling(SecurityFixtures, TransactionCase):
    """A cancelled bill or invoice makes what it billed payable again, and
    nothing is ever billed twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_security_fixtures()

    def assertRevivalRefused(self, moves):
        """Setting the cancelled move back to draft would bill twice: refused."""
        try:
            with self.env.cr.savepoint():
                moves.button_draft()
                self.env.flush_all()
        except REVIVE_ERRORS:
            self.env.invalidate_all()
            return
        self.fail("a cancelled bill came back next to its replacement")

    def live_lines(self, fname, record):
        self.env.invalidate_all()
        return self.env["account.move.line"].search(
            [(fname, "=", record.id), ("parent_state", "!=", "cancel")]
        )

    @mute_logger("odoo.sql_db")
    def test_cancelled_payout_bill(self):
        self.partner_a.write({"country_id": self.env.ref("base.fr").id})
        self.env["res.partner.bank"].create(
            {"partner_id": self.partner_a.id, "acc_number": "FR7630006000011234567890189"}
        )
        role = self.session_role_a
        if not role.amount:
            role.amount = 100.0
        self.session_a._confirm_delivery(10)
        Wizard = self.env["facilitator.payout.wizard"].with_user(self.users["accountant"])
        moves, errors = Wizard._generate_payouts(self.lead_sub.ids)
        self.assertEqual(len(moves), 1, errors)
        self.assertEqual(self.session_a.payout_state, "billed")
        # a second run pays nothing more
        again, _errors = Wizard._generate_payouts(self.lead_sub.ids)
        self.assertFalse(again)
        # the bill is cancelled: the session is payable again
        if moves.state == "posted":
            moves.button_draft()
        moves.button_cancel()
        self.env.invalidate_all()
        self.assertFalse(role.is_billed)
        self.assertEqual(self.session_a.payout_state, "to_pay")
        new_moves, _errors = Wizard._generate_payouts(self.lead_sub.ids)
        self.assertEqual(len(new_moves), 1)
        self.assertNotEqual(new_moves, moves)
        self.assertEqual(len(self.live_lines("payout_session_role_id", role)), 1, "paid once")
        # reviving the cancelled bill would pay it twice: the database refuses
        self.assertRevivalRefused(moves)
        self.assertEqual(len(self.live_lines("payout_session_role_id", role)), 1)

    @mute_logger("odoo.sql_db")
    def test_cancelled_fee_invoice(self):
        declaration = self.decl_a
        moves, errors = declaration._fee_invoice()
        self.assertEqual(len(moves), 1, errors)
        self.assertTrue(declaration.is_billed)
        self.assertFalse(declaration._fee_invoice()[0], "a second run invoices nothing")
        moves.button_draft()
        moves.button_cancel()
        self.env.invalidate_all()
        self.assertFalse(declaration.is_billed, "invoiceable again")
        new_moves, _errors = declaration._fee_invoice()
        self.assertEqual(len(new_moves), 1)
        self.assertEqual(len(self.live_lines("fee_declaration_id", declaration)), 1)
        self.assertRevivalRefused(moves)
        self.assertEqual(len(self.live_lines("fee_declaration_id", declaration)), 1)
