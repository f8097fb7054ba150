"""French and European business identifiers: SIREN, SIRET, VAT numbers, IBAN, BIC.

Each ``check_*`` function returns the normalised identifier (spaces removed, upper case) or
raises :class:`RuleError` naming the field and the rule it breaks.
"""

from __future__ import annotations

import re
from typing import Any, Final

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from clausier.rules.errors import RuleError
from clausier.rules.wording import words

SIREN_RULE: Final = words("SIREN: 9 chiffres, clé de Luhn (INSEE)")
SIRET_RULE: Final = words("SIRET: SIREN + NIC, 14 chiffres, clé de Luhn (INSEE)")
VAT_RULE: Final = words("TVA intracommunautaire: FR + clé à 2 chiffres + SIREN (CGI art. 286 ter)")
IBAN_RULE: Final = words("IBAN: ISO 13616, clé modulo 97")
BIC_RULE: Final = words("BIC: ISO 9362")

# La Poste's establishments share one SIREN and most of their SIRET do not follow Luhn: the
# sum of the 14 digits is a multiple of 5 instead (INSEE's published exception).
LA_POSTE_SIREN: Final = "356000000"

_EU_VAT = re.compile(
    r"^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)[0-9A-Z+*]{2,13}$"
)


# What people type between the digits for readability: spaces (a no-break or narrow no-break
# space too, as French typography writes them), dots, dashes.
_SEPARATORS = re.compile(r"[\s\u00a0\u202f\u2009.\-]")


def compact_identifier(value: Any) -> Any:
    """A registration number (SIREN, SIRET, VAT number, IBAN, BIC, GLN) as stored: without
    the spaces, dots or dashes typed for readability, in upper case. Anything else than a
    string is returned as it is (the field's own check names it)."""
    if not isinstance(value, str):
        return value
    return _SEPARATORS.sub("", value).upper()


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
    siren = compact_identifier(str(value))
    if not re.fullmatch(r"[0-9]{9}", siren):
        raise RuleError(
            field,
            SIREN_RULE,
            words("« {value} » doit compter exactement 9 chiffres", value=str(value)),
        )
    if not luhn_ok(siren):
        raise RuleError(
            field, SIREN_RULE, words("« {value} » a une clé de contrôle invalide", value=str(value))
        )
    return siren


def check_siret(value: str, *, field: str = "siret") -> str:
    siret = compact_identifier(str(value))
    if not re.fullmatch(r"[0-9]{14}", siret):
        raise RuleError(
            field,
            SIRET_RULE,
            words("« {value} » doit compter exactement 14 chiffres", value=str(value)),
        )
    if siret.startswith(LA_POSTE_SIREN) and not luhn_ok(siret):
        if sum(int(c) for c in siret) % 5 != 0:
            raise RuleError(
                field,
                SIRET_RULE,
                words("« {value} » a une clé de contrôle invalide", value=str(value)),
            )
        return siret
    check_siren(siret[:9], field=field)
    if not luhn_ok(siret):
        raise RuleError(
            field, SIRET_RULE, words("« {value} » a une clé de contrôle invalide", value=str(value))
        )
    return siret


