"""The payment status, the hash chain and the number written last."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from clausier.invoicing.document import (
    InvoiceDocument,
)
from clausier.rules.money import (
    format_eur,
)

# --- payment status -----------------------------------------------------------------------

TO_PAY, PAID, LATE, CREDITED = "to_pay", "paid", "late", "credited"


def payment_status(
    *,
    amount_due: Decimal,
    amount_paid: Decimal,
    credited: Decimal,
    total_ttc: Decimal,
    due_date: date | None,
    today: date,
) -> str:
    """Where an issued document stands on ``today``: ``credited`` when credit notes cancel
    it whole, ``paid`` when payments and credit notes cover what was due, ``late`` from the
    day after the due date (penalties run from then, C. com. L441-10), ``to_pay`` before."""
    if total_ttc > 0 and credited >= total_ttc:
        return CREDITED
    if amount_paid + credited >= amount_due:
        return PAID
    if due_date is not None and today > due_date:
        return LATE
    return TO_PAY


# --- hash chain -----------------------------------------------------------------------------


def canonical_json(snapshot: Mapping[str, Any]) -> str:
    """The text of a snapshot that is hashed: sorted keys, no spaces, UTF-8 kept as is (the
    same as :meth:`InvoiceDocument.canonical_json`)."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_hash(text: str) -> str:
    """SHA-256 (hex) of a canonical JSON text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a stored snapshot."""
    return text_hash(canonical_json(snapshot))


# --- the number, written last ---------------------------------------------------------------

# What a document number is made of (``F2026-000123``, ``AV2026-000007``): nothing that XML or
# JSON escapes, so writing it in place of the slot gives the very text the number would.
NUMBER_CHARACTERS: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def number_slot() -> str:
    """A stand-in for the number of a document computed before its number is taken (the
    number is taken under the series lock: everything else is done before it). Random, so
    that it stands nowhere else in the document, and made of the characters of a number, so
    that every rule reading the number reads the slot the same way."""
    return "N" + secrets.token_hex(12).upper()


def fill_number(text: str, *, slot: str, number: str) -> str:
    """``text`` (a canonical JSON or an XML written with ``slot`` as the number) with
    ``number`` in place of the slot: the text the number would have given.
    ``ValueError`` when the number has characters that JSON or XML would escape or when
    ``text`` holds no slot."""
    if not NUMBER_CHARACTERS.fullmatch(number):
        raise ValueError(f"number: {number!r} is not a document number")
    if slot not in text:
        raise ValueError("the text has no number slot to fill")
    return text.replace(slot, number)


@dataclass(frozen=True, slots=True)
class Unnumbered:
    """A document computed and frozen to its last character but its number: its snapshot,
    canonical JSON and Factur-X XML hold ``slot`` where the number goes (``number``,
    ``payment_reference``). :meth:`numbered` writes the number in, which costs microseconds
    while the series counter is locked."""

    slot: str
    snapshot: Mapping[str, Any]
    canonical: str
    xml: bytes

    @classmethod
    def of(cls, document: InvoiceDocument, *, slot: str, xml: bytes) -> Unnumbered:
        """``document`` and its XML, both made with ``slot`` as their number."""
        if document.number != slot:
            raise ValueError("the document must carry the slot as its number")
        snapshot = document.to_dict()
        return cls(slot=slot, snapshot=snapshot, canonical=canonical_json(snapshot), xml=xml)

    def numbered(self, number: str) -> Numbered:
        canonical = fill_number(self.canonical, slot=self.slot, number=number)
        snapshot = {
            key: value.replace(self.slot, number)
            if isinstance(value, str) and self.slot in value
            else value
            for key, value in self.snapshot.items()
        }
        xml = fill_number(self.xml.decode("utf-8"), slot=self.slot, number=number)
        return Numbered(
            snapshot=snapshot, content_hash=text_hash(canonical), xml=xml.encode("utf-8")
        )


@dataclass(frozen=True, slots=True)
class Numbered:
    """The snapshot, its content hash and the XML of a numbered document."""

    snapshot: dict[str, Any]
    content_hash: str
    xml: bytes


def chain_hash(*, previous_hash: str, content_hash: str) -> str:
    """The link of one document in its series' chain: SHA-256 of the previous document's
    chained hash ("" for the first of the series) and of this document's content hash, so
    that changing any document breaks every link after it."""
    return hashlib.sha256(f"{previous_hash}\n{content_hash}".encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One issued document as stored, for :func:`verify_chain`."""

    number: str
    sequence: int
    issue_date: date
    total_ttc: Decimal
    snapshot: Mapping[str, Any]
    content_hash: str
    previous_hash: str
    chain_hash: str


@dataclass(frozen=True, slots=True)
class LedgerBreak:
    """The first link of a chain that does not hold: which document, what differs."""

    number: str
    sequence: int
    problem: str


def _row_problem(row: LedgerRow, expected_sequence: int, previous_chain: str) -> str:
    if row.sequence != expected_sequence:
        what = "en double" if row.sequence < expected_sequence else "manquant"
        if row.sequence < expected_sequence:
            return f"rang {row.sequence} {what} (attendu {expected_sequence})"
        return f"rang {expected_sequence} {what} : la série passe à {row.sequence}"
    recomputed = content_hash(row.snapshot)
    if recomputed != row.content_hash:
        return (
            f"le contenu ne correspond plus à son empreinte : SHA-256 recalculé {recomputed}, "
            f"enregistré {row.content_hash}"
        )
    if row.previous_hash != previous_chain:
        return (
            f"lien rompu avec le document précédent : empreinte précédente enregistrée "
            f"« {row.previous_hash} », attendue « {previous_chain} »"
        )
    linked = chain_hash(previous_hash=row.previous_hash, content_hash=row.content_hash)
    if linked != row.chain_hash:
        return f"empreinte chaînée {row.chain_hash}, recalculée {linked}"
    try:
        document = InvoiceDocument.from_dict(dict(row.snapshot))
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        return f"document illisible : {exc}"
    if document.number != row.number:
        return f"numéro {row.number} en base, {document.number} dans le document"
    if document.issue_date != row.issue_date:
        return (
            f"date de facture {row.issue_date:%d/%m/%Y} en base, "
            f"{document.issue_date:%d/%m/%Y} dans le document"
        )
    if document.total_ttc != row.total_ttc:
        return (
            f"total TTC {format_eur(row.total_ttc)} en base, "
            f"{format_eur(document.total_ttc)} dans le document"
        )
    return ""


def verify_chain(rows: Iterable[LedgerRow]) -> tuple[int, LedgerBreak | None]:
    """Walk one series' chain in sequence order: how many documents hold, and the first
    broken link (None when the whole chain holds). Each document's snapshot must still hash
    to its content hash, link to the previous document's chained hash, carry its number,
    date and total, and the sequence must run 1, 2, 3... without gap nor repeat."""
    previous_chain = ""
    checked = 0
    for expected, row in enumerate(rows, start=1):
        problem = _row_problem(row, expected, previous_chain)
        if problem:
            return checked, LedgerBreak(number=row.number, sequence=row.sequence, problem=problem)
        previous_chain = row.chain_hash
        checked += 1
    return checked, None
