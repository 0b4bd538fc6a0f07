from odoo import _, api, fields, models
from odoo.exceptions import UserError

TEAM_ROLES = [
    ("coordinator", "Coordinator"),
    ("facilitator", "Facilitator"),
    ("trainer", "Trainer"),
    ("mentor", "Mentor"),
]


class FacilitatorTeamMember(models.Model):
    """A facilitator in the team of an opportunity: the coordinator (selected
    by the OP team) and the facilitators, trainers and mentors the coordinator
    invites."""

    _name = "facilitator.team.member"
    _description = "Opportunity Team Member"
    _inherit = ["mail.thread"]
    _order = "lead_id desc, role, id"

    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Facilitator", required=True, index=True, ondelete="restrict"
    )
    role = fields.Selection(TEAM_ROLES, required=True, default="facilitator", tracking=True)
    state = fields.Selection(
        [("invited", "Invited"), ("accepted", "Accepted"), ("declined", "Declined")],
        required=True,
        default="invited",
        tracking=True,
        index=True,
    )
    invited_by_id = fields.Many2one("res.partner", ondelete="set null")
    accepted_date = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    routing_type = fields.Selection(string="Group", related="lead_id.routing_type", store=True)
    partner_level_id = fields.Many2one(related="partner_id.facilitator_level_id", string="Level")

    _lead_partner_role_unique = models.Constraint(
        "UNIQUE(lead_id, partner_id, role)",
        "This facilitator already has this role in the team of this opportunity.",
    )

    @api.depends("partner_id", "lead_id", "role")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        public = self.env.user.share  # facilitators only ever see the public title
        for member in self:
            lead = member.lead_id.sudo()
            member.display_name = _(
                "%(partner)s (%(role)s) – %(lead)s",
                partner=member.partner_id.sudo().name,
                role=roles.get(member.role, ""),
                lead=(lead.public_title if public else lead.name) or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("state") == "accepted" and not vals.get("accepted_date"):
                vals["accepted_date"] = now
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Past coordinations (ranking, profile)
    # ------------------------------------------------------------------

    @api.model
    def _coordination_stats(self, partners):
        """{(partner_id, lead_id): last accepted date} of the accepted
        coordinations of ``partners``, in one query."""
        if not partners:
            return {}
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("role", "=", "coordinator"),
                ("state", "=", "accepted"),
            ],
            groupby=["partner_id", "lead_id"],
            aggregates=["accepted_date:max"],
        )
        return {
            (partner.id, lead.id): fields.Date.to_date(last) if last else False
            for partner, lead, last in groups
        }

    # ------------------------------------------------------------------
    # Invitations
    # ------------------------------------------------------------------

    @api.model
    def _invite(self, lead, coordinator, partner, role):
        """Invite ``partner`` to ``lead``'s team as ``role``, on behalf of its
        coordinator. Returns the invitation."""
        lead = lead.sudo()
        partner = partner.sudo()
        if role not in dict(TEAM_ROLES) or role == "coordinator":
            raise UserError(
                _("Choose the role of the invited facilitator: facilitator, trainer or mentor.")
            )
        if not lead.coordinator_id or lead.coordinator_id != coordinator:
            raise UserError(
                _("Only the coordinator of this opportunity can invite facilitators to its team.")
            )
        if lead.network_state != "staffed":
            raise UserError(
                _(
                    "Facilitators can be invited once a coordinator is selected, "
                    "and until the opportunity is closed."
                )
            )
        if partner == coordinator:
            raise UserError(_("You are already the coordinator of this opportunity."))
        blocker = partner._facilitator_level_blocker(lead, role)
        if blocker:
            raise UserError(
                _(
                    "%(partner)s cannot join the team: %(reason)s",
                    partner=partner.name,
                    reason=blocker,
                )
            )
        existing = self.sudo().search(
            [("lead_id", "=", lead.id), ("partner_id", "=", partner.id), ("role", "=", role)],
            limit=1,
        )
        if existing:
            if existing.state != "declined":
                raise UserError(
                    _("%(partner)s is already in the team with this role.", partner=partner.name)
                )
            existing.write({"state": "invited", "invited_by_id": coordinator.id})
            member = existing
        else:
            member = self.sudo().create(
                {
                    "lead_id": lead.id,
                    "partner_id": partner.id,
                    "role": role,
                    "state": "invited",
                    "invited_by_id": coordinator.id,
                }
            )
        member._send_template("crm_facilitator_network.mail_template_team_invitation")
        lead.message_post(
            body=_(
                "%(coordinator)s invited %(partner)s to the team.",
                coordinator=coordinator.name,
                partner=partner.name,
            )
        )
        return member

    def _send_template(self, xmlid):
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        for record in self.sudo():
            record.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _check_invited(self):
        for member in self:
            if member.state != "invited":
                raise UserError(_("This invitation was already answered."))

    def action_accept(self):
        self._check_invited()
        for member in self:
            blocker = member.partner_id._facilitator_level_blocker(member.lead_id, member.role)
            if blocker:
                raise UserError(blocker)
        self.write({"state": "accepted", "accepted_date": fields.Datetime.now()})
        for member in self.sudo():
            member.lead_id.message_post(
                body=_("%(partner)s joined the team.", partner=member.partner_id.name)
            )
        return True

    def action_decline(self):
        self._check_invited()
        self.write({"state": "declined"})
        for member in self.sudo():
            member.lead_id.message_post(
                body=_("%(partner)s declined to join the team.", partner=member.partner_id.name)
            )
        return True

    @api.model
    def _search_invitable_facilitators(
        self, lead, level_id=None, lang_id=None, country_id=None, state_id=None, limit=20
    ):
        """Active facilitators not already in ``lead``'s team (declined ones
        may be invited again), filtered by level (at least), language and region."""
        lead = lead.sudo()
        in_team = lead.facilitator_team_member_ids.filtered(
            lambda m: m.state != "declined"
        ).partner_id
        domain = [
            ("is_facilitator", "=", True),
            ("facilitator_active", "=", True),
            ("id", "not in", in_team.ids),
        ]
        if lead.coordinator_id:
            domain.append(("id", "!=", lead.coordinator_id.id))
        if level_id:
            level = self.env["facilitator.level"].sudo().browse(int(level_id)).exists()
            if level:
                domain.append(("facilitator_level_id.rank", ">=", level.rank))
        if lang_id:
            domain.append(("facilitator_lang_ids", "in", [int(lang_id)]))
        if country_id:
            domain.append(("facilitator_country_ids", "in", [int(country_id)]))
        if state_id:
            domain.append(("facilitator_state_ids", "in", [int(state_id)]))
        return self.env["res.partner"].sudo().search(domain, limit=limit, order="name, id")
