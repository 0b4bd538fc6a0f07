from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .crm_lead_intake import CONTROL_CHARACTERS

# Role of a team member -> minimum-level field of the lead.
ROLE_LEVEL_FIELDS = {
    "coordinate": "min_level_coordinate_id",
    "coordinator": "min_level_coordinate_id",
    "mentor": "min_level_coordinate_id",
    "facilitate": "min_level_facilitate_id",
    "facilitator": "min_level_facilitate_id",
    "train": "min_level_train_id",
    "trainer": "min_level_train_id",
}

# What a facilitator may change on their own profile (portal).
PORTAL_PROFILE_FIELDS = {
    "facilitator_commercial": "bool",
    "facilitator_legal_name": "char",
    "company_registry": "char",
    "vat": "char",
    "facilitator_lang_ids": ("ids", "res.lang"),
    "facilitator_country_ids": ("ids", "res.country"),
    "facilitator_state_ids": ("ids", "res.country.state"),
}
PORTAL_CHAR_MAX = 128
# Only OP staff may set these.
STAFF_ONLY_FIELDS = {"is_facilitator", "facilitator_active", "facilitator_level_id"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_facilitator = fields.Boolean(
        string="Facilitator",
        tracking=True,
        help="A member of the facilitator network. Only OP staff set it.",
    )
    facilitator_active = fields.Boolean(
        string="Active Facilitator",
        default=True,
        tracking=True,
        help="An inactive facilitator cannot apply to opportunities nor be invited to a team.",
    )
    facilitator_level_id = fields.Many2one(
        "facilitator.level",
        string="Level",
        tracking=True,
        index="btree_not_null",
        help="Set by OP staff only; the facilitator cannot change it.",
    )
    facilitator_commercial = fields.Boolean(
        string="I facilitate in a commercial context",
        tracking=True,
    )
    facilitator_legal_name = fields.Char(
        string="Legal Entity",
        tracking=True,
        help="Name of the legal entity the facilitator invoices through.",
    )
    facilitator_lang_ids = fields.Many2many(
        "res.lang",
        "res_partner_facilitator_lang_rel",
        "partner_id",
        "lang_id",
        string="Facilitation Languages",
        context={"active_test": False},
    )
    facilitator_country_ids = fields.Many2many(
        "res.country",
        "res_partner_facilitator_country_rel",
        "partner_id",
        "country_id",
        string="Countries Served",
    )
    facilitator_state_ids = fields.Many2many(
        "res.country.state",
        "res_partner_facilitator_state_rel",
        "partner_id",
        "state_id",
        string="Regions Served",
    )
    facilitator_coordination_count = fields.Integer(
        string="Past Coordinations",
        compute="_compute_facilitator_coordinations",
        help="Opportunities this facilitator coordinated (accepted coordinator in a team).",
    )
    facilitator_last_coordination_date = fields.Date(
        string="Last Coordination",
        compute="_compute_facilitator_coordinations",
    )
    facilitator_application_ids = fields.One2many(
        "facilitator.application",
        "partner_id",
        string="Applications",
    )

    def _compute_facilitator_coordinations(self):
        stats = self.env["facilitator.team.member"]._coordination_stats(self)
        for partner in self:
            dates = [
                date for (partner_id, _lead_id), date in stats.items() if partner_id == partner.id
            ]
            partner.facilitator_coordination_count = len(dates)
            partner.facilitator_last_coordination_date = max(filter(None, dates), default=False)

    @api.model_create_multi
    def create(self, vals_list):
        if any(STAFF_ONLY_FIELDS & vals.keys() for vals in vals_list):
            self._check_facilitator_staff()
        return super().create(vals_list)

    def write(self, vals):
        if STAFF_ONLY_FIELDS & vals.keys():
            self._check_facilitator_staff()
        return super().write(vals)

    def _check_facilitator_staff(self):
        if self.env.su or self.env.user.has_group("crm_facilitator_network.group_op_officer"):
            return
        raise AccessError(
            _(
                "Only the OP team can change whether a contact is a facilitator, "
                "their level and their active status."
            )
        )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    def _facilitator_level_blocker(self, lead, role="coordinate"):
        """False, or why this partner's level (or status) keeps them from ``role`` on ``lead``."""
        self.ensure_one()
        partner = self.sudo()
        if not partner.is_facilitator:
            return _("You are not registered as a facilitator of the network.")
        if not partner.facilitator_active:
            return _("Your facilitator profile is inactive. Contact the OP team to reactivate it.")
        minimum = lead.with_env(self.env).sudo()[
            ROLE_LEVEL_FIELDS.get(role, "min_level_coordinate_id")
        ]
        if minimum:
            level = partner.facilitator_level_id
            if not level:
                return _(
                    "This opportunity needs at least the %(level)s level, "
                    "and you have no level yet.",
                    level=minimum.name,
                )
            if level.rank < minimum.rank:
                return _(
                    "This opportunity needs at least the %(level)s level; yours is %(yours)s.",
                    level=minimum.name,
                    yours=level.name,
                )
        return False

    def _facilitator_apply_blocker(self, lead, role="coordinate"):
        """False, or a sentence (in the user's language) saying why this partner may not apply."""
        return self._facilitator_apply_blockers(lead, role)[lead.id]

    def _facilitator_apply_blockers(self, leads, role="coordinate"):
        """``{lead id: False or the sentence saying why}`` for a page of leads,
        with one query for this partner's applications to all of them."""
        self.ensure_one()
        partner = self.sudo()
        leads = leads.with_env(self.env).sudo()  # sentences in the partner's context language
        applications = (
            self.env["facilitator.application"]
            .sudo()
            .search_fetch(
                [("lead_id", "in", leads.ids), ("partner_id", "=", partner.id)],
                ["lead_id", "state"],
            )
            .grouped("lead_id")
        )
        today = fields.Date.context_today(partner)
        blockers = {}
        for lead in leads:
            blocker = partner._facilitator_level_blocker(lead, role)
            if blocker:
                pass
            elif not partner.facilitator_commercial:
                blocker = _(
                    'Tick "I facilitate in a commercial context" in your facilitator profile '
                    "to apply."
                )
            elif not (partner.facilitator_legal_name and partner.company_registry):
                blocker = _(
                    "Fill in your company details (legal entity and registration number) in "
                    "your facilitator profile to apply."
                )
            elif lead.network_state != "open":
                blocker = _("This opportunity is not open for applications.")
            elif lead.application_deadline and lead.application_deadline < today:
                blocker = _("The deadline to apply to this opportunity has passed.")
            elif lead in applications:
                if applications[lead][:1].state == "withdrawn":
                    blocker = _("You withdrew your application to this opportunity.")
                else:
                    blocker = _("You have already applied to this opportunity.")
            blockers[lead.id] = blocker or False
        return blockers

    # ------------------------------------------------------------------
    # Portal profile
    # ------------------------------------------------------------------

    def _facilitator_portal_write(self, values):
        """Write the profile fields a facilitator may change themselves.

        ``values`` holds parsed python values. The level and the active flag
        are never written from here."""
        self.ensure_one()
        forbidden = sorted(set(values) - set(PORTAL_PROFILE_FIELDS))
        if forbidden:
            labels = [
                self._fields[name].get_description(self.env)["string"]
                if name in self._fields
                else name
                for name in forbidden
            ]
            raise ValidationError(
                _(
                    "You cannot change these fields of your profile: %(fields)s.",
                    fields=", ".join(labels),
                )
            )
        vals = {}
        for name, value in values.items():
            kind = PORTAL_PROFILE_FIELDS[name]
            label = self._fields[name].get_description(self.env)["string"]
            if kind == "bool":
                if not isinstance(value, bool):
                    raise ValidationError(_("%(field)s must be yes or no.", field=label))
                vals[name] = value
            elif kind == "char":
                if value in (None, False):
                    value = ""
                if not isinstance(value, str):
                    raise ValidationError(_("%(field)s must be text.", field=label))
                # control characters (NUL above all) are never text PostgreSQL keeps
                value = CONTROL_CHARACTERS.sub("", value).strip()
                if len(value) > PORTAL_CHAR_MAX:
                    raise ValidationError(
                        _(
                            "%(field)s is too long (%(max)s characters at most).",
                            field=label,
                            max=PORTAL_CHAR_MAX,
                        )
                    )
                vals[name] = value or False
            else:
                model = kind[1]
                if value in (None, False):
                    value = []
                if not isinstance(value, (list, tuple, set)) or not all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value
                ):
                    raise ValidationError(_("%(field)s: invalid selection.", field=label))
                ids = list(dict.fromkeys(value))
                found = (
                    self.env[model]
                    .sudo()
                    .with_context(active_test=False)
                    .search([("id", "in", ids)])
                )
                if len(found) != len(ids):
                    raise ValidationError(
                        _("%(field)s: some of the chosen values do not exist.", field=label)
                    )
                vals[name] = [fields.Command.set(ids)]
        if vals:
            self.sudo().write(vals)
        return True
