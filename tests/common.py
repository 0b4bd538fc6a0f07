from odoo.tests import TransactionCase


class RoutingCase(TransactionCase):
    """Leads are created as an OP officer, the way staff create them by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.officer = cls.env["res.users"].create(
            {
                "name": "Olivia Officer",
                "login": "olivia.officer",
                "email": "olivia.officer@example.com",
                "group_ids": [(6, 0, [cls.env.ref("crm_facilitator_network.group_op_officer").id])],
            }
        )
        cls.Lead = cls.env["crm.lead"].with_user(cls.officer)
        cls.company = cls.env.company
        cls.op_team = cls.env.ref("crm_facilitator_network.team_offer_programs")
        cls.community_team = cls.env.ref("crm_facilitator_network.team_community")
        cls.rule_op = cls.env.ref("crm_facilitator_network.routing_rule_op_account")
        cls.rule_france = cls.env.ref("crm_facilitator_network.routing_rule_france")
        cls.rule_other = cls.env.ref("crm_facilitator_network.routing_rule_other_countries")

    def new_lead(self, **values):
        values.setdefault("name", "Workshop request")
        return self.Lead.create(values)
