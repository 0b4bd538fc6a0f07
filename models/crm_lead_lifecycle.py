from odoo import _, models


class CrmLead(models.Model):
    """What happens on the network side when an opportunity is lost
    (crm's ``action_set_lost`` archives it) or archived."""

    _inherit = "crm.lead"

    def write(self, vals):
        closing = self.browse()
        if "active" in vals and not vals["active"]:
            closing = self.filtered(
                lambda lead: lead.active and lead.network_state in ("open", "staffed")
            )
        result = super().write(vals)
        if closing:
            closing._network_close_lost()
        return result

    def _network_close_lost(self):
        """An opportunity published to the network is lost or archived:

        * open for applications: it is unpublished (back to *Not published*);
          every application still waiting is closed as not selected, and its
          applicant is notified;
        * staffed: it is closed; pending invitations are declined, and the
          coordinator and the team are notified.

        The facilitators are only ever told the public title, never the client.
        """
        for lead in self.sudo():
            title = lead.public_title or _("an opportunity")
            waiting = lead.facilitator_application_ids.filtered(lambda a: a.state == "submitted")
            team = lead.facilitator_team_member_ids.filtered(lambda m: m.state != "declined")
            was_open = lead.network_state == "open"
            lead.write({"network_state": "draft" if was_open else "closed"})
            waiting.write({"state": "not_selected"})
            team.filtered(lambda m: m.state == "invited").write({"state": "declined"})
            for application in waiting:
                application.message_post(
                    body=_(
                        "“%(title)s” will not take place: the opportunity was withdrawn, "
                        "so your application is closed. Thank you for applying.",
                        title=title,
                    ),
                    partner_ids=application.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
            for member in team:
                member.message_post(
                    body=_(
                        "“%(title)s” will not take place: the opportunity was withdrawn, "
                        "and its team is released.",
                        title=title,
                    ),
                    partner_ids=member.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )
            if was_open:
                note = _(
                    "Lost: unpublished from the facilitator network; %(count)s applicant(s) "
                    "notified.",
                    count=len(waiting),
                )
            else:
                note = _(
                    "Lost: closed on the facilitator network; the coordinator and %(count)s "
                    "team member(s) notified.",
                    count=len(team),
                )
            lead.message_post(body=note, subtype_xmlid="mail.mt_note")
