"""Client-introduction fee declarations in the facilitator portal.

Thin: parse what was typed, let ``fee.declaration`` check and compute
(``_fee_preview`` / ``_fee_portal_submit``), render. The form is sent twice:
*Preview* shows the fees computed by the server, *Submit* saves. Nothing is
saved while anything is wrong. A submitted declaration is read-only here.
"""

from datetime import date

import psycopg2

from odoo import _, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal_input import parse_amount, parse_id

NOTE_MAX = 2000


class FeeDeclarationPortal(CustomerPortal):
    def _fee_partner(self):
        partner = request.env.user.partner_id.sudo()
        return partner if partner.is_facilitator else None

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fee_declaration_count" in counters:
            partner = self._fee_partner()
            values["fee_declaration_count"] = (
                request.env["fee.declaration"]
                .sudo()
                .search_count([("partner_id", "=", partner.id), ("state", "!=", "cancelled")])
                if partner
                else 0
            )
        return values

    def _fee_declarable_leads(self, partner):
        return (
            request.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("routing_type", "=", "client_introduction"),
                    ("network_state", "in", ("staffed", "closed")),
                    "|",
                    ("coordinator_id", "=", partner.id),
                    (
                        "facilitator_team_member_ids",
                        "any",
                        [("partner_id", "=", partner.id), ("state", "=", "accepted")],
                    ),
                ],
                order="wished_date_to desc, id desc",
            )
        )

    def _fee_form_values(self, partner, form=None, **extra):
        Declaration = request.env["fee.declaration"].sudo()
        company = request.env.company
        form = form or {}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "fee_declaration_new",
                "partner": partner,
                "periods": Declaration._fee_period_choices(company),
                "categories": Declaration._fields["category"]._description_selection(request.env),
                "leads": self._fee_declarable_leads(partner),
                "currencies": Declaration._fee_currencies(company),
                "default_currency": company.currency_id,
                "company": company,
                "usage_fee_rate": company.fee_usage_rate,
                "contribution_rate": company.fee_contribution_rate,
                "threshold": request.env["fee.threshold"]._fee_threshold_for(
                    company, partner.country_id
                ),
                "form": form,
                "preview": None,
                "error": None,
            }
        )
        values.update(extra)
        return values

    def _fee_parse_form(self, kw):
        period = kw.get("period_start")
        try:
            period_start = date.fromisoformat(period) if isinstance(period, str) else None
        except ValueError:
            period_start = None
        return {
            "period_start": period_start,
            "category": kw.get("category") or None,
            "lead_id": parse_id(kw.get("lead_id")),
            "amount_invoiced": parse_amount(kw.get("amount_invoiced")),
            "currency_id": parse_id(kw.get("currency_id")),
            "note": (kw.get("note") or "").strip()[:NOTE_MAX]
            if isinstance(kw.get("note"), str)
            else "",
        }

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route("/my/fee-declarations", type="http", auth="user", website=True, methods=["GET"])
    def portal_my_fee_declarations(self, message=None, **kw):
        partner = self._fee_partner()
        if not partner:
            return self._fee_not_facilitator()
        declarations = (
            request.env["fee.declaration"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("state", "!=", "draft")])
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "fee_declarations",
                "declarations": declarations,
                "message": _("Thank you, your declaration has been submitted.")
                if message == "submitted"
                else None,
                "error": None,
            }
        )
        return request.render("crm_facilitator_network.portal_my_fee_declarations", values)

    @http.route(
        "/my/fee-declarations/<int:declaration_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_fee_declaration(self, declaration_id, **kw):
        partner = self._fee_partner()
        declaration = (
            request.env["fee.declaration"]
            .sudo()
            .search([("id", "=", declaration_id), ("partner_id", "=", partner.id)])
            if partner
            else None
        )
        if not declaration:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "fee_declaration", "declaration": declaration})
        return request.render("crm_facilitator_network.portal_fee_declaration", values)

    @http.route(
        "/my/fee-declarations/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_fee_declaration_new(self, **kw):
        partner = self._fee_partner()
        if not partner:
            return self._fee_not_facilitator()
        if request.httprequest.method == "GET":
            form = {}
            if parse_id(kw.get("lead_id")):
                form = {"lead_id": parse_id(kw.get("lead_id")), "category": "usage_contribution"}
            return request.render(
                "crm_facilitator_network.portal_fee_declaration_form",
                self._fee_form_values(partner, form),
            )
        parsed = self._fee_parse_form(kw)
        form = {**kw, "lead_id": parsed["lead_id"], "currency_id": parsed["currency_id"]}
        Declaration = request.env["fee.declaration"].sudo()
        try:
            if kw.get("action") == "submit":
                with request.env.cr.savepoint():
                    Declaration._fee_portal_submit(partner, parsed, request.env.company)
                return request.redirect("/my/fee-declarations?message=submitted")
            preview = Declaration._fee_preview(partner, parsed, request.env.company)
        except (UserError, ValidationError) as error:
            return request.render(
                "crm_facilitator_network.portal_fee_declaration_form",
                self._fee_form_values(partner, form, error=error.args[0]),
                status=400,
            )
        except psycopg2.IntegrityError:
            return request.render(
                "crm_facilitator_network.portal_fee_declaration_form",
                self._fee_form_values(
                    partner,
                    form,
                    error=_(
                        "You have already declared this for this period: a declaration cannot "
                        "be made twice. Contact the association to correct it."
                    ),
                ),
                status=409,
            )
        return request.render(
            "crm_facilitator_network.portal_fee_declaration_form",
            self._fee_form_values(partner, form, preview=preview),
        )

    def _fee_not_facilitator(self):
        values = self._prepare_portal_layout_values()
        values["page_name"] = "facilitator_not_registered"
        return request.render("crm_facilitator_network.portal_not_facilitator", values, status=403)
