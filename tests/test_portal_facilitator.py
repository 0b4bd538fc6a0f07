"""Facilitator portal: tours (headless Chromium) and access checks (url_open).

Every test builds its own facilitators and opportunities; demo data may be
there too, so the assertions look for these records only.
"""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

CLIENT_EMAIL = "helga@client-tour.example"
CLIENT_NAME = "Client Tour ehf"
CLIENT_CONTACT = "Helga Client"


class PortalFacilitatorCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, no_reset_password=True, mail_create_nolog=True, mail_notrack=True
            )
        )
        ref = cls.env.ref
        cls.yellow = ref("crm_facilitator_network.facilitator_level_yellow")
        cls.green = ref("crm_facilitator_network.facilitator_level_green")
        cls.blue = ref("crm_facilitator_network.facilitator_level_blue")
        cls.iceland = ref("base.is")
        cls.france = ref("base.fr")
        cls.lang_en = ref("base.lang_en")
        cls.lang_fr = ref("base.lang_fr")
        cls.gus = cls._facilitator("Gus Green", "cfn.gus.green", cls.green, cls.iceland)
        cls.bella = cls._facilitator("Bella Blue", "cfn.bella.blue", cls.blue, cls.iceland)
        cls.yves = cls._facilitator("Yves Yellow", "cfn.yves.yellow", cls.yellow, cls.iceland)
        cls.tina = cls._facilitator("Tina Team", "cfn.tina.team", cls.green, cls.iceland)
        cls.plain = new_test_user(
            cls.env,
            "cfn.paula.plain",
            groups="base.group_portal",
            password="cfn.paula.plain",
            name="Paula Plain",
        )
        today = fields.Date.today()
        cls.lead_ci = cls._lead(
            "Reykjavik request",
            cls.iceland,
            partner_name=CLIENT_NAME,
            contact_name=CLIENT_CONTACT,
            email_from=CLIENT_EMAIL,
            phone="+354 555 1234",
            public_title="Tour Workshop Reykjavik",
            city="Reykjavik",
            public_description="A workshop for the staff of a company.",
            wished_date_from=today + timedelta(days=40),
            wished_date_to=today + timedelta(days=45),
            application_deadline=today + timedelta(days=1),
        )
        cls.lead_sub = cls._lead(
            "Paris request",
            cls.france,
            partner_name="Client Tour Paris SA",
            contact_name="Pierre Client",
            email_from="pierre@client-tour-paris.example",
            public_title="Tour Workshop Paris",
            city="Paris",
            application_deadline=today + timedelta(days=2),
        )
        cls.lead_draft = cls._lead(
            "Draft request",
            cls.iceland,
            publish=False,
            public_title="Tour Workshop Draft",
            partner_name="Draft Client",
            email_from="draft@client.example",
            application_deadline=today + timedelta(days=3),
        )

    @classmethod
    def _facilitator(cls, name, login, level, country):
        user = new_test_user(
            cls.env,
            login,
            groups="base.group_portal",
            password=login,
            name=name,
            email=f"{login}@example.com",
        )
        user.partner_id.write(
            {
                "is_facilitator": True,
                "facilitator_level_id": level.id,
                "facilitator_commercial": True,
                "facilitator_legal_name": f"{name} EI",
                "company_registry": "12345678900011",
                "vat": "FR23334175221",
                "facilitator_lang_ids": [fields.Command.set(cls.lang_en.ids)],
                "facilitator_country_ids": [fields.Command.set(country.ids)],
            }
        )
        return user

    @classmethod
    def _lead(cls, name, country, publish=True, **values):
        lead = cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "country_id": country.id,
                "lang_id": cls.lang_en.id,
                "workshop_format": "in_person",
                "participant_count": 25,
                "audience": "company",
                **values,
            }
        )
        if publish:
            lead.action_publish_to_network()
        return lead

    # helpers

    def apply(self, user, lead, motivation="I know this audience well."):
        return (
            self.env["facilitator.application"]
            .sudo()
            ._submit(lead, user.partner_id, {"motivation": motivation})
        )

    def select(self, application):
        application.action_select()
        self.env.flush_all()

    def login(self, user):
        self.authenticate(user.login, user.login)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = Request.csrf_token(self)
        return self.url_open(url, data=data, **kwargs)

    def applications(self, user, lead):
        self.env.invalidate_all()
        return (
            self.env["facilitator.application"]
            .sudo()
            .search([("partner_id", "=", user.partner_id.id), ("lead_id", "=", lead.id)])
        )


