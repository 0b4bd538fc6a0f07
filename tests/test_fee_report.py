"""The annual fee statement, rendered to PDF by wkhtmltopdf."""

import shutil
import subprocess
import tempfile

from odoo.tests import TransactionCase, tagged

from .fee_common import FeeSetupMixin


@tagged("post_install", "-at_install")
class TestFeeAnnualStatement(FeeSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fee_setup()

    def test_pdf(self):
        self.assertTrue(shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed")
        declaration = self.declare(self.ana, 12000, "usage_contribution", self.lead_ci)
        self.declare(self.sven, 9999, "usage", currency=self.chf)
        declaration._fee_invoice()
        year = self.period_start.year
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "crm_facilitator_network.action_report_annual_fee_statement",
                self.ana.ids,
                data={"year": year},
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", handle.name, "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        text = " ".join(text.split())
        self.assertIn(f"Annual fee statement {year}", text)
        self.assertIn("Ana Fee", text)
        self.assertIn(self.period_name, text)
        self.assertIn("Fee Tour Reykjavik", text)
        self.assertIn("12,000.00", text)
        self.assertIn("1,800.00", text)
        self.assertIn(declaration.billing_move_id.name, text)
        self.assertNotIn("9,999.00", text, "only the facilitator's own declarations")
