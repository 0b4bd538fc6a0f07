from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_amount
from odoo.tools.constants import PREFETCH_MAX

from .crm_lead_intake import CONTROL_CHARACTERS

FEE_CATEGORIES = [
    ("usage", "Usage fees"),
    ("usage_contribution", "Usage fees & business contribution"),
    ("contribution", "Business contribution only"),
]
# category -> (usage fee due, business contribution due)
CATEGORY_FEES = {
    "usage": (True, False),
    "usage_contribution": (True, True),
    "contribution": (False, True),
}
CATEGORY_PRODUCT_FIELDS = {
    "usage": ("fee_product_usage_id", "crm_facilitator_network.product_fee_usage"),
    "usage_contribution": (
        "fee_product_usage_contribution_id",
        "crm_facilitator_network.product_fee_usage_contribution",
    ),
    "contribution": (
        "fee_product_contribution_id",
        "crm_facilitator_network.product_fee_contribution",
    ),
}
MAX_AMOUNT = 10_000_000
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
# Fields a correction changes the fee of: refused once the declaration is invoiced.
BILLED_LOCKED_FIELDS = {
    "partner_id",
    "company_id",
    "currency_id",
    "period_start",
    "category",
    "lead_id",
    "amount_invoiced",
    "usage_fee_rate",
    "contribution_rate",
}


