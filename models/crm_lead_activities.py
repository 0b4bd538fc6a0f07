from odoo import api, models

from .crm_lead import ROUTING_FIELDS

SEND_PROPOSAL = "crm_facilitator_network.mail_activity_type_send_proposal"
SELECT_COORDINATOR = "crm_facilitator_network.mail_activity_type_select_coordinator"


class CrmLead(models.Model):
    """Activities scheduled and closed automatically:

    * *Send proposal*: a request routed to subcontracting, with no sale order
      yet (on creation, or when its qualification routes it there); done when
      a quotation of the opportunity is sent or confirmed;
    * *Select coordinator*: an opportunity published to the network, due on
      its application deadline; done when a coordinator is selected, removed
      when it is unpublished or closed.
    """

    _inherit = "crm.lead"

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # New requests have no activity yet: one batch create, whatever their number.
        leads.filtered(
            lambda lead: lead.active and lead.routing_type == "subcontracting"
        )._network_schedule_activity(SEND_PROPOSAL, check_existing=False)
        leads.filtered(lambda lead: lead.network_state == "open")._network_schedule_activity(
            SELECT_COORDINATOR, check_existing=False
        )
        return leads

    def write(self, vals):
        rerouting = not ROUTING_FIELDS.isdisjoint(vals)
        was_subcontracting = self.browse()
        if rerouting:
            was_subcontracting = self.filtered(lambda lead: lead.routing_type == "subcontracting")
        result = super().write(vals)
        if rerouting:
            subcontracting = self.filtered(lambda lead: lead.routing_type == "subcontracting")
            (subcontracting - was_subcontracting).filtered(
                lambda lead: lead.active and not lead.order_ids
            )._network_schedule_activity(SEND_PROPOSAL)
            left = was_subcontracting - subcontracting
            if left:
                left.activity_unlink([SEND_PROPOSAL])
        state = vals.get("network_state")
        if state == "open":
            self._network_schedule_activity(SELECT_COORDINATOR)
        elif state == "staffed":
            self.activity_feedback([SELECT_COORDINATOR])
        elif state in ("draft", "closed"):
            self.activity_unlink([SELECT_COORDINATOR])
        return result

    def _network_schedule_activity(self, xmlid, check_existing=True):
        """Schedule the activity ``xmlid`` on the leads of ``self`` that have
        none open yet, with one ``mail.activity`` create for the batch.
        Assigned to the salesperson, else the sales team's leader."""
        if not self or self.env.context.get("mail_activity_automation_skip"):
            return self.env["mail.activity"]
        activity_type = self.env.ref(xmlid, raise_if_not_found=False)
        if not activity_type or not activity_type.active:
            return self.env["mail.activity"]
        leads = self
        if check_existing:
            scheduled = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("activity_type_id", "=", activity_type.id),
                    ]
                )
            )
            leads = self.filtered(lambda lead: lead.id not in scheduled.mapped("res_id"))
        if not leads:
            return self.env["mail.activity"]
        model_id = self.env["ir.model"]._get_id(self._name)
        is_select = xmlid == SELECT_COORDINATOR
        default_deadline = activity_type._get_date_deadline()
        vals_list = []
        for lead in leads:
            user = lead.user_id or lead.team_id.user_id or activity_type.default_user_id
            deadline = (is_select and lead.application_deadline) or default_deadline
            vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "note": activity_type.default_note,
                    "automated": True,
                    "date_deadline": deadline,
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "user_id": user.id if user and not user.share else False,
                }
            )
        return self.env["mail.activity"].create(vals_list)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in ("sent", "sale"):
            leads = self.opportunity_id.filtered(lambda lead: lead.routing_type == "subcontracting")
            if leads:
                # whoever sends or confirms: staff, or the client signing online
                leads.sudo().activity_feedback([SEND_PROPOSAL])
        return result
