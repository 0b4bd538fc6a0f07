from odoo import _, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.crm_lead_intake import MAX_PARTICIPANTS, TEXT_LIMITS

# The form's inputs are named after the keys crm.lead._create_incoming_request
# takes; anything else posted is ignored.
FORM_FIELDS = (
    "organisation",
    "contact_name",
    "email",
    "phone",
    "country_code",
    "city",
    "language_code",
    "participant_count",
    "workshop_format",
    "wished_date_from",
    "wished_date_to",
    "message",
)
# Hidden from people, filled by the bots that fill every field.
HONEYPOT_FIELD = "website_url"
# Workshops are given in these languages, installed or not.
LANGUAGE_CODES = (
    "fr_FR",
    "en_US",
    "de_DE",
    "es_ES",
    "it_IT",
    "nl_NL",
    "pt_PT",
    "pt_BR",
    "ca_ES",
    "pl_PL",
    "sv_SE",
    "da_DK",
    "fi_FI",
    "nb_NO",
    "cs_CZ",
    "ro_RO",
    "el_GR",
    "ja_JP",
    "zh_CN",
    "ar_001",
)
THANK_YOU_URL = "/workshop-request/thank-you"


class WorkshopRequestController(http.Controller):
    """Public form where an organisation requests a workshop."""

    @http.route("/workshop-request", type="http", auth="public", methods=["GET"], website=True)
    def workshop_request(self, **kwargs):
        language = request.env.lang if request.env.lang in LANGUAGE_CODES else ""
        return self._render_form({"language_code": language})

    @http.route(
        "/workshop-request/submit",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def workshop_request_submit(self, **post):
        if post.get(HONEYPOT_FIELD):
            # Look like a success to the bot, keep nothing.
            return request.redirect(THANK_YOU_URL, code=303)
        values = {key: post.get(key) or "" for key in FORM_FIELDS}
        Lead = request.env["crm.lead"].sudo()
        ip_hash = Lead._intake_ip_hash(request.httprequest.remote_addr)
        if Lead._intake_rate_limited(ip_hash):
            error = _(
                "Too many requests were sent from your network address in the last hour. "
                "Please try again later, or write to us."
            )
            return self._render_form(values, [error], status=429)
        try:
            with request.env.cr.savepoint():
                lead = Lead._create_incoming_request(values, medium="web_form")
                lead.intake_ip_hash = ip_hash
        except ValidationError as error:
            return self._render_form(values, str(error.args[0]).splitlines())
        return request.redirect(THANK_YOU_URL, code=303)

    @http.route(THANK_YOU_URL, type="http", auth="public", methods=["GET"], website=True)
    def workshop_request_thank_you(self, **kwargs):
        return request.render("crm_facilitator_network.workshop_request_thank_you")

    def _render_form(self, values, errors=(), status=200):
        env = request.env
        languages = (
            env["res.lang"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("active", "=", True), ("code", "in", LANGUAGE_CODES)], order="name")
        )
        formats = env["crm.lead"]._fields["workshop_format"]._description_selection(env)
        qcontext = {
            "values": values,
            "errors": errors,
            "countries": env["res.country"].sudo().search([], order="name"),
            "languages": languages,
            "formats": formats,
            "limits": TEXT_LIMITS,
            "max_participants": MAX_PARTICIPANTS,
            "honeypot_field": HONEYPOT_FIELD,
        }
        return request.render(
            "crm_facilitator_network.workshop_request_form", qcontext, status=status
        )
