from odoo import http
from odoo.tests import HttpCase, tagged

from .test_subcontracting_common import SubcontractingMixin


@tagged("post_install", "-at_install")
class TestSubcontractingPortal(SubcontractingMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_subcontracting()
        cls.lead, cls.order = cls.new_sold_lead(name="Tour Delivery Lyon")
        cls.lead.public_title = "Tour Delivery Lyon"
        cls.delivery_session = cls.new_session(
            cls.lead, cls.order, [(cls.fac_fr, "coordinator"), (cls.fac_fr2, "facilitator")]
        )
        cls.coordinator_user = cls.fac_fr.user_ids[:1]
        cls.coordinator_user.password = "coordinator-pass-1"

    def test_tour_coordinator_confirms_delivery(self):
        self.start_tour("/my/deliveries", "cfn_portal_delivery", login=self.coordinator_user.login)
        self.assertEqual(self.delivery_session.state, "delivered")
        self.assertEqual(self.delivery_session.attendee_count, 17)
        self.assertEqual(self.delivery_session.delivered_by_id, self.fac_fr)
        self.assertTrue(self.lead.coordination_team_formed)
        self.assertTrue(self.lead.coordination_delivered)
        self.assertEqual(self.order.order_line.qty_delivered, 1)

    def test_only_the_coordinator(self):
        user = self.fac_fr2.user_ids[:1]
        user.password = "facilitator-pass-2"
        self.authenticate(user.login, "facilitator-pass-2")
        response = self.url_open(
            f"/my/deliveries/session/{self.delivery_session.id}/confirm",
            data={"attendee_count": "3", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.delivery_session.state, "planned")
        page = self.url_open("/my/deliveries")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_cfn_confirm_delivery", page.text)

    def test_swiss_facilitator_uploads_invoice(self):
        self.delivery_session._confirm_delivery(10)
        lead2_session = self.new_session(self.lead, self.order, [(self.fac_ch, "facilitator")])
        lead2_session._confirm_delivery(12)
        moves, _errors = self.env["facilitator.payout.wizard"]._generate_payouts(self.lead.ids)
        bill = moves.filtered(lambda m: m.partner_id == self.fac_ch)
        self.assertEqual(bill.state, "draft")
        user = self.fac_ch.user_ids[:1]
        user.password = "swiss-pass-123"
        self.authenticate(user.login, "swiss-pass-123")
        page = self.url_open("/my/deliveries")
        self.assertIn("Send your invoice", page.text)
        response = self.url_open(
            f"/my/deliveries/bill/{bill.id}/upload",
            data={
                "invoice_number": "CH-2025-7",
                "invoice_amount": "550.00",
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"invoice_file": ("ch-2025-7.pdf", b"%PDF-1.4 swiss", "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(bill.facilitator_invoice_number, "CH-2025-7")
        self.assertTrue(bill.facilitator_invoice_uploaded)
        bill.action_validate_facilitator_invoice()
        self.assertEqual(bill.state, "posted")
        # Now in the standard portal invoices page
        page = self.url_open("/my/invoices")
        self.assertIn(bill.name, page.text)
