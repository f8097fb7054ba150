"""What an issued invoice or credit note says, frozen: the snapshot every output is made from.

Issuing builds one :class:`InvoiceDocument` from the database (seller, client, lines, clauses,
rules core), stores it as JSON on the document (``to_dict``) and hashes it; the PDF, the
Factur-X XML, the portal page and the ledger all read this snapshot back (``from_dict``),
never the live rows, so that a later change of the seller's address or of a price cannot
change what was issued.

Pure Python (no Django, no ORM): money is ``Decimal`` quantized to the cent, dates are
``date``; the JSON form keeps Decimals as strings and dates as ISO strings.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal, get_args, get_origin, get_type_hints

Kind = Literal["standard", "deposit", "final", "credit_note", "penalty"]
Nature = Literal["services", "goods", "both"]

# UNTDID 1001 document type codes (EN 16931 BT-3) per kind.
TYPE_CODES: dict[str, str] = {
    "standard": "380",  # commercial invoice
    "deposit": "386",  # prepayment invoice
    "final": "380",
    "credit_note": "381",  # credit note
    "penalty": "380",  # late interest and recovery indemnity
}


@dataclass(frozen=True)
class Address:
    line1: str
    postal_code: str
    city: str
    country: str = "FR"  # ISO 3166-1 alpha-2
    line2: str = ""


@dataclass(frozen=True)
class Party:
    """The seller or the client as they were on the issue date."""

    name: str
    address: Address
    legal_form: str = ""
    share_capital: Decimal | None = None
    siren: str = ""
    siret: str = ""
    rcs_city: str = ""
    vat_number: str = ""
    email: str = ""
    is_professional: bool = True
    # Where the e-invoicing platforms deliver (BT-34 / BT-49): scheme (CEF EAS) and address.
    einvoice_scheme: str = ""
    einvoice_address: str = ""


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit: str  # what the reader sees: "forfait", "heure", "mois"...
    unit_code: str  # UN/ECE Recommendation 20 code for Factur-X: C62, HUR, DAY, MON...
    unit_price_ht: Decimal
    vat_rate: Decimal  # percent, e.g. Decimal("20.00"); 0 when no VAT is charged
    vat_category: str  # UNCL 5305: "S" standard, "E" exempt (293 B), "AE" reverse charge
    total_ht: Decimal
    # Percent off the line, e.g. Decimal("10.00"); total_ht = quantity × unit price × (1 −
    # discount), rounded to the cent. Quote and order lines may carry one.
    discount_rate: Decimal = Decimal("0")


@dataclass(frozen=True)
class VatGroup:
    """One row of the VAT breakdown (EN 16931 BG-23)."""

    category: str
    rate: Decimal
    base_ht: Decimal
    vat_amount: Decimal
    exemption_reason: str = ""  # BT-120, e.g. "TVA non applicable, art. 293 B du CGI"
    exemption_reason_code: str = ""  # BT-121 (VATEX), e.g. "VATEX-EU-AE" for reverse charge


@dataclass(frozen=True)
class Deduction:
    """A deposit invoice already issued and deducted on a final invoice."""

    number: str
    issue_date: date
    amount_ttc: Decimal


@dataclass(frozen=True)
class ClauseUsed:
    kind: str  # clause kind, e.g. "payment.due"
    article: str  # as the terms number it, e.g. "5"
    title: str


@dataclass(frozen=True)
class Condition:
    """One line of the "Conditions appliquées" box: a figure and why it is that figure."""

    label: str  # "Échéance"
    value: str  # "12/06/2026"
    explanation: str  # "14 jours ouvrés après la date de facture, art. 5 CGV v3.0"
    source: str = ""  # the clause or the law, e.g. "CGV v3.0 art. 5" / "C. com. L441-10"


@dataclass(frozen=True)
class InvoiceDocument:
    kind: Kind
    number: str
    issue_date: date
    seller: Party
    buyer: Party
    nature: Nature
    lines: tuple[Line, ...]
    vat_breakdown: tuple[VatGroup, ...]
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    prepaid_amount: Decimal  # deposits deducted (final) or already paid; 0 otherwise
    amount_due: Decimal  # total_ttc - prepaid_amount
    due_date: date
    due_date_explanation: str
    terms_version: str  # "CGV v3.0"
    currency: str = "EUR"
    delivery_address: Address | None = None
    # When the service was done or the goods delivered (BT-72); printed when it is not the
    # issue date (CGI ann. II art. 242 nonies A, I-7°). None on documents issued before.
    service_date: date | None = None
    vat_mentions: tuple[str, ...] = ()  # "TVA non applicable, art. 293 B du CGI", ...
    vat_on_debits: bool = False  # "Option pour le paiement de la TVA d'après les débits"
    payment_terms: str = ""  # the payment clause, in words
    late_penalty: str = ""  # sentence with the actual rate computed for this document
    late_penalty_rate: Decimal | None = None
    recovery_indemnity: str = ""  # the 40 EUR sentence, professionals only
    early_payment_discount: str = "Pas d'escompte pour paiement anticipé."
    iban: str = ""
    bic: str = ""
    payment_reference: str = ""  # what the client writes on the transfer
    # The SEPA payment QR code printed on the document: its EPC069-12 text (beneficiary,
    # IBAN, BIC, amount due, ``payment_reference``), frozen and hashed with the rest so that
    # the code says what the document says (``invoicing.domain.transfer``). Empty when there
    # is nothing to pay by transfer, and on documents issued before, which print none.
    transfer_qr: str = ""
    order_reference: str = ""
    quote_reference: str = ""
    corrected_number: str = ""  # credit note: the invoice it corrects
    corrected_issue_date: date | None = None
    deductions: tuple[Deduction, ...] = ()
    clauses: tuple[ClauseUsed, ...] = ()
    conditions: tuple[Condition, ...] = ()
    notes: tuple[str, ...] = ()
    # The sentences above in their JSON ``Words`` form (``rules.wording``), by field name:
    # ``due_date_explanation``, ``payment_terms``, ``late_penalty``, ``recovery_indemnity``,
    # ``early_payment_discount``, ``terms_version``, ``exemption_reason``, ``vat_mentions``
    # (a list), ``conditions`` (a list of {label, value, explanation, source}), ``units`` (one
    # per line). The French fields stay the document of record; these let a reader in another
    # language read the same sentences in it (:meth:`worded`). Empty on documents issued
    # before, which are read as issued, in French.
    wording: dict[str, Any] = field(default_factory=dict)

    @property
    def type_code(self) -> str:
        return TYPE_CODES[self.kind]

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    def to_dict(self) -> dict[str, Any]:
        data = _plain(self)
        # A document issued before keeps its very JSON (and hash): fields added since are
        # left out when empty.
        for name in _ADDED_SINCE:
            if not data[name]:
                del data[name]
        return data

    def worded(self, word: Callable[[Any], str]) -> InvoiceDocument:
        """The same document with its sentences worded by ``word`` (a function of a ``Words``
        JSON form or a plain string, e.g. ``kernel.wording.worded`` for the active language).
        A document without :attr:`wording` (issued before) is returned as issued, in French;
        a sentence it lacks keeps its French text."""
        kept = self.wording
        if not kept:
            return self
        changes: dict[str, Any] = {
            name: word(kept[name]) for name in _SENTENCES if name in kept and getattr(self, name)
        }
        mentions = kept.get("vat_mentions")
        if mentions is not None and len(mentions) == len(self.vat_mentions):
            changes["vat_mentions"] = tuple(word(m) for m in mentions)
        conditions = kept.get("conditions")
        if conditions is not None and len(conditions) == len(self.conditions):
            changes["conditions"] = tuple(
                Condition(**{k: word(v) for k, v in c.items()}) for c in conditions
            )
        units = kept.get("units")
        if units is not None and len(units) == len(self.lines):
            changes["lines"] = tuple(
                replace(line, unit=word(unit)) for line, unit in zip(self.lines, units, strict=True)
            )
        notes = kept.get("notes")
        if notes is not None and len(notes) == len(self.notes):
            changes["notes"] = tuple(word(note) for note in notes)
        reason = kept.get("exemption_reason")
        if reason is not None:
            changes["vat_breakdown"] = tuple(
                replace(group, exemption_reason=word(reason)) if group.exemption_reason else group
                for group in self.vat_breakdown
            )
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InvoiceDocument:
        return _build(cls, data)

    def canonical_json(self) -> str:
        """The bytes that are hashed: sorted keys, no spaces, UTF-8 kept as is."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# Fields added after documents were issued without them: left out of the JSON when empty.
