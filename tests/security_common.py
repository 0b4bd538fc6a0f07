"""Shared setup of the security tests (issue 6): the eight roles and the
records they fight over.

Roles
    ``public``       Odoo's public user (``base.public_user``): a visitor.
    ``portal``       a portal user who is not a facilitator.
    ``fac_a``        facilitator A (portal user, green, commercial).
    ``fac_b``        facilitator B (portal user, green, commercial).
    ``officer``      an OP officer.
    ``manager``      an OP manager.
    ``accountant``   an internal user with Invoicing + full accounting features
                     (``account.group_account_invoice`` / ``group_account_user``).
    ``api``          a portal user with the *Incoming Request API* group.

Records
    ``lead_open``     published (open for applications); A and B applied.
    ``lead_staffed``  A is its selected coordinator; B is invited (facilitator).
    ``lead_a_only``   A is its selected coordinator; B is not in its team.
    ``lead_draft``    never published.

Every user's password is its login, so the HTTP tests can log in.
"""

import contextlib
import logging
import re

from odoo import fields
from odoo.tests import new_test_user

_logger = logging.getLogger(__name__)

ROLES = ("public", "portal", "fac_a", "fac_b", "officer", "manager", "accountant", "api")
OPERATIONS = ("read", "write", "create", "unlink")
MODULE = "crm_facilitator_network"
API_GROUP = f"{MODULE}.group_incoming_request_api"

# Client details of the seeded leads: they must never reach a facilitator who
# is neither the coordinator nor an accepted team member the client is shared with.
CLIENT_SECRETS = {
    "lead_open": ("Secret Open Client SA", "Octave Secret", "octave@open-secret.example"),
    "lead_staffed": ("Secret Staffed Client SA", "Sasha Secret", "sasha@staffed-secret.example"),
    "lead_a_only": ("Secret A-only Client SA", "Alix Secret", "alix@aonly-secret.example"),
    "lead_draft": ("Secret Draft Client SA", "Dana Secret", "dana@draft-secret.example"),
    "lead_fresh": ("Secret Fresh Client SA", "Fred Secret", "fred@fresh-secret.example"),
    "lead_sub": ("Secret Sub Client SA", "Suzy Secret", "suzy@sub-secret.example"),
}
# A's declaration note: never shown to anyone else
DECLARATION_SECRET = "Ada's declaration note 4321"
# What a traceback looks like, in a page or an error message.
TRACEBACK_RE = re.compile(r"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")


@contextlib.contextmanager
def rolled_back(env):
    """Run the block in a savepoint that is always rolled back (and the
    cache cleared), so that every attempt starts from the same database."""
    env.flush_all()
    savepoint = env.cr.savepoint()
    try:
        yield
        env.flush_all()
    finally:
        savepoint.close(rollback=True)
        env.invalidate_all()


