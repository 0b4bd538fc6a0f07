from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

FORM_URL = "/workshop-request"
SUBMIT_URL = "/workshop-request/submit"
THANK_YOU_URL = "/workshop-request/thank-you"
VALID = {
    "organisation": "Maison des Associations de Quimper",
    "contact_name": "Yann Le Gall",
    "email": "yann.legall.form@example.org",
    "phone": "02 98 12 34 56",
    "country_code": "FR",
    "city": "Quimper",
    "language_code": "de_DE",
    "participant_count": "25",
    "workshop_format": "in_person",
    "wished_date_from": "2026-04-06",
    "wished_date_to": "2026-04-10",
    "message": "A workshop for our volunteers, in German please.",
}


def parse(response):
    return html.fromstring(response.content)


def errors_of(doc):
    return [
        " ".join(li.text_content().split())
        for li in doc.xpath("//*[@id='o_workshop_request_errors']//li")
    ]


def form_values(doc):
    """What the re-rendered form shows in each field."""
    values = {}
    for field in doc.xpath("//form[@action='/workshop-request/submit']//input[@name]"):
        if field.get("type") == "radio":
            if field.get("checked") is not None:
                values[field.get("name")] = field.get("value")
        else:
            values[field.get("name")] = field.get("value") or ""
    for field in doc.xpath("//form//textarea[@name]"):
        values[field.get("name")] = field.text or ""
    for field in doc.xpath("//form//select[@name]"):
        selected = field.xpath("option[@selected]/@value")
        values[field.get("name")] = selected[0] if selected else ""
    return values


