"""French: every term of the addon has a translation, and the French UI,
portal pages, mail templates and PDF reports really come out in French.

The terms are exported in-process the way ``odoo-bin i18n export`` does
(``TranslationModuleReader``), so a new string in a view, a model, a
controller or a data file fails this test until ``i18n/fr.po`` translates it
(``bash tools/i18n_export.sh`` brings it into the catalogue).
"""

import ast
import re
from datetime import timedelta
from pathlib import Path

import polib
from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "crm_facilitator_network"
ADDON = Path(__file__).resolve().parent.parent
FR_PO = ADDON / "i18n" / "fr.po"
# %(name)s, %s, %% (python-format) and {{ ... }} (inline templates)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{\{.*?\}\}")


def load_french(env):
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms([MODULE], ["fr_FR"], overwrite=True)


def demo_xmlids():
    """The records of the demo files: the released template is exported from
    a database without demo data, so their terms are not the addon's."""
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    xmlids = set()
    for path in manifest.get("demo", []):
        if path.endswith(".xml"):
            for node in etree.parse(str(ADDON / path)).iter("record"):
                xmlid = node.get("id")
                xmlids.add(xmlid if "." in xmlid else f"{MODULE}.{xmlid}")
    return xmlids


def short(term, width=100):
    term = " ".join(term.split())
    return term if len(term) <= width else term[: width - 1] + "…"


