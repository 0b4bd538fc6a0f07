from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.phone_validation.tools import phone_validation

from .crm_routing_rule import ROUTING_TYPES

# Changing one of these may change the group of a lead.
ROUTING_FIELDS = {"country_id", "partner_id", "partner_name", "phone", "routing_override_type"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    routing_type = fields.Selection(
        ROUTING_TYPES,
        string="Group",
        compute="_compute_routing",
        store=True,
        index=True,
        tracking=True,
        help="Subcontracting: the association sells and delivers through its facilitators.\n"
        "Client introduction: the request is forwarded to the community; the selected "
        "coordinator contracts with the client.\n"
        "Empty while the request is still to qualify.",
    )
    routing_rule_id = fields.Many2one(
        "crm.routing.rule",
        compute="_compute_routing",
        store=True,
        index="btree_not_null",
    )
    routing_country_id = fields.Many2one(
        "res.country",
        compute="_compute_routing",
        store=True,
        help="The country the routing used: the lead's own, or the one its phone "
        "number's international prefix tells.",
    )
    routing_country_inferred = fields.Boolean(
        string="Country Inferred from Phone",
        compute="_compute_routing",
        store=True,
    )
    routing_reason = fields.Char(
        compute="_compute_routing_reason",
        help="Which rule decided the group, and why.",
    )
    routing_override_type = fields.Selection(
        ROUTING_TYPES,
        string="Overridden Group",
        copy=False,
        tracking=True,
    )
    routing_override_reason = fields.Char(
        string="Override Reason",
        copy=False,
        tracking=True,
    )
    duplicate_of_id = fields.Many2one(
        "crm.lead",
        string="Possible Duplicate Of",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="A recent open request with the same email, phone or organisation. "
        "Nothing is merged: check both and merge them by hand if they are the same.",
    )
    duplicate_reason = fields.Char(copy=False, readonly=True)

    _routing_override_reason_required = models.Constraint(
        "CHECK(routing_override_type IS NULL OR COALESCE(TRIM(routing_override_reason), '') != '')",
        "Overriding the group of a request needs a reason.",
    )

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    @api.depends(
        "country_id",
        "phone",
        "partner_id.commercial_partner_id.is_op_account",
        "partner_name",
        "routing_override_type",
    )
    def _compute_routing(self):
        if self.env.context.get("crm_facilitator_network_skip_routing"):
            # Benchmark switch: measures what routing costs on top of crm.
            for lead in self:
                lead.update(
                    {
                        "routing_type": False,
                        "routing_rule_id": False,
                        "routing_country_id": False,
                        "routing_country_inferred": False,
                    }
                )
            return
        decisions = self.env["crm.routing.rule"]._route_leads(self)
        for lead, decision in decisions.items():
            lead.update(
                {
                    "routing_type": lead.routing_override_type or decision["routing_type"],
                    "routing_rule_id": decision["rule"].id,
                    "routing_country_id": decision["country"].id,
                    "routing_country_inferred": decision["country_inferred"],
                }
            )

    @api.depends(
        "routing_type",
        "routing_rule_id",
        "routing_country_id",
        "routing_country_inferred",
        "routing_override_type",
        "routing_override_reason",
        "phone",
        "partner_name",
    )
    def _compute_routing_reason(self):
        groups = dict(self._fields["routing_type"]._description_selection(self.env))
        for lead in self:
            lead.routing_reason = lead._routing_sentence(groups)

    def _routing_sentence(self, groups):
        self.ensure_one()
        if self.routing_override_type:
            return _(
                "Group set by hand to %(group)s: %(reason)s",
                group=groups[self.routing_override_type],
                reason=self.routing_override_reason,
            )
        country = self.routing_country_id.name
        if self.routing_country_inferred:
            country = _(
                "%(country)s (inferred from the phone number %(phone)s)",
                country=country,
                phone=self.phone,
            )
        rule = self.routing_rule_id
        if not rule:
            if not self.routing_country_id:
                return _(
                    "To qualify: the request has no country and its phone number does not "
                    "tell one. Set the country to route it."
                )
            return _("To qualify: no routing rule applies to %(country)s.", country=country)
        group = groups[rule.routing_type]
        if rule.condition == "op_account":
            organisation = (
                self.partner_id.commercial_partner_id.name
                if self.partner_id.commercial_partner_id.is_op_account
                else self.partner_name
            )
            return _(
                "Rule “%(rule)s”: %(organisation)s is an organisation the OP team already "
                "serves, so the request goes to %(group)s whatever its country.",
                rule=rule.name,
                organisation=organisation,
                group=group,
            )
        if rule.condition == "country":
            return _(
                "Rule “%(rule)s”: the country is %(country)s, so the request goes to %(group)s.",
                rule=rule.name,
                country=country,
                group=group,
            )
        return _(
            "Rule “%(rule)s”: the country is %(country)s, which no earlier rule covers, "
            "so the request goes to %(group)s.",
            rule=rule.name,
            country=country,
            group=group,
        )

    def _assign_routing_team(self):
        """Send each lead to the sales team of its group (company settings)."""
        for company, company_leads in self.grouped("company_id").items():
            company = company or self.env.company
            teams = {
                "subcontracting": company.subcontracting_team_id,
                "client_introduction": company.client_introduction_team_id,
            }
            for routing_type, leads in company_leads.grouped("routing_type").items():
                team = teams.get(routing_type)
                to_move = leads.filtered(lambda lead, team=team: lead.team_id != team)
                if team and to_move:
                    to_move.write({"team_id": team.id})

    def action_reroute(self):
        """Apply the current routing rules again, e.g. after they changed."""
        before = {lead: lead.routing_type for lead in self}
        self._recompute_routing()
        self.filtered(lambda lead: lead.routing_type != before[lead])._assign_routing_team()

    def _recompute_routing(self):
        self.env.add_to_compute(self._fields["routing_type"], self)
        self.flush_recordset()

    def action_reset_routing_override(self):
        self.write({"routing_override_type": False, "routing_override_reason": False})

    # ------------------------------------------------------------------
    # Phone numbers
    # ------------------------------------------------------------------

    @api.model
    def _normalize_phone_number(self, number, country):
        """E.164 form of ``number``, or ``number`` exactly as typed when it is
        not a valid number (crm's ``phone_state`` then flags it)."""
        if not number:
            return number
        try:
            return phone_validation.phone_format(
                number,
                country.code or None,
                country.phone_code or None,
                force_format="E164",
                raise_exception=True,
            )
        except Exception:  # noqa: BLE001 - any parsing failure keeps the number as typed
            return number

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------

    def _flag_duplicates(self):
        """Link each new lead to the oldest recent open lead that shares its
        email, phone or organisation. Nothing is ever merged."""
        leads = self.filtered(
            lambda lead: lead.email_normalized or lead.phone_sanitized or lead.partner_name
        )
        if not leads:
            return
        window = max(
            leads.company_id[:1].duplicate_window_days or self.env.company.duplicate_window_days, 1
        )
        since = fields.Datetime.now() - timedelta(days=window)
        emails = [e for e in leads.mapped("email_normalized") if e]
        phones = [p for p in leads.mapped("phone_sanitized") if p]
        names = list(
            {n.strip().casefold() for n in leads.mapped("partner_name") if n and n.strip()}
        )
        self.env["crm.lead"].flush_model(
            [
                "email_normalized",
                "phone_sanitized",
                "partner_name",
                "active",
                "won_status",
                "create_date",
            ]
        )
        # One query for the whole batch; lower() because organisation names
        # are typed freely ("ACME" and "Acme" are the same organisation).
        rows = self.env.execute_query(
            SQL(
                """SELECT id, email_normalized, phone_sanitized, lower(trim(partner_name))
                 FROM crm_lead
                WHERE active AND won_status = 'pending' AND create_date >= %(since)s
                  AND id < %(max_id)s
                  AND (email_normalized = ANY(%(emails)s) OR phone_sanitized = ANY(%(phones)s)
                       OR lower(trim(partner_name)) = ANY(%(names)s))
             ORDER BY id""",
                since=since,
                max_id=max(leads.ids),
                emails=emails,
                phones=phones,
                names=names,
            )
        )
        by_key = {}
        for lead_id, email, phone, name in rows:
            for key in (("email", email), ("phone", phone), ("organisation", name)):
                if key[1]:
                    by_key.setdefault(key, lead_id)
        labels = {
            "email": _("same email"),
            "phone": _("same phone"),
            "organisation": _("same organisation"),
        }
        for lead in leads.sorted("id"):
            keys = [
                ("email", lead.email_normalized),
                ("phone", lead.phone_sanitized),
                ("organisation", (lead.partner_name or "").strip().casefold()),
            ]
            matches = {
                kind: by_key[(kind, value)]
                for kind, value in keys
                if value and by_key.get((kind, value), lead.id) < lead.id
            }
            if matches:
                original = min(matches.values())
                lead.write(
                    {
                        "duplicate_of_id": original,
                        "duplicate_reason": ", ".join(
                            labels[kind] for kind, lead_id in matches.items() if lead_id == original
                        ),
                    }
                )
                lead.message_post(
                    body=_(
                        "Possible duplicate of %(lead)s (%(reason)s). Nothing was merged.",
                        lead=self.browse(original)._get_html_link(),
                        reason=lead.duplicate_reason,
                    )
                )
            for kind, value in keys:
                if value:
                    by_key.setdefault((kind, value), lead.id)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        country_ids = {vals.get("country_id") for vals in vals_list if vals.get("phone")}
        countries = self.env["res.country"].browse(c for c in country_ids if c)
        for vals in vals_list:
            if vals.get("phone"):
                country = countries.browse(vals.get("country_id") or [])
                vals["phone"] = self._normalize_phone_number(vals["phone"], country)
        leads = super().create(vals_list)
        if not self.env.context.get("default_team_id"):
            leads.browse(
                [
                    lead.id
                    for lead, vals in zip(leads, vals_list, strict=True)
                    if not vals.get("team_id")
                ]
            )._assign_routing_team()
        leads._flag_duplicates()
        return leads

    def write(self, vals):
        if not ROUTING_FIELDS & vals.keys():
            return super().write(vals)
        before = {lead: lead.routing_type for lead in self}
        result = super().write(vals)
        if {"phone", "country_id"} & vals.keys():
            for lead in self.filtered("phone"):
                normalized = self._normalize_phone_number(lead.phone, lead.country_id)
                if normalized != lead.phone:
                    super(CrmLead, lead).write({"phone": normalized})
        self.filtered(lambda lead: lead.routing_type != before[lead])._assign_routing_team()
        return result
