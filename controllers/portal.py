"""Facilitator portal: pending opportunities, applications, coordination, profile.

Facilitators are portal users: they have no access to ``crm.lead``. Leads are
read with ``sudo()`` and the pages render only the fields of
``crm.lead._network_public_fields()``; the client's details only when
``lead._network_client_visible_to(partner)``. Every write goes through a model
method, called after the ownership checks made here.
"""

import psycopg2

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_input import parse_date, parse_id

CLIENT_FIELDS = ["partner_name", "contact_name", "email_from", "phone"]
TEXT_MAX = 5000


def _parse_text(value):
    return (value or "").strip()[:TEXT_MAX] if isinstance(value, str) else ""


class FacilitatorPortal(CustomerPortal):
    _opportunities_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _facilitator_partner(self):
        """The current user's partner (sudo) if they are a facilitator, else None."""
        partner = request.env.user.partner_id.sudo()
        return partner if partner.is_facilitator else None

    def _render_not_facilitator(self):
        values = self._prepare_portal_layout_values()
        values["page_name"] = "facilitator_not_registered"
        return request.render("crm_facilitator_network.portal_not_facilitator", values, status=403)

    def _selection(self, model, field):
        env = request.env
        return env[model]._fields[field]._description_selection(env)

    def _pending_searchbar_sortings(self):
        return {
            "deadline": {"label": _("Deadline"), "order": "application_deadline asc, id desc"},
            "date": {"label": _("Wished date"), "order": "wished_date_from asc, id desc"},
            "newest": {"label": _("Newest"), "order": "network_published_date desc, id desc"},
        }

    def _pending_filters(self, kw):
        """Parse the GET filters; unknown or malformed values are ignored.

        :return: (domain, dict of the accepted filter values as strings)
        """
        domain = Domain.TRUE
        accepted = {}
        group = kw.get("group")
        if group in dict(self._selection("crm.lead", "routing_type")):
            domain &= Domain("routing_type", "=", group)
            accepted["group"] = group
        workshop_format = kw.get("format")
        if workshop_format in dict(self._selection("crm.lead", "workshop_format")):
            domain &= Domain("workshop_format", "=", workshop_format)
            accepted["format"] = workshop_format
        country_id = parse_id(kw.get("country"))
        if country_id:
            domain &= Domain("country_id", "=", country_id)
            accepted["country"] = str(country_id)
        lang_id = parse_id(kw.get("lang"))
        if lang_id:
            domain &= Domain("lang_id", "=", lang_id)
            accepted["lang"] = str(lang_id)
        date_from = parse_date(kw.get("date_from"))
        if date_from:
            # the wished period ends on or after date_from
            domain &= Domain("wished_date_to", ">=", date_from) | (
                Domain("wished_date_to", "=", False) & Domain("wished_date_from", ">=", date_from)
            )
            accepted["date_from"] = fields.Date.to_string(date_from)
        date_to = parse_date(kw.get("date_to"))
        if date_to:
            domain &= Domain("wished_date_from", "<=", date_to)
            accepted["date_to"] = fields.Date.to_string(date_to)
        return domain, accepted

    def _my_applications(self, partner, leads):
        """{lead id: application} of ``partner`` on ``leads``, in one query."""
        applications = (
            request.env["facilitator.application"]
            .sudo()
            .search_fetch(
                [("partner_id", "=", partner.id), ("lead_id", "in", leads.ids)],
                ["lead_id", "state"],
            )
        )
        return {application.lead_id.id: application for application in applications}

    def _pending_lead(self, lead_id, partner):
        """The lead, if open for applications or applied to by ``partner``; else None."""
        if not parse_id(lead_id):
            return None
        Lead = request.env["crm.lead"].sudo()
        domain = Domain("id", "=", lead_id) & (
            Domain(Lead._network_domain_pending())
            | Domain("facilitator_application_ids", "any", [("partner_id", "=", partner.id)])
        )
        return Lead.search(domain, limit=1) or None

    def _coordination_access(self, lead_id, partner):
        """(lead, is_coordinator, membership) if ``partner`` coordinates the lead or is in its
        team (invited or accepted); else None."""
        if not parse_id(lead_id):
            return None
        lead = request.env["crm.lead"].sudo().browse(lead_id).exists()
        if not lead:
            return None
        is_coordinator = lead.coordinator_id == partner
        membership = (
            request.env["facilitator.team.member"]
            .sudo()
            .search(
                [
                    ("lead_id", "=", lead.id),
                    ("partner_id", "=", partner.id),
                    ("state", "in", ("invited", "accepted")),
                ],
                limit=1,
            )
        )
        if not is_coordinator and not membership:
            return None
        return lead, is_coordinator, membership

    def _all_languages(self):
        """Languages a workshop may be given in, installed or not."""
        Lang = request.env["res.lang"].sudo().with_context(active_test=False)
        return Lang.search([], order="name")

    def _error_message(self, error, conflict=None):
        """The sentence to show for a refused write (``conflict``: for a DB constraint)."""
        if isinstance(error, psycopg2.IntegrityError):
            return conflict or _(
                "This could not be saved: it conflicts with an existing record "
                "(you may have already done it)."
            )
        return error.args[0] if error.args else str(error)

    # ------------------------------------------------------------------
    # /my home
    # ------------------------------------------------------------------

    def _coordination_domain(self, partner):
        return (
            Domain("coordinator_id", "=", partner.id)
            | Domain(
                "facilitator_application_ids",
                "any",
                [("partner_id", "=", partner.id), ("state", "!=", "withdrawn")],
            )
            | Domain(
                "facilitator_team_member_ids",
                "any",
                [("partner_id", "=", partner.id), ("state", "!=", "declined")],
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        wanted = {"pending_opportunity_count", "coordination_opportunity_count"} & set(counters)
        if not wanted:
            return values
        partner = self._facilitator_partner()
        Lead = request.env["crm.lead"].sudo()
        if "pending_opportunity_count" in counters:
            values["pending_opportunity_count"] = (
                Lead.search_count(Lead._network_domain_pending()) if partner else 0
            )
        if "coordination_opportunity_count" in counters:
            values["coordination_opportunity_count"] = (
                Lead.search_count(self._coordination_domain(partner)) if partner else 0
            )
        return values

    # ------------------------------------------------------------------
    # Pending opportunities
    # ------------------------------------------------------------------

    @http.route(
        ["/my/pending-opportunities", "/my/pending-opportunities/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_pending_opportunities(self, page=1, sortby=None, **kw):
        partner = self._facilitator_partner()
        if not partner:
            return self._render_not_facilitator()
        Lead = request.env["crm.lead"].sudo()
        pending = Domain(Lead._network_domain_pending())
        filter_domain, filters = self._pending_filters(kw)
        domain = pending & filter_domain

        sortings = self._pending_searchbar_sortings()
        if sortby not in sortings:
            sortby = "deadline"
        url_args = dict(filters, sortby=sortby)
        total = Lead.search_count(domain)
        pager = portal_pager(
            url="/my/pending-opportunities",
            url_args=url_args,
            total=total,
            page=page,
            step=self._opportunities_per_page,
        )
        leads = Lead.search_fetch(
            domain,
            Lead._network_public_fields(),
            order=sortings[sortby]["order"],
            limit=self._opportunities_per_page,
            offset=pager["offset"],
        )
        applications = self._my_applications(partner, leads)
        blockers = partner._facilitator_apply_blockers(
            leads.filtered(lambda lead: lead.id not in applications)
        )
        # filter options: what the pending opportunities offer (two aggregate queries)
        countries = request.env["res.country"].union(
            *(country for [country] in Lead._read_group(pending, ["country_id"]) if country)
        )
        languages = request.env["res.lang"].union(
            *(lang for [lang] in Lead._read_group(pending, ["lang_id"]) if lang)
        )

        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pending_opportunities",
                "default_url": "/my/pending-opportunities",
                "leads": leads,
                "applications": applications,
                "blockers": blockers,
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "filters": filters,
                "group_options": self._selection("crm.lead", "routing_type"),
                "format_options": self._selection("crm.lead", "workshop_format"),
                "country_options": countries.sorted("name"),
                "lang_options": languages.sorted("name"),
                "total": total,
            }
        )
        return request.render("crm_facilitator_network.portal_pending_opportunities", values)

    def _render_pending_lead(self, lead, partner, error=None, form=None, status=200, **extra):
        application = self._my_applications(partner, lead).get(lead.id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "pending_opportunity",
                "network_lead": lead,
                "application": application,
                "blocker": False if application else partner._facilitator_apply_blocker(lead),
                "error": error,
                "form": form or {},
                **extra,
            }
        )
        return request.render(
            "crm_facilitator_network.portal_pending_opportunity", values, status=status
        )

    @http.route(
        "/my/pending-opportunities/<int:lead_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_pending_opportunity(self, lead_id, applied=None, **kw):
        partner = self._facilitator_partner()
        lead = partner and self._pending_lead(lead_id, partner)
        if not lead:
            raise request.not_found()
        return self._render_pending_lead(lead, partner, applied=bool(applied))

    @http.route(
        "/my/pending-opportunities/<int:lead_id>/apply",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_pending_opportunity_apply(self, lead_id, **post):
        partner = self._facilitator_partner()
        lead = partner and self._pending_lead(lead_id, partner)
        if not lead:
            raise request.not_found()
        form = {
            key: _parse_text(post.get(key))
            for key in ("motivation", "availability", "proposed_team")
        }
        if not form["motivation"]:
            return self._render_pending_lead(
                lead,
                partner,
                error=_("Tell us why you want to coordinate this workshop."),
                form=form,
            )
        try:
            with request.env.cr.savepoint():
                request.env["facilitator.application"].sudo()._submit(lead, partner, form)
        except (UserError, ValidationError, psycopg2.IntegrityError) as error:
            message = self._error_message(
                error, conflict=_("You have already applied to this opportunity.")
            )
            return self._render_pending_lead(lead, partner, error=message, form=form)
        return request.redirect(f"/my/pending-opportunities/{lead.id}?applied=1")

    @http.route(
        "/my/applications/<int:application_id>/withdraw",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_application_withdraw(self, application_id, **post):
        partner = self._facilitator_partner()
        application = request.env["facilitator.application"].sudo()
        if partner and parse_id(application_id):
            application = application.browse(application_id).exists()
        if not application or application.partner_id != partner:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                application.action_withdraw()
        except (UserError, ValidationError) as error:
            return self._render_coordination_opportunities(
                partner, error=self._error_message(error)
            )
        return request.redirect("/my/coordination-opportunities?message=withdrawn")

    # ------------------------------------------------------------------
    # Coordination opportunities
    # ------------------------------------------------------------------

    def _render_coordination_opportunities(self, partner, error=None, message=None):
        env = request.env
        applications = (
            env["facilitator.application"]
            .sudo()
            .search([("partner_id", "=", partner.id)], order="create_date desc, id desc")
        )
        coordinations = (
            env["crm.lead"]
            .sudo()
            .search([("coordinator_id", "=", partner.id)], order="wished_date_from desc, id desc")
        )
        memberships = (
            env["facilitator.team.member"]
            .sudo()
            .search(
                [("partner_id", "=", partner.id), ("role", "!=", "coordinator")],
                order="create_date desc, id desc",
            )
        )
        # only these public fields of the leads are rendered; load them in one query
        (applications.lead_id | coordinations | memberships.lead_id).fetch(
            env["crm.lead"]._network_public_fields()
        )
        messages = {
            "withdrawn": _("Your application has been withdrawn."),
            "accepted": _("You joined the team."),
            "declined": _("You declined the invitation."),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "coordination_opportunities",
                "applications": applications,
                "coordinations": coordinations,
                "memberships": memberships,
                "error": error,
                "message": messages.get(message),
            }
        )
        return request.render("crm_facilitator_network.portal_coordination_opportunities", values)

    @http.route(
        "/my/coordination-opportunities", type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_coordination_opportunities(self, message=None, **kw):
        partner = self._facilitator_partner()
        if not partner:
            return self._render_not_facilitator()
        return self._render_coordination_opportunities(partner, message=message)

    def _invite_search(self, lead, kw):
        """Parse the invite search form; run the search only when asked."""
        search = {
            "level_id": parse_id(kw.get("level")),
            "lang_id": parse_id(kw.get("lang")),
            "country_id": parse_id(kw.get("country")),
            "state_id": parse_id(kw.get("region")),
        }
        if not kw.get("search"):
            return search, None
        candidates = (
            request.env["facilitator.team.member"]
            .sudo()
            ._search_invitable_facilitators(lead, **search)
        )
        return search, candidates

    def _render_coordination_lead(
        self, lead, partner, is_coordinator, membership, error=None, message=None, kw=None
    ):
        env = request.env
        kw = kw or {}
        search, candidates = self._invite_search(lead, kw) if is_coordinator else ({}, None)
        messages = {
            "invited": _("The invitation has been sent."),
            "shared": _("Your team now sees the client's details."),
            "unshared": _("Your team no longer sees the client's details."),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "coordination_opportunity",
                "network_lead": lead,
                "is_coordinator": is_coordinator,
                "membership": membership,
                "client_visible": lead._network_client_visible_to(partner),
                "team": lead.facilitator_team_member_ids.sorted(
                    lambda m: (m.role != "coordinator", m.id)
                ),
                "error": error,
                "message": messages.get(message),
                "search": search,
                "candidates": candidates,
            }
        )
        if is_coordinator:
            region_domain = [("country_id", "=", search["country_id"] or lead.country_id.id)]
            values.update(
                {
                    "level_options": env["facilitator.level"].sudo().search([]),
                    "lang_options": self._all_languages(),
                    "country_options": env["res.country"].sudo().search([], order="name"),
                    "region_options": env["res.country.state"]
                    .sudo()
                    .search(region_domain, order="name"),
                    "role_options": [
                        (key, label)
                        for key, label in self._selection("facilitator.team.member", "role")
                        if key != "coordinator"
                    ],
                }
            )
        return request.render("crm_facilitator_network.portal_coordination_opportunity", values)

    @http.route(
        "/my/coordination-opportunities/<int:lead_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_coordination_opportunity(self, lead_id, message=None, **kw):
        partner = self._facilitator_partner()
        access = partner and self._coordination_access(lead_id, partner)
        if not access:
            raise request.not_found()
        lead, is_coordinator, membership = access
        return self._render_coordination_lead(
            lead, partner, is_coordinator, membership, message=message, kw=kw
        )

    @http.route(
        "/my/coordination-opportunities/<int:lead_id>/invite",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_coordination_invite(self, lead_id, partner_id=None, role=None, **post):
        partner = self._facilitator_partner()
        access = partner and self._coordination_access(lead_id, partner)
        if not access or not access[1]:
            raise request.not_found()
        lead = access[0]
        roles = dict(self._selection("facilitator.team.member", "role"))
        invitee = request.env["res.partner"].sudo()
        if parse_id(partner_id):
            invitee = invitee.browse(int(partner_id)).exists()
        error = None
        if not invitee:
            error = _("Choose a facilitator to invite.")
        elif role not in roles or role == "coordinator":
            error = _("Choose the role of the facilitator you invite.")
        else:
            try:
                with request.env.cr.savepoint():
                    request.env["facilitator.team.member"].sudo()._invite(
                        lead, partner, invitee, role
                    )
            except (UserError, ValidationError, psycopg2.IntegrityError) as exc:
                error = self._error_message(exc)
        if error:
            return self._render_coordination_lead(lead, partner, True, access[2], error=error)
        return request.redirect(f"/my/coordination-opportunities/{lead.id}?message=invited")

    @http.route(
        "/my/coordination-opportunities/<int:lead_id>/share",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_coordination_share(self, lead_id, share=None, **post):
        partner = self._facilitator_partner()
        access = partner and self._coordination_access(lead_id, partner)
        if not access or not access[1]:
            raise request.not_found()
        lead = access[0]
        shared = share == "1"
        lead.write({"share_client_with_team": shared})
        message = "shared" if shared else "unshared"
        return request.redirect(f"/my/coordination-opportunities/{lead.id}?message={message}")

    def _team_invitation_action(self, member_id, action):
        partner = self._facilitator_partner()
        member = request.env["facilitator.team.member"].sudo()
        if partner and parse_id(member_id):
            member = member.browse(member_id).exists()
        if not member or member.partner_id != partner:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                getattr(member, action)()
        except (UserError, ValidationError) as error:
            return self._render_coordination_opportunities(
                partner, error=self._error_message(error)
            )
        message = "accepted" if action == "action_accept" else "declined"
        return request.redirect(f"/my/coordination-opportunities?message={message}")

    @http.route(
        "/my/team-invitations/<int:member_id>/accept",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_team_invitation_accept(self, member_id, **post):
        return self._team_invitation_action(member_id, "action_accept")

    @http.route(
        "/my/team-invitations/<int:member_id>/decline",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_team_invitation_decline(self, member_id, **post):
        return self._team_invitation_action(member_id, "action_decline")

    # ------------------------------------------------------------------
    # Facilitator profile
    # ------------------------------------------------------------------

    def _render_facilitator_profile(self, partner, error=None, message=None, form=None):
        env = request.env
        if form is None:
            form = {
                "facilitator_commercial": partner.facilitator_commercial,
                "facilitator_legal_name": partner.facilitator_legal_name or "",
                "company_registry": partner.company_registry or "",
                "vat": partner.vat or "",
                "facilitator_lang_ids": partner.facilitator_lang_ids.ids,
                "facilitator_country_ids": partner.facilitator_country_ids.ids,
                "facilitator_state_ids": partner.facilitator_state_ids.ids,
            }
        country_ids = form["facilitator_country_ids"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "facilitator_profile",
                "partner": partner,
                "form": form,
                "error": error,
                "message": message,
                "lang_options": self._all_languages(),
                "country_options": env["res.country"].sudo().search([], order="name"),
                # regions of the countries served, and those already chosen
                "region_options": env["res.country.state"]
                .sudo()
                .search(
                    [
                        "|",
                        ("country_id", "in", country_ids),
                        ("id", "in", form["facilitator_state_ids"]),
                    ],
                    order="country_id, name",
                ),
            }
        )
        return request.render("crm_facilitator_network.portal_facilitator_profile", values)

    @http.route(
        "/my/facilitator-profile", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_facilitator_profile(self, **post):
        partner = self._facilitator_partner()
        if not partner:
            return self._render_not_facilitator()
        if request.httprequest.method != "POST":
            message = _("Your profile has been saved.") if post.get("saved") else None
            return self._render_facilitator_profile(partner, message=message)
        form_data = request.httprequest.form

        def ids(name):
            return list(
                dict.fromkeys(value for value in map(parse_id, form_data.getlist(name)) if value)
            )

        values = {
            "facilitator_commercial": bool(post.get("facilitator_commercial")),
            "facilitator_legal_name": _parse_text(post.get("facilitator_legal_name")),
            "company_registry": _parse_text(post.get("company_registry")),
            "vat": _parse_text(post.get("vat")),
            "facilitator_lang_ids": ids("facilitator_lang_ids"),
            "facilitator_country_ids": ids("facilitator_country_ids"),
            "facilitator_state_ids": ids("facilitator_state_ids"),
        }
        try:
            with request.env.cr.savepoint():
                partner._facilitator_portal_write(values)
        except (UserError, ValidationError) as error:
            return self._render_facilitator_profile(
                partner, error=self._error_message(error), form=values
            )
        return request.redirect("/my/facilitator-profile?saved=1")
