"""Parsing what the portal forms and URLs send: never raises, returns None
when the value is not usable, so that bad input never becomes a 500."""

import math
import re

from odoo import fields

MAX_ID = 2**31 - 1


def parse_id(value):
    """A positive database id, or None."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= MAX_ID else None


def parse_date(value):
    """A date from 'YYYY-MM-DD', or None."""
    if not value or not isinstance(value, str):
        return None
    try:
        return fields.Date.to_date(value.strip())
    except (TypeError, ValueError):
        return None


def parse_amount(value):
    """A float from what a person typed ('12500', '12 500,50', "12'500.50"),
    or None when it is not a finite number."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"[\s'\u00a0\u202f]", "", value)
    # a lone comma is the decimal separator (12500,50); otherwise commas group thousands
    decimal_comma = "," in text and "." not in text
    text = text.replace(",", ".") if decimal_comma else text.replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text or ""):
        return None
    number = float(text)
    return number if math.isfinite(number) else None
