from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        """Confirming the proposal of a subcontracted opportunity wins it and
        publishes it to the network (whoever confirms: staff, or the client
        signing online)."""
        result = super()._action_confirm()
        leads = self.opportunity_id.filtered(lambda lead: lead.routing_type == "subcontracting")
        if leads:
            leads.sudo()._subcontracting_on_order_confirmed()
        return result
