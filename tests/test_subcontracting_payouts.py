from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_subcontracting_common import SubcontractingCase


@tagged("post_install", "-at_install")
class TestSubcontractingPayouts(SubcontractingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead, cls.order = cls.new_sold_lead()
        cls.s1 = cls.new_session(
            cls.lead,
            cls.order,
            [(cls.fac_fr, "coordinator"), (cls.fac_fr, "facilitator"), (cls.fac_ch, "facilitator")],
        )
        cls.s2 = cls.new_session(
            cls.lead,
            cls.order,
            [(cls.fac_fr, "coordinator"), (cls.fac_fr2, "facilitator")],
            date="2025-04-02",
        )
        (cls.s1 | cls.s2)._confirm_delivery(14)

    def generate(self, leads=None, **kwargs):
        return (
            self.env["facilitator.payout.wizard"]
            .with_user(self.officer)
            ._generate_payouts((leads or self.lead).ids, **kwargs)
        )

    def test_rates_from_the_grid(self):
        roles = self.s1.role_ids
        by_key = {(r.partner_id, r.role): r for r in roles}
        self.assertEqual(by_key[self.fac_fr, "coordinator"].amount, 100.0)
        self.assertEqual(by_key[self.fac_fr, "facilitator"].amount, 500.0)
        self.assertEqual(by_key[self.fac_fr, "facilitator"].currency_id, self.eur)
        self.assertEqual(by_key[self.fac_ch, "facilitator"].amount, 550.0)
        self.assertEqual(by_key[self.fac_ch, "facilitator"].currency_id, self.chf)

    def test_rate_validity_dates(self):
        self.rates.filtered(
            lambda r: r.role == "facilitator" and r.currency_id == self.eur
        ).date_to = "2025-03-31"
        self.env["facilitator.payout.rate"].create(
            {
                "role": "facilitator",
                "currency_id": self.eur.id,
                "amount": 520.0,
                "date_from": "2025-04-01",
            }
        )
        session = self.new_session(
            self.lead, self.order, [(self.fac_fr2, "facilitator")], date="2025-04-15"
        )
        self.assertEqual(session.role_ids.amount, 520.0)
        with self.assertRaises(ValidationError):
            self.env["facilitator.payout.rate"].create(
                {
                    "role": "facilitator",
                    "currency_id": self.eur.id,
                    "amount": 1.0,
                    "date_from": "2025-04-10",
                    "date_to": "2025-04-20",
                }
            )

    def test_one_bill_per_facilitator_period_currency(self):
        moves, errors = self.generate()
        self.assertFalse(errors)
        # fac_fr: March (coord + facil) and April (coord); fac_fr2: April; fac_ch: March (CHF)
        self.assertEqual(len(moves), 4)
        self.assertEqual(set(moves.mapped("move_type")), {"in_invoice"})
        fr_march = moves.filtered(lambda m: m.partner_id == self.fac_fr and "2025-03" in m.ref)
        self.assertEqual(len(fr_march.invoice_line_ids), 2)
        self.assertEqual(fr_march.amount_total, 600.0)
        self.assertEqual(fr_march.currency_id, self.eur)
        self.assertIn("Autofacturation", str(fr_march.narration))
        self.assertTrue(fr_march.facilitator_self_billing)
        self.assertEqual(fr_march.state, "posted")
        swiss = moves.filtered(lambda m: m.partner_id == self.fac_ch)
        self.assertEqual(swiss.currency_id, self.chf)
        self.assertEqual(swiss.amount_total, 550.0)
        self.assertEqual(swiss.state, "draft")
        self.assertTrue(swiss.facilitator_invoice_to_check)
        self.assertFalse(swiss.facilitator_self_billing)
        self.assertNotIn("Autofacturation", str(swiss.narration or ""))
        self.assertTrue(all(self.lead.facilitation_session_ids.role_ids.mapped("is_billed")))
        self.assertEqual(self.s1.payout_state, "billed")

    def test_idempotent(self):
        moves, _errors = self.generate()
        again, errors = self.generate()
        self.assertFalse(again)
        self.assertFalse(errors)
        self.assertEqual(
            self.env["account.move.line"].search_count(
                [("payout_session_role_id", "in", self.lead.facilitation_session_ids.role_ids.ids)]
            ),
            5,
        )
        self.assertEqual(len(moves), 4)

    def test_database_refuses_paying_twice(self):
        moves, _errors = self.generate()
        line = moves.invoice_line_ids.filtered("payout_session_role_id")[:1]
        other = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": line.partner_id.id,
                "invoice_date": "2025-05-01",
                "invoice_line_ids": [Command.create({"name": "again", "price_unit": 1.0})],
            }
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            other.invoice_line_ids.write({"payout_session_role_id": line.payout_session_role_id.id})
            self.env.flush_all()

    def test_cancel_then_regenerate(self):
        moves, _errors = self.generate()
        swiss = moves.filtered(lambda m: m.partner_id == self.fac_ch)
        roles = swiss.invoice_line_ids.payout_session_role_id
        swiss.button_cancel()
        self.assertFalse(roles.is_billed)
        self.assertEqual(self.s1.payout_state, "to_pay")
        moves2, errors = self.generate()
        self.assertFalse(errors)
        self.assertEqual(len(moves2), 1)
        self.assertEqual(moves2.invoice_line_ids.payout_session_role_id, roles)
        self.assertTrue(roles.is_billed)
        # The cancelled bill cannot come back: the roles would be paid twice.
        with self.assertRaisesRegex(UserError, "paid twice"):
            swiss.button_draft()
        # A posted self-billed bill can be cancelled too, and regenerated once.
        fr = moves.filtered(lambda m: m.partner_id == self.fac_fr)
        fr.button_draft()
        fr.button_cancel()
        moves3, _errors = self.generate()
        self.assertEqual(len(moves3), len(fr))
        self.assertFalse(self.generate()[0])

    def test_missing_bank_account(self):
        self.fac_fr2.bank_ids.unlink()
        moves, errors = self.generate()
        self.assertIn(self.fac_fr2, errors)
        self.assertIn("bank account", errors[self.fac_fr2])
        self.assertEqual(len(moves), 3)
        self.assertNotIn(self.fac_fr2, moves.partner_id)
        # Through the wizard, the sentence is listed.
        self.env["account.move"].browse(moves.ids).filtered(
            lambda m: m.state == "posted"
        ).button_draft()
        wizard = (
            self.env["facilitator.payout.wizard"]
            .with_user(self.officer)
            .create({"lead_ids": [Command.set(self.lead.ids)]})
        )
        wizard.action_generate()
        self.assertEqual(wizard.move_count, 0)
        self.assertIn("Fanny Facil", wizard.error_message)
        self.assertIn("bank account", wizard.error_message)

    def test_only_delivered_sessions(self):
        planned = self.new_session(
            self.lead, self.order, [(self.fac_fr2, "facilitator")], date="2025-05-05"
        )
        moves, _errors = self.generate()
        self.assertNotIn(planned.role_ids, moves.invoice_line_ids.payout_session_role_id)
        self.assertEqual(planned.role_ids.is_billed, False)

    def test_rounding(self):
        """Odd amounts add up to the cent, per line and per bill."""
        roles = self.s1.role_ids.filtered(lambda r: r.partner_id == self.fac_fr)
        roles.filtered(lambda r: r.role == "coordinator").amount = 33.335
        roles.filtered(lambda r: r.role == "facilitator").amount = 166.665
        swiss = self.s1.role_ids.filtered(lambda r: r.partner_id == self.fac_ch)
        swiss.amount = 0.1 + 0.2
        moves, _errors = self.generate()
        fr_march = moves.filtered(lambda m: m.partner_id == self.fac_fr and "2025-03" in m.ref)
        self.assertEqual(
            sorted(fr_march.invoice_line_ids.mapped("price_subtotal")), [33.34, 166.67]
        )
        self.assertAlmostEqual(fr_march.amount_total, 200.01, places=2)
        swiss_bill = moves.filtered(lambda m: m.partner_id == self.fac_ch)
        self.assertAlmostEqual(swiss_bill.amount_total, 0.3, places=2)
        # In the company's currency: CHF 0.30 at 0.8 = 0.375 -> 0.38
        self.assertAlmostEqual(
            swiss_bill.invoice_line_ids.balance, self.usd.round(0.3 / 0.8), places=2
        )

    def test_swiss_invoice_upload_and_validation(self):
        moves, _errors = self.generate()
        swiss = moves.filtered(lambda m: m.partner_id == self.fac_ch)
        with self.assertRaisesRegex(UserError, "not uploaded"):
            swiss.action_validate_facilitator_invoice()
        swiss.sudo()._attach_facilitator_invoice("invoice.pdf", b"%PDF-1.4 test", "UR-17", 500.0)
        with self.assertRaisesRegex(UserError, "550"):
            swiss.action_validate_facilitator_invoice()
        swiss.sudo()._attach_facilitator_invoice("invoice.pdf", b"%PDF-1.4 test", "UR-18", 550.0)
        swiss.action_validate_facilitator_invoice()
        self.assertEqual(swiss.state, "posted")
        self.assertEqual(swiss.ref, "UR-18")
        self.assertFalse(swiss.facilitator_invoice_to_check)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "account.move"), ("res_id", "=", swiss.id)]
            ),
            2,
        )

    def test_payout_bills_in_portal_invoices(self):
        moves, _errors = self.generate()
        user = self.fac_fr.user_ids[:1]
        from odoo.addons.account.controllers.portal import PortalAccount

        domain = PortalAccount()._get_invoices_domain()
        visible = self.env["account.move"].with_user(user).search(domain)
        mine = moves.filtered(lambda m: m.partner_id == self.fac_fr)
        self.assertEqual(visible & moves, mine)
        self.assertTrue(mine)

    def test_team_members_only(self):
        stranger = self.new_facilitator(
            "Stranger Danger", self.env.ref("base.fr"), currency=self.eur
        )
        with self.assertRaises(ValidationError):
            self.new_session(self.lead, self.order, [(stranger, "facilitator")])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.new_session(
                self.lead,
                self.order,
                [(self.fac_fr2, "facilitator"), (self.fac_fr2, "facilitator")],
            )

    def test_billed_role_locked(self):
        self.generate()
        with self.assertRaises(UserError):
            self.s1.role_ids[:1].amount = 1.0
        with self.assertRaises(UserError):
            self.s1.action_cancel()


