import contextlib
import io
import json
import re
import textwrap
import xmlrpc.client
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

README = Path(__file__).resolve().parent.parent / "README.rst"
# Odoo 19 logs a deprecation warning on every /xmlrpc and /jsonrpc call.
RPC_LOGGERS = ("odoo.addons.rpc.controllers.xmlrpc", "odoo.addons.rpc.controllers.jsonrpc")
API_GROUP = "crm_facilitator_network.group_incoming_request_api"


def readme_section(title):
    """Lines of the README section ``title``, up to the next heading."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(title) + 2
    for index in range(start, len(lines) - 1):
        underline = lines[index + 1]
        if (
            lines[index].strip()
            and len(set(underline)) == 1
            and underline[0] in "=-~^"
            and len(underline) >= len(lines[index])
        ):
            return lines[start:index]
    return lines[start:]


def code_blocks(lines, language):
    """The ``.. code-block:: language`` blocks of ``lines``, dedented."""
    blocks = []
    for index, line in enumerate(lines):
        if line.strip() != f".. code-block:: {language}":
            continue
        body = []
        # The block goes on until a line that is not indented.
        for following in lines[index + 1 :]:
            if following.strip() and not following.startswith(" "):
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n") + "\n")
    return blocks


@tagged("post_install", "-at_install")
class TestIntakeApi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = new_test_user(
            cls.env,
            login="intake-api-test",
            password="intake-api-test-pw",
            groups=f"base.group_user,{API_GROUP}",
        )
        cls.other_user = new_test_user(
            cls.env,
            login="intake-no-api-test",
            password="intake-no-api-test-pw",
            groups="base.group_user",
        )
        cls.op_team = cls.env.ref("crm_facilitator_network.team_offer_programs")
        section = readme_section("Intake API")
        cls.readme_python = code_blocks(section, "python")
        cls.readme_json = code_blocks(section, "json")

    def setUp(self):
        super().setUp()
        for logger in RPC_LOGGERS:
            self.enterContext(mute_logger(logger))

    def lead_count(self):
        return self.env["crm.lead"].with_context(active_test=False).search_count([])

    def valid_values(self, **values):
        return {
            "organisation": "Collège Victor Hugo de Besançon",
            "contact_name": "Léa Roux",
            "email": "lea.roux.intake@example.org",
            "country_code": "FR",
            **values,
        }

    def submit_xmlrpc(self, values, user=None, password="intake-api-test-pw"):
        """Call the API through Odoo's test XML-RPC proxy."""
        user = user or self.api_user
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, password, "crm.lead", "submit_incoming_request", [values]
        )

    def post_jsonrpc(self, payload):
        response = self.url_open(
            "/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def submit_jsonrpc(self, values, user=None, password="intake-api-test-pw"):
        user = user or self.api_user
        args = [self.env.cr.dbname, user.id, password, "crm.lead", "submit_incoming_request"]
        return self.post_jsonrpc(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"service": "object", "method": "execute_kw", "args": [*args, [values]]},
            }
        )

    def run_readme_client(self, login, password):
        """Run the README's client, unchanged but for its four settings,
        against the test server; return its variables and what it printed."""
        self.assertEqual(len(self.readme_python), 1, "one Python block in “Intake API”")
        code = self.readme_python[0]
        settings = {
            "URL": self.base_url(),
            "DB": self.env.cr.dbname,
            "LOGIN": login,
            "PASSWORD": password,
        }
        for name, value in settings.items():
            code, found = re.subn(rf"^{name} = .*$", f"{name} = {value!r}", code, flags=re.M)
            self.assertEqual(found, 1, f"{name} is set once at the top of the README client")
        namespace = {"__name__": "readme_client"}
        output = io.StringIO()
        # A plain xmlrpc.client carries no test cookie: let every request in.
        self.env.flush_all()
        self.env.invalidate_all()
        with self.allow_requests(all_requests=True), contextlib.redirect_stdout(output):
            exec(compile(code, str(README), "exec"), namespace)
        self.env.invalidate_all()
        return namespace, output.getvalue()

    # ------------------------------------------------------------------
    # The README's examples
    # ------------------------------------------------------------------

    def test_readme_client_creates_a_routed_request(self):
        count = self.lead_count()
        namespace, printed = self.run_readme_client("intake-api-test", "intake-api-test-pw")
        result = namespace["result"]
        self.assertEqual(set(result), {"id", "routing_type", "duplicate_of"})
        self.assertEqual(self.lead_count(), count + 1)
        lead = self.env["crm.lead"].browse(result["id"])
        self.assertEqual(result["routing_type"], "subcontracting")
        self.assertEqual(lead.routing_type, "subcontracting")
        self.assertEqual(result["duplicate_of"], lead.duplicate_of_id.id)
        self.assertEqual(lead.partner_name, "Lycée Jean Moulin")
        self.assertEqual(lead.email_from, "camille.martin@example.org")
        self.assertEqual(lead.country_id, self.env.ref("base.fr"))
        self.assertEqual(lead.lang_id.code, "fr_FR")
        self.assertEqual(lead.participant_count, 30)
        self.assertEqual(lead.workshop_format, "in_person")
        self.assertEqual(str(lead.wished_date_from), "2026-03-02")
        self.assertEqual(lead.team_id, self.op_team)
        self.assertFalse(lead.user_id, "the API user is not made the salesperson")
        self.assertEqual(lead.medium_id, self.env.ref("utm.utm_medium_direct"))
        self.assertIn(f"Request {lead.id} created, group: subcontracting", printed)

    def test_readme_client_prints_the_refusal(self):
        count = self.lead_count()
        namespace, printed = self.run_readme_client("intake-no-api-test", "intake-no-api-test-pw")
        self.assertNotIn("result", namespace)
        self.assertIn("Request refused:", printed)
        self.assertIn("Incoming Request API", printed)
        self.assertEqual(self.lead_count(), count)

    def test_readme_jsonrpc_example(self):
        self.assertEqual(len(self.readme_json), 1, "one JSON block in “Intake API”")
        payload = json.loads(self.readme_json[0])
        args = payload["params"]["args"]
        self.assertEqual(args[3:5], ["crm.lead", "submit_incoming_request"])
        args[:3] = [self.env.cr.dbname, self.api_user.id, "intake-api-test-pw"]
        count = self.lead_count()
        result = self.post_jsonrpc(payload)["result"]
        self.assertEqual(self.lead_count(), count + 1)
        lead = self.env["crm.lead"].browse(result["id"])
        self.assertEqual(lead.country_id, self.env.ref("base.de"))
        self.assertEqual(result["routing_type"], "client_introduction")
        self.assertEqual(lead.routing_type, "client_introduction")
        self.assertEqual(result["duplicate_of"], lead.duplicate_of_id.id)

    # ------------------------------------------------------------------
    # XML-RPC, JSON-RPC and JSON-2
    # ------------------------------------------------------------------

    def test_xmlrpc_and_jsonrpc_return_the_same_answer(self):
        by_xmlrpc = self.submit_xmlrpc(self.valid_values(country_code="BE"))
        by_jsonrpc = self.submit_jsonrpc(
            self.valid_values(country_code="BE", email="other.intake@example.org")
        )["result"]
        for result in (by_xmlrpc, by_jsonrpc):
            self.assertEqual(set(result), {"id", "routing_type", "duplicate_of"})
            self.assertEqual(result["routing_type"], "client_introduction")
        self.assertFalse(by_xmlrpc["duplicate_of"])
        # Same organisation: the second one is flagged.
        self.assertEqual(by_jsonrpc["duplicate_of"], by_xmlrpc["id"])

    def test_json2_with_an_api_key(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.api_user)
            .sudo()
            ._generate(None, "Intake test", None)
        )
        count = self.lead_count()
        response = self.url_open(
            "/json/2/crm.lead/submit_incoming_request",
            data=json.dumps({"values": self.valid_values(participant_count=12)}),
            headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["routing_type"], "subcontracting")
        self.assertEqual(self.lead_count(), count + 1)
        response = self.url_open(
            "/json/2/crm.lead/submit_incoming_request",
            data=json.dumps({"values": self.valid_values(email="")}),
            headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("“email” is required.", response.json()["message"])
        self.assertEqual(self.lead_count(), count + 1)

    def test_string_numbers_and_inactive_languages_are_accepted(self):
        result = self.submit_xmlrpc(
            self.valid_values(participant_count=" 040 ", language_code="pt_pt", country_code="re")
        )
        lead = self.env["crm.lead"].browse(result["id"])
        self.assertEqual(lead.participant_count, 40)
        self.assertEqual(lead.lang_id.code, "pt_PT")
        self.assertEqual(lead.country_id, self.env.ref("base.re"))
        self.assertEqual(lead.routing_type, "subcontracting")

    # ------------------------------------------------------------------
    # Refusals: a clear message, nothing created
    # ------------------------------------------------------------------

    def test_bad_input_is_refused_with_a_clear_message(self):
        valid = self.valid_values()
        cases = [
            ("empty email", {**valid, "email": ""}, ["“email” is required."]),
            ("no email key", {k: v for k, v in valid.items() if k != "email"}, ["“email”"]),
            ("bad email", {**valid, "email": "lea at example"}, ["not a valid email"]),
            (
                "unknown country",
                {**valid, "country_code": "XX"},
                ["“country_code”: “XX” is not a known code."],
            ),
            ("wildcard country", {**valid, "country_code": "%"}, ["“country_code”: “%”"]),
            ("wildcard language", {**valid, "language_code": "f_"}, ["“language_code”: “f_”"]),
            (
                "huge organisation",
                {**valid, "organisation": "A" * 10000},
                ["“organisation” is too long: 10000 characters, at most 200."],
            ),
            (
                "participants as words",
                {**valid, "participant_count": "many"},
                ["“participant_count” must be a whole number."],
            ),
            (
                "participants as a list",
                {**valid, "participant_count": [1]},
                ["“participant_count” must be a whole number."],
            ),
            (
                "participants as a float",
                {**valid, "participant_count": 2.5},
                ["“participant_count” must be a whole number."],
            ),
            (
                "participants beyond int()",
                {**valid, "participant_count": "9" * 5000},
                ["“participant_count” must be between 1 and 100000."],
            ),
            (
                "no participants",
                {**valid, "participant_count": -3},
                ["“participant_count” must be between 1 and 100000."],
            ),
            ("organisation as a number", {**valid, "organisation": 42}, ["must be text"]),
            ("format as a list", {**valid, "workshop_format": ["online"]}, ["workshop_format"]),
            ("unknown format", {**valid, "workshop_format": "hybrid"}, ["in_person, online"]),
            ("impossible date", {**valid, "wished_date_from": "2026-02-30"}, ["YYYY-MM-DD"]),
            (
                "dates reversed",
                {**valid, "wished_date_from": "2026-05-10", "wished_date_to": "2026-05-01"},
                ["end date must come after"],
            ),
            ("unknown key", {**valid, "budget": 1000}, ["Unknown fields: budget."]),
            ("a list", [valid], ["The request must be a dictionary of fields."]),
            ("a string", "organisation=ACME", ["The request must be a dictionary of fields."]),
            (
                "every problem at once",
                {"organisation": "B" * 300, "participant_count": "many", "country_code": "XX"},
                [
                    "“organisation” is too long",
                    "“contact_name” is required.",
                    "“email” is required.",
                    "“country_code”: “XX”",
                    "“participant_count” must be a whole number.",
                ],
            ),
        ]
        count = self.lead_count()
        for label, values, expected in cases:
            with self.subTest(case=label, api="xmlrpc"):
                with self.assertRaises(xmlrpc.client.Fault) as caught:
                    self.submit_xmlrpc(values)
                self.assertEqual(caught.exception.faultCode, 2, caught.exception.faultString)
                for text in expected:
                    self.assertIn(text, caught.exception.faultString)
                self.assertNotIn("Traceback", caught.exception.faultString)
                self.assertEqual(self.lead_count(), count)
            with self.subTest(case=label, api="jsonrpc"):
                error = self.submit_jsonrpc(values)["error"]
                self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
                for text in expected:
                    self.assertIn(text, error["data"]["message"])
                self.assertEqual(self.lead_count(), count)

    def test_user_without_the_group_is_refused(self):
        count = self.lead_count()
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.submit_xmlrpc(
                self.valid_values(), user=self.other_user, password="intake-no-api-test-pw"
            )
        self.assertEqual(caught.exception.faultCode, 4)
        self.assertIn(
            "Only users of the “Incoming Request API” group may submit requests.",
            caught.exception.faultString,
        )
        error = self.submit_jsonrpc(
            self.valid_values(), user=self.other_user, password="intake-no-api-test-pw"
        )["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        self.assertIn("Incoming Request API", error["data"]["message"])
        self.assertEqual(self.lead_count(), count)

    def test_a_portal_user_with_the_group_is_enough(self):
        portal_user = new_test_user(
            self.env,
            login="intake-portal-test",
            password="intake-portal-test-pw",
            groups=f"base.group_portal,{API_GROUP}",
        )
        result = self.submit_xmlrpc(
            self.valid_values(), user=portal_user, password="intake-portal-test-pw"
        )
        self.assertEqual(self.env["crm.lead"].browse(result["id"]).routing_type, "subcontracting")

    def test_wrong_password_is_refused(self):
        count = self.lead_count()
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.submit_xmlrpc(self.valid_values(), password="not-the-password")
        self.assertEqual(caught.exception.faultCode, 3)
        self.assertEqual(self.lead_count(), count)

    def test_same_email_twice_returns_the_first_request(self):
        first = self.submit_xmlrpc(self.valid_values(email="twice.intake@example.org"))
        second = self.submit_xmlrpc(
            self.valid_values(
                email="Twice.Intake@example.org",
                organisation="Another organisation entirely",
                country_code="CH",
            )
        )
        self.assertFalse(first["duplicate_of"])
        self.assertEqual(second["duplicate_of"], first["id"])
        self.assertEqual(self.env["crm.lead"].browse(second["id"]).duplicate_of_id.id, first["id"])
