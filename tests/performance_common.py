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

    def _close_other_opportunities(self):
        """Sizes are exact: demo opportunities are taken off the network."""
        self.env["crm.lead"].search([("network_state", "=", "open")]).network_state = "closed"