def french_vat_key(siren: str) -> str:
    """The 2-digit key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def check_vat_number(value: str, *, field: str = "vat_number") -> str:
    vat = compact_identifier(str(value))
    if vat.startswith("FR"):
        if not re.fullmatch(r"FR[0-9A-HJ-NP-Z]{2}[0-9]{9}", vat):
            raise RuleError(
                field,
                VAT_RULE,
                words("« {value} » : FR, 2 caractères de clé, 9 chiffres", value=str(value)),
            )
        key, siren = vat[2:4], vat[4:]
        check_siren(siren, field=field)
        if key.isdigit() and key != french_vat_key(siren):
            raise RuleError(
                field,
                VAT_RULE,
                words(
                    "« {value} » : la clé devrait être {key}",
                    value=str(value),
                    key=french_vat_key(siren),
                ),
            )
        return vat
    if not _EU_VAT.fullmatch(vat):
        raise RuleError(
            field,
            VAT_RULE,
            words("« {value} » n'est pas un numéro de TVA européen", value=str(value)),
        )
    return vat


def check_iban(value: str, *, field: str = "iban") -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise RuleError(
            field,
            IBAN_RULE,
            words("« {value} » est invalide ({reason})", value=str(value), reason=str(exc)),
        ) from None


def check_bic(value: str, *, field: str = "bic") -> str:
    try:
        return str(BIC(value, allow_invalid=False).compact)
    except SchwiftyException as exc:
        raise RuleError(
            field,
            BIC_RULE,
            words("« {value} » est invalide ({reason})", value=str(value), reason=str(exc)),
        ) from None


# --- electronic invoicing address (EN 16931 BT-34 seller, BT-49 buyer) -----------------------

ELECTRONIC_ADDRESS_RULE: Final = words(
    "Adresse de facturation électronique: schéma de la liste EAS (EN 16931 BT-34-1/BT-49-1); "
    "0225 = annuaire de la facturation électronique, l'adresse commence par le SIREN "
    "(XP Z12-012 BR-FR-21, BR-FR-23)"
)
# The schemes offered (CEF Electronic Address Scheme code list), with what the address is.
SCHEME_DIRECTORY: Final = "0225"  # French e-invoicing directory: SIREN, SIREN_SIRET, SIREN_x
SCHEME_SIRET: Final = "0009"
SCHEME_GLN: Final = "0088"
SCHEME_EMAIL: Final = "EM"
ELECTRONIC_ADDRESS_SCHEMES: Final = (SCHEME_DIRECTORY, SCHEME_SIRET, SCHEME_GLN, SCHEME_EMAIL)
# BR-FR-23: an address of scheme 0225 is letters, digits and + - _ / only.
_DIRECTORY_ADDRESS = re.compile(r"[A-Za-z0-9+\-_/]{9,125}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _gln_ok(digits: str) -> bool:
    """GS1 check digit: weights 3 and 1 from the right, the sum a multiple of 10."""
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(reversed(digits)))
    return total % 10 == 0


def check_electronic_address(
    scheme: str,
    value: str,
    *,
    siren: str = "",
    field: str = "einvoice_address",
    scheme_field: str = "einvoice_scheme",
) -> str:
    """The address ``value`` of ``scheme`` normalised, or a :class:`RuleError`. An address of
    the French directory (0225) begins with the party's ``siren`` when it has one."""
    if scheme not in ELECTRONIC_ADDRESS_SCHEMES:
        raise RuleError(
            scheme_field,
            ELECTRONIC_ADDRESS_RULE,
            words(
                "« {scheme} » n'est pas un schéma proposé ({schemes})",
                scheme=str(scheme),
                schemes=", ".join(ELECTRONIC_ADDRESS_SCHEMES),
            ),
        )
    address = str(value).strip()
    if scheme == SCHEME_DIRECTORY:
        if not _DIRECTORY_ADDRESS.fullmatch(address):
            raise RuleError(
                field,
                ELECTRONIC_ADDRESS_RULE,
                words(
                    "« {value} » : 9 à 125 caractères, lettres, chiffres et + - _ / seulement",
                    value=str(value),
                ),
            )
        check_siren(address[:9], field=field)
        if siren and not address.startswith(siren):
            raise RuleError(
                field,
                ELECTRONIC_ADDRESS_RULE,
                words(
                    "« {value} » doit commencer par le SIREN {siren}",
                    value=str(value),
                    siren=siren,
                ),
            )
        return address
    if scheme == SCHEME_SIRET:
        return check_siret(address, field=field)
    if scheme == SCHEME_GLN:
        gln = compact_identifier(str(address))
        if not re.fullmatch(r"[0-9]{13}", gln) or not _gln_ok(gln):
            raise RuleError(
                field,
                ELECTRONIC_ADDRESS_RULE,
                words("« {value} » : un GLN compte 13 chiffres, clé GS1", value=str(value)),
            )
        return gln
    if not _EMAIL.fullmatch(address):
        raise RuleError(
            field,
            ELECTRONIC_ADDRESS_RULE,
            words("« {value} » n'est pas une adresse e-mail", value=str(value)),
        )
    return address


def electronic_address(*, scheme: str, value: str, siren: str, email: str) -> tuple[str, str]:
    """The (scheme, address) a document gives for a party: the one configured, else the
    French directory's address made of the SIREN (0225), else the e-mail address (EM), else
    none (``("", "")``)."""
    if scheme and value:
        return scheme, value
    if siren:
        return SCHEME_DIRECTORY, siren
    if email:
        return SCHEME_EMAIL, email
    return "", ""
