"""The API's bodies for invoices and credit notes (django-ninja schemas)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from clausier.invoicing.models import InvoiceKind, InvoiceStatus
from clausier.invoicing.models import LineUnit as InvoiceLineUnit
from clausier.web.api import LINE_TEXT_MAX_LENGTH, ClientNamed, Input, today_in_paris

InvoiceStatusName = Literal[tuple(InvoiceStatus.values)]  # type: ignore[valid-type]
InvoiceKindName = Literal[tuple(InvoiceKind.values)]  # type: ignore[valid-type]
InvoiceLineUnitName = Literal[tuple(InvoiceLineUnit.values)]  # type: ignore[valid-type]


class FreeLineFields(Input):
    """What a free line of a draft or a credit note says: its description, quantity, unit,
    unit price HT, VAT rate and discount (fractions), and whether it delivers goods."""

    description: str = Field(None, max_length=LINE_TEXT_MAX_LENGTH)
    quantity: Decimal
    unit: InvoiceLineUnitName = None
    unit_label: str = None
    unit_price: Decimal = None
    vat_rate: Decimal = None
    discount: Decimal = None
    goods: bool = None


class InvoiceLineIn(FreeLineFields):
    """A line of a draft invoice, either from the catalog or free. Rates are fractions
    (``vat_rate`` 0.20 for 20 %, ``discount`` 0.10 for 10 %).

    - Catalog: ``product_code`` and ``quantity`` (``description`` and ``discount`` optional):
      label, unit, unit price HT and VAT rate come from the price in force on the day.
    - Free: ``description``, ``quantity``, ``unit`` (default ``unit``), ``unit_price`` HT and
      ``vat_rate`` (required from a seller that charges VAT, 0 under the 293 B franchise);
      ``unit_label``, ``discount`` and ``goods`` (a delivery of goods) optional."""

    product_code: str = None


class InvoiceIn(Input):
    """A draft standard invoice (deposit and final invoices come from orders). ``order_id``
    links it to an order of the same client: its and its quote's references go on it."""

    client_id: int
    kind: Literal["standard"] = "standard"
    order_id: int | None = None
    notes: str = ""
    # When the service was done, if not on the invoice's date (printed, and BT-72).
    service_date: date | None = None
    lines: list[InvoiceLineIn]


class InvoicePatch(Input):
    """Only the fields sent change; ``null`` is refused. ``lines``, when sent, replaces every
    line of the draft (catalog lines priced again on the day)."""

    notes: str = None
    service_date: date | None = None  # null: the invoice's date
    lines: list[InvoiceLineIn] = None


class CreditLineIn(FreeLineFields):
    """A line of a partial credit note: ``line`` (the position of a line of the invoice, from
    0) and the ``quantity`` credited, at that line's price, unit and VAT rate
    (``description`` optional); or, without ``line``, a free line as for a draft."""

    line: int = None


class CreditNoteIn(Input):
    """``reason`` is printed on the credit note. Without ``lines`` it cancels whatever remains
    of the invoice; with them it credits those lines only."""

    reason: str
    lines: list[CreditLineIn] | None = None


class PaymentIn(Input):
    """A payment received: ``amount`` TTC and the day (``paid_on``, default today in Paris;
    never in the future)."""

    amount: Decimal
    paid_on: date | None = None


class InvoiceLineOut(Schema):
    id: int
    position: int
    product_code: str
    description: str
    quantity: Decimal
    unit: str
    unit_label: str
    unit_price: Decimal
    vat_rate: Decimal
    discount: Decimal
    goods: bool
    amount_ht: Decimal  # rounded to the cent; frozen at issue
    price_version_id: int | None

    @staticmethod
    def resolve_goods(obj) -> bool:
        return obj.is_goods


class InvoiceOut(ClientNamed):
    """An invoice or credit note in a list. ``number`` is empty for a draft (numbers are
    taken at issue); ``payment_status`` (issued documents): ``to_pay``, ``paid``, ``late`` or
    ``credited`` today, "" for a draft. Totals of a draft follow its lines."""

    id: int
    kind: str
    status: str
    number: str
    client_id: int
    client_name: str
    corrects_id: int | None
    issue_date: date | None
    service_date: date | None
    due_date: date | None
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    amount_due: Decimal
    amount_paid: Decimal
    paid_on: date | None
    credited_amount: Decimal
    payment_status: str
    issue_blocked_reason: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.number or ""

    @staticmethod
    def resolve_payment_status(obj) -> str:
        return obj.payment_status(today=today_in_paris())


