from odoo import fields, models, tools
from odoo.tools import SQL


class FacilitatorNetworkReport(models.Model):
    """Payouts and fees, one row per journal item, in the company's currency:

    * payouts: lines of the facilitators' bills that pay a session role
      (subcontracting), bills that are not cancelled;
    * fees: lines of the fee invoices that bill a fee declaration (client
      introduction), invoices that are not cancelled.

    Pivot and graph views group them by month (``date``) and kind."""

    _name = "facilitator.network.report"
    _description = "Facilitator Payouts and Fees"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"

    kind = fields.Selection([("payout", "Payout"), ("fee", "Fee")], readonly=True)
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Facilitator", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice / Bill", readonly=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")], string="Status", readonly=True
    )
    payout_amount = fields.Monetary(string="Payouts", readonly=True)
    fee_amount = fields.Monetary(string="Fees", readonly=True)
    amount = fields.Monetary(readonly=True, help="The payout or the fee, whichever the row is.")
    line_count = fields.Integer(string="Lines", readonly=True)

    @property
    def _table_query(self):
        return SQL("""
            SELECT aml.id AS id, 'payout' AS kind, COALESCE(am.invoice_date, am.date) AS date,
                   am.partner_id, r.lead_id, aml.company_id,
                   aml.company_currency_id AS currency_id, aml.move_id,
                   aml.id AS move_line_id, am.state AS move_state,
                   aml.balance AS payout_amount, 0.0 AS fee_amount, aml.balance AS amount,
                   1 AS line_count
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN facilitation_session_role r ON r.id = aml.payout_session_role_id
             WHERE am.state != 'cancel'
            UNION ALL
            SELECT aml.id, 'fee', COALESCE(am.invoice_date, am.date), am.partner_id,
                   d.lead_id, aml.company_id, aml.company_currency_id, aml.move_id, aml.id,
                   am.state, 0.0, -aml.balance, -aml.balance, 1
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN fee_declaration d ON d.id = aml.fee_declaration_id
             WHERE am.state != 'cancel'
        """)

    def init(self):
        # _table_query needs no view; drop any stale one of that name.
        tools.drop_view_if_exists(self.env.cr, self._table)
