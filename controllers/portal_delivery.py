"""Subcontracting delivery in the facilitator portal: the coordinator's
checklist and delivery confirmation, and the upload of their own invoice by
facilitators outside France. Thin: checks ownership, parses, calls the model."""

from werkzeug.urls import url_encode

from odoo import _, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

CHECKLIST = [
    "coordination_team_formed",
    "coordination_debrief_ready",
    "coordination_logistics_confirmed",
]
MAX_UPLOAD = 10 * 1024 * 1024


class DeliveryPortal(CustomerPortal):
    def _delivery_partner(self):
        partner = request.env.user.partner_id.sudo()
        return partner if partner.is_facilitator else None

    def _delivery_leads(self, partner):
        return (
            request.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("coordinator_id", "=", partner.id),
                    ("routing_type", "=", "subcontracting"),
                ],
                order="id desc",
            )
        )

    def _delivery_bills_to_upload(self, partner):
        return (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("move_type", "=", "in_invoice"),
                    ("state", "=", "draft"),
                    ("facilitator_invoice_to_check", "=", True),
                ],
                order="id desc",
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "delivery_count" in counters:
            partner = self._delivery_partner()
            values["delivery_count"] = (
                request.env["facilitation.session.role"]
                .sudo()
                .search_count([("partner_id", "=", partner.id)])
                if partner
                else 0
            )
        return values

    @http.route("/my/deliveries", type="http", auth="user", website=True)
    def portal_my_deliveries(self, **kwargs):
        partner = self._delivery_partner()
        if not partner:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "deliveries",
                "partner": partner,
                "leads": self._delivery_leads(partner),
                "my_roles": request.env["facilitation.session.role"]
                .sudo()
                .search([("partner_id", "=", partner.id)], order="session_date desc, id"),
                "bills_to_upload": self._delivery_bills_to_upload(partner),
                "message": kwargs.get("message"),
                "error": kwargs.get("error"),
            }
        )
        return request.render("crm_facilitator_network.portal_my_deliveries", values)

    def _redirect(self, error=None, message=None):
        params = {"error": error} if error else {"message": message} if message else {}
        return request.redirect("/my/deliveries" + ("?" + url_encode(params) if params else ""))

    @http.route(
        "/my/deliveries/<int:lead_id>/checklist",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_delivery_checklist(self, lead_id, **post):
        partner = self._delivery_partner()
        lead = request.env["crm.lead"].sudo().browse(lead_id).exists()
        if not partner or not lead or lead.coordinator_id != partner:
            return request.not_found()
        lead.write({fname: bool(post.get(fname)) for fname in CHECKLIST})
        return self._redirect(message=_("Checklist saved."))

    @http.route(
        "/my/deliveries/session/<int:session_id>/confirm",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_delivery_confirm(self, session_id, attendee_count=None, **post):
        partner = self._delivery_partner()
        session = request.env["facilitation.session"].sudo().browse(session_id).exists()
        if not partner or not session or session.lead_id.coordinator_id != partner:
            return request.not_found()
        try:
            session._portal_confirm_delivery(partner, attendee_count)
        except (UserError, ValidationError) as error:
            return self._redirect(error=str(error.args[0]))
        return self._redirect(message=_("Delivery confirmed. Thank you!"))

    @http.route(
        "/my/deliveries/bill/<int:move_id>/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_delivery_upload(
        self, move_id, invoice_file=None, invoice_number=None, invoice_amount=None, **post
    ):
        partner = self._delivery_partner()
        move = request.env["account.move"].sudo().browse(move_id).exists()
        if not partner or not move or move not in self._delivery_bills_to_upload(partner):
            return request.not_found()
        content = invoice_file.read(MAX_UPLOAD + 1) if invoice_file else b""
        if len(content) > MAX_UPLOAD:
            return self._redirect(error=_("The file is too large (10 MB at most)."))
        try:
            amount = float((invoice_amount or "").replace(",", "."))
        except ValueError:
            return self._redirect(error=_("Give the total of your invoice, e.g. 550.00."))
        try:
            move._attach_facilitator_invoice(
                invoice_file.filename if invoice_file else None,
                content,
                (invoice_number or "").strip(),
                amount,
            )
        except (UserError, ValidationError) as error:
            return self._redirect(error=str(error.args[0]))
        return self._redirect(message=_("Invoice received: accounting will check it."))