class SecurityFixtures:
    """Mixin for ``TransactionCase`` and ``HttpCase``: call
    ``cls._setup_security_fixtures()`` from ``setUpClass``."""

    @classmethod
    def _setup_security_fixtures(cls):
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                no_reset_password=True,
                mail_create_nolog=True,
                mail_notrack=True,
                tracking_disable=True,
            )
        )
        ref = cls.env.ref
        cls.yellow = ref(f"{MODULE}.facilitator_level_yellow")
        cls.green = ref(f"{MODULE}.facilitator_level_green")
        cls.blue = ref(f"{MODULE}.facilitator_level_blue")
        cls.iceland = ref("base.is")
        cls.lang_en = ref("base.lang_en")
        cls.users = {"public": ref("base.public_user")}
        cls.users["portal"] = cls._sec_user("cfn.sec.portal", "base.group_portal", "Pia Portal")
        cls.users["fac_a"] = cls._sec_facilitator("cfn.sec.fac.a", "Ada Alpha")
        cls.users["fac_b"] = cls._sec_facilitator("cfn.sec.fac.b", "Bea Beta")
        cls.users["officer"] = cls._sec_user(
            "cfn.sec.officer", f"{MODULE}.group_op_officer", "Otto Officer"
        )
        cls.users["manager"] = cls._sec_user(
            "cfn.sec.manager", f"{MODULE}.group_op_manager", "Mona Manager"
        )
        cls.users["accountant"] = cls._sec_user(
            "cfn.sec.accountant",
            "account.group_account_invoice,account.group_account_user",
            "Axel Accountant",
        )
        cls.users["api"] = cls._sec_user(
            "cfn.sec.api", f"base.group_portal,{API_GROUP}", "Api Intake"
        )
        cls.partner_a = cls.users["fac_a"].partner_id
        cls.partner_b = cls.users["fac_b"].partner_id

        cls.lead_open = cls._sec_lead("lead_open", "Security Open Workshop")
        cls.lead_staffed = cls._sec_lead("lead_staffed", "Security Staffed Workshop")
        cls.lead_a_only = cls._sec_lead("lead_a_only", "Security A-only Workshop")
        cls.lead_draft = cls._sec_lead("lead_draft", "Security Draft Workshop", publish=False)

        Application = cls.env["facilitator.application"].sudo()
        cls.app_a = Application._submit(cls.lead_open, cls.partner_a, {"motivation": "A wants it"})
        cls.app_b = Application._submit(cls.lead_open, cls.partner_b, {"motivation": "B wants it"})
        officer_env = cls.env(user=cls.users["officer"])
        for lead in (cls.lead_staffed, cls.lead_a_only):
            application = Application._submit(lead, cls.partner_a, {"motivation": "Mine"})
            application.with_env(officer_env).action_select()
        cls.app_a_staffed = Application.search(
            [("lead_id", "=", cls.lead_staffed.id), ("partner_id", "=", cls.partner_a.id)]
        )
        Member = cls.env["facilitator.team.member"].sudo()
        cls.member_a_coordinator = Member.search(
            [("lead_id", "=", cls.lead_staffed.id), ("partner_id", "=", cls.partner_a.id)]
        )
        cls.member_b_invited = Member._invite(
            cls.lead_staffed, cls.partner_a, cls.partner_b, "facilitator"
        )
        # Subcontracting: a session of a lead A coordinates, A's bill to check
        cls.session_a = cls.bill_a = None
        if "facilitation.session" in cls.env:
            lead_sub = cls._sec_lead("lead_sub", "Security Subcontracted Workshop", publish=False)
            lead_sub.write(
                {
                    "country_id": cls.env.ref("base.fr").id,
                    "coordinator_id": cls.partner_a.id,
                    "network_state": "staffed",
                }
            )
            cls.lead_sub = lead_sub
            cls.env["facilitator.team.member"].sudo().create(
                {
                    "lead_id": lead_sub.id,
                    "partner_id": cls.partner_a.id,
                    "role": "coordinator",
                    "state": "accepted",
                }
            )
            cls.session_a = (
                cls.env["facilitation.session"]
                .sudo()
                .create({"lead_id": lead_sub.id, "date": fields.Date.today()})
            )
            cls.session_role_a = (
                cls.env["facilitation.session.role"]
                .sudo()
                .create(
                    {
                        "session_id": cls.session_a.id,
                        "partner_id": cls.partner_a.id,
                        "role": "coordinator",
                    }
                )
            )
            cls.bill_a = (
                cls.env["account.move"]
                .sudo()
                .create(
                    {
                        "move_type": "in_invoice",
                        "partner_id": cls.partner_a.id,
                        "facilitator_invoice_to_check": True,
                        "invoice_date": fields.Date.today(),
                        "invoice_line_ids": [
                            fields.Command.create(
                                {"name": "A's payout", "quantity": 1, "price_unit": 321.0}
                            )
                        ],
                    }
                )
            )
        cls.decl_a = None
        if "fee.declaration" in cls.env:
            Declaration = cls.env["fee.declaration"].sudo()
            start, _end = Declaration._fee_last_ended_period(cls.env.company)
            cls.decl_a = Declaration.create(
                {
                    "partner_id": cls.partner_a.id,
                    "period_start": start,
                    "category": "usage",
                    "amount_invoiced": 4321.0,
                    "note": DECLARATION_SECRET,
                }
            )
            cls.decl_a.action_confirm()
        cls.env.flush_all()

    @classmethod
    def _sec_user(cls, login, groups, name):
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            password=login,
            name=name,
            email=f"{login}@example.com",
        )

    @classmethod
    def _sec_facilitator(cls, login, name):
        user = cls._sec_user(login, "base.group_portal", name)
        user.partner_id.sudo().write(
            {
                "is_facilitator": True,
                "facilitator_level_id": cls.green.id,
                "facilitator_commercial": True,
                "facilitator_legal_name": f"{name} EI",
                "company_registry": "12345678900011",
                "facilitator_lang_ids": [fields.Command.set(cls.lang_en.ids)],
                "facilitator_country_ids": [fields.Command.set(cls.iceland.ids)],
            }
        )
        return user

    @classmethod
    def _sec_lead(cls, key, title, publish=True):
        company, contact, email = CLIENT_SECRETS[key]
        lead = cls.env["crm.lead"].create(
            {
                "name": f"{title} (internal)",
                "type": "opportunity",
                "partner_name": company,
                "contact_name": contact,
                "email_from": email,
                "phone": "+354 555 0101",
                "country_id": cls.iceland.id,
                "lang_id": cls.lang_en.id,
                "workshop_format": "in_person",
                "participant_count": 20,
                "audience": "company",
                "public_title": title,
                "public_description": "A workshop for a company.",
                "application_deadline": fields.Date.add(fields.Date.today(), days=30),
            }
        )
        if publish:
            lead.action_publish_to_network()
        return lead

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def assertNoSecrets(self, text, *keys, where=""):
        """None of the client details of the leads ``keys`` appear in ``text``."""
        for key in keys:
            for secret in CLIENT_SECRETS[key]:
                self.assertNotIn(secret, text, f"{where}: client detail {secret!r} leaked")

    def assertNoTraceback(self, text, where=""):
        self.assertFalse(TRACEBACK_RE.search(text or ""), f"{where}: traceback shown: {text[:500]}")
