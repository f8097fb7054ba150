"""The API's bodies for quotes (django-ninja schemas)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from clausier.kernel.wording import worded_explanation
from clausier.quotes import selectors
from clausier.quotes.models import LineUnit, QuoteStatus
from clausier.web.api import LINE_TEXT_MAX_LENGTH, ClientNamed, Input

QuoteStatusName = Literal[tuple(QuoteStatus.values)]  # type: ignore[valid-type]
LineUnitName = Literal[tuple(LineUnit.values)]  # type: ignore[valid-type]


class LineIn(Input):
    """A line, priced HT. Rates are fractions: ``vat_rate`` 0.20 for 20 %, ``discount`` 0.10
    for 10 % (both 0 when absent)."""

    description: str = Field(max_length=LINE_TEXT_MAX_LENGTH)
    quantity: Decimal
    unit: LineUnitName
    unit_price: Decimal
    vat_rate: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    product_code: str = ""


class QuoteIn(Input):
    client_id: int
    nature: str = ""
    notes: str = ""
    requires_deposit: bool = False
    valid_until: date | None = None
    lines: list[LineIn] = Field(default_factory=list)


class QuotePatch(Input):
    """Only the fields sent change; ``null`` is refused but for ``valid_until`` (cleared).
    ``lines``, when sent, replaces every line of the draft."""

    nature: str = None
    notes: str = None
    requires_deposit: bool = None
    valid_until: date | None = None
    lines: list[LineIn] = None


class WithdrawIn(Input):
    reason: str = ""


class RefuseIn(Input):
    reason: str


class AgreedLineOut(Schema):
    """What a quote line agrees on (``QuoteLine.AGREED_FIELDS``), as an order line keeps it."""

    id: int
    position: int
    product_code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    discount: Decimal


class QuoteLineOut(AgreedLineOut):
    amount_ht: Decimal | None  # rounded to the cent, frozen when the quote is sent


class QuoteOut(ClientNamed):
    """A quote in a list. ``number`` is empty for a draft (numbers are taken at sending);
    totals are the ones frozen at sending, null for a draft (see ``totals`` in its detail)."""

    id: int
    number: str
    revision: int
    status: str
    client_id: int
    client_name: str
    nature: str
    requires_deposit: bool
    valid_until: date | None
    total_ht: Decimal | None
    total_vat: Decimal | None
    total_ttc: Decimal | None
    sent_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.display_number


class QuotePage(Schema):
    count: int
    items: list[QuoteOut]


class TotalsOut(Schema):
    """HT, VAT and TTC with their arithmetic (``explanation``): frozen at sending, computed
    from the current lines under the seller's VAT regime while a draft."""

    frozen: bool
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    vat_mention: str
    explanation: dict[str, Any]


class TermsRefOut(Schema):
    version_id: int
    label: str
    text_sha256: str


class DepositOut(Schema):
    """``rate`` and ``amount`` are fixed at sending from the terms' deposit clause
    (``clause``: its snapshot and the arithmetic)."""

    required: bool
    rate: Decimal | None
    amount: Decimal | None
    clause: dict[str, Any]


class ValidityOut(Schema):
    """``acceptance_deadline``: the first instant the quote can no longer be accepted
    (midnight after ``valid_until``, Paris time). ``clause``: the terms' rule, frozen."""

    valid_until: date | None
    acceptance_deadline: datetime | None
    clause: dict[str, Any]


class AttachmentOut(Schema):
    id: int
    kind: str
    title: str
    sha256: str
    contractual: bool

    @staticmethod
    def resolve_contractual(obj) -> bool:
        return obj.is_contractual


class QuoteAcceptanceOut(Schema):
    id: int
    method: str
    accepted_at: datetime
    signatory_name: str
    signatory_role: str
    statement: str
    terms_acceptance_id: int
    document_sha256: str
    specification_sha256: str
    evidence_sha256: str
    ip_address: str | None
    user_agent: str
    email_from: str
    email_date: datetime | None
    email_message_id: str
    email_subject: str
    signed_on: date | None
    postal_checks: dict[str, Any]
    recorded_at: datetime

    @staticmethod
    def resolve_recorded_at(obj) -> datetime:
        return obj.created_at


class QuoteDetailOut(QuoteOut):
    """A quote with its lines and totals, what it froze when sent (terms, payment, deposit,
    validity, VAT regime, parties), its revisions (``revision_ids``, first to last), its
    acceptance and the order it became."""

    notes: str
    lines: list[QuoteLineOut]
    totals: TotalsOut | None
    terms: TermsRefOut | None
    payment_terms: dict[str, Any]
    deposit: DepositOut
    validity: ValidityOut
    vat_regime: str
    parties: dict[str, Any]
    attachments: list[AttachmentOut]
    previous_id: int | None
    next_id: int | None
    revision_ids: list[int]
    refusal_reason: str
    withdrawal_reason: str
    acceptance: QuoteAcceptanceOut | None
    order_id: int | None

    @staticmethod
    def resolve_lines(obj) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_totals(obj) -> dict[str, Any] | None:
        if obj.status != QuoteStatus.DRAFT:
            return {
                "frozen": True,
                "total_ht": obj.total_ht,
                "total_vat": obj.total_vat,
                "total_ttc": obj.total_ttc,
                "vat_mention": obj.vat_mention,
                "explanation": worded_explanation(obj.totals_explanation),
            }
        explained = selectors.quote_totals(quote=obj)
        if explained is None:
            return None
        figures = explained.value
        return {
            "frozen": False,
            "total_ht": figures.total_ht,
            "total_vat": figures.total_vat,
            "total_ttc": figures.total_ttc,
            "vat_mention": figures.mention,
            "explanation": worded_explanation(explained.as_dict()),
        }

    @staticmethod
    def resolve_terms(obj) -> dict[str, Any] | None:
        if obj.terms_version_id is None:
            return None
        return {
            "version_id": obj.terms_version_id,
            "label": obj.terms_label,
            "text_sha256": obj.terms_sha256,
        }

    @staticmethod
    def resolve_deposit(obj) -> dict[str, Any]:
        return {
            "required": obj.requires_deposit,
            "rate": obj.deposit_rate,
            "amount": obj.deposit_amount,
            "clause": worded_explanation(obj.deposit_terms),
        }

    @staticmethod
    def resolve_validity(obj) -> dict[str, Any]:
        return {
            "valid_until": obj.valid_until,
            "acceptance_deadline": selectors.acceptance_deadline(quote=obj),
            "clause": worded_explanation(obj.validity_terms),
        }

    @staticmethod
    def resolve_attachments(obj) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_acceptance(obj) -> Any:
        return getattr(obj, "acceptance", None)

    @staticmethod
    def resolve_order_id(obj) -> int | None:
        order = getattr(obj, "order", None)
        return order.pk if order is not None else None
