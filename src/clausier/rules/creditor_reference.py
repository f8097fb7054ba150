"""The references a transfer carries: the creditor reference (ISO 11649 ``RF``) printed on an
invoice for the client to copy, and the IBAN and BIC of the accounts.

Each ``check_*`` returns the normalised value (no spaces, upper case) or raises
:class:`~clausier.rules.errors.RuleError` naming the field and the rule.
"""

from __future__ import annotations

import re
from typing import Final

from clausier.rules.errors import RuleError
from clausier.rules.explain import LegalFact
from clausier.rules.identifiers import check_bic, check_iban, compact_identifier

__all__ = [
    "CREDITOR_REFERENCE",
    "check_bic",
    "check_creditor_reference",
    "check_iban",
    "creditor_reference",
    "format_creditor_reference",
    "is_creditor_reference",
]

CREDITOR_REFERENCE: Final = LegalFact(
    "RF, 2 chiffres de contrôle (modulo 97), 1 à 21 lettres ou chiffres", "ISO 11649:2009"
)
RULE: Final = f"référence créancier : {CREDITOR_REFERENCE.value} ({CREDITOR_REFERENCE.source})"
MAX_PAYLOAD: Final = 21
_PAYLOAD = re.compile(r"[0-9A-Z]{1,21}")
_REFERENCE = re.compile(r"RF[0-9]{2}[0-9A-Z]{1,21}")


def _as_number(text: str) -> int:
    """ISO 7064 mod 97-10 reading: digits stay, A=10 ... Z=35."""
    return int("".join(str(int(ch, 36)) for ch in text))


def creditor_reference(invoice_number: str, *, field: str = "number") -> str:
    """The ``RF`` creditor reference of an invoice number: its letters and digits (upper case,
    separators dropped) after ``RF`` and two check digits, ``RF18539007547034`` for
    ``539007547034``."""
    payload = re.sub(r"[^0-9A-Z]", "", str(invoice_number).upper())
    if not payload:
        raise RuleError(field, RULE, f"{invoice_number!r} n'a ni lettre ni chiffre")
    if not _PAYLOAD.fullmatch(payload):
        raise RuleError(
            field,
            RULE,
            f"{invoice_number!r} compte {len(payload)} lettres et chiffres, {MAX_PAYLOAD} au plus",
        )
    check = 98 - _as_number(payload + "RF00") % 97
    return f"RF{check:02d}{payload}"


def is_creditor_reference(value: str) -> bool:
    """Whether ``value`` (spaces allowed) is a valid ``RF`` reference."""
    compact = compact_identifier(str(value))
    if not _REFERENCE.fullmatch(compact):
        return False
    return _as_number(compact[4:] + compact[:4]) % 97 == 1


def check_creditor_reference(value: str, *, field: str = "creditor_reference") -> str:
    """``value`` without its spaces, or a :class:`RuleError` saying what is wrong."""
    compact = compact_identifier(str(value))
    if not compact.startswith("RF"):
        raise RuleError(field, RULE, f"{value!r} ne commence pas par RF")
    if not _REFERENCE.fullmatch(compact):
        raise RuleError(
            field,
            RULE,
            f"{value!r} : RF, 2 chiffres, puis 1 à {MAX_PAYLOAD} lettres ou chiffres",
        )
    if not is_creditor_reference(compact):
        raise RuleError(field, RULE, f"{value!r} a des chiffres de contrôle faux")
    return compact


def format_creditor_reference(value: str) -> str:
    """The reference as printed for a reader, in groups of four: ``RF18 5390 0754 7034``."""
    compact = compact_identifier(str(value))
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