_ADDED_SINCE = ("wording", "transfer_qr")

# The sentences of a document that :meth:`InvoiceDocument.worded` words again, one string each.
_SENTENCES = (
    "due_date_explanation",
    "payment_terms",
    "late_penalty",
    "recovery_indemnity",
    "early_payment_discount",
    "terms_version",
)

_AS_IS = frozenset({str, int, bool, float, type(None)})


@cache
def _names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, None for any other class (once per class)."""
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None


def _plain(value: Any) -> Any:
    # By exact class first (a snapshot has ~150 values), then as before for anything else.
    cls = type(value)
    if cls in _AS_IS:
        return value
    if cls is Decimal:
        return str(value)
    if cls is tuple or cls is list:
        return [_plain(v) for v in value]
    names = _names(cls)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    # Resolving the string annotations (``from __future__ import annotations``) is the slow
    # part of reading a snapshot back (~5 ms a document): once per class, with the converter
    # of each field, is enough.
    hints = get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


def _build(cls: type, data: dict[str, Any]) -> Any:
    return cls(**{name: convert(data[name]) for name, convert in _fields(cls) if name in data})


def _keep(value: Any) -> Any:
    return value


@cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """The function that turns the JSON form of a ``hint`` value back into it."""
    origin = get_origin(hint)
    args = get_args(hint)
    if origin is tuple:
        item = _converter(args[0])
        return lambda value: None if value is None else tuple(item(v) for v in value)
    if origin is Literal:
        return _keep
    if args and type(None) in args:  # X | None
        return _converter(next(a for a in args if a is not type(None)))
    if dataclasses.is_dataclass(hint):
        return lambda value: None if value is None else _build(hint, value)
    if hint is Decimal:
        return lambda value: None if value is None else Decimal(value)
    if hint is date:
        return lambda value: None if value is None else date.fromisoformat(value)
    return _keep


__all__ = [
    "TYPE_CODES",
    "Address",
    "ClauseUsed",
    "Condition",
    "Deduction",
    "InvoiceDocument",
    "Line",
    "Party",
    "VatGroup",
]
