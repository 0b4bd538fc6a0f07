"""Issue 6: the access matrix.

One table: every model of the addon (as a row), the eight roles of
``security_common``, and read / write / create / unlink. Every cell is tried
for real, as the role's user, on a real record (facilitator A's where the
model has an owner), inside a savepoint that is rolled back: ``True`` means
the operation goes through, ``False`` that it raises ``AccessError`` (access
rights, record rules or the addon's own checks). Anything else is a failure.

The rows must be exactly the models of the addon: a new model without a row
fails this test. The README's "Security" section states this table in words.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .security_common import MODULE, OPERATIONS, ROLES, SecurityFixtures, rolled_back

_logger = logging.getLogger(__name__)

Y, N = True, False


def cells(**roles):
    """``cells(fac_a="r---", officer="rwc-", ...)`` -> {role: {op: bool}};
    a role left out may do nothing."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown
    table = {}
    for role in ROLES:
        flags = roles.get(role, "----")
        assert len(flags) == 4, flags
        table[role] = {op: flag != "-" for op, flag in zip(OPERATIONS, flags, strict=True)}
    return table


@dataclass
class Row:
    """How to try the four operations on one model."""

    expected: dict | None  # None: abstract model, no records to try
    record: Callable = None  # (case, op, user) -> the target record (sudo)
    read_fields: tuple = ("display_name",)
    write_values: Callable = None  # case -> values
    create_values: Callable = None  # case -> values
    note: str = ""
    extra: dict = field(default_factory=dict)


def _transient(model, values):
    """A wizard belongs to whoever creates it: make it the role's own."""

    def record(case, op, user):
        return case.env[model].with_user(user).sudo().create(values(case))

    return record


def _application_values(case):
    return {"lead_id": case.lead_draft.id, "partner_id": case.partner_a.id, "motivation": "x"}


def _override_values(case):
    return {
        "lead_ids": [(6, 0, case.lead_open.ids)],
        "routing_type": "subcontracting",
        "reason": "r",
    }


