"""Data builders shared by tests/test_performance.py and benchmarks/."""

from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

COUNTRY_CODES = ("fr", "de", "ca", "ma", "re", "be")


class NetworkDataMixin:
    """Bulk requests, published opportunities, facilitators and applications."""

    def _lead_values(self, count, prefix):
        countries = [self.env.ref(f"base.{code}") for code in COUNTRY_CODES]
        return [
            {
                "name": f"{prefix} {i}",
                "type": "opportunity",
                "partner_name": f"{prefix} Organisation {i}",
                "email_from": f"{prefix.lower()}{i}@example.com",
                "phone": f"+33 1 43 {i // 100 % 100:02d} {i % 100:02d} 1{i % 10}",
                "country_id": countries[i % len(countries)].id,
            }
            for i in range(count)
        ]

    def _published(self, count, prefix):
        leads = self.env["crm.lead"].create(
            [
                {
                    **values,
                    "public_title": f"{prefix} workshop {i}",
                    "audience": "company",
                    "application_deadline": fields.Date.today() + timedelta(days=30),
                }
                for i, values in enumerate(self._lead_values(count, prefix))
            ]
        )
        leads.write({"network_state": "open", "network_published_date": fields.Datetime.now()})
        return leads

    def _facilitator_user(self, login):
        user = new_test_user(
            self.env, login, groups="base.group_portal", password=login, name=login.title()
        )
        user.partner_id.write(
            {
                "is_facilitator": True,
                "facilitator_level_id": self.env.ref(
                    "crm_facilitator_network.facilitator_level_green"
                ).id,
                "facilitator_commercial": True,
                "facilitator_legal_name": f"{login} EI",
                "company_registry": "12345678900011",
            }
        )
        return user

    def _apply(self, partner, leads):
        return self.env["facilitator.application"].create(
            [
                {"lead_id": lead.id, "partner_id": partner.id, "motivation": "Ready"}
                for lead in leads
            ]
        )

    def _backend_list_reader(self):
        """What the web client does to show 80 rows of the opportunities list
        (the one with the Group column), from a cold cache."""
        view = self.env.ref("crm.crm_case_tree_view_oppor")
        fnames = self.env["crm.lead"].get_view(view.id, "list")["models"]["crm.lead"]
        spec = {name: {} for name in fnames}

        def read_list():
            self.env.invalidate_all()
            self.env["crm.lead"].web_search_read([], spec, limit=80)

        return read_list

    def _close_other_opportunities(self):
        """Sizes are exact: demo opportunities are taken off the network."""
        self.env["crm.lead"].search([("network_state", "=", "open")]).network_state = "closed"

    # ------------------------------------------------------------------
    # Payouts and fees (figure 5)
    # ------------------------------------------------------------------

    def _billing_facilitators(self, count, prefix):
        """``count`` self-billed facilitators in France, with a bank account."""
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} Facilitator {i}",
                    "is_facilitator": True,
                    "country_id": self.env.ref("base.fr").id,
                    "facilitator_level_id": self.env.ref(
                        "crm_facilitator_network.facilitator_level_green"
                    ).id,
                    "facilitator_commercial": True,
                    "facilitator_legal_name": f"{prefix} Facilitator {i} EI",
                    "company_registry": "12345678900011",
                }
                for i in range(count)
            ]
        )
        self.env["res.partner.bank"].create(
            [{"partner_id": p.id, "acc_number": f"FR76{p.id:023d}"} for p in partners]
        )
        return partners

    def _payout_grid(self):
        """Our own rate grid in the company's currency, whatever the demo holds."""
        Rate = self.env["facilitator.payout.rate"]
        Rate.search([]).active = False
        currency = self.env.company.currency_id
        Rate.create(
            [
                {
                    "role": role,
                    "currency_id": currency.id,
                    "amount": amount,
                    "date_from": "2020-01-01",
                }
                for role, amount in (("coordinator", 100.0), ("facilitator", 500.0))
            ]
        )

    def _delivered_sessions(self, facilitators, count, prefix, date="2025-03-10"):
        """``count`` delivered sessions of one month on subcontracted
        opportunities staffed by pairs of ``facilitators`` (a coordinator and a
        facilitator): two session roles each, one payout bill per facilitator.
        Returns the opportunities."""
        pairs = [facilitators[i : i + 2] for i in range(0, len(facilitators) - 1, 2)]
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"{prefix} subcontracted {i}",
                    "type": "opportunity",
                    "partner_name": f"{prefix} Client {i}",
                    "country_id": self.env.ref("base.fr").id,
                    "workshop_format": "in_person",
                }
                for i in range(len(pairs))
            ]
        )
        assert set(leads.mapped("routing_type")) == {"subcontracting"}, (
            "French leads are subcontracted"
        )
        self.env["facilitator.team.member"].create(
            [
                {"lead_id": lead.id, "partner_id": partner.id, "role": role, "state": "accepted"}
                for lead, pair in zip(leads, pairs, strict=True)
                for partner, role in zip(pair, ("coordinator", "facilitator"), strict=True)
            ]
        )
        sessions = self.env["facilitation.session"].create(
            [
                {
                    "lead_id": leads[i % len(leads)].id,
                    "date": date,
                    "location": "Lyon",
                    "participant_count": 10,
                    "role_ids": [
                        fields.Command.create({"partner_id": partner.id, "role": role})
                        for partner, role in zip(
                            pairs[i % len(leads)], ("coordinator", "facilitator"), strict=True
                        )
                    ],
                }
                for i in range(count)
            ]
        )
        sessions.write(
            {"state": "delivered", "attendee_count": 10, "delivered_date": fields.Datetime.now()}
        )
        return leads

    def _generate_payouts(self, leads):
        moves, errors = self.env["facilitator.payout.wizard"]._generate_payouts(
            leads.ids, date_to=fields.Date.today()
        )
        assert not errors, errors
        return moves

    def _fee_setup(self):
        """Company rates 10% / 5% and no declaring threshold: every fee is due."""
        company = self.env.company
        company.write({"fee_usage_rate": 10.0, "fee_contribution_rate": 5.0})
        self.env["fee.threshold"].search([("company_id", "=", company.id)]).unlink()

    def _fee_declarations(self, facilitators, per_facilitator, prefix):
        """``per_facilitator`` submitted declarations of the last ended period
        for each of ``facilitators``, one per client-introduction opportunity
        (shared by the facilitators): one fee invoice per facilitator."""
        Declaration = self.env["fee.declaration"]
        company = self.env.company
        start, __ = Declaration._fee_last_ended_period(company)
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"{prefix} introduction {i}",
                    "type": "opportunity",
                    "partner_name": f"{prefix} Client {i}",
                    "country_id": self.env.ref("base.is").id,
                }
                for i in range(per_facilitator)
            ]
        )
        assert set(leads.mapped("routing_type")) == {"client_introduction"}
        categories = ("usage", "usage_contribution", "contribution")
        declarations = Declaration.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "period_start": start,
                    "category": categories[i % 3],
                    "lead_id": lead.id,
                    "amount_invoiced": 1000.0 + i,
                }
                for partner in facilitators
                for i, lead in enumerate(leads)
            ]
        )
        declarations.action_confirm()
        return declarations

    def _invoice_fees(self, declarations):
        moves, errors = declarations.browse(declarations.ids)._fee_invoice()
        assert not errors, errors
        return moves
