"""Shared set-up of the fee tests: two facilitators (France, Switzerland),
client-introduction and subcontracting opportunities, EUR and CHF with
fixed rates, company rates 10% / 5%, quarterly periods."""

from datetime import date

from odoo import fields
from odoo.tests import new_test_user


class FeeSetupMixin:
    @classmethod
    def _fee_setup(cls):
        env = cls.env
        ref = env.ref
        cls.company = env.company
        cls.company.write(
            {"fee_usage_rate": 10.0, "fee_contribution_rate": 5.0, "fee_period": "quarterly"}
        )
        cls.eur = ref("base.EUR")
        cls.chf = ref("base.CHF")
        (cls.eur | cls.chf).write({"active": True})
        Rate = env["res.currency.rate"]
        Rate.search([("currency_id", "in", (cls.eur | cls.chf).ids)]).unlink()
        # 1 company currency = 1 EUR = 0.9 CHF, for every date
        Rate.create(
            [
                {
                    "currency_id": cls.eur.id,
                    "name": date(2000, 1, 1),
                    "rate": 1.0,
                    "company_id": cls.company.id,
                },
                {
                    "currency_id": cls.chf.id,
                    "name": date(2000, 1, 1),
                    "rate": 0.9,
                    "company_id": cls.company.id,
                },
            ]
        )
        if cls.company.currency_id not in (cls.eur | cls.chf):
            pass  # the company currency is its own reference (rate 1)
        cls.france = ref("base.fr")
        cls.switzerland = ref("base.ch")
        cls.iceland = ref("base.is")
        Threshold = env["fee.threshold"]
        Threshold.search([("company_id", "=", cls.company.id)]).unlink()
        cls.threshold_ch = Threshold.create(
            {
                "company_id": cls.company.id,
                "country_id": cls.switzerland.id,
                "currency_id": cls.chf.id,
                "amount": 2300.0,
            }
        )
        cls.ana_user = cls._fee_facilitator("Ana Fee", "cfn.fee.ana", cls.france)
        cls.sven_user = cls._fee_facilitator("Sven Fee", "cfn.fee.sven", cls.switzerland)
        cls.ana = cls.ana_user.partner_id
        cls.sven = cls.sven_user.partner_id
        cls.Declaration = env["fee.declaration"]
        cls.period_start, cls.period_end = cls.Declaration._fee_last_ended_period(cls.company)
        cls.period_name = cls.Declaration._fee_period_label(cls.company, cls.period_start)
        cls.lead_ci = cls._fee_lead("Fee CI Reykjavik", cls.iceland, cls.ana, "Fee Tour Reykjavik")
        cls.lead_ci_sven = cls._fee_lead("Fee CI Zurich", cls.switzerland, cls.sven, "Fee Zurich")
        cls.lead_sub = cls._fee_lead("Fee Sub Paris", cls.france, cls.ana, "Fee Tour Paris")

    @classmethod
    def _fee_facilitator(cls, name, login, country):
        user = new_test_user(
            cls.env,
            login,
            groups="base.group_portal",
            password=login,
            name=name,
            email=f"{login}@example.com",
        )
        user.partner_id.write(
            {"is_facilitator": True, "country_id": country.id, "facilitator_commercial": True}
        )
        return user

    @classmethod
    def _fee_lead(cls, name, country, coordinator, title):
        lead = cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "country_id": country.id,
                "public_title": title,
                "audience": "company",
                "wished_date_from": cls.period_start,
                "wished_date_to": cls.period_end,
            }
        )
        lead.write({"network_state": "closed", "coordinator_id": coordinator.id})
        cls.env["facilitator.team.member"].create(
            {
                "lead_id": lead.id,
                "partner_id": coordinator.id,
                "role": "coordinator",
                "state": "accepted",
            }
        )
        return lead

    def declare(
        self,
        partner,
        amount,
        category="usage",
        lead=None,
        currency=None,
        period_start=None,
        confirm=True,
    ):
        declaration = self.Declaration.create(
            {
                "partner_id": partner.id,
                "amount_invoiced": amount,
                "category": category,
                "lead_id": lead.id if lead else False,
                "currency_id": (currency or self.eur).id,
                "period_start": period_start or self.period_start,
            }
        )
        if confirm:
            declaration.action_confirm()
        return declaration

    def values(self, amount, category="usage", lead=None, currency=None, period_start=None):
        return {
            "period_start": period_start or self.period_start,
            "category": category,
            "lead_id": lead.id if lead else None,
            "amount_invoiced": amount,
            "currency_id": (currency or self.eur).id,
        }

    def today(self):
        return fields.Date.context_today(self.Declaration)
