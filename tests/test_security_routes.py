"""Issue 6: every route of the addon, as a visitor, without a CSRF token,
with someone else's ids and with garbage ids.

``ROUTES`` lists every route of the addon's controllers; the first test
asserts it matches the routes Odoo registers for them, so that a new route
without a line here fails the suite.
"""

import logging

from odoo.http import Request, _generate_routing_rules
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .security_common import DECLARATION_SECRET, MODULE, SecurityFixtures

_logger = logging.getLogger(__name__)

PUBLIC, USER = "public", "user"
# (route, methods) -> who may call it. Public pages answer visitors; the
# others send them to the login page.
ROUTES = {
    ("/workshop-request", ("GET",)): PUBLIC,
    ("/workshop-request/submit", ("POST",)): PUBLIC,
    ("/workshop-request/thank-you", ("GET",)): PUBLIC,
    ("/my/pending-opportunities", ("GET",)): USER,
    ("/my/pending-opportunities/page/<int:page>", ("GET",)): USER,
    ("/my/pending-opportunities/<int:lead_id>", ("GET",)): USER,
    ("/my/pending-opportunities/<int:lead_id>/apply", ("POST",)): USER,
    ("/my/applications/<int:application_id>/withdraw", ("POST",)): USER,
    ("/my/coordination-opportunities", ("GET",)): USER,
    ("/my/coordination-opportunities/<int:lead_id>", ("GET",)): USER,
    ("/my/coordination-opportunities/<int:lead_id>/invite", ("POST",)): USER,
    ("/my/coordination-opportunities/<int:lead_id>/share", ("POST",)): USER,
    ("/my/team-invitations/<int:member_id>/accept", ("POST",)): USER,
    ("/my/team-invitations/<int:member_id>/decline", ("POST",)): USER,
    ("/my/facilitator-profile", ("GET", "POST")): USER,
    ("/my/fee-declarations", ("GET",)): USER,
    ("/my/fee-declarations/<int:declaration_id>", ("GET",)): USER,
    ("/my/fee-declarations/new", ("GET", "POST")): USER,
    ("/my/deliveries", ("ANY",)): USER,
    ("/my/deliveries/<int:lead_id>/checklist", ("POST",)): USER,
    ("/my/deliveries/session/<int:session_id>/confirm", ("POST",)): USER,
    ("/my/deliveries/bill/<int:move_id>/upload", ("POST",)): USER,
}
GARBAGE_IDS = ("0", "-1", "99999999", "abc", str(2**31), str(2**63), "1e3", "%20", "1;DROP")
ID_PARAMS = (
    "<int:lead_id>",
    "<int:application_id>",
    "<int:member_id>",
    "<int:declaration_id>",
    "<int:session_id>",
    "<int:move_id>",
    "<int:page>",
)


