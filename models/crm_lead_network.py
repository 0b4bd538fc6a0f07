from odoo import _, api, fields, models
from odoo.exceptions import UserError

NETWORK_STATES = [
    ("draft", "Not published"),
    ("open", "Open for applications"),
    ("staffed", "Coordinator selected"),
    ("closed", "Closed"),
]
AUDIENCES = [
    ("company", "Company"),
    ("association", "Association"),
    ("public_sector", "Public sector"),
    ("education", "Education"),
]
LEVEL_XMLID = "crm_facilitator_network.facilitator_level_%s"
# (routing type, is education) -> minimum level per role (coordinate, facilitate, train)
DEFAULT_MIN_LEVELS = {
    ("client_introduction", False): ("green", "green", "green"),
    ("client_introduction", True): ("orange", "orange", "orange"),
    ("subcontracting", False): ("green", "green", "green"),
    ("subcontracting", True): ("orange", "yellow", "green"),
}
CLIENT_FIELDS = ["partner_name", "contact_name", "email_from", "phone", "partner_id"]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    network_state = fields.Selection(
        NETWORK_STATES,
        string="Network Status",
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    network_published_date = fields.Datetime(string="Published On", readonly=True, copy=False)
    application_deadline = fields.Date(copy=False)
    public_title = fields.Char(help="Shown to the facilitators. Never name the client here.")
    public_description = fields.Text(
        help="Shown to the facilitators before a coordinator is selected: no client details.",
    )
    audience = fields.Selection(AUDIENCES, tracking=True)
    min_level_coordinate_id = fields.Many2one(
        "facilitator.level",
        string="Minimum Level to Coordinate",
        compute="_compute_min_levels",
        store=True,
        readonly=False,
    )
    min_level_facilitate_id = fields.Many2one(
        "facilitator.level",
        string="Minimum Level to Facilitate",
        compute="_compute_min_levels",
        store=True,
        readonly=False,
    )
    min_level_train_id = fields.Many2one(
        "facilitator.level",
        string="Minimum Level to Train",
        compute="_compute_min_levels",
        store=True,
        readonly=False,
    )
    coordinator_id = fields.Many2one(
        "res.partner",
        tracking=True,
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    share_client_with_team = fields.Boolean(
        string="Share Client Details with the Team",
        copy=False,
        tracking=True,
        help="Set by the coordinator: the accepted team members see the client's contact details.",
    )
    facilitator_application_ids = fields.One2many(
        "facilitator.application", "lead_id", string="Applications", copy=False
    )
    facilitator_team_member_ids = fields.One2many(
        "facilitator.team.member", "lead_id", string="Team", copy=False
    )
    application_count = fields.Integer(compute="_compute_application_count")

    @api.depends("audience", "routing_type")
    def _compute_min_levels(self):
        levels = {
            color: self.env.ref(LEVEL_XMLID % color, raise_if_not_found=False)
            for color in ("yellow", "orange", "green")
        }
        for lead in self:
            key = (lead.routing_type or "client_introduction", lead.audience == "education")
            coordinate, facilitate, train = DEFAULT_MIN_LEVELS[key]
            lead.min_level_coordinate_id = levels[coordinate]
            lead.min_level_facilitate_id = levels[facilitate]
            lead.min_level_train_id = levels[train]

    def _compute_application_count(self):
        counts = dict(
            self.env["facilitator.application"]
            .sudo()
            ._read_group(
                [("lead_id", "in", self.ids), ("state", "!=", "withdrawn")],
                groupby=["lead_id"],
                aggregates=["__count"],
            )
        )
        for lead in self:
            lead.application_count = counts.get(lead._origin, 0)

    # ------------------------------------------------------------------
    # Publication
    # ------------------------------------------------------------------

    def action_publish_to_network(self):
        today = fields.Date.context_today(self)
        for lead in self:
            if lead.network_state not in ("draft", "closed"):
                raise UserError(
                    _("“%(lead)s” is already published to the network.", lead=lead.name)
                )
            missing = []
            if not lead.routing_type:
                missing.append(_("its group (subcontracting or client introduction)"))
            if not lead.public_title:
                missing.append(_("a public title"))
            if not lead.application_deadline:
                missing.append(_("an application deadline"))
            if missing:
                raise UserError(
                    _(
                        "To publish “%(lead)s” to the network, set %(missing)s.",
                        lead=lead.name,
                        missing=", ".join(missing),
                    )
                )
            if lead.application_deadline < today:
                raise UserError(
                    _(
                        "The application deadline of “%(lead)s” has passed: set a later one.",
                        lead=lead.name,
                    )
                )
        self.write({"network_state": "open", "network_published_date": fields.Datetime.now()})
        for lead in self:
            lead.message_post(
                body=_(
                    "Published to the facilitator network: applications open until %(deadline)s.",
                    deadline=fields.Date.to_string(lead.application_deadline),
                )
            )
        return True

    def action_unpublish_from_network(self):
        for lead in self:
            if lead.network_state != "open":
                raise UserError(
                    _(
                        "Only an opportunity open for applications can be unpublished; "
                        "“%(lead)s” is not.",
                        lead=lead.name,
                    )
                )
        self.write({"network_state": "draft"})
        for lead in self:
            lead.message_post(body=_("Unpublished from the facilitator network."))
        return True

    def action_close_network(self):
        self.write({"network_state": "closed"})
        return True

    def action_view_facilitator_applications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_facilitator_network.facilitator_application_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Visibility (portal)
    # ------------------------------------------------------------------

    @api.model
    def _network_public_fields(self):
        """Fields safe to show to any facilitator before selection."""
        return [
            "public_title",
            "public_description",
            "workshop_format",
            "wished_date_from",
            "wished_date_to",
            "city",
            "country_id",
            "lang_id",
            "participant_count",
            "audience",
            "routing_type",
            "application_deadline",
            "min_level_coordinate_id",
            "min_level_facilitate_id",
            "min_level_train_id",
            "network_state",
            "network_published_date",
        ]

    @api.model
    def _network_client_fields(self):
        return list(CLIENT_FIELDS)

    def _network_client_visible_to(self, partner):
        """Whether ``partner`` may see the client's contact details."""
        self.ensure_one()
        lead = self.sudo()
        if not partner:
            return False
        if lead.coordinator_id and lead.coordinator_id == partner:
            return True
        if lead.share_client_with_team:
            return any(
                member.partner_id == partner and member.state == "accepted"
                for member in lead.facilitator_team_member_ids
            )
        return False

    @api.model
    def _network_domain_pending(self):
        today = fields.Date.context_today(self)
        return [
            ("network_state", "=", "open"),
            "|",
            ("application_deadline", "=", False),
            ("application_deadline", ">=", today),
        ]

    # ------------------------------------------------------------------
    # After the selection
    # ------------------------------------------------------------------

    def _network_after_selection(self):
        """Client introduction: the coordinator now sees the client and reaches
        out. Subcontracting: the OP team introduces the coordinator to the client."""
        for lead in self:
            coordinator = lead.coordinator_id
            if lead.routing_type == "subcontracting":
                lead.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_(
                        "Introduce %(coordinator)s to the client", coordinator=coordinator.name
                    ),
                    note=_(
                        "%(coordinator)s was selected to coordinate this subcontracted "
                        "opportunity. Introduce them to the client.",
                        coordinator=coordinator.name,
                    ),
                    user_id=(lead.user_id or self.env.user).id,
                )
                lead.message_post(
                    body=_(
                        "%(coordinator)s was selected as coordinator. "
                        "The OP team introduces them to the client.",
                        coordinator=coordinator.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            else:
                lead.message_post(
                    body=_(
                        "%(coordinator)s was selected as coordinator: they now see the "
                        "client's contact details and reach out to the client.",
                        coordinator=coordinator.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