class FeeDeclaration(models.Model):
    """What a facilitator invoiced, excluding tax, in client introduction
    during one period, in one category, for one opportunity (or none).

    One declaration is one line of the fee invoice: the billing engine
    (``facilitator.billable.mixin``) groups the declarations of a facilitator,
    a period and a currency into one customer invoice.
    """

    _name = "fee.declaration"
    _description = "Fee Declaration"
    _inherit = ["mail.thread", "facilitator.billable.mixin"]
    _order = "period_start desc, partner_id, category, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Facilitator",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.currency_id,
    )
    period_start = fields.Date(required=True, tracking=True, index=True)
    period_end = fields.Date(compute="_compute_period", store=True, index=True)
    period_name = fields.Char(string="Period", compute="_compute_period", store=True)
    category = fields.Selection(FEE_CATEGORIES, required=True, tracking=True)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        tracking=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The client-introduction opportunity the facilitator coordinated or "
        "was in the team of.",
    )
    lead_title = fields.Char(
        string="Opportunity Title", compute="_compute_lead_title", compute_sudo=True
    )
    amount_invoiced = fields.Monetary(
        string="Amount Invoiced (excl. tax)",
        required=True,
        tracking=True,
        help="What the facilitator invoiced their client, excluding tax. Never the fee.",
    )
    usage_fee_rate = fields.Float(
        string="Usage Fee (%)",
        compute="_compute_rates",
        store=True,
        readonly=False,
        tracking=True,
        digits=(16, 2),
    )
    contribution_rate = fields.Float(
        string="Business Contribution (%)",
        compute="_compute_rates",
        store=True,
        readonly=False,
        tracking=True,
        digits=(16, 2),
    )
    usage_fee_amount = fields.Monetary(string="Usage Fee", compute="_compute_fees", store=True)
    contribution_amount = fields.Monetary(
        string="Business Contribution", compute="_compute_fees", store=True
    )
    fee_amount = fields.Monetary(string="Fee", compute="_compute_fees", store=True)
    below_threshold = fields.Boolean(
        readonly=True,
        copy=False,
        help="The facilitator's total for the period is below the declaring "
        "threshold of their country: no fee is due.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Submitted"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    note = fields.Text()
    payment_state = fields.Selection(
        selection=lambda self: self.env["account.move"]._fields["payment_state"].selection,
        string="Payment Status",
        compute="_compute_payment_state",
    )

    _amount_range = models.Constraint(
        f"CHECK(amount_invoiced >= 0 AND amount_invoiced <= {MAX_AMOUNT})",
        "The amount invoiced must be between 0 and 10,000,000.",
    )
    _rates_positive = models.Constraint(
        "CHECK(usage_fee_rate >= 0 AND contribution_rate >= 0)",
        "Fee rates cannot be negative.",
    )
    # facilitator × period × category × opportunity, once (cancelled ones aside)
    _unique_declaration = models.UniqueIndex(
        "(partner_id, period_start, category, COALESCE(lead_id, 0)) WHERE state != 'cancelled'",
        "This facilitator has already declared this category for this period.",
    )
    # an opportunity is declared once per period, whatever the category
    _unique_lead_period = models.UniqueIndex(
        "(partner_id, period_start, lead_id) WHERE lead_id IS NOT NULL AND state != 'cancelled'",
        "This facilitator has already declared this opportunity for this period.",
    )

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------

    @api.model
    def _fee_period_bounds(self, company, day):
        """``(start, end)`` of the declaration period of ``company`` holding ``day``."""
        months = PERIOD_MONTHS[company.fee_period or "quarterly"]
        start = day.replace(day=1, month=((day.month - 1) // months) * months + 1)
        return start, start + relativedelta(months=months, days=-1)

    @api.model
    def _fee_period_label(self, company, start):
        period = company.fee_period or "quarterly"
        if period == "monthly":
            return start.strftime("%Y-%m")
        if period == "yearly":
            return str(start.year)
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"

    @api.model
    def _fee_last_ended_period(self, company, today=None):
        today = today or fields.Date.context_today(self)
        current_start, __ = self._fee_period_bounds(company, today)
        return self._fee_period_bounds(company, current_start - relativedelta(days=1))

    @api.model
    def _fee_period_choices(self, company, count=8, today=None):
        """The ``count`` latest periods that have started, newest first:
        ``[(start, label)]``."""
        today = today or fields.Date.context_today(self)
        start, __ = self._fee_period_bounds(company, today)
        choices = []
        for __ in range(count):
            choices.append((start, self._fee_period_label(company, start)))
            start, __ = self._fee_period_bounds(company, start - relativedelta(days=1))
        return choices

    @api.depends("period_start", "company_id")
    def _compute_period(self):
        for decl in self:
            if not decl.period_start:
                decl.period_end = decl.period_name = False
                continue
            start, end = self._fee_period_bounds(decl.company_id, decl.period_start)
            decl.period_end = end
            decl.period_name = self._fee_period_label(decl.company_id, start)

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _fee_rates(self, company, category):
        """``(usage fee rate, business contribution rate)`` in % for ``category``."""
        usage, contribution = CATEGORY_FEES.get(category, (False, False))
        return (
            company.fee_usage_rate if usage else 0.0,
            company.fee_contribution_rate if contribution else 0.0,
        )

    @api.model
    def _fee_compute(self, amount, usage_rate, contribution_rate, currency):
        """``(usage fee, business contribution, total)``, each rounded with ``currency``."""
        usage = currency.round((amount or 0.0) * usage_rate / 100.0)
        contribution = currency.round((amount or 0.0) * contribution_rate / 100.0)
        return usage, contribution, currency.round(usage + contribution)

    @api.depends("category", "company_id")
    def _compute_rates(self):
        for decl in self:
            decl.usage_fee_rate, decl.contribution_rate = self._fee_rates(
                decl.company_id, decl.category
            )

    @api.depends("amount_invoiced", "usage_fee_rate", "contribution_rate", "currency_id")
    def _compute_fees(self):
        for decl in self:
            currency = decl.currency_id or decl.company_id.currency_id
            (
                decl.usage_fee_amount,
                decl.contribution_amount,
                decl.fee_amount,
            ) = self._fee_compute(
                decl.amount_invoiced, decl.usage_fee_rate, decl.contribution_rate, currency
            )

    @api.depends("period_name", "category", "partner_id", "lead_id")
    def _compute_name(self):
        categories = dict(FEE_CATEGORIES)
        for decl in self:
            decl.name = " – ".join(
                part
                for part in (
                    decl.period_name,
                    categories.get(decl.category),
                    decl.partner_id.name,
                )
                if part
            )

    def _compute_payment_state(self):
        for decl in self:
            decl.payment_state = decl.billing_move_id.payment_state or False

    @api.depends("lead_id")
    def _compute_lead_title(self):
        for decl in self:
            decl.lead_title = decl.lead_id.public_title or decl.lead_id.name or False

    # ------------------------------------------------------------------
    # Thresholds
    # ------------------------------------------------------------------

    def _update_threshold_flags(self):
        """Set ``below_threshold`` on every submitted declaration sharing a
        (company, facilitator, period) with ``self``."""
        keys = {(d.company_id, d.partner_id, d.period_start) for d in self if d.period_start}
        if not keys:
            return
        domain = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("partner_id", "=", partner.id)
            & Domain("period_start", "=", start)
            for company, partner, start in keys
        ) & Domain("state", "=", "confirmed")
        groups = (
            self.sudo()
            .search(domain)
            .grouped(lambda d: (d.company_id, d.partner_id, d.period_start))
        )
        Threshold = self.env["fee.threshold"]
        for (company, partner, __), decls in groups.items():
            threshold = Threshold._fee_threshold_for(company, partner.country_id)
            below = False
            if threshold:
                total = sum(
                    d.currency_id._convert(
                        d.amount_invoiced, threshold.currency_id, company, d.period_end
                    )
                    for d in decls
                )
                below = threshold.currency_id.compare_amounts(total, threshold.amount) < 0
            changed = decls.filtered(lambda d, below=below: d.below_threshold != below)
            if changed:
                changed.write({"below_threshold": below})

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    @api.model
    def _fee_lead_blocker(self, partner, lead):
        """A sentence saying why ``partner`` may not declare ``lead``, or False."""
        lead = lead.sudo()
        if not lead.exists():
            return _("This opportunity does not exist.")
        if lead.routing_type == "subcontracting":
            return _(
                "“%(lead)s” is a subcontracting opportunity: the association invoiced "
                "the client and no fee is due. Do not declare it.",
                lead=lead.public_title or lead.name,
            )
        if lead.routing_type != "client_introduction":
            return _(
                "“%(lead)s” is not a client-introduction opportunity.",
                lead=lead.public_title or lead.name,
            )
        if partner not in self._fee_lead_facilitators(lead):
            return _(
                "You can only declare the opportunities you coordinated or were in the team of."
            )
        return False

    @api.model
    def _fee_lead_facilitators(self, lead):
        """The coordinator and the accepted team members of ``lead``."""
        lead = lead.sudo()
        members = lead.facilitator_team_member_ids.filtered(lambda m: m.state == "accepted")
        return lead.coordinator_id | members.partner_id

    @api.constrains("lead_id", "category", "partner_id")
    def _check_lead(self):
        for decl in self:
            if decl.category == "usage_contribution" and not decl.lead_id:
                raise ValidationError(
                    _(
                        "A declaration of usage fees & business contribution needs the "
                        "client-introduction opportunity it comes from."
                    )
                )
            if decl.lead_id and decl.lead_id.sudo().routing_type != "client_introduction":
                raise ValidationError(
                    _(
                        "“%(lead)s” is not a client-introduction opportunity: no fee is due on "
                        "subcontracting.",
                        lead=decl.lead_id.sudo().public_title or decl.lead_id.sudo().name,
                    )
                )

    @api.constrains("amount_invoiced")
    def _check_amount(self):
        for decl in self:
            if decl.amount_invoiced < 0:
                raise ValidationError(_("The amount invoiced cannot be negative."))
            if decl.amount_invoiced > MAX_AMOUNT:
                raise ValidationError(
                    _("The amount invoiced is over 10,000,000: check the amount.")
                )

    @api.model
    def _fee_check_values(self, partner, values, company=None):
        """Check what a facilitator typed in the portal (already parsed).

        ``values``: ``period_start`` (date or None), ``category`` (str),
        ``lead_id`` (int or None), ``amount_invoiced`` (float or None),
        ``currency_id`` (int or None).

        :return: the list of error sentences (empty when all is right).
        """
        company = company or self.env.company
        errors = []
        amount = values.get("amount_invoiced")
        if amount is None:
            errors.append(
                _("Enter the amount you invoiced, excluding tax, as a number (e.g. 12500.00).")
            )
        elif amount < 0:
            errors.append(_("The amount invoiced cannot be negative."))
        elif amount > MAX_AMOUNT:
            errors.append(_("The amount invoiced is over 10,000,000: check the amount."))
        start = values.get("period_start")
        today = fields.Date.context_today(self)
        if not start:
            errors.append(_("Choose the period you declare."))
        elif start > today:
            errors.append(_("You cannot declare a period that has not started yet."))
        elif start != self._fee_period_bounds(company, start)[0]:
            errors.append(_("Choose the period you declare."))
        category = values.get("category")
        if category not in CATEGORY_FEES:
            errors.append(_("Choose what you declare: usage fees, business contribution or both."))
        lead = self.env["crm.lead"].sudo().browse(values.get("lead_id") or [])
        if category == "usage_contribution" and not lead:
            errors.append(_("Choose the client-introduction opportunity this revenue comes from."))
        if lead:
            blocker = self._fee_lead_blocker(partner, lead)
            if blocker:
                errors.append(blocker)
        currency = self.env["res.currency"].browse(values.get("currency_id") or [])
        if currency and currency not in self._fee_currencies(company):
            errors.append(_("Choose the currency of your invoices."))
        if not errors and start and category:
            duplicate = self.sudo().search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("period_start", "=", start),
                    ("state", "!=", "cancelled"),
                    "|",
                    "&",
                    ("category", "=", category),
                    ("lead_id", "=", lead.id or False),
                    "&",
                    ("lead_id", "!=", False),
                    ("lead_id", "=", lead.id or False),
                ],
                limit=1,
            )
            if duplicate:
                errors.append(
                    _(
                        "You have already declared this for %(period)s: a declaration cannot "
                        "be made twice. Contact the association to correct it.",
                        period=self._fee_period_label(company, start),
                    )
                )
        return errors

    @api.model
    def _fee_currencies(self, company):
        """Currencies a declaration may be made in: the active ones."""
        return self.env["res.currency"].search([("active", "=", True)]) | company.currency_id

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _fee_preview(self, partner, values, company=None):
        """The fees a declaration would compute, without saving anything:
        a dict for the portal (amounts formatted), or raise ValidationError."""
        company = company or self.env.company
        errors = self._fee_check_values(partner, values, company)
        if errors:
            raise ValidationError("\n".join(errors))
        currency = self.env["res.currency"].browse(values.get("currency_id")) or (
            company.currency_id
        )
        usage_rate, contribution_rate = self._fee_rates(company, values["category"])
        usage, contribution, total = self._fee_compute(
            values["amount_invoiced"], usage_rate, contribution_rate, currency
        )
        threshold = self.env["fee.threshold"]._fee_threshold_for(company, partner.country_id)
        return {
            "currency": currency,
            "usage_fee_rate": usage_rate,
            "contribution_rate": contribution_rate,
            "usage_fee_amount": usage,
            "contribution_amount": contribution,
            "fee_amount": total,
            "amount_invoiced": values["amount_invoiced"],
            "threshold": threshold,
            "threshold_text": threshold
            and format_amount(self.env, threshold.amount, threshold.currency_id),
        }

    @api.model
    def _fee_portal_submit(self, partner, values, company=None):
        """Create the submitted declaration a facilitator typed in the portal.

        Called with sudo() by the controller for the logged-in facilitator;
        raises ValidationError with every problem, and saves nothing then.
        """
        company = company or self.env.company
        errors = self._fee_check_values(partner, values, company)
        if errors:
            raise ValidationError("\n".join(errors))
        declaration = self.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "currency_id": values.get("currency_id") or company.currency_id.id,
                "period_start": values["period_start"],
                "category": values["category"],
                "lead_id": values.get("lead_id") or False,
                "amount_invoiced": values["amount_invoiced"],
                # control characters (NUL above all) are never text PostgreSQL keeps
                "note": CONTROL_CHARACTERS.sub("", values.get("note") or "").strip() or False,
            }
        )
        declaration.action_confirm()
        return declaration

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        declarations = super().create(vals_list)
        declarations.filtered(lambda d: d.state == "confirmed")._update_threshold_flags()
        return declarations

    def write(self, vals):
        if BILLED_LOCKED_FIELDS & set(vals):
            billed = self.filtered("is_billed")
            if billed:
                raise UserError(
                    _(
                        "“%(name)s” is already invoiced (%(move)s): cancel the invoice "
                        "before correcting it.",
                        name=billed[0].name,
                        move=billed[0].billing_move_id.name,
                    )
                )
        before = self.browse() if "state" not in vals else self
        result = super().write(vals)
        if {"amount_invoiced", "currency_id", "period_start", "partner_id", "state"} & set(vals):
            (self | before)._update_threshold_flags()
        return result

    def action_confirm(self):
        for decl in self:
            if decl.state != "draft":
                raise UserError(_("Only draft declarations can be submitted."))
        self.write({"state": "confirmed", "submitted_date": fields.Datetime.now()})
        return True

    def action_cancel(self):
        billed = self.filtered("is_billed")
        if billed:
            raise UserError(
                _(
                    "“%(name)s” is invoiced (%(move)s): cancel the invoice first.",
                    name=billed[0].name,
                    move=billed[0].billing_move_id.name,
                )
            )
        self.write({"state": "cancelled", "below_threshold": False})
        return True

    def action_reset_to_draft(self):
        self.filtered(lambda d: d.state == "cancelled").write({"state": "draft"})
        return True

    def action_open_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.billing_move_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Invoicing (through the shared billing engine)
    # ------------------------------------------------------------------

    @api.model
    def _fee_domain_to_invoice(self, ended_before=None):
        """Submitted declarations with a fee due, not invoiced yet, of periods
        that ended before ``ended_before`` (default: today)."""
        ended_before = ended_before or fields.Date.context_today(self)
        return [
            ("state", "=", "confirmed"),
            ("below_threshold", "=", False),
            ("fee_amount", ">", 0),
            ("is_billed", "=", False),
            ("period_end", "<", ended_before),
        ]

    def _fee_invoice(self):
        """Invoice the declarations of ``self`` that have a fee due: one posted
        customer invoice per facilitator, period and currency, one line per
        declaration. Running it again creates nothing.

        :return: ``(moves, errors)`` as ``_generate_billing_moves``.
        """
        if len(self) > PREFETCH_MAX:
            # One query instead of one per 1,000 declarations prefetched.
            self.fetch()
        due = self.filtered(
            lambda d: d.state == "confirmed" and not d.below_threshold and d.fee_amount > 0
        )
        moves, errors = due._generate_billing_moves()
        if moves:
            moves.action_post()
        return moves, errors

    def action_invoice_fees(self):
        """Invoice the selected declarations now (staff)."""
        moves, errors = self._fee_invoice()
        if errors and not moves:
            raise UserError("\n".join(errors.values()))
        return True

    @api.model
    def _cron_invoice_fees(self):
        for company in self.env["res.company"].search([]):
            declarations = self.with_company(company).search(
                self._fee_domain_to_invoice() + [("company_id", "=", company.id)]
            )
            declarations.with_company(company)._fee_invoice()

    # billing engine hooks

    @api.model
    def _billing_line_field(self):
        return "fee_declaration_id"

    @api.model
    def _billing_move_type(self):
        return "out_invoice"

    def _billing_key(self):
        return (self.partner_id, self.period_name, self.currency_id)

    def _fee_product(self):
        field, xmlid = CATEGORY_PRODUCT_FIELDS[self.category]
        return self.company_id[field] or self.env.ref(xmlid, raise_if_not_found=False)

    def _prepare_billing_line_values(self):
        self.ensure_one()
        return self._prepare_billing_lines_values()[0]

    def _prepare_billing_lines_values(self):
        # Labels and products are looked up once per run, not once per declaration.
        categories = dict(self._fields["category"]._description_selection(self.env))
        products = {}
        values_list = []
        for decl in self:
            rates = []
            if decl.usage_fee_rate:
                rates.append(_("usage fee %(rate)s%%", rate=f"{decl.usage_fee_rate:g}"))
            if decl.contribution_rate:
                rates.append(
                    _("business contribution %(rate)s%%", rate=f"{decl.contribution_rate:g}")
                )
            name = _(
                "%(category)s, %(period)s: %(rates)s of %(amount)s invoiced excl. tax",
                category=categories.get(decl.category),
                period=decl.period_name,
                rates=" + ".join(rates),
                amount=format_amount(self.env, decl.amount_invoiced, decl.currency_id),
            )
            if decl.lead_title:
                name = f"{name}\n{decl.lead_title}"
            key = (decl.company_id, decl.category)
            if key not in products:
                products[key] = decl._fee_product()
            values_list.append(
                {
                    "product_id": products[key].id,
                    "name": name,
                    "quantity": 1.0,
                    "price_unit": decl.fee_amount,
                }
            )
        return values_list

    def _prepare_billing_move_values(self, partner, period, currency):
        values = super()._prepare_billing_move_values(partner, period, currency)
        company = self[:1].company_id
        values.update(
            {
                "company_id": company.id,
                "invoice_origin": _("Fee declarations %(period)s", period=period),
            }
        )
        if company.fee_payment_term_id:
            values["invoice_payment_term_id"] = company.fee_payment_term_id.id
        return values

    # ------------------------------------------------------------------
    # Reminders and overdue declarations
    # ------------------------------------------------------------------

    @api.model
    def _fee_delivered_leads_domain(self, start, end):
        """Client-introduction opportunities delivered during [start, end]:
        a coordinator was selected (network status *Coordinator selected* or
        *Closed*) and the last wished date falls in the period."""
        return [
            ("routing_type", "=", "client_introduction"),
            ("network_state", "in", ("staffed", "closed")),
            ("wished_date_to", ">=", start),
            ("wished_date_to", "<=", end),
        ]

    @api.model
    def _fee_missing_declarations(self, company, start, end):
        """``{partner: leads}`` of the facilitators with a client-introduction
        opportunity delivered in the period and no declaration for it."""
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search(
                self._fee_delivered_leads_domain(start, end)
                + [("company_id", "in", (company.id, False))]
            )
        )
        expected = defaultdict(lambda: self.env["crm.lead"].sudo())
        for lead in leads:
            for partner in self._fee_lead_facilitators(lead):
                expected[partner] |= lead
        if not expected:
            return {}
        declared = {
            partner
            for [partner] in self.sudo()._read_group(
                [
                    ("partner_id", "in", [p.id for p in expected]),
                    ("period_start", "=", start),
                    ("state", "!=", "cancelled"),
                ],
                groupby=["partner_id"],
            )
        }
        return {p: leads for p, leads in expected.items() if p not in declared}

    @api.model
    def _cron_send_fee_reminders(self):
        template = self.env.ref(
            "crm_facilitator_network.mail_template_fee_declaration_reminder",
            raise_if_not_found=False,
        )
        if not template:
            return
        for company in self.env["res.company"].search([]):
            start, end = self._fee_last_ended_period(company)
            missing = self._fee_missing_declarations(company, start, end)
            partners = (
                self.env["res.partner"]
                .browse([p.id for p in missing])
                .filtered(lambda p, start=start: p.fee_reminder_period_start != start)
            )
            for partner in partners:
                template.with_context(
                    fee_period_name=self._fee_period_label(company, start),
                    fee_lead_titles=[lead.public_title or lead.name for lead in missing[partner]],
                ).send_mail(partner.id, email_layout_xmlid="mail.mail_notification_light")
            partners.write({"fee_reminder_period_start": start})