@tagged("post_install", "-at_install")
class TestPortalTours(PortalFacilitatorCase):
    def test_00_data(self):
        self.assertEqual(self.lead_ci.routing_type, "client_introduction")
        self.assertEqual(self.lead_sub.routing_type, "subcontracting")
        self.assertEqual(self.lead_ci.min_level_coordinate_id, self.green)

    def test_tour_apply(self):
        """Browse, filter by group, apply; the application is listed with its group."""
        self.start_tour("/my/pending-opportunities", "cfn_portal_apply", login=self.gus.login)
        application = self.applications(self.gus, self.lead_ci)
        self.assertEqual(len(application), 1)
        self.assertEqual(application.state, "submitted")
        self.assertIn("twenty workshops", application.motivation)
        self.assertEqual(application.availability, "Weekdays in June")
        self.assertEqual(application.routing_type, "client_introduction")

    def test_tour_below_level(self):
        """A yellow facilitator sees why instead of Apply; a forced POST is refused."""
        self.start_tour(
            "/my/pending-opportunities", "cfn_portal_below_level", login=self.yves.login
        )
        self.login(self.yves)
        response = self.post(
            f"/my/pending-opportunities/{self.lead_ci.id}/apply", {"motivation": "Let me in"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("needs at least the Green level", response.text)
        self.assertFalse(self.applications(self.yves, self.lead_ci))

    def test_second_application_refused(self):
        self.apply(self.gus, self.lead_ci)
        self.login(self.gus)
        page = self.url_open(f"/my/pending-opportunities/{self.lead_ci.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_cfn_my_application", page.text)
        self.assertNotIn("o_cfn_apply_form", page.text)
        response = self.post(
            f"/my/pending-opportunities/{self.lead_ci.id}/apply", {"motivation": "Once more"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("You have already applied to this opportunity.", response.text)
        self.assertEqual(len(self.applications(self.gus, self.lead_ci)), 1)

    def test_second_application_refused_by_database(self):
        """Even if the checks let it through, the DB constraint refuses, the page says so."""
        self.apply(self.gus, self.lead_ci)
        self.login(self.gus)
        Partner = type(self.env["res.partner"])
        with (
            patch.object(Partner, "_facilitator_apply_blocker", return_value=False),
            mute_logger("odoo.sql_db"),
        ):
            response = self.post(
                f"/my/pending-opportunities/{self.lead_ci.id}/apply", {"motivation": "Race"}
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("You have already applied to this opportunity.", response.text)
        self.assertEqual(len(self.applications(self.gus, self.lead_ci)), 1)

    def test_tour_coordinator_sees_client(self):
        """Only the selected coordinator sees the client's details."""
        bella_application = self.apply(self.bella, self.lead_ci)
        gus_application = self.apply(self.gus, self.lead_ci)
        self.select(bella_application)
        self.assertEqual(gus_application.state, "not_selected")
        self.start_tour(
            "/my/coordination-opportunities", "cfn_portal_coordinator", login=self.bella.login
        )
        for user in (self.gus, self.tina):
            self.login(user)
            for url in (
                "/my/pending-opportunities",
                f"/my/pending-opportunities/{self.lead_ci.id}",
                "/my/coordination-opportunities",
                f"/my/coordination-opportunities/{self.lead_ci.id}",
            ):
                response = self.url_open(url)
                self.assertIn(response.status_code, (200, 404), url)
                for secret in (CLIENT_EMAIL, CLIENT_NAME, CLIENT_CONTACT):
                    self.assertNotIn(secret, response.text, f"{user.login} {url}")
        self.login(self.gus)
        self.assertEqual(
            self.url_open(f"/my/coordination-opportunities/{self.lead_ci.id}").status_code, 404
        )

    def test_tour_invite_and_accept(self):
        self.select(self.apply(self.bella, self.lead_ci))
        self.start_tour(
            "/my/coordination-opportunities",
            "cfn_portal_invite",
            login=self.bella.login,
        )
        self.env.invalidate_all()
        member = self.env["facilitator.team.member"].search(
            [("lead_id", "=", self.lead_ci.id), ("partner_id", "=", self.tina.partner_id.id)]
        )
        self.assertEqual(len(member), 1)
        self.assertEqual((member.state, member.role), ("invited", "facilitator"))
        self.assertEqual(member.invited_by_id, self.bella.partner_id)

        self.start_tour(
            "/my/coordination-opportunities", "cfn_portal_accept", login=self.tina.login
        )
        self.env.invalidate_all()
        self.assertEqual(member.state, "accepted")

        # the team member sees the client only once the coordinator shares it
        url = f"/my/coordination-opportunities/{self.lead_ci.id}"
        self.login(self.tina)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(CLIENT_EMAIL, page.text)
        self.assertNotIn("o_cfn_invite", page.text)
        self.assertEqual(self.post(f"{url}/share", {"share": "1"}).status_code, 404)
        self.login(self.bella)
        self.assertEqual(self.post(f"{url}/share", {"share": "1"}).status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(self.lead_ci.share_client_with_team)
        self.login(self.tina)
        self.assertIn(CLIENT_EMAIL, self.url_open(url).text)


@tagged("post_install", "-at_install")
class TestPortalAccess(PortalFacilitatorCase):
    def test_public_redirected_to_login(self):
        for url in (
            "/my/pending-opportunities",
            f"/my/pending-opportunities/{self.lead_ci.id}",
            "/my/coordination-opportunities",
            "/my/facilitator-profile",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertIn("/web/login", response.headers["Location"], url)

    def test_non_facilitator(self):
        self.login(self.plain)
        for url in (
            "/my/pending-opportunities",
            "/my/coordination-opportunities",
            "/my/facilitator-profile",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertIn("o_cfn_not_facilitator", response.text)
            self.assertNotIn("Tour Workshop", response.text)
        for url in (
            f"/my/pending-opportunities/{self.lead_ci.id}",
            f"/my/coordination-opportunities/{self.lead_ci.id}",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        response = self.post(
            f"/my/pending-opportunities/{self.lead_ci.id}/apply", {"motivation": "Me too"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.applications(self.plain, self.lead_ci))
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["pending_opportunity_count", "coordination_opportunity_count"]},
        )
        self.assertEqual(counters["pending_opportunity_count"], 0)
        self.assertEqual(counters["coordination_opportunity_count"], 0)

    def test_no_client_details_before_selection(self):
        self.login(self.gus)
        for url in ("/my/pending-opportunities", f"/my/pending-opportunities/{self.lead_ci.id}"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertIn("Tour Workshop Reykjavik", response.text)
            for secret in (
                CLIENT_EMAIL,
                CLIENT_NAME,
                CLIENT_CONTACT,
                "+354 555 1234",
                "Reykjavik request",
            ):
                self.assertNotIn(secret, response.text, url)

    def test_other_records_404(self):
        application = self.apply(self.gus, self.lead_ci)
        self.login(self.yves)
        response = self.post(f"/my/applications/{application.id}/withdraw")
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(application.state, "submitted")
        for url in (
            f"/my/coordination-opportunities/{self.lead_ci.id}",
            f"/my/pending-opportunities/{self.lead_draft.id}",
            "/my/pending-opportunities/99999999999",
            "/my/coordination-opportunities/0",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        self.assertNotIn("Tour Workshop Draft", self.url_open("/my/pending-opportunities").text)
        # someone else's invitation
        self.select(self.apply(self.bella, self.lead_sub))
        member = (
            self.env["facilitator.team.member"]
            .sudo()
            ._invite(self.lead_sub, self.bella.partner_id, self.tina.partner_id, "facilitator")
        )
        self.assertEqual(self.post(f"/my/team-invitations/{member.id}/accept").status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(member.state, "invited")
        # only the coordinator invites
        self.login(self.tina)
        response = self.post(
            f"/my/coordination-opportunities/{self.lead_sub.id}/invite",
            {"partner_id": self.gus.partner_id.id, "role": "facilitator"},
        )
        self.assertEqual(response.status_code, 404)

    def test_post_without_csrf_rejected(self):
        self.login(self.gus)
        response = self.post(
            f"/my/pending-opportunities/{self.lead_ci.id}/apply",
            {"motivation": "No token"},
            csrf=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.applications(self.gus, self.lead_ci))

    def test_bad_input_never_500(self):
        self.login(self.gus)
        for url in (
            "/my/pending-opportunities?group=evil&country=abc&lang=99999999999&format=x"
            "&date_from=notadate&date_to=2024-13-45&sortby=id;drop&page=xyz",
            "/my/pending-opportunities/page/0",
            "/my/pending-opportunities/page/99999",
            "/my/pending-opportunities?country=-1&lang=0",
            "/my/coordination-opportunities?message=<script>",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        # empty motivation: the form comes back with the message, nothing saved
        response = self.post(
            f"/my/pending-opportunities/{self.lead_ci.id}/apply", {"motivation": "   "}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cfn_error", response.text)
        self.assertFalse(self.applications(self.gus, self.lead_ci))
        # the coordinator's invite form with garbage
        self.select(self.apply(self.bella, self.lead_ci))
        self.login(self.bella)
        url = f"/my/coordination-opportunities/{self.lead_ci.id}"
        for data in (
            {"partner_id": "abc", "role": "facilitator"},
            {"partner_id": self.tina.partner_id.id, "role": "boss"},
            {"partner_id": self.yves.partner_id.id, "role": "trainer"},
        ):
            response = self.post(f"{url}/invite", data)
            self.assertEqual(response.status_code, 200, data)
            self.assertIn("o_cfn_error", response.text, data)
        self.assertEqual(
            self.url_open(f"{url}?search=1&level=x&lang=&country=999999999&region=-4").status_code,
            200,
        )
        self.env.invalidate_all()
        self.assertEqual(len(self.lead_ci.facilitator_team_member_ids), 1)

    def test_filters_and_sorting(self):
        self.login(self.gus)
        text = self.url_open("/my/pending-opportunities?group=subcontracting").text
        self.assertIn("Tour Workshop Paris", text)
        self.assertNotIn("Tour Workshop Reykjavik", text)
        text = self.url_open(
            f"/my/pending-opportunities?country={self.iceland.id}&format=in_person&sortby=newest"
        ).text
        self.assertIn("Tour Workshop Reykjavik", text)
        self.assertNotIn("Tour Workshop Paris", text)
        wished = self.lead_ci.wished_date_from
        text = self.url_open(
            f"/my/pending-opportunities?country={self.iceland.id}"
            f"&date_from={wished + timedelta(days=10)}"
        ).text
        self.assertNotIn("Tour Workshop Reykjavik", text)
        text = self.url_open(
            f"/my/pending-opportunities?country={self.iceland.id}&date_from={wished}"
            f"&date_to={wished + timedelta(days=1)}&lang={self.lang_en.id}"
        ).text
        self.assertIn("Tour Workshop Reykjavik", text)

    def test_withdraw(self):
        application = self.apply(self.gus, self.lead_ci)
        self.login(self.gus)
        response = self.post(f"/my/applications/{application.id}/withdraw")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cfn_message", response.text)
        self.env.invalidate_all()
        self.assertEqual(application.state, "withdrawn")
        # a second withdrawal is refused with the message, not a 500
        response = self.post(f"/my/applications/{application.id}/withdraw")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cfn_error", response.text)

    def test_profile(self):
        partner = self.gus.partner_id
        self.login(self.gus)
        page = self.url_open("/my/facilitator-profile")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Green", page.text)
        response = self.post(
            "/my/facilitator-profile",
            {
                "facilitator_legal_name": "Gus Conseil SARL",
                "company_registry": "98765432100019",
                "vat": "FR40303265045",
                "facilitator_lang_ids": [self.lang_en.id, self.lang_fr.id],
                "facilitator_country_ids": [self.france.id, self.iceland.id],
                "facilitator_level_id": self.blue.id,
                "is_facilitator": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(partner.facilitator_legal_name, "Gus Conseil SARL")
        self.assertEqual(partner.company_registry, "98765432100019")
        self.assertFalse(partner.facilitator_commercial)
        self.assertEqual(partner.facilitator_lang_ids, self.lang_en | self.lang_fr)
        self.assertEqual(partner.facilitator_country_ids, self.france | self.iceland)
        self.assertEqual(partner.facilitator_level_id, self.green)
        self.assertTrue(partner.is_facilitator)
        # bad input: the message, nothing saved
        response = self.post(
            "/my/facilitator-profile",
            {"facilitator_commercial": "1", "facilitator_legal_name": "x" * 300},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cfn_error", response.text)
        self.env.invalidate_all()
        self.assertEqual(partner.facilitator_legal_name, "Gus Conseil SARL")
        self.assertFalse(partner.facilitator_commercial)

    def test_home_counters(self):
        self.login(self.gus)
        home = self.url_open("/my")
        self.assertIn("pending_opportunity_count", home.text)
        self.assertIn("/my/facilitator-profile", home.text)
        counters = ["pending_opportunity_count", "coordination_opportunity_count"]
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertGreaterEqual(values["pending_opportunity_count"], 2)
        self.assertEqual(values["coordination_opportunity_count"], 0)
        self.apply(self.gus, self.lead_ci)
        values = self.make_jsonrpc_request("/my/counters", {"counters": counters})
        self.assertEqual(values["coordination_opportunity_count"], 1)
