from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.phone_validation.tools import phone_validation

ROUTING_TYPES = [
    ("subcontracting", "Subcontracting"),
    ("client_introduction", "Client introduction"),
]


class CrmRoutingRule(models.Model):
    """An ordered rule that decides the group of an incoming request.

    Rules are evaluated by ascending sequence; the first one that matches
    decides. :meth:`_route_leads` reads the rules once for a whole batch of
    leads, so that routing costs the same whether one or thousands of leads
    are created together.
    """

    _name = "crm.routing.rule"
    _description = "Request Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    condition = fields.Selection(
        [
            ("op_account", "The organisation is a known OP account"),
            ("country", "The country is one of the listed countries"),
            ("any_country", "Any country"),
        ],
        required=True,
        default="country",
        help="Known OP account: the organisation is flagged as already served "
        "by the Offer & Programs team, whatever its country.\n"
        "Listed countries: the request's country (or the one inferred from its "
        "phone number) is in the list.\n"
        "Any country: every request whose country is known.",
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    routing_type = fields.Selection(ROUTING_TYPES, string="Group", required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    lead_count = fields.Integer(compute="_compute_lead_count", string="Leads")

    @api.constrains("condition", "country_ids")
    def _check_country_ids(self):
        for rule in self:
            if rule.condition == "country" and not rule.country_ids:
                raise ValidationError(
                    _("The rule “%s” applies to listed countries: list at least one.", rule.name)
                )

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]._read_group(
                [("routing_rule_id", "in", self.ids)], ["routing_rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.lead_count = counts.get(rule, 0)

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("routing_rule_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------

    @api.model
    def _route_leads(self, leads):
        """Decide the group of each lead.

        :return: ``{lead: RoutingDecision-like dict}`` with the keys
            ``routing_type``, ``rule``, ``country`` and ``country_inferred``.
        """
        # One query for the rules of the whole batch (their countries: one more).
        rules = self.sudo().search_fetch([], ["condition", "routing_type", "company_id"])
        countries = self._routing_countries(leads)
        op_account_names = self._op_account_names(leads)
        decisions = {}
        for lead in leads:
            country, inferred = countries[lead]
            is_op_account = lead.sudo().partner_id.commercial_partner_id.is_op_account or (
                (lead.partner_name or "").strip().casefold() in op_account_names
            )
            rule = next(
                (r for r in rules if r._matches(country, is_op_account, lead.company_id)),
                self.browse(),
            )
            decisions[lead] = {
                "routing_type": rule.routing_type or False,
                "rule": rule,
                "country": country,
                "country_inferred": inferred,
            }
        return decisions

    def _matches(self, country, is_op_account, company):
        self.ensure_one()
        if self.company_id and company and self.company_id != company:
            return False
        if self.condition == "op_account":
            return is_op_account
        if self.condition == "country":
            return bool(country) and country in self.country_ids
        return bool(country)

    @api.model
    def _routing_countries(self, leads):
        """Return ``{lead: (country, inferred)}``: the lead's own country, or
        the one its phone number's international prefix tells."""
        codes = {}
        for lead in leads:
            if not lead.country_id and lead.phone:
                codes[lead] = self._phone_country_code(lead.phone)
        by_code = {}
        if any(codes.values()):
            found = (
                self.env["res.country"].sudo().search([("code", "in", list(set(codes.values())))])
            )
            by_code = {country.code: country for country in found}
        empty = self.env["res.country"]
        return {
            lead: (lead.country_id, False)
            if lead.country_id
            else (by_code.get(codes.get(lead), empty), bool(by_code.get(codes.get(lead))))
            for lead in leads
        }

    @api.model
    def _phone_country_code(self, number):
        """ISO code of the country an international number belongs to, or ''.

        Only numbers written with their international prefix (``+`` or
        ``00``) tell their country: a national number is never guessed.
        """
        number = (number or "").strip()
        if number.startswith("00"):
            number = "+" + number[2:]
        if not number.startswith("+"):
            return ""
        return phone_validation.phone_get_country_code_for_number(number) or ""

    @api.model
    def _op_account_names(self, leads):
        names = {(n or "").strip().casefold() for n in leads.mapped("partner_name") if n}
        if not names:
            return set()
        accounts = (
            self.env["res.partner"].sudo().search_fetch([("is_op_account", "=", True)], ["name"])
        )
        return {name for name in (a.name.strip().casefold() for a in accounts) if name in names}
