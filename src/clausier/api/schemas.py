"""Request and response bodies of the REST API (pydantic, through django-ninja).

Input schemas forbid unknown fields (a typo is a 422 naming it, never silently dropped) and
check types only: the business rules (SIREN key, VAT number, lengths...) stay in the models
and services, which answer with a field -> message map the API returns as is.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, field_validator
from pydantic_core import PydanticCustomError

from clausier.customers.domain import client_warnings
from clausier.customers.models import ClientKind
from clausier.invoicing.models import LineUnit as InvoiceLineUnit
from clausier.terms.models import AcceptanceMethod
from clausier.web.api import Input, LanguageCode, today_in_paris

ClientKindName = Literal[tuple(ClientKind.values)]  # type: ignore[valid-type]
# Staff record these; ``checkbox`` is the client's own online acceptance, made in the portal.
STAFF_METHODS = (
    AcceptanceMethod.EMAIL_CONSENT.value,
    AcceptanceMethod.SIGNED_QUOTE.value,
    AcceptanceMethod.POSTAL_SCAN.value,
)
StaffMethod = Literal[STAFF_METHODS]  # type: ignore[valid-type]


# --- sellers --------------------------------------------------------------------------------


class SellerOut(Schema):
    id: int
    slug: str
    display_name: str
    legal_name: str
    trade_name: str
    legal_form: str
    share_capital: Decimal | None
    siren: str
    siret: str
    rcs_city: str
    vat_number: str
    vat_regime: str
    address_line1: str
    address_line2: str
    postal_code: str
    city: str
    country: str
    phone: str
    support_phone: str
    email_sales: str
    email_support: str
    email_accounting: str
    jurisdiction: str
    mediator_name: str
    mediator_url: str


# --- clients --------------------------------------------------------------------------------


class WarningOut(Schema):
    field: str
    message: str
    law: str


class ClientOut(Schema):
    id: int
    kind: str
    name: str
    siren: str
    vat_number: str
    email: str
    phone: str
    billing_line1: str
    billing_line2: str
    billing_postal_code: str
    billing_city: str
    billing_country: str
    delivery_line1: str
    delivery_line2: str
    delivery_postal_code: str
    delivery_city: str
    delivery_country: str
    preferred_language: str
    is_professional: bool
    warnings: list[WarningOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_warnings(obj) -> list[Any]:
        return client_warnings(kind=obj.kind, siren=obj.siren, on=today_in_paris())


class ClientPage(Schema):
    count: int
    items: list[ClientOut]


class ClientIn(Input):
    kind: ClientKindName
    name: str
    email: str
    billing_line1: str
    billing_postal_code: str
    billing_city: str
    siren: str = ""
    vat_number: str = ""
    phone: str = ""
    billing_line2: str = ""
    billing_country: str = "FR"
    delivery_line1: str = ""
    delivery_line2: str = ""
    delivery_postal_code: str = ""
    delivery_city: str = ""
    delivery_country: str = ""
    preferred_language: LanguageCode = "fr"


class ClientPatch(Input):
    """Only the fields sent change; ``null`` is refused (send ``""`` to clear a field)."""

    kind: ClientKindName = None
    name: str = None
    email: str = None
    billing_line1: str = None
    billing_postal_code: str = None
    billing_city: str = None
    siren: str = None
    vat_number: str = None
    phone: str = None
    billing_line2: str = None
    billing_country: str = None
    delivery_line1: str = None
    delivery_line2: str = None
    delivery_postal_code: str = None
    delivery_city: str = None
    delivery_country: str = None
    preferred_language: LanguageCode = None


# --- terms ----------------------------------------------------------------------------------


class ClauseOut(Schema):
    clause_id: str
    kind: str
    article: str
    title: str
    excerpt: str
    parameters: dict[str, Any]


class TermsVersionOut(Schema):
    id: int
    label: str
    title: str
    effective_date: date
    status: str
    text_sha256: str
    published_at: datetime | None


class TermsVersionDetailOut(TermsVersionOut):
    text: str
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_clauses(obj) -> list[Any]:
        return list(obj.clauses.all())


class FindingOut(Schema):
    """One finding of the legal lint (``terms.domain.Finding``): what the law overrides in a
    clause (``clause_id`` and ``article`` empty when a mandatory clause is missing), the legal
    source and its text, and what clausier applies instead."""

    code: str
    severity: str
    clause_id: str
    article: str
    law: str
    law_text: str
    message: str
    applied: str


class LintOut(Schema):
    version_id: int
    label: str
    on: date
    findings: list[FindingOut]


# --- acceptances ----------------------------------------------------------------------------


class AcceptanceIn(Input):
    version_id: int
    method: StaffMethod
    accepted_by_name: str
    accepted_at: AwareDatetime | None = None
    message_id: str = ""

    @field_validator("method", mode="before")
    @classmethod
    def _not_online(cls, value: Any) -> Any:
        if value == AcceptanceMethod.CHECKBOX:
            raise PydanticCustomError(
                "portal_only",
                "checkbox acceptance is made online by the client in the portal; the API "
                "records email_consent, signed_quote or postal_scan",
            )
        return value


class AcceptanceOut(Schema):
    id: int
    client_id: int
    version_id: int
    version: str
    text_sha256: str
    accepted_at: datetime
    method: str
    accepted_by_name: str
    message_id: str
    recorded_at: datetime

    @staticmethod
    def resolve_version(obj) -> str:
        return obj.version.label

    @staticmethod
    def resolve_recorded_at(obj) -> datetime:
        return obj.created_at


# --- online orders (seed 000, art. 4-8) ------------------------------------------------------


class OnlineLineIn(Input):
    """An offer of the seller's catalog (its product ``code``) and how many: the line is
    priced from the catalog on the day (unit price HT and TTC, VAT rate, price version)."""

    product_code: str
    quantity: Decimal


class DeclaredIn(Input):
    """What the client declares in the recap (billing identity, address, VAT number; art. 4
    of the PaaS host's terms: the client checks them and corrects them). It changes the order
    only, never the client record. Only the fields sent change; ``null`` is refused (send
    ``""`` to clear a field). The client's kind is not declared: it decides the law."""

    name: str = None
    siren: str = None
    vat_number: str = None
    email: str = None
    phone: str = None
    billing_line1: str = None
    billing_line2: str = None
    billing_postal_code: str = None
    billing_city: str = None
    billing_country: str = None


class OnlineOrderIn(Input):
    client_id: int
    lines: list[OnlineLineIn]


class RecapPatch(Input):
    """``lines``, when sent, replaces every line of the recap (priced again on the day);
    ``declared`` changes the fields it names. Both are written together or not at all; the
    recap also moves to the seller's terms in force if newer ones were published."""

    lines: list[OnlineLineIn] = None
    declared: DeclaredIn = None


class ConfirmIn(Input):
    """The client's confirmation, relayed by the seller's system: ``terms_accepted`` must be
    ``true`` (the client ticked its acceptance of the terms the recap names). A consumer may
    ask the service to start before its withdrawal period ends: ``express_start`` with the
    text it accepted (``express_start_text``, kept as evidence; C. conso. L221-25)."""

    terms_accepted: bool
    express_start: bool = False
    express_start_text: str = ""

    @field_validator("terms_accepted")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if value is not True:
            raise PydanticCustomError(
                "terms_not_accepted",
                "the client confirms its order by accepting the terms the recap names: true "
                "expected",
            )
        return value


class OnlineOrderOut(Schema):
    """What an online order adds (null for an order born from a quote): the client's
    ``declared`` data, the SHA-256 of the terms named, the clauses frozen at confirmation (by
    clause id), the conclusion of the contract (``concluded_at``, when the order was
    validated), the consumer's express start, the payment, and the execution deadline with its
    arithmetic (``execution_deadline_explanation``: the rule, the clause, the steps, ``why``)."""

    declared: dict[str, Any]
    terms_sha256: str
    clauses: dict[str, Any]
    confirmed_at: datetime | None
    concluded_at: datetime | None
    express_start: bool
    express_start_text: str
    express_start_at: datetime | None
    paid_at: datetime | None
    payment_provider: str
    payment_reference: str
    payment_amount: Decimal | None
    payment_failed_at: datetime | None
    execution_deadline: date | None
    execution_deadline_explanation: dict[str, Any]


# --- invoices and credit notes (issue 6) ----------------------------------------------------

InvoiceLineUnitName = Literal[tuple(InvoiceLineUnit.values)]  # type: ignore[valid-type]


class InvoiceLineIn(Input):
    """A line of a draft invoice, either from the catalog or free. Rates are fractions
    (``vat_rate`` 0.20 for 20 %, ``discount`` 0.10 for 10 %).

    - Catalog: ``product_code`` and ``quantity`` (``description`` and ``discount`` optional):
      label, unit, unit price HT and VAT rate come from the price in force on the day.
    - Free: ``description``, ``quantity``, ``unit`` (default ``unit``), ``unit_price`` HT and
      ``vat_rate`` (required from a seller that charges VAT, 0 under the 293 B franchise);
      ``unit_label``, ``discount`` and ``goods`` (a delivery of goods) optional."""

    product_code: str = None
    description: str = None
    quantity: Decimal
    unit: InvoiceLineUnitName = None
    unit_label: str = None
    unit_price: Decimal = None
    vat_rate: Decimal = None
    discount: Decimal = None
    goods: bool = None


class InvoiceIn(Input):
    """A draft standard invoice (deposit and final invoices come from orders). ``order_id``
    links it to an order of the same client: its and its quote's references go on it."""

    client_id: int
    kind: Literal["standard"] = "standard"
    order_id: int | None = None
    notes: str = ""
    lines: list[InvoiceLineIn]


class InvoicePatch(Input):
    """Only the fields sent change; ``null`` is refused. ``lines``, when sent, replaces every
    line of the draft (catalog lines priced again on the day)."""

    notes: str = None
    lines: list[InvoiceLineIn] = None


class CreditLineIn(Input):
    """A line of a partial credit note: ``line`` (the position of a line of the invoice, from
    0) and the ``quantity`` credited, at that line's price, unit and VAT rate
    (``description`` optional); or, without ``line``, a free line as for a draft."""

    line: int = None
    description: str = None
    quantity: Decimal
    unit: InvoiceLineUnitName = None
    unit_label: str = None
    unit_price: Decimal = None
    vat_rate: Decimal = None
    discount: Decimal = None
    goods: bool = None


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


class InvoiceOut(Schema):
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
    def resolve_client_name(obj) -> str:
        return obj.client.name

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
        return {
            "content_hash": obj.content_hash,
            "previous_hash": obj.previous_hash,
            "chain_hash": obj.chain_hash,
        }

    @staticmethod
    def resolve_delivery(obj) -> dict[str, Any]:
        return {
            "pdf": bool(obj.pdf),
            "pdf_sha256": obj.pdf_sha256,
            "xml": bool(obj.xml),
            "xml_sha256": obj.xml_sha256,
            "email_status": obj.email_status,
            "email_to": obj.email_to,
            "email_sent_at": obj.email_sent_at,
            "email_message_id": obj.email_message_id,
            "email_attempts": obj.email_attempts,
            "email_error": obj.email_error,
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
