import logging

from psycopg2.errors import LockNotAvailable, UniqueViolation

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .crm_lead_intake import CONTROL_CHARACTERS

_logger = logging.getLogger(__name__)

APPLICATION_TEXT_MAX = 5000


class FacilitatorApplication(models.Model):
    """A facilitator's application to coordinate an opportunity published to
    the network. The OP team selects one coordinator among the applicants."""

    _name = "facilitator.application"
    _description = "Facilitator Application"
    _inherit = ["mail.thread"]
    _order = "lead_id desc, id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Facilitator",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    motivation = fields.Text(required=True)
    availability = fields.Text()
    proposed_team = fields.Text()
    state = fields.Selection(
        [
            ("submitted", "Submitted"),
            ("withdrawn", "Withdrawn"),
            ("selected", "Selected"),
            ("not_selected", "Not selected"),
        ],
        required=True,
        default="submitted",
        tracking=True,
        index=True,
        copy=False,
    )
    routing_type = fields.Selection(string="Group", related="lead_id.routing_type", store=True)
    network_state = fields.Selection(related="lead_id.network_state", string="Opportunity Status")
    application_deadline = fields.Date(related="lead_id.application_deadline")
    # The applicant, side by side
    partner_level_id = fields.Many2one(related="partner_id.facilitator_level_id", string="Level")
    partner_lang_ids = fields.Many2many(
        related="partner_id.facilitator_lang_ids", string="Languages"
    )
    partner_country_ids = fields.Many2many(
        related="partner_id.facilitator_country_ids", string="Countries"
    )
    partner_state_ids = fields.Many2many(
        related="partner_id.facilitator_state_ids", string="Regions"
    )
    partner_coordination_count = fields.Integer(
        string="Past Coordinations",
        compute="_compute_ranking",
        help="Opportunities the applicant coordinated before, this one excluded.",
    )
    partner_last_coordination_date = fields.Date(
        string="Last Coordination", compute="_compute_ranking"
    )
    ranking_score = fields.Integer(
        string="Suggested Score",
        compute="_compute_ranking",
        help="Suggestion only: favours the fit (level above the minimum, language, region) and a "
        "fair rotation (fewer past coordinations, longer since the last one).",
    )
    ranking_reason = fields.Char(string="Why", compute="_compute_ranking")

    _lead_partner_unique = models.Constraint(
        "UNIQUE(lead_id, partner_id)",
        "You have already applied to this opportunity.",
    )
    _one_selected_per_lead = models.UniqueIndex(
        "(lead_id) WHERE state = 'selected'",
        "This opportunity already has a selected coordinator.",
    )

    @api.depends("partner_id", "lead_id")
    def _compute_display_name(self):
        # Facilitators (portal) only ever see the public title, never the client's name
        public = self.env.user.share
        for application in self:
            lead = application.lead_id.sudo()
            application.display_name = _(
                "%(partner)s – %(lead)s",
                partner=application.partner_id.sudo().name,
                lead=(lead.public_title if public else lead.name) or "",
            )

    # ------------------------------------------------------------------
    # Ranking
    # ------------------------------------------------------------------

    @api.depends("partner_id", "lead_id", "state")
    @api.depends_context("lang")
    def _compute_ranking(self):
        """Score every application of the batch with one query for the past
        coordinations of all applicants."""
        stats = self.env["facilitator.team.member"]._coordination_stats(self.partner_id)
        ranks = self.env["facilitator.level"].sudo().search([]).mapped("rank")
        today = fields.Date.context_today(self)
        for application in self:
            partner = application.partner_id.sudo()
            lead = application.lead_id.sudo()
            dates = [
                date
                for (partner_id, lead_id), date in stats.items()
                if partner_id == partner.id and lead_id != lead.id
            ]
            count = len(dates)
            last = max(filter(None, dates), default=False)
            application.partner_coordination_count = count
            application.partner_last_coordination_date = last
            if not partner or not lead:
                application.ranking_score = 0
                application.ranking_reason = False
                continue
            score, parts = application._ranking_fit(partner, lead, ranks)
            # Fair rotation: fewer past coordinations and a longer wait score higher.
            score += max(0, 20 - 5 * count)
            if not count:
                score += 20
                parts.append(_("never coordinated before"))
            else:
                days = (today - last).days if last else 365
                score += min(20, max(0, days) * 20 // 365)
                parts.append(
                    _(
                        "%(count)s past coordination(s), the last on %(date)s",
                        count=count,
                        date=last and fields.Date.to_string(last) or "?",
                    )
                )
            application.ranking_score = score
            reason = "; ".join(parts)
            application.ranking_reason = _(
                "Score %(score)s: %(reason)s.", score=score, reason=reason
            )

    def _ranking_fit(self, partner, lead, ranks):
        score, parts = 0, []
        minimum = lead.min_level_coordinate_id
        level = partner.facilitator_level_id
        if level and (not minimum or level.rank >= minimum.rank):
            # levels between the minimum and the applicant's
            steps = len(
                [rank for rank in ranks if (minimum.rank if minimum else 0) < rank <= level.rank]
            )
            if minimum and level.rank > minimum.rank:
                score += 20 + min(steps, 2) * 5
                parts.append(
                    _(
                        "level %(level)s, above the minimum %(minimum)s",
                        level=level.name,
                        minimum=minimum.name,
                    )
                )
            else:
                score += 20
                parts.append(_("level %(level)s", level=level.name))
        else:
            parts.append(_("level below the minimum"))
        if lead.lang_id:
            if lead.lang_id in partner.facilitator_lang_ids:
                score += 20
                parts.append(_("speaks %(lang)s", lang=lead.lang_id.name))
            else:
                parts.append(_("does not list %(lang)s", lang=lead.lang_id.name))
        if lead.state_id and lead.state_id in partner.facilitator_state_ids:
            score += 20
            parts.append(_("serves %(region)s", region=lead.state_id.name))
        elif lead.country_id and lead.country_id in partner.facilitator_country_ids:
            score += 15
            parts.append(_("serves %(country)s", country=lead.country_id.name))
        elif lead.country_id:
            parts.append(_("does not serve %(country)s", country=lead.country_id.name))
        return score, parts

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------

    @api.model
    def _submit(self, lead, partner, values):
        """Create ``partner``'s application to ``lead`` (called sudo by the
        portal once the user is authenticated). Returns the application."""
        lead = lead.sudo().exists()
        if not lead:
            raise UserError(_("This opportunity does not exist anymore."))
        partner = partner.sudo()
        unknown = sorted(set(values) - {"motivation", "availability", "proposed_team"})
        if unknown:
            raise ValidationError(
                _("Unexpected fields in the application: %(fields)s.", fields=", ".join(unknown))
            )
        clean = {}
        for key in ("motivation", "availability", "proposed_team"):
            value = values.get(key) or ""
            if not isinstance(value, str):
                raise ValidationError(_("The application must be text."))
            # control characters (NUL above all) are never text PostgreSQL keeps
            value = CONTROL_CHARACTERS.sub("", value).strip()
            if len(value) > APPLICATION_TEXT_MAX:
                raise ValidationError(
                    _(
                        "Your text is too long (%(max)s characters at most).",
                        max=APPLICATION_TEXT_MAX,
                    )
                )
            clean[key] = value or False
        if not clean["motivation"]:
            raise ValidationError(
                _("Tell the OP team why you want to coordinate this opportunity.")
            )
        blocker = partner._facilitator_apply_blocker(lead)
        if blocker:
            raise UserError(blocker)
        try:
            # Two submissions at the same time (double click): the database decides.
            with self.env.cr.savepoint():
                application = self.sudo().create(
                    {"lead_id": lead.id, "partner_id": partner.id, **clean}
                )
                application.flush_recordset()
        except UniqueViolation:
            raise UserError(_("You have already applied to this opportunity.")) from None
        lead.message_post(
            body=_("%(partner)s applied to coordinate this opportunity.", partner=partner.name),
            subtype_xmlid="mail.mt_note",
        )
        if lead.user_id:
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("New application from %(partner)s", partner=partner.name),
                user_id=lead.user_id.id,
            )
        return application

    def action_withdraw(self):
        for application in self:
            if application.state != "submitted":
                raise UserError(
                    _("Only an application still waiting for a decision can be withdrawn.")
                )
        self.write({"state": "withdrawn"})
        for application in self.sudo():
            application.lead_id.message_post(
                body=_(
                    "%(partner)s withdrew their application.", partner=application.partner_id.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _lock_lead(self, lead):
        """Lock the lead's row so that two selections cannot run at the same time."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("SELECT id FROM crm_lead WHERE id = %s FOR UPDATE NOWAIT", lead.id)
                )
        except LockNotAvailable:
            raise UserError(
                _(
                    "Another coordinator is being selected for this opportunity right now. "
                    "Reload the page and try again."
                )
            ) from None

    def action_select(self):
        """Select this applicant as the coordinator of its opportunity."""
        self.ensure_one()
        application = self
        lead = application.lead_id
        self._lock_lead(lead)
        self.env.invalidate_all()
        if application.state != "submitted":
            raise UserError(_("Only a submitted application can be selected."))
        if (
            lead.coordinator_id
            or lead.network_state in ("staffed", "closed")
            or self.search_count([("lead_id", "=", lead.id), ("state", "=", "selected")])
        ):
            raise UserError(_("This opportunity already has a selected coordinator."))
        blocker = application.partner_id._facilitator_level_blocker(lead, "coordinate")
        if blocker:
            raise UserError(
                _(
                    "%(partner)s cannot coordinate this opportunity: %(reason)s",
                    partner=application.partner_id.name,
                    reason=blocker,
                )
            )
        others = (
            lead.facilitator_application_ids.filtered(lambda a: a.state == "submitted")
            - application
        )
        application.write({"state": "selected"})
        others.write({"state": "not_selected"})
        lead.write(
            {
                "coordinator_id": application.partner_id.id,
                "network_state": "staffed",
                "network_selected_date": fields.Datetime.now(),
            }
        )
        self.env["facilitator.team.member"].sudo().create(
            {
                "lead_id": lead.id,
                "partner_id": application.partner_id.id,
                "role": "coordinator",
                "state": "accepted",
            }
        )
        try:
            self.env.flush_all()  # the unique index speaks now, before any mail
        except UniqueViolation:
            raise UserError(_("This opportunity already has a selected coordinator.")) from None
        application._send_template("crm_facilitator_network.mail_template_application_selected")
        others._send_template("crm_facilitator_network.mail_template_application_not_selected")
        lead._network_after_selection()
        return True

    def _send_template(self, xmlid):
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        for application in self.sudo():
            application.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
