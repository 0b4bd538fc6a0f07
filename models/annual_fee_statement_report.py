from collections import defaultdict

from odoo import api, fields, models


class AnnualFeeStatementReport(models.AbstractModel):
    """Annual fee statement of a facilitator: every declaration of the year
    (by period start), its fees and its invoice, with totals per currency.

    The year comes from ``data['year']``, else the context key
    ``fee_statement_year``, else the current year.
    """

    _name = "report.crm_facilitator_network.report_annual_fee_statement"
    _description = "Annual Fee Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        year = int(
            (data or {}).get("year")
            or self.env.context.get("fee_statement_year")
            or fields.Date.context_today(self).year
        )
        partners = self.env["res.partner"].browse(docids)
        declarations = self.env["fee.declaration"].search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "confirmed"),
                ("period_start", ">=", f"{year}-01-01"),
                ("period_start", "<=", f"{year}-12-31"),
            ],
            order="period_start, category, id",
        )
        by_partner = declarations.grouped("partner_id")
        totals = {}
        for partner in partners:
            sums = defaultdict(lambda: defaultdict(float))
            for decl in by_partner.get(partner, declarations.browse()):
                currency_sums = sums[decl.currency_id]
                currency_sums["amount_invoiced"] += decl.amount_invoiced
                if not decl.below_threshold:
                    currency_sums["fee_amount"] += decl.fee_amount
                    if decl.billing_move_id:
                        currency_sums["invoiced"] += decl.fee_amount
            totals[partner.id] = dict(sums)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "year": year,
            "declarations": {p.id: by_partner.get(p, declarations.browse()) for p in partners},
            "totals": totals,
        }
