"""Shared setup of the subcontracting tests: a rate grid, facilitators in
France and Switzerland, a French price list and a subcontracted lead sold,
staffed and ready for sessions. Holds no test of its own."""

from odoo import Command
from odoo.tests import TransactionCase

SESSION_DATE = "2025-03-10"


class SubcontractingMixin:
    @classmethod
    def setup_subcontracting(cls):
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=True,
                no_reset_password=True,
                mail_notrack=False,
            )
        )
        ref = cls.env.ref
        cls.company = cls.env.company
        cls.usd = cls.company.currency_id
        cls.eur = ref("base.EUR")
        cls.chf = ref("base.CHF")
        (cls.eur | cls.chf).active = True
        # Deterministic conversion: 1 EUR = 1 company unit, 1 CHF = 1.25.
        Rate = cls.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (cls.eur | cls.chf | cls.usd).ids)]).unlink()
        Rate.create(
            [
                {
                    "currency_id": cls.eur.id,
                    "name": "2000-01-01",
                    "rate": 1.0,
                    "company_id": cls.company.id,
                },
                {
                    "currency_id": cls.chf.id,
                    "name": "2000-01-01",
                    "rate": 0.8,
                    "company_id": cls.company.id,
                },
            ]
        )
        # Our own grid, whatever the demo data holds.
        PayoutRate = cls.env["facilitator.payout.rate"]
        PayoutRate.search([]).active = False
        cls.rates = PayoutRate.create(
            [
                {
                    "role": "facilitator",
                    "currency_id": cls.eur.id,
                    "amount": 500.0,
                    "date_from": "2020-01-01",
                },
                {
                    "role": "coordinator",
                    "currency_id": cls.eur.id,
                    "amount": 100.0,
                    "date_from": "2020-01-01",
                },
                {
                    "role": "facilitator",
                    "currency_id": cls.chf.id,
                    "amount": 550.0,
                    "date_from": "2020-01-01",
                },
                {
                    "role": "coordinator",
                    "currency_id": cls.chf.id,
                    "amount": 110.0,
                    "date_from": "2020-01-01",
                },
            ]
        )
        cls.green = ref("crm_facilitator_network.facilitator_level_green")
        cls.officer = cls.env["res.users"].create(
            {
                "name": "Sam Subcontracting Officer",
                "login": "sam.sub.officer",
                "email": "sam.sub.officer@example.com",
                "group_ids": [
                    Command.set(
                        [
                            ref("crm_facilitator_network.group_op_officer").id,
                            ref("account.group_account_invoice").id,
                        ]
                    )
                ],
            }
        )
        cls.fac_fr = cls.new_facilitator("Claire Coord", ref("base.fr"), currency=cls.eur)
        cls.fac_fr2 = cls.new_facilitator("Fanny Facil", ref("base.fr"), currency=cls.eur)
        cls.fac_ch = cls.new_facilitator("Urs Swiss", ref("base.ch"), currency=cls.chf)
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Mairie de Test",
                "is_company": True,
                "country_id": ref("base.fr").id,
                "email": "mairie@example.com",
            }
        )
        cls.product_session = ref("crm_facilitator_network.product_workshop_in_person")
        cls.product_participant = ref("crm_facilitator_network.product_workshop_participant")
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "France test (EUR)",
                "currency_id": cls.eur.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.product_session.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 1200.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.product_participant.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 60.0,
                            "min_quantity": 1,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.product_participant.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 50.0,
                            "min_quantity": 50,
                        }
                    ),
                ],
            }
        )
        # No tax on the client side: the figures stay round.
        (cls.product_session | cls.product_participant).taxes_id = False

    @classmethod
    def new_facilitator(cls, name, country, currency=None, bank=True):
        login = name.lower().replace(" ", ".") + ".sub"
        user = cls.env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": f"{login}@example.com",
                "group_ids": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
        partner = user.partner_id
        partner.write(
            {
                "country_id": country.id,
                "is_facilitator": True,
                "facilitator_level_id": cls.green.id,
                "facilitator_commercial": True,
                "facilitator_legal_name": f"{name} EI",
                "company_registry": "12345678900011",
                "facilitator_payout_currency_id": currency.id if currency else False,
            }
        )
        if bank:
            cls.env["res.partner.bank"].create(
                {
                    "partner_id": partner.id,
                    "acc_number": f"FR76{partner.id:023d}",
                }
            )
        return partner

    @classmethod
    def new_sold_lead(cls, name="Mairie de Test – workshops", qty=2, product=None):
        """A subcontracted lead, its confirmed sale order, a selected
        coordinator (fac_fr) and an accepted team (fac_fr2, fac_ch)."""
        lead = (
            cls.env["crm.lead"]
            .with_user(cls.officer)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": cls.client.id,
                    "partner_name": cls.client.name,
                    "contact_name": "Client Contact",
                    "email_from": "mairie@example.com",
                    "country_id": cls.env.ref("base.fr").id,
                    "city": "Lyon",
                    "workshop_format": "in_person",
                }
            )
        )
        order = (
            cls.env["sale.order"]
            .with_user(cls.officer)
            .create(
                {
                    "partner_id": cls.client.id,
                    "opportunity_id": lead.id,
                    "pricelist_id": cls.pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or cls.product_session).id,
                                "product_uom_qty": qty,
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        application = (
            cls.env["facilitator.application"]
            .sudo()
            ._submit(lead, cls.fac_fr, {"motivation": "I coordinate in Lyon."})
        )
        application.with_user(cls.officer).action_select()
        Member = cls.env["facilitator.team.member"].sudo()
        for partner in (cls.fac_fr2, cls.fac_ch):
            Member._invite(lead, cls.fac_fr, partner, "facilitator").action_accept()
        return lead, order

    @classmethod
    def new_session(cls, lead, order, team, date=SESSION_DATE, **values):
        """``team``: [(partner, role), ...]."""
        return (
            cls.env["facilitation.session"]
            .with_user(cls.officer)
            .create(
                {
                    "lead_id": lead.id,
                    "sale_line_id": order.order_line[:1].id,
                    "date": date,
                    "location": "Lyon",
                    "participant_count": 14,
                    "role_ids": [Command.create({"partner_id": p.id, "role": r}) for p, r in team],
                    **values,
                }
            )
        )


class SubcontractingCase(SubcontractingMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_subcontracting()