@tagged("post_install", "-at_install")
class TestIntakeForm(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.intake_rate_limit = 5
        cls.Lead = cls.env["crm.lead"].with_context(active_test=False)
        cls.op_team = cls.env.ref("crm_facilitator_network.team_offer_programs")
        cls.community_team = cls.env.ref("crm_facilitator_network.team_community")

    def lead_count(self):
        return self.Lead.search_count([])

    def csrf_token(self):
        response = self.url_open(FORM_URL)
        self.assertEqual(response.status_code, 200)
        return parse(response).xpath("//input[@name='csrf_token']/@value")[0]

    def submit(self, values, csrf=True):
        """Post the form the way a browser does, after loading it."""
        data = list(values.items()) if isinstance(values, dict) else list(values)
        if csrf:
            data.append(("csrf_token", self.csrf_token()))
        return self.url_open(SUBMIT_URL, data=data)

    def assertRefused(self, response, expected_error, status=200):
        """The form came back with ``expected_error``; nothing was created."""
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertFalse(response.url.endswith(THANK_YOU_URL))
        doc = parse(response)
        errors = errors_of(doc)
        self.assertTrue(
            any(expected_error in error for error in errors),
            f"{expected_error!r} not in {errors}",
        )
        return doc

    def assertThankYou(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(THANK_YOU_URL), response.url)
        self.assertIn("we received your request", response.text)
        self.assertIn("routed", response.text)

    # ------------------------------------------------------------------
    # The page
    # ------------------------------------------------------------------

    def test_form_renders_with_every_field(self):
        response = self.url_open(FORM_URL)
        self.assertEqual(response.status_code, 200)
        doc = parse(response)
        form = doc.xpath("//form[@action='/workshop-request/submit']")[0]
        self.assertEqual(form.get("method"), "post")
        self.assertTrue(form.xpath(".//input[@type='hidden'][@name='csrf_token']/@value")[0])
        for name in VALID:
            fields = form.xpath(f".//*[@name='{name}']")
            self.assertTrue(fields, f"no field {name}")
            field_id = fields[0].get("id")
            if field_id:
                self.assertTrue(form.xpath(f".//label[@for='{field_id}']"), f"no label for {name}")
        for name in ("organisation", "contact_name", "email"):
            self.assertEqual(form.xpath(f".//*[@name='{name}']/@required"), ["required"])
        self.assertEqual(form.xpath(".//input[@name='email']/@type"), ["email"])
        self.assertEqual(form.xpath(".//input[@name='wished_date_from']/@type"), ["date"])
        self.assertEqual(
            set(form.xpath(".//input[@name='workshop_format']/@value")), {"in_person", "online"}
        )
        self.assertIn("FR", form.xpath(".//select[@name='country_code']/option/@value"))
        languages = form.xpath(".//select[@name='language_code']/option/@value")
        for code in ("fr_FR", "en_US", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_PT"):
            self.assertIn(code, languages)
        # The honeypot: out of sight, of the keyboard and of screen readers.
        honeypot = form.xpath(".//input[@name='website_url']")[0]
        self.assertEqual(honeypot.get("tabindex"), "-1")
        self.assertEqual(honeypot.get("autocomplete"), "off")
        wrapper = honeypot.getparent()
        self.assertEqual(wrapper.get("aria-hidden"), "true")
        self.assertIn("visually-hidden", wrapper.get("class"))

    def test_thank_you_page_renders(self):
        self.assertThankYou(self.url_open(THANK_YOU_URL))

    # ------------------------------------------------------------------
    # Submissions
    # ------------------------------------------------------------------

    def test_valid_submission_creates_one_routed_lead(self):
        count = self.lead_count()
        self.assertThankYou(self.submit(VALID))
        self.assertEqual(self.lead_count(), count + 1)
        lead = self.Lead.search([], order="id desc", limit=1)
        self.assertEqual(lead.partner_name, VALID["organisation"])
        self.assertEqual(lead.contact_name, VALID["contact_name"])
        self.assertEqual(lead.email_from, VALID["email"])
        self.assertEqual(lead.phone, "+33298123456")
        self.assertEqual(lead.country_id, self.env.ref("base.fr"))
        self.assertEqual(lead.city, "Quimper")
        self.assertEqual(lead.lang_id.code, "de_DE")
        self.assertEqual(lead.participant_count, 25)
        self.assertEqual(lead.workshop_format, "in_person")
        self.assertEqual(str(lead.wished_date_from), "2026-04-06")
        self.assertEqual(str(lead.wished_date_to), "2026-04-10")
        self.assertIn("in German please", lead.description)
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(lead.team_id, self.op_team)
        self.assertEqual(lead.medium_id, self.env.ref("utm.utm_medium_website"))
        self.assertFalse(lead.user_id, "the public user is not made the salesperson")
        # Only a keyed hash of the address is kept.
        ip_hash = lead.sudo().intake_ip_hash
        self.assertEqual(ip_hash, self.Lead._intake_ip_hash("127.0.0.1"))
        self.assertNotIn("127.0.0.1", ip_hash)

    def test_other_countries_go_to_client_introduction(self):
        self.assertThankYou(
            self.submit(
                {
                    "organisation": "Université libre de Bruxelles",
                    "contact_name": "Inès Dubois",
                    "email": "ines.dubois.form@example.be",
                    "country_code": "BE",
                    "workshop_format": "online",
                }
            )
        )
        lead = self.Lead.search([], order="id desc", limit=1)
        self.assertEqual(lead.partner_name, "Université libre de Bruxelles")
        self.assertEqual(lead.routing_type, "client_introduction")
        self.assertEqual(lead.team_id, self.community_team)
        self.assertFalse(lead.participant_count)

    def test_invalid_submissions_come_back_with_the_typed_values(self):
        without_email = {key: value for key, value in VALID.items() if key != "email"}
        cases = [
            ("missing email", without_email, "“Email” is required."),
            (
                "unknown country",
                {**VALID, "country_code": "XX"},
                "“Country”: “XX” is not a known code.",
            ),
            (
                "huge message",
                {**VALID, "message": "Lorem ipsum " * 833 + "dolo"},
                "“Message” is too long: 10000 characters, at most 5000.",
            ),
            (
                "participants in letters",
                {**VALID, "participant_count": "abc"},
                "“Number of participants” must be a whole number.",
            ),
        ]
        count = self.lead_count()
        for label, values, expected in cases:
            with self.subTest(case=label):
                doc = self.assertRefused(self.submit(values), expected)
                shown = form_values(doc)
                for key, value in values.items():
                    if key == "country_code" and value == "XX":
                        continue  # not an option of the list
                    self.assertEqual(shown.get(key), value, f"{key} not kept")
                self.assertEqual(self.lead_count(), count)

    def test_every_problem_is_listed_on_its_own_line(self):
        response = self.submit({"participant_count": "abc", "country_code": "XX"})
        doc = self.assertRefused(response, "“Organisation” is required.")
        self.assertEqual(
            errors_of(doc),
            [
                "“Organisation” is required.",
                "“Contact name” is required.",
                "“Email” is required.",
                "“Country”: “XX” is not a known code.",
                "“Number of participants” must be a whole number.",
            ],
        )

    def test_html_typed_in_the_form_is_escaped(self):
        script = '<script>alert("pwned")</script><img src="x" onerror="alert(1)">'
        values = {**VALID, "email": "", "organisation": '"><script>alert("org")</script>'}
        values["message"] = script
        response = self.submit(values)
        doc = self.assertRefused(response, "“Email” is required.")
        self.assertNotIn(b'<script>alert("pwned")', response.content)
        self.assertNotIn(b'<script>alert("org")', response.content)
        self.assertFalse(doc.xpath("//script[contains(., 'pwned') or contains(., 'org')]"))
        self.assertFalse(doc.xpath("//img[@onerror]"))
        shown = form_values(doc)
        self.assertEqual(shown["message"], script)
        self.assertEqual(shown["organisation"], values["organisation"])

    def test_odd_input_never_breaks_the_form(self):
        cases = [
            ("nothing at all", {}, "“Organisation” is required."),
            ("participants beyond int()", {**VALID, "participant_count": "9" * 5000}, "between"),
            ("superscript digit", {**VALID, "participant_count": "²"}, "whole number"),
            ("negative participants", {**VALID, "participant_count": "-4"}, "whole number"),
            ("impossible date", {**VALID, "wished_date_from": "2026-02-30"}, "YYYY-MM-DD"),
            ("date in words", {**VALID, "wished_date_to": "next spring"}, "YYYY-MM-DD"),
            (
                "dates reversed",
                {**VALID, "wished_date_from": "2026-05-10", "wished_date_to": "2026-05-01"},
                "end date must come after",
            ),
            ("unknown format", {**VALID, "workshop_format": "hybrid"}, "“Format”"),
            ("wildcard country", {**VALID, "country_code": "%"}, "“Country”: “%”"),
            ("wildcard language", {**VALID, "language_code": "f_"}, "“Language”: “f_”"),
            ("long code", {**VALID, "language_code": "x" * 500}, "“Language” must be a code"),
            ("only control characters", {**VALID, "contact_name": "\x00\x01\x1f"}, "required"),
            (
                "every field huge",
                dict.fromkeys(VALID, "x" * 10000),
                "“Organisation” is too long",
            ),
            (
                "fields sent twice",
                [*VALID.items(), ("email", "second@example.org"), ("participant_count", "x")],
                None,
            ),
        ]
        count = self.lead_count()
        for label, values, expected in cases:
            with self.subTest(case=label):
                response = self.submit(values)
                self.assertLess(response.status_code, 500)
                if expected:
                    self.assertRefused(response, expected)
                    self.assertEqual(self.lead_count(), count)
                else:
                    # The first value of each field counts, as in any Odoo form.
                    self.assertThankYou(response)
                    count += 1
                    self.assertEqual(self.lead_count(), count)

    def test_the_submit_url_only_takes_posts(self):
        response = self.url_open(SUBMIT_URL)
        self.assertEqual(response.status_code, 405)

    # ------------------------------------------------------------------
    # Spam protection
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_post_without_a_valid_csrf_token_is_rejected(self):
        count = self.lead_count()
        self.url_open(FORM_URL)  # a session, but no token posted
        for label, extra in (("no token", {}), ("forged token", {"csrf_token": "0" * 40})):
            with self.subTest(case=label):
                response = self.submit({**VALID, **extra}, csrf=False)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(self.lead_count(), count)

    def test_honeypot_thanks_the_bot_and_keeps_nothing(self):
        count = self.lead_count()
        self.assertThankYou(self.submit({**VALID, "website_url": "https://spam.example.com"}))
        self.assertEqual(self.lead_count(), count)

    def test_rate_limit_per_address_and_hour(self):
        self.env.company.intake_rate_limit = 2
        count = self.lead_count()
        for index in range(2):
            values = {**VALID, "organisation": f"School {index}", "email": f"s{index}@example.org"}
            self.assertThankYou(self.submit(values))
        self.assertEqual(self.lead_count(), count + 2)

        values = {**VALID, "organisation": "School 2", "email": "s2@example.org"}
        doc = self.assertRefused(self.submit(values), "Too many requests", status=429)
        self.assertEqual(form_values(doc)["organisation"], "School 2")
        self.assertEqual(self.lead_count(), count + 2)
        # Other addresses are not concerned.
        self.assertTrue(self.Lead._intake_rate_limited(self.Lead._intake_ip_hash("127.0.0.1")))
        self.assertFalse(self.Lead._intake_rate_limited(self.Lead._intake_ip_hash("192.0.2.7")))

        # An hour later, the address may send again.
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = create_date - interval '61 minutes' "
            "WHERE intake_ip_hash = %s",
            [self.Lead._intake_ip_hash("127.0.0.1")],
        )
        self.env.invalidate_all()
        self.assertThankYou(self.submit(values))
        self.assertEqual(self.lead_count(), count + 3)