@tagged("post_install", "-at_install", "security")
class TestSecurityRoutes(SecurityFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_security_fixtures()
        # open, nobody applied yet: A's apply would go through
        cls.lead_fresh = cls._sec_lead("lead_fresh", "Security Fresh Workshop")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def login(self, role):
        if role == "public":
            self.authenticate(None, None)
        else:
            user = self.users[role]
            self.authenticate(user.login, user.login)

    def post(self, url, data=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = Request.csrf_token(self)
        return self.url_open(url, data=data, method="POST", allow_redirects=False)

    def get(self, url):
        return self.url_open(url, allow_redirects=False)

    def snapshot(self):
        """Everything the POST routes could change."""
        self.env.invalidate_all()
        env = self.env
        leads = self.lead_open | self.lead_staffed | self.lead_a_only | self.lead_draft
        leads |= self.lead_fresh
        partner = self.partner_a
        return {
            "leads": env["crm.lead"].with_context(active_test=False).search_count([]),
            "applications": sorted(
                env["facilitator.application"].search([]).mapped(lambda a: (a.id, a.state))
            ),
            "members": sorted(
                env["facilitator.team.member"].search([]).mapped(lambda m: (m.id, m.state))
            ),
            "lead_state": [
                (lead.network_state, lead.coordinator_id.id, lead.share_client_with_team)
                for lead in leads
            ],
            "sessions": sorted(
                env["facilitation.session"].search([]).mapped(lambda s: (s.id, s.state))
            ),
            "bills": sorted(
                env["account.move"]
                .search([])
                .mapped(
                    lambda m: (m.id, m.state, m.facilitator_invoice_to_check, len(m.attachment_ids))
                )
            ),
            "checklist": (
                self.lead_sub.coordination_team_formed,
                self.lead_a_only.coordination_team_formed,
            ),
            "declarations": sorted(
                env["fee.declaration"].search([]).mapped(lambda d: (d.id, d.state))
            ),
            "profile_a": (
                partner.facilitator_legal_name,
                partner.vat,
                partner.facilitator_commercial,
                partner.facilitator_level_id.id,
            ),
        }

    def routes_of(self, route, lead=None, application=None, member=None, page=1):
        lead = lead or self.lead_a_only
        return (
            route.replace("<int:lead_id>", str(lead.id))
            .replace("<int:application_id>", str((application or self.app_a).id))
            .replace("<int:member_id>", str((member or self.member_b_invited).id))
            .replace("<int:declaration_id>", str(self.decl_a.id))
            .replace("<int:session_id>", str(self.session_a.id))
            .replace("<int:move_id>", str(self.bill_a.id))
            .replace("<int:page>", str(page))
        )

    def assertNo500(self, response, where):
        self.assertLess(response.status_code, 500, f"{where}: {response.text[:800]}")
        self.assertNoTraceback(response.text, where)

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_00_routes_table_is_complete(self):
        modules = self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        registered = set()
        for url, endpoint in _generate_routing_rules(modules, nodb_only=False):
            if endpoint.__module__.startswith(f"odoo.addons.{MODULE}."):
                methods = tuple(sorted(endpoint.routing.get("methods") or ("ANY",)))
                registered.add((url, methods))
        listed = {(url, tuple(sorted(methods))) for url, methods in ROUTES}
        self.assertEqual(
            listed,
            registered,
            f"Routes without a security test: {sorted(registered - listed)}; "
            f"listed but gone: {sorted(listed - registered)}",
        )

    def test_anonymous(self):
        """Visitors: public pages answer, every other route sends to the login page."""
        before = self.snapshot()
        for (route, methods), auth in ROUTES.items():
            url = self.routes_of(route)
            for method in ("GET", "POST") if methods == ("ANY",) else methods:
                where = f"anonymous {method} {url}"
                self.authenticate(None, None)
                if method == "GET":
                    response = self.get(url)
                else:
                    # a real token of the visitor's session: the login wall comes first
                    self.get("/workshop-request")
                    response = self.post(url, {"motivation": "anonymous", "share": "1"})
                self.assertNo500(response, where)
                if auth == PUBLIC:
                    self.assertIn(response.status_code, (200, 303), where)
                    continue
                self.assertIn(response.status_code, (302, 303), where)
                self.assertIn("/web/login", response.headers.get("Location", ""), where)
        self.assertEqual(self.snapshot(), before)

    def test_post_without_csrf(self):
        """Every POST without its token: 400, and nothing changes, even when
        the same post with a token would go through."""
        posts = [
            (
                "public",
                "/workshop-request/submit",
                {
                    "organisation": "No Token Org",
                    "contact_name": "No Token",
                    "email": "no.token@example.org",
                },
            ),
            ("fac_a", f"/my/pending-opportunities/{self.lead_fresh.id}/apply", {"motivation": "m"}),
            ("fac_a", f"/my/applications/{self.app_a.id}/withdraw", {}),
            (
                "fac_a",
                f"/my/coordination-opportunities/{self.lead_a_only.id}/invite",
                {
                    "partner_id": self.partner_b.id,
                    "role": "facilitator",
                },
            ),
            (
                "fac_a",
                f"/my/coordination-opportunities/{self.lead_a_only.id}/share",
                {"share": "1"},
            ),
            ("fac_b", f"/my/team-invitations/{self.member_b_invited.id}/accept", {}),
            ("fac_b", f"/my/team-invitations/{self.member_b_invited.id}/decline", {}),
            (
                "fac_a",
                "/my/facilitator-profile",
                {
                    "facilitator_legal_name": "Hijacked SARL",
                    "vat": "FR00000000000",
                },
            ),
            (
                "fac_a",
                f"/my/deliveries/{self.lead_sub.id}/checklist",
                {
                    "coordination_team_formed": "1",
                },
            ),
            (
                "fac_a",
                f"/my/deliveries/session/{self.session_a.id}/confirm",
                {
                    "attendee_count": "12",
                },
            ),
            (
                "fac_a",
                f"/my/deliveries/bill/{self.bill_a.id}/upload",
                {
                    "invoice_number": "A-1",
                    "invoice_amount": "321",
                },
            ),
            ("fac_a", "/my/deliveries", {}),
            (
                "fac_a",
                "/my/fee-declarations/new",
                {
                    "period_start": str(self.decl_a.period_start),
                    "category": "contribution",
                    "amount_invoiced": "100",
                    "action": "submit",
                },
            ),
        ]
        self.assertEqual(
            {url for _role, url, _data in posts},
            {
                self.routes_of(
                    route,
                    lead=self.lead_fresh
                    if "apply" in route
                    else self.lead_sub
                    if "checklist" in route
                    else None,
                )
                for (route, methods) in ROUTES
                if "POST" in methods or "ANY" in methods
            },
            "every POST route is tried without its token",
        )
        before = self.snapshot()
        for role, url, data in posts:
            self.login(role)
            with mute_logger("odoo.http"):
                response = self.post(url, data, csrf=False)
            self.assertEqual(response.status_code, 400, f"{role} POST {url} without a token")
            self.assertNoTraceback(response.text, url)
            self.assertEqual(self.snapshot(), before, f"{role} POST {url} changed something")

    def test_idor(self):
        """Someone else's ids: 403 or 404, none of the other's data, nothing changed."""
        before = self.snapshot()
        attempts = [
            # B on A's coordination (B is not in its team)
            ("fac_b", "GET", f"/my/coordination-opportunities/{self.lead_a_only.id}", {}),
            (
                "fac_b",
                "POST",
                f"/my/coordination-opportunities/{self.lead_a_only.id}/invite",
                {"partner_id": self.partner_b.id, "role": "trainer"},
            ),
            (
                "fac_b",
                "POST",
                f"/my/coordination-opportunities/{self.lead_a_only.id}/share",
                {"share": "1"},
            ),
            # B is invited to lead_staffed, but only its coordinator invites and shares
            (
                "fac_b",
                "POST",
                f"/my/coordination-opportunities/{self.lead_staffed.id}/invite",
                {"partner_id": self.partner_b.id, "role": "trainer"},
            ),
            (
                "fac_b",
                "POST",
                f"/my/coordination-opportunities/{self.lead_staffed.id}/share",
                {"share": "1"},
            ),
            # a staffed lead B never applied to is not a pending opportunity for B
            ("fac_b", "GET", f"/my/pending-opportunities/{self.lead_a_only.id}", {}),
            (
                "fac_b",
                "POST",
                f"/my/pending-opportunities/{self.lead_a_only.id}/apply",
                {"motivation": "mine now"},
            ),
            # an unpublished lead, for anyone
            ("fac_a", "GET", f"/my/pending-opportunities/{self.lead_draft.id}", {}),
            (
                "fac_a",
                "POST",
                f"/my/pending-opportunities/{self.lead_draft.id}/apply",
                {"motivation": "draft"},
            ),
            # B withdraws A's application
            ("fac_b", "POST", f"/my/applications/{self.app_a.id}/withdraw", {}),
            # A (the coordinator) answers B's invitation
            ("fac_a", "POST", f"/my/team-invitations/{self.member_b_invited.id}/accept", {}),
            ("fac_a", "POST", f"/my/team-invitations/{self.member_b_invited.id}/decline", {}),
            # B answers A's own coordinator membership
            ("fac_b", "POST", f"/my/team-invitations/{self.member_a_coordinator.id}/decline", {}),
            # B reads A's fee declaration
            ("fac_b", "GET", f"/my/fee-declarations/{self.decl_a.id}", {}),
            # B on A's deliveries: checklist, session, bill
            (
                "fac_b",
                "POST",
                f"/my/deliveries/{self.lead_sub.id}/checklist",
                {"coordination_team_formed": "1"},
            ),
            (
                "fac_b",
                "POST",
                f"/my/deliveries/session/{self.session_a.id}/confirm",
                {"attendee_count": "12"},
            ),
            (
                "fac_b",
                "POST",
                f"/my/deliveries/bill/{self.bill_a.id}/upload",
                {"invoice_number": "B-1", "invoice_amount": "321"},
            ),
        ]
        # a portal user who is not a facilitator, and the API user, on A's records
        for role in ("portal", "api"):
            for url in (
                f"/my/pending-opportunities/{self.lead_open.id}",
                f"/my/coordination-opportunities/{self.lead_a_only.id}",
            ):
                attempts.append((role, "GET", url, {}))
            attempts += [
                (
                    role,
                    "POST",
                    f"/my/pending-opportunities/{self.lead_open.id}/apply",
                    {"motivation": "x"},
                ),
                (role, "POST", f"/my/applications/{self.app_a.id}/withdraw", {}),
                (role, "POST", f"/my/team-invitations/{self.member_b_invited.id}/accept", {}),
                (
                    role,
                    "POST",
                    f"/my/coordination-opportunities/{self.lead_a_only.id}/share",
                    {"share": "1"},
                ),
                (role, "GET", f"/my/fee-declarations/{self.decl_a.id}", {}),
                (role, "GET", "/my/deliveries", {}),
                (
                    role,
                    "POST",
                    f"/my/deliveries/session/{self.session_a.id}/confirm",
                    {"attendee_count": "12"},
                ),
                (role, "GET", "/my/fee-declarations", {}),
                (role, "GET", "/my/fee-declarations/new", {}),
                (
                    role,
                    "POST",
                    "/my/fee-declarations/new",
                    {
                        "period_start": str(self.decl_a.period_start),
                        "category": "contribution",
                        "amount_invoiced": "100",
                        "action": "submit",
                    },
                ),
            ]
        for role, method, url, data in attempts:
            where = f"{role} {method} {url}"
            self.login(role)
            response = self.get(url) if method == "GET" else self.post(url, data)
            self.assertIn(response.status_code, (403, 404), where)
            self.assertNo500(response, where)
            self.assertNoSecrets(
                response.text, "lead_a_only", "lead_staffed", "lead_draft", "lead_sub", where=where
            )
            for foreign in (
                "A wants it",
                "Security A-only Workshop",
                "Security Draft Workshop",
                DECLARATION_SECRET,
                "4,321",
            ):
                self.assertNotIn(foreign, response.text, where)
            self.assertEqual(self.snapshot(), before, f"{where} changed something")

    def test_pages_show_no_client_before_selection(self):
        """Lists and cards: a facilitator sees the public fields of what they
        may see, and the client only of what they coordinate."""
        self.login("fac_b")
        for url in (
            "/my/pending-opportunities",
            f"/my/pending-opportunities/{self.lead_open.id}",
            "/my/coordination-opportunities",
            f"/my/coordination-opportunities/{self.lead_staffed.id}",  # invited, not shared
            "/my",
            "/my/fee-declarations",
            "/my/fee-declarations/new",
        ):
            response = self.get(url)
            self.assertEqual(response.status_code, 200, f"{url}: {response.text[-3000:]}")
            self.assertNoSecrets(
                response.text,
                *("lead_open", "lead_staffed", "lead_a_only", "lead_draft"),
                where=f"fac_b {url}",
            )
            self.assertNotIn("A wants it", response.text, url)
            self.assertNotIn(DECLARATION_SECRET, response.text, url)
        self.login("fac_a")
        response = self.get(f"/my/coordination-opportunities/{self.lead_a_only.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("alix@aonly-secret.example", response.text, "the coordinator sees the client")
        self.assertNoSecrets(response.text, "lead_open", "lead_staffed", "lead_draft")

    def test_garbage_ids(self):
        """Ids that are not ids: never a 500, never a page of someone's data."""
        checked = 0
        for role in ("fac_a", "portal", "public"):
            self.login(role)
            for (route, methods), _auth in ROUTES.items():
                if not any(param in route for param in ID_PARAMS):
                    continue
                for garbage in GARBAGE_IDS:
                    url = route
                    for param in ID_PARAMS:
                        url = url.replace(param, garbage)
                    for method in ("GET", "POST") if methods == ("ANY",) else methods:
                        where = f"{role} {method} {url}"
                        response = (
                            self.get(url)
                            if method == "GET"
                            else self.post(url, {"motivation": "x", "share": "1"})
                        )
                        checked += 1
                        self.assertNo500(response, where)
                        if role == "public":
                            self.assertIn(response.status_code, (302, 303, 404), where)
                        elif "/page/" in route and role == "fac_a":
                            self.assertIn(response.status_code, (200, 404), where)
                        else:
                            self.assertIn(response.status_code, (403, 404), where)
                        self.assertNoSecrets(
                            response.text,
                            "lead_a_only",
                            "lead_staffed",
                            "lead_open",
                            "lead_draft",
                            where=where,
                        )
        _logger.info("Garbage ids: %s requests, no 500", checked)