# ---------------------------------------------------------------------------
# THE TABLE. r = read, w = write, c = create, u = unlink; "-" = AccessError.
# ---------------------------------------------------------------------------
MATRIX = {
    # Requests: staff only (accountants read them, to settle). Facilitators
    # never read a lead: the portal shows its public fields through sudo()
    # after its own checks.
    "crm.lead": Row(
        cells(officer="rwc-", manager="rwcu", accountant="r---"),
        record=lambda case, op, user: case.lead_open,
        read_fields=("name", "email_from"),
        write_values=lambda case: {"description": "changed"},
        create_values=lambda case: {"name": "Matrix lead", "email_from": "m@example.com"},
    ),
    # Contacts: facilitator A's own partner. A reads it, B and other portal
    # users do not; nobody but OP staff may change a facilitator's level
    # (unlink: a contact of A's company, which no role here may delete).
    "res.partner": Row(
        cells(fac_a="r---", officer="rwc-", manager="rwc-", accountant="r---"),
        record=lambda case, op, user: (
            case.env["res.partner"].create(
                {"name": "A's assistant", "parent_id": case.partner_a.id}
            )
            if op == "unlink"
            else case.partner_a
        ),
        read_fields=("name", "facilitator_level_id"),
        write_values=lambda case: {"facilitator_level_id": case.blue.id},
        create_values=lambda case: {"name": "Matrix contact"},
    ),
    # The company's intake settings: administrators only.
    "res.company": Row(
        cells(
            public="r---",
            portal="r---",
            fac_a="r---",
            fac_b="r---",
            officer="r---",
            manager="r---",
            accountant="r---",
            api="r---",
        ),
        record=lambda case, op, user: case.env.company,
        read_fields=("name", "intake_rate_limit"),
        write_values=lambda case: {"intake_rate_limit": 1000},
        create_values=lambda case: {"name": "Matrix company"},
    ),
    "res.config.settings": Row(
        cells(),
        record=_transient("res.config.settings", lambda case: {}),
        read_fields=("intake_rate_limit",),
        write_values=lambda case: {"intake_rate_limit": 1000},
        create_values=lambda case: {},
    ),
    # Routing rules: employees read them, OP managers edit them.
    "crm.routing.rule": Row(
        cells(officer="r---", manager="rwcu", accountant="r---"),
        record=lambda case, op, user: case.env.ref(f"{MODULE}.routing_rule_other_countries"),
        read_fields=("name", "routing_type"),
        write_values=lambda case: {"sequence": 99},
        create_values=lambda case: {
            "name": "Matrix rule",
            "condition": "any_country",
            "routing_type": "client_introduction",
        },
    ),
    # The override wizard: OP officers (on their own wizard).
    "crm.lead.routing.override": Row(
        cells(officer="rwcu", manager="rwcu"),
        record=_transient("crm.lead.routing.override", _override_values),
        read_fields=("reason",),
        write_values=lambda case: {"reason": "changed"},
        create_values=_override_values,
    ),
    # Levels: everyone logged in reads them; OP managers edit them.
    "facilitator.level": Row(
        cells(
            portal="r---",
            fac_a="r---",
            fac_b="r---",
            officer="r---",
            manager="rwcu",
            accountant="r---",
            api="r---",
        ),
        record=lambda case, op, user: (
            case.env["facilitator.level"].create({"name": "Matrix level", "rank": 77})
            if op == "unlink"
            else case.green
        ),
        read_fields=("name", "rank"),
        write_values=lambda case: {"color": 3},
        create_values=lambda case: {"name": "Matrix level", "rank": 78},
    ),
    # A's application: A reads it (never writes it: the portal goes through
    # controllers); B and other portal users never see it.
    "facilitator.application": Row(
        cells(fac_a="r---", officer="rwc-", manager="rwcu"),
        record=lambda case, op, user: case.app_a,
        read_fields=("motivation", "state"),
        write_values=lambda case: {"motivation": "changed"},
        create_values=_application_values,
    ),
    # A's coordinator membership: A reads it; B, invited to the same team,
    # does not read A's row.
    "facilitator.team.member": Row(
        cells(fac_a="r---", officer="rwc-", manager="rwcu"),
        record=lambda case, op, user: case.member_a_coordinator,
        read_fields=("role", "state"),
        write_values=lambda case: {"state": "declined"},
        create_values=lambda case: {
            "lead_id": case.lead_a_only.id,
            "partner_id": case.partner_b.id,
            "role": "trainer",
        },
    ),
    # The billing engine: an abstract model, no table; its concrete payables
    # have rows of their own.
    "facilitator.billable.mixin": Row(None),
    # The annual fee statement's report model: abstract too; the report reads
    # fee declarations, whose row says who may.
    "report.crm_facilitator_network.report_annual_fee_statement": Row(None),
    # Users: A's own user; A may rename themself (Odoo's "My account"), nothing
    # more. Only administrators create, change or delete users.
    "res.users": Row(
        cells(fac_a="rw--", officer="r---", manager="r---", accountant="r---"),
        record=lambda case, op, user: (
            case.env["res.users"].create({"name": "Matrix user", "login": "cfn.matrix.user"})
            if op == "unlink"
            else case.users["fac_a"]
        ),
        read_fields=("login",),
        write_values=lambda case: {"name": "Renamed"},
        create_values=lambda case: {"name": "Matrix user", "login": "cfn.matrix.new"},
    ),
    # ------------------------------------------------------------------
    # Subcontracting: sessions, payable roles, rates, payout bills
    # ------------------------------------------------------------------
    # A session of an opportunity A coordinates: A reads it, B does not;
    # OP staff run it; accountants read it.
    "facilitation.session": Row(
        cells(fac_a="r---", officer="rwcu", manager="rwcu", accountant="r---"),
        record=lambda case, op, user: case.session_a,
        read_fields=("date", "state"),
        write_values=lambda case: {"location": "Elsewhere"},
        create_values=lambda case: {"lead_id": case.lead_sub.id, "date": "2030-01-01"},
    ),
    # A's payable role in it: A reads it, B does not; accountants correct it.
    "facilitation.session.role": Row(
        cells(fac_a="r---", officer="rwcu", manager="rwcu", accountant="rw--"),
        record=lambda case, op, user: case.session_role_a,
        read_fields=("role", "amount"),
        write_values=lambda case: {"amount": 1.0},
        create_values=lambda case: {
            "session_id": case.session_a.id,
            "partner_id": case.partner_a.id,
            "role": "facilitator",
        },
    ),
    # The rate grid: employees read it, OP managers set it.
    "facilitator.payout.rate": Row(
        cells(officer="r---", manager="rwcu", accountant="r---"),
        record=lambda case, op, user: case.env["facilitator.payout.rate"].create(
            {
                "role": "mentor",
                "currency_id": case.env.company.currency_id.id,
                "amount": 1.0,
                "date_from": "2001-01-01",
                "date_to": "2001-12-31",
            }
        ),
        read_fields=("role", "amount"),
        write_values=lambda case: {"amount": 2.0},
        create_values=lambda case: {
            "role": "mentor",
            "currency_id": case.env.company.currency_id.id,
            "amount": 1.0,
            "date_from": "2002-01-01",
            "date_to": "2002-12-31",
        },
    ),
    "facilitator.payout.wizard": Row(
        cells(officer="rwcu", manager="rwcu", accountant="rwcu"),
        record=_transient("facilitator.payout.wizard", lambda case: {}),
        read_fields=("date_to",),
        write_values=lambda case: {"date_to": "2030-01-01"},
        create_values=lambda case: {},
    ),
    # Payout bills (vendor bills): accountants only. A's bill reaches A through
    # the delivery portal (sudo, after checking it is A's), never the ORM.
    "account.move": Row(
        cells(accountant="rwcu"),
        record=lambda case, op, user: case.bill_a,
        read_fields=("name", "amount_total"),
        write_values=lambda case: {"ref": "changed"},
        create_values=lambda case: {"move_type": "in_invoice", "partner_id": case.partner_b.id},
    ),
    "account.move.line": Row(
        cells(accountant="rwcu"),
        record=lambda case, op, user: case.bill_a.invoice_line_ids[:1],
        read_fields=("name", "price_unit"),
        write_values=lambda case: {"name": "changed"},
        create_values=lambda case: {
            "move_id": case.bill_a.id,
            "name": "extra",
            "quantity": 1,
            "price_unit": 1.0,
        },
    ),
    # Products (the facilitation formats on them): employees read them; product
    # managers (none of these roles) edit them.
    "product.template": Row(
        cells(officer="r---", manager="r---", accountant="r---"),
        record=lambda case, op, user: case.env["product.template"].create({"name": "Matrix"}),
        read_fields=("name", "facilitation_format"),
        write_values=lambda case: {"name": "Renamed"},
        create_values=lambda case: {"name": "Matrix product"},
    ),
    # The client's quotation: sales staff, and accountants who invoice it; a
    # facilitator is never its customer.
    "sale.order": Row(
        cells(officer="rwc-", manager="rwcu", accountant="rw--"),
        record=lambda case, op, user: case.env["sale.order"].create(
            {
                "partner_id": case.env.ref("base.res_partner_2").id,
                "opportunity_id": case.lead_sub.id,
            }
        ),
        read_fields=("name", "amount_total"),
        write_values=lambda case: {"client_order_ref": "changed"},
        create_values=lambda case: {"partner_id": case.env.ref("base.res_partner_2").id},
    ),
    "sale.order.line": Row(
        cells(officer="rwcu", manager="rwcu", accountant="rw--"),
        record=lambda case, op, user: (
            case.env["sale.order"]
            .create(
                {
                    "partner_id": case.env.ref("base.res_partner_2").id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": case.env.ref(
                                    f"{MODULE}.product_workshop_in_person"
                                ).id,
                                "product_uom_qty": 1,
                            },
                        )
                    ],
                }
            )
            .order_line
        ),
        read_fields=("name", "price_unit"),
        write_values=lambda case: {"name": "changed"},
        create_values=lambda case: {
            "order_id": case.env["sale.order"]
            .create({"partner_id": case.env.ref("base.res_partner_2").id})
            .id,
            "product_id": case.env.ref(f"{MODULE}.product_workshop_in_person").id,
        },
    ),
    # The margin report (a view): staff and accountants read it; nobody writes it.
    "subcontracting.margin.report": Row(
        cells(officer="r---", manager="r---", accountant="r---"),
        record=None,  # model-level: a view holds rows only once sessions are billed
        extra={"model_level": True},
    ),
    # ------------------------------------------------------------------
    # Client introduction: fee declarations, thresholds, fee invoices
    # ------------------------------------------------------------------
    # A's declaration: A reads it (portal writes go through the form), B
    # never; OP staff and accountants handle them.
    "fee.declaration": Row(
        cells(fac_a="r---", officer="rwc-", manager="rwcu", accountant="rwc-"),
        record=lambda case, op, user: case.decl_a,
        read_fields=("amount_invoiced", "note"),
        write_values=lambda case: {"note": "changed"},
        create_values=lambda case: {
            "partner_id": case.partner_b.id,
            "period_start": case.decl_a.period_start,
            "category": "usage",
            "amount_invoiced": 10.0,
        },
    ),
    "fee.threshold": Row(
        cells(officer="r---", manager="rwcu", accountant="r---"),
        record=lambda case, op, user: case.env["fee.threshold"].create(
            {
                "country_id": case.env.ref("base.mx").id,
                "currency_id": case.env.company.currency_id.id,
                "amount": 1.0,
            }
        ),
        read_fields=("amount",),
        write_values=lambda case: {"amount": 2.0},
        create_values=lambda case: {
            "country_id": case.env.ref("base.ar").id,
            "currency_id": case.env.company.currency_id.id,
            "amount": 1.0,
        },
    ),
    # Analytic distribution models (the addon only speeds up their search):
    # Odoo's own rights.
    "account.analytic.distribution.model": Row(
        cells(accountant="rwcu"),
        record=lambda case, op, user: case.env["account.analytic.distribution.model"].create(
            {"partner_id": case.partner_a.id}
        ),
        read_fields=("partner_id",),
        write_values=lambda case: {"partner_id": case.partner_b.id},
        create_values=lambda case: {"partner_id": case.partner_b.id},
    ),
    # ------------------------------------------------------------------
    # Reporting (rows written before their models landed: "pending" rows only
    # count once their model exists)
    # ------------------------------------------------------------------
    # Payouts and fees per facilitator (a view): OP staff and accountants read it.
    "facilitator.network.report": Row(
        cells(officer="r---", manager="r---", accountant="r---"),
        extra={"model_level": True, "pending": True},
    ),
    # The OP manager's dashboard (a wizard of their own).
    "crm.op.dashboard": Row(
        cells(manager="rwcu"),
        record=_transient("crm.op.dashboard", lambda case: {}),
        read_fields=("name",),
        write_values=lambda case: {},
        create_values=lambda case: {},
        extra={"pending": True},
    ),
    "fee.invoicing.wizard": Row(
        cells(officer="rwcu", manager="rwcu", accountant="rwcu"),
        record=_transient("fee.invoicing.wizard", lambda case: {}),
        read_fields=("ended_before",),
        write_values=lambda case: {"ended_before": "2030-01-01"},
        create_values=lambda case: {},
    ),
}


