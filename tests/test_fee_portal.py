"""Fee declarations in the facilitator portal: tours (headless Chromium)
and direct requests."""

from dateutil.relativedelta import relativedelta

from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .fee_common import FeeSetupMixin


@tagged("post_install", "-at_install")
class TestFeePortal(FeeSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls._fee_setup()

    def _ana_declarations(self):
        return self.env["fee.declaration"].search([("partner_id", "=", self.ana.id)])

    def test_tour_declare_and_see_the_fee(self):
        self.start_tour("/my/fee-declarations", "cfn_fee_declare", login=self.ana_user.login)
        declaration = self._ana_declarations()
        self.assertEqual(len(declaration), 1)
        self.assertEqual(declaration.state, "confirmed")
        self.assertEqual(declaration.lead_id, self.lead_ci)
        self.assertEqual(declaration.amount_invoiced, 12500.0)
        self.assertEqual(declaration.fee_amount, 1875.0)

    def test_tour_bad_amount_refused(self):
        self.start_tour("/my/fee-declarations/new", "cfn_fee_bad_amount", login=self.ana_user.login)
        self.assertFalse(self._ana_declarations(), "nothing is saved")

    def _post(self, **values):
        data = {
            "csrf_token": Request.csrf_token(self),
            "period_start": str(self.period_start),
            "category": "usage",
            "amount_invoiced": "1000",
            "currency_id": str(self.eur.id),
            "action": "submit",
            **values,
        }
        return self.url_open("/my/fee-declarations/new", data=data)

    def test_submit_checks_again_on_the_server(self):
        self.authenticate(self.ana_user.login, self.ana_user.login)
        future = self.Declaration._fee_period_bounds(
            self.company, self.today() + relativedelta(months=4)
        )[0]
        response = self._post(period_start=str(future))
        self.assertEqual(response.status_code, 400)
        self.assertIn("has not started yet", response.text)
        response = self._post(category="usage_contribution", lead_id=str(self.lead_sub.id))
        self.assertEqual(response.status_code, 400)
        self.assertIn("subcontracting", response.text)
        self.assertFalse(self._ana_declarations())
        response = self._post(amount_invoiced="1 000,50")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._ana_declarations().amount_invoiced, 1000.5)
        response = self._post(amount_invoiced="50")
        self.assertEqual(response.status_code, 400)
        self.assertIn("already declared", response.text)
        self.assertEqual(len(self._ana_declarations()), 1)

    def test_someone_elses_declaration_is_not_found(self):
        theirs = self.declare(self.sven, 5000, "usage", currency=self.chf)
        mine = self.declare(self.ana, 3000, "usage")
        self.authenticate(self.ana_user.login, self.ana_user.login)
        self.assertEqual(self.url_open(f"/my/fee-declarations/{theirs.id}").status_code, 404)
        response = self.url_open(f"/my/fee-declarations/{mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("300.00", response.text)
        listing = self.url_open("/my/fee-declarations")
        self.assertIn("300.00", listing.text)
        self.assertNotIn("500.00", listing.text)

    def test_fee_invoice_in_the_portal(self):
        declaration = self.declare(self.ana, 3000, "usage")
        declaration._fee_invoice()
        move = declaration.billing_move_id
        self.authenticate(self.ana_user.login, self.ana_user.login)
        response = self.url_open(f"/my/invoices/{move.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(move.name, response.text)
        self.authenticate(self.sven_user.login, self.sven_user.login)
        response = self.url_open(f"/my/invoices/{move.id}", allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