class InvoicePage(Schema):
    count: int
    items: list[InvoiceOut]


class MentionsOut(Schema):
    """The mentions the issued document carries, as printed: VAT (``TVA non applicable, art.
    293 B du CGI``, reverse charge...), the late-penalty sentence with the rate computed for
    this document, the 40 EUR indemnity (professionals), no discount for early payment, and
    how to pay."""

    vat: list[str]
    vat_on_debits: bool
    payment_terms: str
    late_penalty: str
    late_penalty_rate: Decimal | None
    recovery_indemnity: str
    early_payment_discount: str
    iban: str
    bic: str
    payment_reference: str
    order_reference: str
    quote_reference: str
    corrected_number: str


class HashesOut(Schema):
    """The hash chain: SHA-256 of the snapshot's canonical JSON (``content_hash``), the
    ``chain_hash`` of the previous document of the series ("" for the first) and
    SHA-256(previous, content)."""

    content_hash: str
    previous_hash: str
    chain_hash: str


class DeliveryOut(Schema):
    """The outputs and the e-mail to the client: ``pdf`` / ``xml`` true once stored (with
    their SHA-256); ``email_status`` ``not_sent``, ``queued``, ``sent`` or ``failed``."""

    pdf: bool
    pdf_sha256: str
    xml: bool
    xml_sha256: str
    email_status: str
    email_to: list[str]
    email_sent_at: datetime | None
    email_message_id: str
    email_attempts: int
    email_error: str


class CreditableOut(Schema):
    """What an issued invoice can still be credited: TTC, and HT per VAT rate (fractions as
    keys, ``"0.2"``)."""

    ttc: Decimal
    ht_by_vat_rate: dict[str, Decimal]


class InvoiceDetailOut(InvoiceOut):
    """A draft shows its live fields and lines. An issued document shows what it froze:
    ``document`` (the whole snapshot every output is printed from: parties, lines, VAT
    breakdown, totals, conditions), the due date with its explanation, the mentions, the
    arithmetic (``explanations``), the hashes and the delivery."""

    notes: str
    reason: str
    order_id: int | None
    quote_id: int | None
    terms_label: str
    prepaid_amount: Decimal
    issued_at: datetime | None
    lines: list[InvoiceLineOut]
    due_date_explanation: str
    mentions: MentionsOut | None
    document: dict[str, Any] | None
    explanations: dict[str, Any]
    hashes: HashesOut | None
    delivery: DeliveryOut
    credit_note_ids: list[int]
    creditable: CreditableOut | None

    @staticmethod
    def resolve_lines(obj) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_document(obj) -> dict[str, Any] | None:
        return obj.snapshot

    @staticmethod
    def resolve_due_date_explanation(obj) -> str:
        return (obj.snapshot or {}).get("due_date_explanation", "")

    @staticmethod
    def resolve_mentions(obj) -> dict[str, Any] | None:
        document = obj.snapshot
        if document is None:
            return None
        return {name: document.get(name) for name in MentionsOut.model_fields if name != "vat"} | {
            "vat": document.get("vat_mentions", [])
        }

    @staticmethod
    def resolve_hashes(obj) -> dict[str, str] | None:
        if not obj.content_hash:
            return None
        return {name: getattr(obj, name) for name in HashesOut.model_fields}

    @staticmethod
    def resolve_delivery(obj) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in DeliveryOut.model_fields} | {
            "pdf": bool(obj.pdf),
            "xml": bool(obj.xml),
        }

    @staticmethod
    def resolve_credit_note_ids(obj) -> list[int]:
        return getattr(obj, "credit_note_ids", [])

    @staticmethod
    def resolve_creditable(obj) -> dict[str, Any] | None:
        remaining = getattr(obj, "creditable", None)
        if remaining is None:
            return None
        return {
            "ttc": remaining.ttc,
            "ht_by_vat_rate": {str(rate.normalize()): ht for rate, ht in remaining.by_rate.items()},
        }
