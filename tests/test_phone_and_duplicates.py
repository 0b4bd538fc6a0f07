from odoo.tests import tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestPhoneNormalisation(RoutingCase):
    def test_numbers_are_normalised_to_e164_with_the_country(self):
        fr = self.env.ref("base.fr").id
        cases = {
            "01 43 55 12 34": "+33143551234",
            "01.43.55.12.34": "+33143551234",
            "+33 (0)1 43 55 12 34": "+33143551234",
            "0033 1 43 55 12 34": "+33143551234",
            "+49 30 1234567": "+49301234567",
        }
        for typed, expected in cases.items():
            with self.subTest(typed=typed):
                self.assertEqual(self.new_lead(phone=typed, country_id=fr).phone, expected)

    def test_invalid_numbers_are_kept_as_typed_and_flagged(self):
        for typed in ("12345", "call me maybe", "+33 1 23"):
            with self.subTest(typed=typed):
                lead = self.new_lead(phone=typed, country_id=self.env.ref("base.fr").id)
                self.assertEqual(lead.phone, typed)
                self.assertEqual(lead.phone_state, "incorrect")

    def test_number_normalised_when_the_country_is_set_later(self):
        lead = self.new_lead(phone="089 1234567")
        self.assertEqual(lead.phone, "089 1234567")
        lead.country_id = self.env.ref("base.de")
        self.assertEqual(lead.phone, "+49891234567")
        self.assertEqual(lead.phone_state, "correct")


@tagged("post_install", "-at_install")
class TestDuplicates(RoutingCase):
    def test_same_email_phone_or_organisation_is_flagged_not_merged(self):
        de = self.env.ref("base.de").id
        first = self.new_lead(email_from="Jonas <j.weber@example.de>", country_id=de)
        by_email = self.new_lead(email_from="J.Weber@example.de", country_id=de)
        self.assertEqual(by_email.duplicate_of_id, first)
        self.assertIn("email", by_email.duplicate_reason)
        self.assertTrue(first.exists() and by_email.exists(), "nothing is merged")
        self.assertIn(first.display_name, by_email.message_ids[0].body)

        phone = self.new_lead(phone="+49 30 2345678", country_id=de)
        by_phone = self.new_lead(phone="030 2345678", country_id=de)
        self.assertEqual(by_phone.duplicate_of_id, phone)

        org = self.new_lead(partner_name="Stadtwerke Grünwald")
        by_org = self.new_lead(partner_name="STADTWERKE GRÜNWALD ")
        self.assertEqual(by_org.duplicate_of_id, org)

    def test_duplicates_inside_one_batch(self):
        leads = self.Lead.create(
            [
                {"name": "A", "email_from": "batch@example.com"},
                {"name": "B", "email_from": "batch@example.com"},
            ]
        )
        self.assertFalse(leads[0].duplicate_of_id)
        self.assertEqual(leads[1].duplicate_of_id, leads[0])

    def test_closed_or_old_requests_are_not_duplicates(self):
        won = self.new_lead(email_from="won@example.com")
        won.action_set_won()
        self.assertFalse(self.new_lead(email_from="won@example.com").duplicate_of_id)
        old = self.new_lead(email_from="old@example.com")
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '400 days' WHERE id = %s", [old.id]
        )
        self.assertFalse(self.new_lead(email_from="old@example.com").duplicate_of_id)
