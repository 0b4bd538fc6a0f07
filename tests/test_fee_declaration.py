"""Client-introduction fees: computation, checks, thresholds, invoicing,
corrections, access, reminders."""

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .fee_common import FeeSetupMixin


@tagged("post_install", "-at_install")
class TestFeeComputation(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def test_rates_per_category(self):
        usage = self.declare(self.ana, 12000, "usage")
        both = self.declare(self.ana, 12000, "usage_contribution", self.lead_ci)
        contribution = self.declare(
            self.ana, 8000, "contribution", period_start=self.period_start - relativedelta(months=3)
        )
        self.assertEqual(
            (usage.usage_fee_amount, usage.contribution_amount, usage.fee_amount),
            (1200.0, 0.0, 1200.0),
        )
        self.assertEqual(
            (both.usage_fee_amount, both.contribution_amount, both.fee_amount),
            (1200.0, 600.0, 1800.0),
        )
        self.assertEqual(
            (contribution.usage_fee_amount, contribution.contribution_amount), (0.0, 400.0)
        )

    def test_company_rates_are_used_and_kept(self):
        self.company.write({"fee_usage_rate": 8.0, "fee_contribution_rate": 3.5})
        declaration = self.declare(self.ana, 1000, "usage_contribution", self.lead_ci)
        self.assertEqual((declaration.usage_fee_rate, declaration.contribution_rate), (8.0, 3.5))
        self.assertEqual(declaration.fee_amount, 115.0)
        # a later change of the company rates does not change a submitted declaration
        self.company.fee_usage_rate = 12.0
        self.assertEqual(declaration.fee_amount, 115.0)

    def test_rounding_with_the_currency(self):
        eur = self.declare(self.ana, 1234.55, "usage_contribution", self.lead_ci)
        # 123.455 -> 123.46 ; 61.7275 -> 61.73
        self.assertEqual(eur.usage_fee_amount, 123.46)
        self.assertEqual(eur.contribution_amount, 61.73)
        self.assertEqual(eur.fee_amount, 185.19)
        chf = self.declare(self.sven, 2345.67, "usage", currency=self.chf)
        self.assertEqual(chf.fee_amount, 234.57)  # 234.567
        # a currency rounded to 0.05 (like Swiss cash)
        nickel = self.env["res.currency"].create(
            {"name": "XFN", "symbol": "XFN", "rounding": 0.05, "active": True}
        )
        rounded = self.declare(
            self.sven,
            2345.67,
            "usage",
            currency=nickel,
            period_start=self.period_start - relativedelta(months=3),
        )
        self.assertEqual(rounded.fee_amount, 234.55)

    def test_periods(self):
        company = self.company
        bounds = self.Declaration._fee_period_bounds
        label = self.Declaration._fee_period_label
        day = self.period_start.replace(year=2025, month=5, day=17)
        self.assertEqual(
            bounds(company, day), (day.replace(month=4, day=1), day.replace(month=6, day=30))
        )
        self.assertEqual(label(company, day.replace(month=4, day=1)), "2025 Q2")
        company.fee_period = "monthly"
        self.assertEqual(bounds(company, day), (day.replace(day=1), day.replace(day=31)))
        self.assertEqual(label(company, day.replace(day=1)), "2025-05")
        company.fee_period = "yearly"
        self.assertEqual(
            bounds(company, day), (day.replace(month=1, day=1), day.replace(month=12, day=31))
        )
        self.assertEqual(label(company, day.replace(month=1, day=1)), "2025")


@tagged("post_install", "-at_install")
class TestFeeChecks(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def assertRefused(self, values, text, partner=None):
        Declaration = self.Declaration.sudo()
        count = Declaration.search_count([])
        with self.assertRaises(ValidationError) as caught:
            Declaration._fee_portal_submit(partner or self.ana, values)
        self.assertIn(text, str(caught.exception))
        with self.assertRaises(ValidationError):
            Declaration._fee_preview(partner or self.ana, values)
        self.assertEqual(Declaration.search_count([]), count, "nothing is saved")

    def test_preview_computes_without_saving(self):
        count = self.Declaration.search_count([])
        preview = self.Declaration._fee_preview(
            self.ana, self.values(12000, "usage_contribution", self.lead_ci)
        )
        self.assertEqual(preview["fee_amount"], 1800.0)
        self.assertEqual(self.Declaration.search_count([]), count)

    def test_bad_amounts(self):
        self.assertRefused(self.values(-1), "cannot be negative")
        self.assertRefused(self.values(None), "as a number")
        self.assertRefused(self.values(10_000_000.01), "over 10,000,000")

    def test_future_period(self):
        future = self.Declaration._fee_period_bounds(
            self.company, self.today() + relativedelta(months=4)
        )[0]
        self.assertRefused(self.values(100, period_start=future), "has not started yet")

    def test_subcontracting_owes_no_fee(self):
        self.assertRefused(self.values(5000, "usage_contribution", self.lead_sub), "subcontracting")
        with self.assertRaises(ValidationError):
            self.declare(self.ana, 5000, "contribution", self.lead_sub)

    def test_someone_elses_opportunity(self):
        self.assertRefused(
            self.values(5000, "usage_contribution", self.lead_ci_sven), "coordinated"
        )

    def test_usage_and_contribution_needs_an_opportunity(self):
        self.assertRefused(self.values(5000, "usage_contribution"), "opportunity")

    def test_duplicate_refused_with_a_message(self):
        self.Declaration.sudo()._fee_portal_submit(
            self.ana, self.values(5000, "usage_contribution", self.lead_ci)
        )
        self.assertRefused(self.values(10, "usage_contribution", self.lead_ci), "already declared")
        # the same opportunity in another category of the same period, too
        self.assertRefused(self.values(10, "contribution", self.lead_ci), "already declared")

    @mute_logger("odoo.sql_db")
    def test_duplicate_refused_by_the_database(self):
        self.declare(self.ana, 5000, "usage_contribution", self.lead_ci)
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.declare(self.ana, 10, "usage_contribution", self.lead_ci, confirm=False)
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.declare(self.ana, 10, "contribution", self.lead_ci, confirm=False)
        self.declare(self.ana, 100, "usage")
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.declare(self.ana, 10, "usage", confirm=False)

    @mute_logger("odoo.sql_db")
    def test_amount_range_guarded_by_the_database(self):
        declaration = self.declare(self.ana, 100, "usage")
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE fee_declaration SET amount_invoiced = -1 WHERE id = %s", [declaration.id]
            )

    def test_cancelled_declaration_can_be_made_again(self):
        first = self.declare(self.ana, 100, "usage")
        first.action_cancel()
        second = self.declare(self.ana, 150, "usage")
        self.assertEqual(second.state, "confirmed")


@tagged("post_install", "-at_install")
class TestFeeThreshold(FeeSetupMixin, TransactionCase):
    """A facilitator whose country has a threshold owes nothing for a period
    while their total for the period stays below it; from the threshold on,
    every declaration of the period is due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def test_below_then_above_the_threshold(self):
        first = self.declare(self.sven, 2000, "usage", currency=self.chf)
        self.assertTrue(first.below_threshold)
        self.assertEqual(first.fee_amount, 200.0, "the fee is shown, not due")
        moves, __ = first._fee_invoice()
        self.assertFalse(moves)
        second = self.declare(
            self.sven, 300, "usage_contribution", self.lead_ci_sven, currency=self.chf
        )
        self.assertFalse((first | second).filtered("below_threshold"), "2,300 CHF reached")
        moves, __ = (first | second)._fee_invoice()
        self.assertEqual(len(moves.invoice_line_ids), 2)

    def test_threshold_in_another_currency(self):
        # 2,500 EUR = 2,250 CHF (1 EUR = 0.9 CHF): still below 2,300 CHF
        below = self.declare(self.sven, 2500, "usage", currency=self.eur)
        self.assertTrue(below.below_threshold)
        below.action_cancel()
        self.assertFalse(below.below_threshold)
        # 2,600 EUR = 2,340 CHF: due
        above = self.declare(self.sven, 2600, "usage", currency=self.eur)
        self.assertFalse(above.below_threshold)

    def test_no_threshold_in_france(self):
        small = self.declare(self.ana, 10, "usage")
        self.assertFalse(small.below_threshold)
        self.assertEqual(small.fee_amount, 1.0)

    def test_correction_reevaluates_the_threshold(self):
        declaration = self.declare(self.sven, 5000, "usage", currency=self.chf)
        self.assertFalse(declaration.below_threshold)
        declaration.amount_invoiced = 1000
        self.assertTrue(declaration.below_threshold)


@tagged("post_install", "-at_install")
class TestFeeInvoicing(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def test_one_invoice_per_facilitator_and_period(self):
        usage = self.declare(self.ana, 3000, "usage")
        both = self.declare(self.ana, 12000, "usage_contribution", self.lead_ci)
        contribution = self.declare(
            self.ana,
            1000,
            "contribution",
            lead=self._fee_lead("Fee CI Oslo", self.env.ref("base.no"), self.ana, "Fee Oslo"),
        )
        older = self.declare(
            self.ana, 500, "usage", period_start=self.period_start - relativedelta(months=3)
        )
        other = self.declare(self.sven, 4000, "usage", currency=self.chf)
        declarations = usage | both | contribution | older | other
        moves, errors = declarations._fee_invoice()
        self.assertFalse(errors)
        self.assertEqual(len(moves), 3, "ana: two periods; sven: one")
        move = both.billing_move_id
        self.assertEqual(move, usage.billing_move_id)
        self.assertEqual(move, contribution.billing_move_id)
        self.assertEqual(move.move_type, "out_invoice")
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.partner_id, self.ana)
        self.assertEqual(move.currency_id, self.eur)
        self.assertEqual(move.ref, self.period_name)
        self.assertEqual(
            sorted(move.invoice_line_ids.mapped("price_subtotal")), [50.0, 300.0, 1800.0]
        )
        self.assertEqual(
            move.invoice_line_ids.product_id,
            self.env.ref("crm_facilitator_network.product_fee_usage")
            | self.env.ref("crm_facilitator_network.product_fee_usage_contribution")
            | self.env.ref("crm_facilitator_network.product_fee_contribution"),
            "one line per category",
        )
        self.assertEqual(other.billing_move_id.currency_id, self.chf)
        self.assertEqual(other.billing_move_id.amount_untaxed, 400.0)
        self.assertTrue(all(declarations.mapped("is_billed")))

    def test_running_twice_creates_nothing(self):
        declarations = self.declare(self.ana, 3000, "usage") | self.declare(
            self.ana, 12000, "usage_contribution", self.lead_ci
        )
        moves, __ = declarations._fee_invoice()
        self.assertEqual(len(moves), 1)
        again, errors = declarations._fee_invoice()
        self.assertFalse(again)
        self.assertFalse(errors)
        self.Declaration._cron_invoice_fees()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("line_ids.fee_declaration_id", "in", declarations.ids)]
            ),
            1,
        )

    def test_cron_invoices_ended_periods_only(self):
        ended = self.declare(self.ana, 3000, "usage")
        current = self.declare(
            self.ana,
            2000,
            "usage",
            period_start=self.Declaration._fee_period_bounds(self.company, self.today())[0],
        )
        draft = self.declare(self.ana, 100, "contribution", confirm=False)
        self.Declaration._cron_invoice_fees()
        self.assertTrue(ended.is_billed)
        self.assertFalse(current.is_billed, "a running period may still get declarations")
        self.assertFalse(draft.is_billed)

    def test_cancelling_the_invoice_releases_the_declarations(self):
        declaration = self.declare(self.ana, 3000, "usage")
        moves, __ = declaration._fee_invoice()
        moves.button_draft()
        moves.button_cancel()
        self.assertFalse(declaration.is_billed)
        moves2, __ = declaration._fee_invoice()
        self.assertEqual(len(moves2), 1)
        self.assertNotEqual(moves2, moves)

    def test_payment_term_and_taxes_through_fiscal_positions(self):
        term = self.env.ref("account.account_payment_term_30days")
        self.company.fee_payment_term_id = term
        product = self.env.ref("crm_facilitator_network.product_fee_usage")
        sale_tax = self.env["account.tax"].create(
            {
                "name": "Fee VAT 20%",
                "amount": 20.0,
                "type_tax_use": "sale",
                "company_id": self.company.id,
            }
        )
        exempt = self.env["account.tax"].create(
            {
                "name": "Fee VAT 0% abroad",
                "amount": 0.0,
                "type_tax_use": "sale",
                "company_id": self.company.id,
            }
        )
        product.taxes_id = sale_tax
        self.env["account.fiscal.position"].create(
            {
                "name": "Fee: Switzerland",
                "auto_apply": True,
                "country_id": self.switzerland.id,
                "company_id": self.company.id,
                "sequence": 1,
            }
        )
        exempt.fiscal_position_ids = self.env["account.fiscal.position"].search(
            [("name", "=", "Fee: Switzerland")]
        )
        exempt.original_tax_ids = sale_tax
        self.ana.country_id = self.company.country_id or self.france
        french = self.declare(self.ana, 1000, "usage")
        swiss = self.declare(self.sven, 3000, "usage", currency=self.chf)
        (french | swiss)._fee_invoice()
        french_move, swiss_move = french.billing_move_id, swiss.billing_move_id
        self.assertEqual(french_move.invoice_payment_term_id, term)
        self.assertEqual(french_move.invoice_line_ids.tax_ids, sale_tax)
        self.assertEqual(french_move.amount_total, 120.0)
        self.assertEqual(swiss_move.invoice_line_ids.tax_ids, exempt)
        self.assertEqual(swiss_move.amount_total, 300.0)

    def test_wizard(self):
        declaration = self.declare(self.ana, 3000, "usage")
        wizard = self.env["fee.invoicing.wizard"].create({"declaration_ids": declaration.ids})
        action = wizard.action_invoice()
        self.assertEqual(action["domain"], [("id", "in", declaration.billing_move_id.ids)])
        with self.assertRaisesRegex(UserError, "nothing to invoice"):
            self.env["fee.invoicing.wizard"].create(
                {"declaration_ids": declaration.ids}
            ).action_invoice()

    def test_query_count_grows_with_invoices_not_declarations(self):
        """Invoicing 2 facilitators with 1 declaration each, then with 3 each:
        the same number of queries. 4 facilitators: more."""
        counts = {}
        # (1, 1) first, to warm the caches
        for facilitators, per_facilitator in ((1, 1), (2, 1), (2, 3), (4, 1), (4, 3)):
            declarations = self.Declaration
            for index in range(facilitators):
                partner = self.env["res.partner"].create(
                    {
                        "name": f"QC {facilitators}-{per_facilitator}-{index}",
                        "is_facilitator": True,
                        "country_id": self.france.id,
                    }
                )
                for number in range(per_facilitator):
                    declarations |= self._qc_declaration(partner, number)
            self.env.invalidate_all()
            declarations = declarations.browse(declarations.ids)
            start = self.env.cr.sql_log_count
            moves, __ = declarations._fee_invoice()
            counts[facilitators, per_facilitator] = self.env.cr.sql_log_count - start
            self.assertEqual(len(moves), facilitators)
            self.assertEqual(len(moves.invoice_line_ids), facilitators * per_facilitator)
        per_invoice = (counts[4, 1] - counts[2, 1]) / 2
        per_declaration = (counts[4, 3] - counts[4, 1]) / 8
        self.assertGreater(per_invoice, 10, f"queries grow with the invoices: {counts}")
        self.assertLess(
            per_declaration,
            per_invoice / 5,
            f"an extra declaration costs far less than an extra invoice: {counts}",
        )
        self.assertLess(
            counts[2, 3],
            counts[4, 1],
            f"6 declarations in 2 invoices cost less than 4 in 4 invoices: {counts}",
        )

    def _qc_declaration(self, partner, number):
        category = ("usage", "contribution", "usage_contribution")[number]
        lead = False
        if category != "usage":
            lead = self._fee_lead(
                f"QC lead {partner.id}-{number}", self.iceland, partner, f"QC {number}"
            )
        return self.declare(partner, 1000 + number, category, lead or None)


@tagged("post_install", "-at_install")
class TestFeeCorrections(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls._fee_setup()
        cls.officer = cls.env["res.users"].create(
            {
                "name": "Fee Officer",
                "login": "cfn.fee.officer",
                "email": "fee.officer@example.com",
                "group_ids": [(6, 0, [cls.env.ref("crm_facilitator_network.group_op_officer").id])],
            }
        )

    def test_staff_correction_is_tracked(self):
        declaration = self.declare(self.ana, 3000, "usage")
        self.cr.flush()  # as if submitted in an earlier request: its changes are now tracked
        declaration.with_user(self.officer).amount_invoiced = 3500
        self.cr.flush()  # tracking values are written when the cursor flushes
        self.assertEqual(declaration.fee_amount, 350.0)
        tracked = declaration.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "amount_invoiced"
        )
        self.assertTrue(tracked, "the correction is in the chatter")
        self.assertEqual(tracked[0].create_uid, self.officer)

    def test_invoiced_declaration_is_locked(self):
        declaration = self.declare(self.ana, 3000, "usage")
        declaration._fee_invoice()
        with self.assertRaisesRegex(UserError, "cancel the invoice"):
            declaration.amount_invoiced = 10
        with self.assertRaisesRegex(UserError, "cancel the invoice"):
            declaration.action_cancel()

    def test_facilitator_cannot_write(self):
        declaration = self.declare(self.ana, 3000, "usage")
        with self.assertRaises(AccessError):
            declaration.with_user(self.ana_user).amount_invoiced = 1
        with self.assertRaises(AccessError):
            self.Declaration.with_user(self.ana_user).create(
                {
                    "partner_id": self.ana.id,
                    "amount_invoiced": 1,
                    "category": "usage",
                    "period_start": self.period_start,
                }
            )


@tagged("post_install", "-at_install")
class TestFeeAccess(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def test_facilitator_sees_only_own_declarations_and_invoices(self):
        mine = self.declare(self.ana, 3000, "usage")
        theirs = self.declare(self.sven, 5000, "usage", currency=self.chf)
        (mine | theirs)._fee_invoice()
        Declaration = self.Declaration.with_user(self.ana_user)
        self.assertEqual(Declaration.search([]), mine)
        with self.assertRaises(AccessError):
            Declaration.browse(theirs.id).read(["amount_invoiced"])
        Move = self.env["account.move"].with_user(self.ana_user)
        self.assertEqual(Move.search([("move_type", "=", "out_invoice")]), mine.billing_move_id)
        with self.assertRaises(AccessError):
            Move.browse(theirs.billing_move_id.id).read(["amount_total"])


@tagged("post_install", "-at_install")
class TestFeeReminders(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()
        cls.env.ref("base.lang_fr").active = True
        cls.template = cls.env.ref("crm_facilitator_network.mail_template_fee_declaration_reminder")
        # What i18n/fr.po gives the template once loaded
        cls.template.with_context(
            lang="fr_FR"
        ).subject = "Votre déclaration de redevances pour {{ ctx.get('fee_period_name') or '' }}"

    def _reminders(self, partner):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", partner.ids),
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
            ]
        )

    def test_reminder_sent_once_in_each_language(self):
        self.sven.lang = "fr_FR"
        self.Declaration._cron_send_fee_reminders()
        english, french = self._reminders(self.ana), self._reminders(self.sven)
        self.assertEqual(len(english), 1)
        self.assertEqual(english.subject, f"Your fee declaration for {self.period_name}")
        self.assertIn("Fee Tour Reykjavik", english.body_html)
        self.assertIn("/my/fee-declarations", english.body_html)
        self.assertNotIn("Fee Tour Paris", english.body_html, "subcontracting owes no fee")
        self.assertEqual(french.subject, f"Votre déclaration de redevances pour {self.period_name}")
        self.assertEqual(self.ana.fee_reminder_period_start, self.period_start)
        # a second run does not remind again
        self.Declaration._cron_send_fee_reminders()
        self.assertEqual(len(self._reminders(self.ana)), 1)

    def test_no_reminder_once_declared(self):
        self.declare(self.ana, 3000, "usage_contribution", self.lead_ci)
        self.Declaration._cron_send_fee_reminders()
        self.assertFalse(self._reminders(self.ana))
        self.assertTrue(self._reminders(self.sven))

    def test_staff_list_of_overdue_declarations(self):
        overdue = self.env["res.partner"].search([("fee_is_overdue", "=", True)])
        self.assertIn(self.ana, overdue)
        self.assertIn(self.sven, overdue)
        self.assertEqual(self.ana.fee_overdue_periods, self.period_name)
        self.assertIn("Fee Tour Reykjavik", self.ana.fee_overdue_lead_titles)
        self.declare(self.ana, 3000, "usage_contribution", self.lead_ci)
        self.env.invalidate_all()
        overdue = self.env["res.partner"].search([("fee_is_overdue", "=", True)])
        self.assertNotIn(self.ana, overdue)
        self.assertIn(self.sven, overdue)
