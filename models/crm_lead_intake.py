import re
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.misc import hmac
from odoo.tools.sql import escape_psql

# What an incoming request may carry, and how long each text may be.
TEXT_LIMITS = {
    "organisation": 200,
    "contact_name": 200,
    "email": 254,
    "phone": 40,
    "city": 120,
    "message": 5000,
}
INTAKE_KEYS = set(TEXT_LIMITS) | {
    "country_code",
    "language_code",
    "participant_count",
    "workshop_format",
    "wished_date_from",
    "wished_date_to",
}
REQUIRED_KEYS = ("organisation", "contact_name", "email")
MAX_PARTICIPANTS = 100000
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    workshop_format = fields.Selection(
        [("in_person", "In person"), ("online", "Online")],
        string="Format",
    )
    participant_count = fields.Integer(string="Participants")
    wished_date_from = fields.Date(string="Wished From")
    wished_date_to = fields.Date(string="Wished Until")
    # Keyed hash of the address a public form request came from: enough to
    # rate-limit the form without storing the address itself.
    intake_ip_hash = fields.Char(
        copy=False, readonly=True, index="btree_not_null", groups="base.group_system"
    )

    _participant_count_positive = models.Constraint(
        "CHECK(participant_count >= 0)",
        "The number of participants cannot be negative.",
    )
    _wished_dates_ordered = models.Constraint(
        "CHECK(wished_date_to IS NULL OR wished_date_from IS NULL "
        "OR wished_date_to >= wished_date_from)",
        "The wished end date must come after the wished start date.",
    )

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------

    @api.model
    def submit_incoming_request(self, values):
        """Create a request from another system of the association.

        Callable over XML-RPC and JSON-RPC by users of the "Incoming Request
        API" group. ``values`` is a dict with the keys of ``INTAKE_KEYS``
        (``organisation``, ``contact_name`` and ``email`` are required).

        :return: ``{'id': int, 'routing_type': str or False,
            'duplicate_of': int or False}``
        :raise ValidationError: on bad input; nothing is created then.
        """
        if not self.env.user.has_group("crm_facilitator_network.group_incoming_request_api"):
            raise AccessError(
                _("Only users of the “Incoming Request API” group may submit requests.")
            )
        lead = self.sudo()._create_incoming_request(values, medium="api")
        return {
            "id": lead.id,
            "routing_type": lead.routing_type,
            "duplicate_of": lead.duplicate_of_id.id,
        }

    @api.model
    def _create_incoming_request(self, values, medium):
        """Validate ``values`` and create the lead; shared by the API and the
        public form so that both accept and refuse exactly the same input."""
        lead_values = self.with_context(
            intake_form_labels=medium == "web_form"
        )._prepare_incoming_request_values(values)
        lead_values["medium_id"] = self._intake_medium(medium).id
        return self.create(lead_values)

    @api.model
    def _intake_medium(self, medium):
        xmlid = {"api": "utm.utm_medium_direct", "web_form": "utm.utm_medium_website"}[medium]
        return self.env.ref(xmlid, raise_if_not_found=False) or self.env["utm.medium"]

    @api.model
    def _intake_field_names(self):
        """How error messages name the fields: by their API key, or by their
        label on the public form, whose visitors never see the keys."""
        if not self.env.context.get("intake_form_labels"):
            return {key: key for key in INTAKE_KEYS}
        return {
            "organisation": _("Organisation"),
            "contact_name": _("Contact name"),
            "email": _("Email"),
            "phone": _("Phone"),
            "city": _("City"),
            "message": _("Message"),
            "country_code": _("Country"),
            "language_code": _("Language"),
            "participant_count": _("Number of participants"),
            "workshop_format": _("Format"),
            "wished_date_from": _("Wished dates: from"),
            "wished_date_to": _("Wished dates: to"),
        }

    @api.model
    def _intake_ip_hash(self, address):
        """Keyed hash (with the database secret) of a client's address."""
        return hmac(self.env(su=True), "crm_facilitator_network.intake_ip", address or "")

    @api.model
    def _intake_rate_limited(self, ip_hash):
        """Whether the address behind ``ip_hash`` already sent, within the last
        hour, as many public form requests as the company allows."""
        limit = max(self.env.company.sudo().intake_rate_limit, 0)
        since = self.env.cr.now() - timedelta(hours=1)
        sent = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [("intake_ip_hash", "=", ip_hash), ("create_date", ">=", since)],
                limit=limit + 1,
            )
        )
        return sent >= limit

    @api.model
    def _prepare_incoming_request_values(self, values):
        """Check an incoming request and turn it into ``crm.lead`` values.

        :raise ValidationError: listing every problem at once.
        """
        if not isinstance(values, dict):
            raise ValidationError(_("The request must be a dictionary of fields."))
        errors, invalid = [], set()
        names = self._intake_field_names()
        unknown = sorted(str(key) for key in values if key not in INTAKE_KEYS)
        if unknown:
            errors.append(_("Unknown fields: %(fields)s.", fields=", ".join(unknown)))
        texts = {}
        for key, limit in TEXT_LIMITS.items():
            value = values.get(key)
            if value in (None, False, ""):
                texts[key] = ""
                continue
            if not isinstance(value, str):
                errors.append(_("“%(field)s” must be text.", field=names[key]))
                invalid.add(key)
                continue
            value = CONTROL_CHARACTERS.sub("", value).strip()
            if len(value) > limit:
                errors.append(
                    _(
                        "“%(field)s” is too long: %(length)s characters, at most %(limit)s.",
                        field=names[key],
                        length=len(value),
                        limit=limit,
                    )
                )
                invalid.add(key)
            texts[key] = value
        for key in REQUIRED_KEYS:
            if key not in invalid and not texts.get(key):
                errors.append(_("“%(field)s” is required.", field=names[key]))
        if texts.get("email") and not email_normalize(texts["email"]):
            errors.append(_("“%(email)s” is not a valid email address.", email=texts["email"][:80]))

        country = self._intake_record(values, "country_code", "res.country", "FR", errors)
        language = self._intake_record(values, "language_code", "res.lang", "fr_FR", errors)
        participants = values.get("participant_count")
        if participants not in (None, False, ""):
            text = participants.strip() if isinstance(participants, str) else ""
            if text.isascii() and text.isdigit():
                # Forms send text. int() refuses very long digit strings, and a
                # number that long is out of range anyway.
                digits = text.lstrip("0") or "0"
                participants = int(digits) if len(digits) <= 9 else MAX_PARTICIPANTS + 1
            elif isinstance(participants, bool) or not isinstance(participants, int):
                errors.append(
                    _("“%(field)s” must be a whole number.", field=names["participant_count"])
                )
                participants = None
            if isinstance(participants, int) and not 1 <= participants <= MAX_PARTICIPANTS:
                errors.append(
                    _(
                        "“%(field)s” must be between 1 and %(max)s.",
                        field=names["participant_count"],
                        max=MAX_PARTICIPANTS,
                    )
                )
        workshop_format = values.get("workshop_format") or False
        formats = dict(self._fields["workshop_format"].selection)
        # isinstance first: a list or a dict cannot be looked up in a dict.
        if workshop_format and (
            not isinstance(workshop_format, str) or workshop_format not in formats
        ):
            errors.append(
                _(
                    "“%(field)s” must be one of: %(formats)s.",
                    field=names["workshop_format"],
                    formats=", ".join(formats),
                )
            )
        dates = {}
        for key in ("wished_date_from", "wished_date_to"):
            raw = values.get(key)
            if raw in (None, False, ""):
                dates[key] = False
                continue
            try:
                dates[key] = fields.Date.to_date(raw) if isinstance(raw, str) else None
            except ValueError:
                dates[key] = None
            if not dates[key]:
                errors.append(_("“%(field)s” must be a date written YYYY-MM-DD.", field=names[key]))
        if (
            dates.get("wished_date_from")
            and dates.get("wished_date_to")
            and dates["wished_date_to"] < dates["wished_date_from"]
        ):
            errors.append(_("The wished end date must come after the wished start date."))
        if errors:
            raise ValidationError("\n".join(errors))

        organisation = texts["organisation"]
        return {
            "name": _("Workshop request from %(organisation)s", organisation=organisation),
            "type": "lead" if self.env.user.has_group("crm.group_use_lead") else "opportunity",
            "partner_name": organisation,
            "contact_name": texts["contact_name"],
            "email_from": texts["email"],
            "phone": texts["phone"] or False,
            "city": texts["city"] or False,
            "country_id": country.id,
            "lang_id": language.id,
            "participant_count": participants or 0,
            "workshop_format": workshop_format,
            "wished_date_from": dates["wished_date_from"],
            "wished_date_to": dates["wished_date_to"],
            # the sender's text, shown as text: never markup the back office renders
            "description": plaintext2html(texts["message"]) if texts["message"] else False,
            # Unassigned: the group's team takes it, not whoever submitted it
            # (the public user of the form, the technical user of the API).
            "user_id": False,
        }

    @api.model
    def _intake_record(self, values, key, model, example, errors):
        """The record of ``model`` whose code is ``values[key]``, whatever its
        case; inactive languages count (a request may be in any of them)."""
        names = self._intake_field_names()
        code = values.get(key)
        if code in (None, False, ""):
            return self.env[model]
        # A control character (NUL above all) is no code, and PostgreSQL refuses it.
        if not isinstance(code, str) or len(code.strip()) > 10 or CONTROL_CHARACTERS.search(code):
            errors.append(
                _(
                    "“%(field)s” must be a code such as “%(example)s”.",
                    field=names[key],
                    example=example,
                )
            )
            return self.env[model]
        # Escaped so that "%" or "_" match no code but their own.
        record = (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "=ilike", escape_psql(code.strip()))], limit=1)
        )
        if not record:
            errors.append(
                _(
                    "“%(field)s”: “%(code)s” is not a known code.",
                    field=names[key],
                    code=code.strip(),
                )
            )
        return record