@tagged("post_install", "-at_install")
class TestSubcontractingPayoutQueries(SubcontractingCase):
    """Payout generation grows with the bills, not with the sessions."""

    def _lead_with_sessions(self, count):
        lead, order = self.new_sold_lead(name=f"Lead of {count}", qty=count)
        sessions = self.env["facilitation.session"]
        for _i in range(count):
            sessions |= self.new_session(
                lead, order, [(self.fac_fr, "coordinator"), (self.fac_fr2, "facilitator")]
            )
        sessions._confirm_delivery(10)
        self.env.flush_all()
        self.env.invalidate_all()
        return lead

    def _generate_counted(self, lead, expected):
        roles = self.env["facilitation.session.role"].search([("lead_id", "=", lead.id)])
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            moves, errors = roles._generate_billing_moves()
        self.assertFalse(errors)
        self.assertEqual(len(moves), 2)
        return moves

    # The same count for 4 and 20 session roles billed in 2 bills: roles are
    # read, labelled and priced once per run, and journal items share their
    # analytic distribution search (see account_move_line.py).
    def test_query_count_small(self):
        self._generate_counted(self._lead_with_sessions(2), 113)

    def test_query_count_large(self):
        moves = self._generate_counted(self._lead_with_sessions(10), 113)
        self.assertEqual(len(moves.invoice_line_ids), 20)
