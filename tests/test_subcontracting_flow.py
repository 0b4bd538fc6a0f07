import shutil
import subprocess
import tempfile

from odoo.tests import TransactionCase, tagged

from .test_subcontracting_common import SubcontractingMixin


def pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


@tagged("post_install", "-at_install")
class TestSubcontractingFlow(SubcontractingMixin, TransactionCase):
    """Lead, proposal, confirmation, publication, coordinator, sessions,
    delivery, client invoice, payouts and the settlement statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_subcontracting()

    def test_whole_flow(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Mairie de Lyon – 2 workshops",
                    "type": "opportunity",
                    "partner_id": self.client.id,
                    "partner_name": self.client.name,
                    "contact_name": "Client Contact",
                    "email_from": "mairie@example.com",
                    "country_id": self.env.ref("base.fr").id,
                    "city": "Lyon",
                    "workshop_format": "in_person",
                }
            )
        )
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertFalse(lead.public_title)
        # Proposal
        order = (
            self.env["sale.order"]
            .with_user(self.officer)
            .create(
                {
                    "partner_id": self.client.id,
                    "opportunity_id": lead.id,
                    "pricelist_id": self.pricelist.id,
                    "order_line": [
                        (0, 0, {"product_id": self.product_session.id, "product_uom_qty": 2})
                    ],
                }
            )
        )
        self.assertEqual(order.amount_untaxed, 2400.0)
        self.assertEqual(order.currency_id, self.eur)
        # Confirmation: won and published
        order.action_confirm()
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.network_state, "open")
        self.assertEqual(lead.public_title, "In person in Lyon")
        self.assertNotIn("Mairie", lead.public_title)
        self.assertTrue(lead.application_deadline)
        # Coordinator and team
        application = (
            self.env["facilitator.application"]
            .sudo()
            ._submit(lead, self.fac_fr, {"motivation": "I live in Lyon."})
        )
        application.with_user(self.officer).action_select()
        self.assertEqual(lead.coordinator_id, self.fac_fr)
        member = (
            self.env["facilitator.team.member"]
            .sudo()
            ._invite(lead, self.fac_fr, self.fac_ch, "facilitator")
        )
        member.action_accept()
        # Sessions
        s1 = self.new_session(
            lead, order, [(self.fac_fr, "coordinator"), (self.fac_fr, "facilitator")]
        )
        s2 = self.new_session(
            lead, order, [(self.fac_fr, "coordinator"), (self.fac_ch, "facilitator")]
        )
        self.assertEqual(order.order_line.qty_delivered, 0)
        # Delivery: the coordinator (portal) and staff
        s1.sudo()._portal_confirm_delivery(self.fac_fr, 12)
        s2.with_user(self.officer).write({"attendee_count": 15})
        s2.with_user(self.officer).action_confirm_delivery()
        self.assertEqual(order.order_line.qty_delivered, 2)
        self.assertTrue(lead.coordination_delivered)
        # Client invoice on delivered quantities
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.amount_untaxed, 2400.0)
        self.assertEqual(invoice.move_type, "out_invoice")
        # Payouts
        moves, errors = (
            self.env["facilitator.payout.wizard"]
            .with_user(self.officer)
            ._generate_payouts(lead.ids)
        )
        self.assertFalse(errors)
        fr_bill = moves.filtered(lambda m: m.partner_id == self.fac_fr)
        ch_bill = moves.filtered(lambda m: m.partner_id == self.fac_ch)
        self.assertEqual(fr_bill.amount_total, 700.0)  # 2 x 100 coordination + 500
        self.assertEqual(fr_bill.state, "posted")
        self.assertIn("Autofacturation", str(fr_bill.narration))
        self.assertEqual((ch_bill.amount_total, ch_bill.currency_id), (550.0, self.chf))
        # Margin, in the company's currency: 2400 - 700 - 550 CHF (687.50)
        lead.invalidate_recordset()
        self.assertAlmostEqual(lead.subcontracting_invoiced_amount, 2400.0)
        self.assertAlmostEqual(lead.subcontracting_payout_amount, 1387.5)
        self.assertAlmostEqual(lead.subcontracting_margin, 1012.5)
        margin_rows = self.env["subcontracting.margin.report"]._read_group(
            [("lead_id", "=", lead.id)], ["kind"], ["margin:sum"]
        )
        self.assertEqual(dict(margin_rows), {"client_invoice": 2400.0, "payout": -1387.5})
        # Settlement statement through wkhtmltopdf
        self.assertTrue(shutil.which("pdftotext"))
        # Without the web fonts of the assets, wkhtmltopdf embeds system fonts
        # and pdftotext can read the figures (Lato is drawn as outlines).
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "crm_facilitator_network.action_report_opportunity_settlement", lead.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        self.assertIn("Settlement Statement", text)
        self.assertIn(invoice.name, text)
        self.assertIn("Claire Coord", text)
        self.assertIn("Urs Swiss", text)
        self.assertIn("Coordinator", text)
        for figure in ("2,400.00", "200.00", "500.00", "550.00", "687.50", "1,387.50", "1,012.50"):
            self.assertIn(figure, text)
