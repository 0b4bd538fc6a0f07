from odoo.tests import TransactionCase


class NetworkCase(TransactionCase):
    """Facilitators (portal users), an OP officer and leads of both groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=True,
                no_reset_password=True,
            )
        )
        ref = cls.env.ref
        cls.yellow = ref("crm_facilitator_network.facilitator_level_yellow")
        cls.orange = ref("crm_facilitator_network.facilitator_level_orange")
        cls.green = ref("crm_facilitator_network.facilitator_level_green")
        cls.blue = ref("crm_facilitator_network.facilitator_level_blue")
        cls.lang_de = ref("base.lang_de")
        cls.lang_fr = ref("base.lang_fr")
        cls.officer = cls.env["res.users"].create(
            {
                "name": "Nora Network Officer",
                "login": "nora.network.officer",
                "email": "nora.officer@example.com",
                "group_ids": [(6, 0, [ref("crm_facilitator_network.group_op_officer").id])],
            }
        )
        cls.fac_green = cls.new_facilitator(
            "Gina Green", cls.green, langs=cls.lang_de, countries=ref("base.de")
        )
        cls.fac_blue = cls.new_facilitator("Boris Blue", cls.blue)
        cls.fac_yellow = cls.new_facilitator("Yann Yellow", cls.yellow)
        cls.Lead = cls.env["crm.lead"].with_user(cls.officer)
        cls.lead = cls.new_lead("Berlin request", country=ref("base.de"), lang=cls.lang_de)

    @classmethod
    def new_facilitator(cls, name, level, langs=None, countries=None, **values):
        login = name.lower().replace(" ", ".")
        user = cls.env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": f"{login}@example.com",
                "group_ids": [(6, 0, [cls.env.ref("base.group_portal").id])],
            }
        )
        user.partner_id.write(
            {
                "is_facilitator": True,
                "facilitator_level_id": level.id,
                "facilitator_commercial": True,
                "facilitator_legal_name": f"{name} SARL",
                "company_registry": "12345678900011",
                "facilitator_lang_ids": [(6, 0, langs.ids if langs else [])],
                "facilitator_country_ids": [(6, 0, countries.ids if countries else [])],
                **values,
            }
        )
        return user.partner_id

    @classmethod
    def new_lead(cls, name, country, lang=None, publish=True, **values):
        lead = (
            cls.env["crm.lead"]
            .with_user(cls.officer)
            .create(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_name": f"{name} Org",
                    "contact_name": "Client Contact",
                    "email_from": "client@example.com",
                    "country_id": country.id,
                    "lang_id": lang.id if lang else False,
                    "public_title": f"{name} (public)",
                    "application_deadline": "2099-12-31",
                    **values,
                }
            )
        )
        if publish:
            lead.action_publish_to_network()
        return lead

    def apply(self, partner, lead=None, **values):
        values.setdefault("motivation", "I want to coordinate it.")
        return (
            self.env["facilitator.application"].sudo()._submit(lead or self.lead, partner, values)
        )