@tagged("post_install", "-at_install", "security")
class TestSecurityAccessMatrix(SecurityFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_security_fixtures()

    def addon_models(self):
        """Models of the addon: those with an ir.model.data entry of the module."""
        data = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.model")]
        )
        return set(self.env["ir.model"].browse(data.mapped("res_id")).mapped("model"))

    def attempt(self, model, role, op):
        """True if ``role`` may ``op`` on ``model``, False on AccessError."""
        row = MATRIX[model]
        user = self.users[role]
        if row.extra.get("model_level"):
            # a SQL view: access rights only (no record rules, no rows to try)
            return self.env["ir.model.access"].with_user(user).check(model, op, False)
        with rolled_back(self.env):
            try:
                if op == "create":
                    records = self.env[model].with_user(user).create(row.create_values(self))
                    records.env.flush_all()
                    return True
                target = row.record(self, op, user)
                self.env.flush_all()
                self.env.invalidate_all()
                target = target.with_user(user)
                if op == "read":
                    target.read(list(row.read_fields))
                elif op == "write":
                    target.write(row.write_values(self))
                    target.env.flush_all()
                else:
                    target.unlink()
                    target.env.flush_all()
                return True
            except AccessError:
                return False

    def test_access_matrix(self):
        models = self.addon_models()
        rows = {
            model: row
            for model, row in MATRIX.items()
            if model in self.env or not row.extra.get("pending")
        }
        self.assertEqual(
            set(rows),
            models,
            "The access matrix must have exactly one row per model of the addon "
            f"(missing: {sorted(models - set(rows))}, unknown: {sorted(set(rows) - models)})",
        )
        mismatches, checked = [], 0
        for model, row in sorted(rows.items()):
            if row.expected is None:
                self.assertTrue(self.env[model]._abstract, f"{model} has no row but has records")
                continue
            for role in ROLES:
                for op in OPERATIONS:
                    expected = row.expected[role][op]
                    try:
                        actual = self.attempt(model, role, op)
                    except Exception as error:  # noqa: BLE001 - reported below
                        actual = f"{type(error).__name__}: {error}"
                    checked += 1
                    if actual is not expected:
                        got = {True: "allowed", False: "AccessError"}.get(actual, actual)
                        mismatches.append(
                            f"{model:28} {role:10} {op:6} expected "
                            f"{'allowed' if expected else 'AccessError'}, got {got}"
                        )
        _logger.info("Access matrix: %s cells checked on %s models", checked, len(rows))
        self.assertFalse(mismatches, "Access matrix mismatches:\n" + "\n".join(mismatches))
        self.assertEqual(checked, 8 * 4 * len([r for r in rows.values() if r.expected]))
