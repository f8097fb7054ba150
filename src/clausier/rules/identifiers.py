"""French and European business identifiers: SIREN, SIRET, VAT numbers, IBAN, BIC.

Each ``check_*`` function returns the normalised identifier (spaces removed, upper case) or
raises :class:`RuleError` naming the field and the rule it breaks.
"""

from __future__ import annotations

import re
from typing import Final

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from clausier.rules.errors import RuleError

SIREN_RULE: Final = "SIREN: 9 chiffres, clé de Luhn (INSEE)"
SIRET_RULE: Final = "SIRET: SIREN + NIC, 14 chiffres, clé de Luhn (INSEE)"
VAT_RULE: Final = "TVA intracommunautaire: FR + clé à 2 chiffres + SIREN (CGI art. 286 ter)"
IBAN_RULE: Final = "IBAN: ISO 13616, clé modulo 97"
BIC_RULE: Final = "BIC: ISO 9362"

# La Poste's establishments share one SIREN and most of their SIRET do not follow Luhn: the
# sum of the 14 digits is a multiple of 5 instead (INSEE's published exception).
LA_POSTE_SIREN: Final = "356000000"

_EU_VAT = re.compile(
    r"^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)[0-9A-Z+*]{2,13}$"
)


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", str(value)).upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def check_siren(value: str, *, field: str = "siren") -> str:
    siren = _compact(value)
    if not re.fullmatch(r"[0-9]{9}", siren):
        raise RuleError(field, SIREN_RULE, f"{value!r} doit compter exactement 9 chiffres")
    if not luhn_ok(siren):
        raise RuleError(field, SIREN_RULE, f"{value!r} a une clé de contrôle invalide")
    return siren


def check_siret(value: str, *, field: str = "siret") -> str:
    siret = _compact(value)
    if not re.fullmatch(r"[0-9]{14}", siret):
        raise RuleError(field, SIRET_RULE, f"{value!r} doit compter exactement 14 chiffres")
    if siret.startswith(LA_POSTE_SIREN) and not luhn_ok(siret):
        if sum(int(c) for c in siret) % 5 != 0:
            raise RuleError(field, SIRET_RULE, f"{value!r} a une clé de contrôle invalide")
        return siret
    check_siren(siret[:9], field=field)
    if not luhn_ok(siret):
        raise RuleError(field, SIRET_RULE, f"{value!r} a une clé de contrôle invalide")
    return siret


def french_vat_key(siren: str) -> str:
    """The 2-digit key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def check_vat_number(value: str, *, field: str = "vat_number") -> str:
    vat = _compact(value)
    if vat.startswith("FR"):
        if not re.fullmatch(r"FR[0-9A-HJ-NP-Z]{2}[0-9]{9}", vat):
            raise RuleError(field, VAT_RULE, f"{value!r}: FR, 2 caractères de clé, 9 chiffres")
        key, siren = vat[2:4], vat[4:]
        check_siren(siren, field=field)
        if key.isdigit() and key != french_vat_key(siren):
            raise RuleError(
                field, VAT_RULE, f"{value!r}: la clé devrait être {french_vat_key(siren)}"
            )
        return vat
    if not _EU_VAT.fullmatch(vat):
        raise RuleError(field, VAT_RULE, f"{value!r} n'est pas un numéro de TVA européen")
    return vat


def check_iban(value: str, *, field: str = "iban") -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise RuleError(field, IBAN_RULE, f"{value!r} est invalide ({exc})") from None


def check_bic(value: str, *, field: str = "bic") -> str:
    try:
        return str(BIC(value, allow_invalid=False).compact)
    except SchwiftyException as exc:
        raise RuleError(field, BIC_RULE, f"{value!r} est invalide ({exc})") from None