@tagged("post_install", "-at_install")
class TestFrenchCatalogue(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.catalogue = polib.pofile(str(FR_PO))

    def _exported_terms(self, lang=None):
        """{source term: [(occurrence, translation in the database)]}, the way
        Odoo exports the addon, without the terms of its demo records."""
        demo = demo_xmlids()
        terms = {}
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE], lang=lang)
        for module, ttype, name, res_id, source, value, _comments in reader:
            if module != MODULE or (ttype in ("model", "model_terms") and res_id in demo):
                continue
            terms.setdefault(source, []).append((f"{ttype}:{name}:{res_id}", value))
        return terms

    def test_every_term_has_a_french_translation(self):
        terms = self._exported_terms()
        self.assertGreater(len(terms), 300, "the export found too few terms: is the addon read?")
        translated = {
            entry.msgid
            for entry in self.catalogue
            if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(term for term in terms if term not in translated)
        if missing:
            self.fail(
                f"{len(missing)} of the {len(terms)} terms of the addon have no French translation "
                "in i18n/fr.po (run `bash tools/i18n_export.sh`, then translate them):\n"
                + "\n".join(f"  - {short(term)!r}  [{terms[term][0][0]}]" for term in missing)
            )

    def test_catalogue_is_clean(self):
        fuzzy = [entry.msgid for entry in self.catalogue.fuzzy_entries()]
        self.assertFalse(fuzzy, "fuzzy entries in i18n/fr.po:\n" + "\n".join(map(short, fuzzy)))
        empty = [entry.msgid for entry in self.catalogue if not entry.msgstr.strip()]
        self.assertFalse(empty, "empty msgstr in i18n/fr.po:\n" + "\n".join(map(short, empty)))
        broken = [
            f"{short(entry.msgid)!r} -> {short(entry.msgstr)!r}"
            for entry in self.catalogue
            if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
        ]
        self.assertFalse(broken, "placeholders changed by the translation:\n" + "\n".join(broken))

    def test_database_holds_the_french_terms(self):
        """Loading fr_FR puts every translation in the database: no record
        (noupdate ones included, like the mail templates) stays in English."""
        french = {e.msgid: e.msgstr for e in self.catalogue if e.msgstr}
        english = []
        for source, occurrences in self._exported_terms(lang="fr_FR").items():
            if source not in french or french[source] == source:
                continue  # reported by the test above, or the same in French
            english += [
                f"{short(source)!r}  [{where}]" for where, value in occurrences if not value
            ]
        if english:
            self.fail(
                f"{len(english)} terms stay in English after loading fr_FR: i18n/fr.po does not "
                "list these records, or lacks the `odoo-python` flag of these code terms "
                "(run `bash tools/i18n_export.sh` to merge the new template):\n"
                + "\n".join(f"  - {line}" for line in english)
            )

    def test_group_label(self):
        Lead = self.env["crm.lead"].with_context(lang="fr_FR")
        for field_name in ("routing_type", "routing_override_type"):
            labels = dict(Lead.fields_get([field_name])[field_name]["selection"])
            self.assertEqual(labels["subcontracting"], "Sous-traitance")
            self.assertEqual(labels["client_introduction"], "Apport d'affaires")
        self.assertEqual(Lead.fields_get(["routing_type"])["routing_type"]["string"], "Groupe")
        levels = [
            self.env.ref(f"{MODULE}.facilitator_level_{color}").with_context(lang="fr_FR").name
            for color in ("yellow", "orange", "green", "blue")
        ]
        self.assertEqual(
            levels, ["Ceinture jaune", "Ceinture orange", "Ceinture verte", "Ceinture bleue"]
        )

    def test_mail_templates(self):
        partner = self.env["res.partner"].create(
            {"name": "Aurélie Animatrice", "email": "aurelie@example.com", "lang": "fr_FR"}
        )
        template = self.env.ref(f"{MODULE}.mail_template_fee_declaration_reminder").with_context(
            fee_period_name="T1 2026", fee_lead_titles=["Atelier Lyon"]
        )
        subject = template._render_field("subject", partner.ids, compute_lang=True)[partner.id]
        self.assertEqual(subject, "Votre déclaration de redevances pour T1 2026")
        body = template._render_field("body_html", partner.ids, compute_lang=True)[partner.id]
        self.assertIn("Bonjour", body)
        self.assertIn("Atelier Lyon", body)
        self.assertNotIn("Hello", body)

        lead = self.env["crm.lead"].create(
            {"name": "Demande Lyon", "type": "opportunity", "public_title": "Atelier Lyon"}
        )
        membership = self.env["facilitator.team.member"].create(
            {"lead_id": lead.id, "partner_id": partner.id, "role": "facilitator"}
        )
        template = self.env.ref(f"{MODULE}.mail_template_team_invitation")
        subject = template._render_field("subject", membership.ids, compute_lang=True)
        self.assertEqual(subject[membership.id], "Rejoignez l'équipe de Atelier Lyon")

    def test_reports(self):
        Report = self.env["ir.actions.report"]
        partner = self.env["res.partner"].create(
            {"name": "Aurélie Animatrice", "lang": "fr_FR", "is_facilitator": True}
        )
        html = Report._render_qweb_html(
            f"{MODULE}.action_report_annual_fee_statement", partner.ids, data={"year": 2026}
        )[0].decode()
        self.assertIn("Relevé annuel des redevances 2026", html)
        self.assertIn("Aucune déclaration pour", html)
        self.assertNotIn("Annual fee statement", html)

        lead = self.env["crm.lead"].create(
            {"name": "Demande Lyon", "type": "opportunity", "partner_id": partner.id}
        )
        html = Report._render_qweb_html(f"{MODULE}.action_report_opportunity_settlement", lead.ids)[
            0
        ].decode()
        for french in ("Bilan financier", "Factures clients", "Marge", "Rémunérations"):
            self.assertIn(french, html)
        self.assertNotIn("Settlement Statement", html)
        report = self.env.ref(f"{MODULE}.action_report_opportunity_settlement")
        self.assertEqual(report.with_context(lang="fr_FR").name, "Bilan financier de l'opportunité")


@tagged("post_install", "-at_install")
class TestFrenchPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        ref = cls.env.ref
        cls.user = new_test_user(
            cls.env,
            "cfn.i18n.aurelie",
            groups="base.group_portal",
            password="cfn.i18n.aurelie",
            name="Aurélie Animatrice",
            email="cfn.i18n.aurelie@example.com",
            lang="fr_FR",
        )
        cls.user.partner_id.write(
            {
                "is_facilitator": True,
                "facilitator_level_id": ref(f"{MODULE}.facilitator_level_green").id,
                "facilitator_commercial": True,
                "facilitator_legal_name": "Aurélie Animatrice EI",
                "company_registry": "12345678900011",
                "facilitator_country_ids": [fields.Command.set(ref("base.fr").ids)],
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Demande Lyon",
                "type": "opportunity",
                "country_id": ref("base.fr").id,
                "public_title": "Atelier i18n Lyon",
                "city": "Lyon",
                "workshop_format": "in_person",
                "participant_count": 20,
                "audience": "company",
                "application_deadline": fields.Date.today() + timedelta(days=10),
            }
        )
        cls.lead.action_publish_to_network()

    def assertFrench(self, url, french, english):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, f"{url} fails in French")
        for term in french:
            self.assertIn(term, response.text, url)
        for term in english:
            self.assertNotIn(term, response.text, url)

    def test_pending_opportunities_in_french(self):
        self.authenticate(self.user.login, self.user.login)
        self.assertFrench(
            "/my/pending-opportunities",
            ["Opportunités en attente", "Groupe", "Sous-traitance", "Atelier i18n Lyon"],
            ["Pending opportunities", "Subcontracting", "Wished dates"],
        )
        self.assertFrench(
            f"/my/pending-opportunities/{self.lead.id}",
            ["Candidatez pour coordonner cet atelier", "Envoyer ma candidature"],
            ["Apply to coordinate", "Send my application"],
        )

    def test_other_facilitator_pages_in_french(self):
        self.authenticate(self.user.login, self.user.login)
        self.assertFrench(
            "/my",
            ["Opportunités en attente", "Opportunités de coordination", "Profil d'animateur"],
            ["Pending opportunities", "Facilitator profile"],
        )
        self.assertFrench(
            "/my/coordination-opportunities",
            ["Opportunités de coordination", "Mes candidatures"],
            ["Coordination opportunities", "My applications"],
        )
        self.assertFrench(
            "/my/facilitator-profile",
            ["Profil d'animateur", "Pays couverts", "Enregistrer"],
            ["Facilitator profile", "Countries served"],
        )

    def test_public_request_form_in_french(self):
        self.opener.cookies["frontend_lang"] = "fr_FR"
        self.assertFrench(
            "/workshop-request",
            ["Demander un atelier", "Votre organisation", "Envoyer la demande"],
            ["Request a workshop", "Send the request"],
        )
