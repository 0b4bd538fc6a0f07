from odoo import _, models


class ResPartner(models.Model):
    """A facilitator who leaves the network (contact archived, or marked
    inactive by the OP team) leaves nothing hanging: applications still
    waiting are withdrawn, pending invitations declined, and each opportunity
    concerned says so in its chatter."""

    _inherit = "res.partner"

    def write(self, vals):
        leaving = self.browse()
        if ("active" in vals and not vals["active"]) or (
            "facilitator_active" in vals and not vals["facilitator_active"]
        ):
            leaving = self.filtered(
                lambda p: p.is_facilitator and p.active and p.facilitator_active
            )
        result = super().write(vals)
        if leaving:
            leaving._facilitator_release_engagements()
        return result

    def _facilitator_release_engagements(self):
        """Withdraw the waiting applications and decline the pending
        invitations of these facilitators; tell the opportunities concerned,
        including those where they are in an accepted team role."""
        Application = self.env["facilitator.application"].sudo()
        Member = self.env["facilitator.team.member"].sudo()
        for partner in self.sudo():
            applications = Application.search(
                [("partner_id", "=", partner.id), ("state", "=", "submitted")]
            )
            invitations = Member.search(
                [("partner_id", "=", partner.id), ("state", "=", "invited")]
            )
            accepted = Member.search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "=", "accepted"),
                    ("lead_id.network_state", "in", ("staffed", "open")),
                ]
            )
            applications.write({"state": "withdrawn"})
            invitations.write({"state": "declined"})
            for application in applications:
                application.lead_id.message_post(
                    body=_(
                        "%(partner)s left the facilitator network: their application is withdrawn.",
                        partner=partner.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            for member in invitations:
                member.lead_id.message_post(
                    body=_(
                        "%(partner)s left the facilitator network: their invitation to the team "
                        "is declined.",
                        partner=partner.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            for member in accepted:
                member.lead_id.message_post(
                    body=_(
                        "%(partner)s left the facilitator network while in the team "
                        "(%(role)s): find someone to take over.",
                        partner=partner.name,
                        role=dict(member._fields["role"]._description_selection(self.env)).get(
                            member.role, member.role
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        leaving = self.browse()
        if "active" in vals and not vals["active"]:
            leaving = self.filtered(
                lambda u: (
                    u.active and u.partner_id.is_facilitator and u.partner_id.facilitator_active
                )
            )
        result = super().write(vals)
        if leaving:
            leaving.partner_id._facilitator_release_engagements()
        return result
