from odoo import fields, models, tools
from odoo.tools import SQL

from .facilitator_team_member import TEAM_ROLES


class SubcontractingMarginReport(models.Model):
    """Every euro of a subcontracted opportunity, one row per journal item:
    client invoice lines (posted, from its sale orders) and payout lines (bills
    that are not cancelled). Margin = client invoiced - payouts, in the
    company's currency, so that list and pivot views can add them up."""

    _name = "subcontracting.margin.report"
    _description = "Subcontracting Margin per Opportunity"
    _auto = False
    _order = "lead_id desc, date, id"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice / Bill", readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    kind = fields.Selection(
        [("client_invoice", "Client Invoice"), ("payout", "Payout")], readonly=True
    )
    role = fields.Selection(TEAM_ROLES, readonly=True)
    move_state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")], string="Status", readonly=True
    )
    date = fields.Date(readonly=True)
    invoiced_amount = fields.Monetary(string="Client Invoiced", readonly=True)
    payout_amount = fields.Monetary(string="Payouts", readonly=True)
    margin = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        return SQL("""
            SELECT aml.id AS id, aml.id AS move_line_id, so.opportunity_id AS lead_id,
                   aml.company_id, aml.company_currency_id AS currency_id, aml.move_id,
                   am.partner_id, 'client_invoice' AS kind, NULL AS role,
                   am.state AS move_state, COALESCE(am.invoice_date, am.date) AS date,
                   -aml.balance AS invoiced_amount, 0.0 AS payout_amount,
                   -aml.balance AS margin
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN LATERAL (
                   SELECT MIN(so.opportunity_id) AS opportunity_id
                     FROM sale_order_line_invoice_rel rel
                     JOIN sale_order_line sol ON sol.id = rel.order_line_id
                     JOIN sale_order so ON so.id = sol.order_id
                    WHERE rel.invoice_line_id = aml.id
              ) so ON so.opportunity_id IS NOT NULL
             WHERE am.state = 'posted'
               AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product'
            UNION ALL
            SELECT aml.id, aml.id, r.lead_id, aml.company_id, aml.company_currency_id,
                   aml.move_id, am.partner_id, 'payout', r.role, am.state,
                   COALESCE(am.invoice_date, am.date), 0.0, aml.balance, -aml.balance
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN facilitation_session_role r ON r.id = aml.payout_session_role_id
             WHERE am.state != 'cancel'
        """)

    def init(self):
        # A view on the table_query is not needed (_table_query), but make sure
        # no stale table of that name exists.
        tools.drop_view_if_exists(self.env.cr, self._table)
