from odoo import api, fields, models

from ..models.crm_routing_rule import ROUTING_TYPES


class CrmLeadRoutingOverride(models.TransientModel):
    _name = "crm.lead.routing.override"
    _description = "Override the Group of Requests"

    lead_ids = fields.Many2many("crm.lead", required=True)
    routing_type = fields.Selection(ROUTING_TYPES, string="Group", required=True)
    reason = fields.Char(required=True, help="Why the routing rules do not apply here.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "lead_ids" in fields_list and self.env.context.get("active_model") == "crm.lead":
            values["lead_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_apply(self):
        self.ensure_one()
        self.lead_ids.write(
            {
                "routing_override_type": self.routing_type,
                "routing_override_reason": self.reason.strip(),
            }
        )
        return {"type": "ir.actions.act_window_close"}
