"""Countries, postal codes and phone numbers as people type them, checked against the
reference lists: ISO 3166-1 alpha-2 codes (``pycountry``, which ships the ISO 3166 data of
the Debian iso-codes project), the postal code formats of the countries clausier's users
write to most, and phone numbers read by ``phonenumbers`` (Google's libphonenumber data).

    validate_country("FR")                 # passes; "XX" or "fr " raise
    postal_code_error("FR", "7501")        # "5 chiffres attendus…"
    validate_phone("+33 1 23 45 67 89")    # passes; "12" raises
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The postal code of each country whose format is known here (a regular expression and the
# format shown in the error); other countries take any code. Sources: La Poste (France and
# its overseas departments and collectivities, 5 digits), the postal operators of each
# country (Universal Postal Union, "Postal addressing systems").
POSTAL_FORMATS: dict[str, tuple[str, str]] = {
    "FR": (r"\d{5}", "75011"),
    "MC": (r"980\d\d", "98000"),
    "BE": (r"\d{4}", "1000"),
    "LU": (r"\d{4}", "1611"),
    "CH": (r"\d{4}", "1201"),
    "DE": (r"\d{5}", "10115"),
    "ES": (r"\d{5}", "28001"),
    "IT": (r"\d{5}", "00184"),
    "NL": (r"\d{4} ?[A-Z]{2}", "1011 AB"),
    "PT": (r"\d{4}-\d{3}", "1000-001"),
    "US": (r"\d{5}(-\d{4})?", "10001"),
}
# French overseas territories with an ISO code of their own, and the La Poste prefix of
# their postal codes: an address there may be written with FR or with the territory's code.
OVERSEAS_PREFIXES: dict[str, str] = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
}


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


def validate_country(value: str) -> None:
    """A Django validator: ``value`` is an ISO 3166-1 alpha-2 code (``FR``, ``BE``)."""
    if value and value not in country_codes():
        raise ValidationError(
            _("« %(value)s » n'est pas un code pays ISO 3166-1 à deux lettres (FR, BE, CH…)")
            % {"value": value},
            code="country",
        )


def postal_code_error(country: str, postal_code: str) -> str | None:
    """Why ``postal_code`` is not one of ``country``, or ``None`` (unknown formats pass)."""
    if not postal_code:
        return None
    code = postal_code.strip().upper()
    if country in OVERSEAS_PREFIXES:
        prefix = OVERSEAS_PREFIXES[country]
        if not re.fullmatch(rf"{prefix}\d\d", code):
            return _("code postal attendu en %(prefix)sxx pour ce territoire") % {"prefix": prefix}
        return None
    pattern = POSTAL_FORMATS.get(country)
    if pattern and not re.fullmatch(pattern[0], code):
        return _("code postal invalide pour le pays %(country)s (par exemple %(example)s)") % {
            "country": country,
            "example": pattern[1],
        }
    return None


def address_errors(*, postal_field: str, country: str, postal: str) -> dict[str, str]:
    """``{postal_field: message}`` when the postal code does not fit the country, else ``{}``."""
    problem = postal_code_error(country, postal) if country in country_codes() else None
    return {postal_field: problem} if problem else {}


def validate_phone(value: str) -> None:
    """A Django validator: ``value`` is a phone number that can be dialled (international
    ``+32 2 …`` or French ``01 23 45 67 89``)."""
    if not value:
        return
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "numéro de téléphone invalide : « %(value)s » (par exemple 01 23 45 67 89 ou "
                "+32 12 34 56 78)"
            )
            % {"value": value},
            code="phone",
        )


def e164(value: str) -> str:
    """A valid phone number in E.164 (``+33123456789``); other text is returned as it is."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
