"""The token's seller's quotes: drafts, sending, revisions, closing, acceptance, the PDF.

A quote is edited while it is a draft (``PATCH``, lines replaced as a whole). Sending freezes
it: terms version, payment, deposit and validity clauses, totals and parties are copied into
it, and a change is then a revision (``POST /quotes/{id}/revise``: the quote is superseded and
a new draft carries its lines). Writes the state of the quote refuses are 409s with the
service's message: editing a sent quote, accepting an expired, superseded or withdrawn one.

Acceptance is recorded here from its evidence, as multipart: the client's e-mail of consent
(the ``.eml`` file) or the signed copy returned by post (its scan, and what staff checked on
it). Online acceptance is the client's own act in the portal: the API has no route for it.
Accepting makes the order (``order_id`` in the answer; see ``/orders``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from ninja import File, Form, P, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from clausier.customers.selectors import client_for_scope
from clausier.kernel.errors import Conflict
from clausier.quotes import selectors, services
from clausier.quotes.models import LineUnit, Quote, QuoteStatus
from clausier.quotes.printing import render_quote_pdf
from clausier.sellers.access import api_scope
from clausier.web.api import Input, LanguageCode, responses, token_of

router = Router(tags=["quotes"])

MAX_LIMIT = 100

QuoteStatusName = Literal[tuple(QuoteStatus.values)]  # type: ignore[valid-type]
LineUnitName = Literal[tuple(LineUnit.values)]  # type: ignore[valid-type]


# --- bodies ---------------------------------------------------------------------------------


class LineIn(Input):
    """A line, priced HT. Rates are fractions: ``vat_rate`` 0.20 for 20 %, ``discount`` 0.10
    for 10 % (both 0 when absent)."""

    description: str
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


class QuoteLineOut(Schema):
    id: int
    position: int
    product_code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    discount: Decimal
    amount_ht: Decimal | None  # rounded to the cent, frozen when the quote is sent


class QuoteOut(Schema):
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

    @staticmethod
    def resolve_client_name(obj) -> str:
        return obj.client.name


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
                "explanation": obj.totals_explanation,
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
            "explanation": explained.as_dict(),
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
            "clause": obj.deposit_terms,
        }

    @staticmethod
    def resolve_validity(obj) -> dict[str, Any]:
        return {
            "valid_until": obj.valid_until,
            "acceptance_deadline": selectors.acceptance_deadline(quote=obj),
            "clause": obj.validity_terms,
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


def _detail(request, quote_id: int) -> Quote:
    quote = selectors.quote_for_seller(seller=token_of(request).seller, quote_id=quote_id)
    chain = [q.pk for q in selectors.revision_history(quote=quote)]
    following = chain[chain.index(quote.pk) + 1 :]
    quote.revision_ids = chain
    quote.next_id = following[0] if following else None
    return quote


def _quote(request, quote_id: int) -> Quote:
    return selectors.quote_for_seller(seller=token_of(request).seller, quote_id=quote_id)


def _lines(lines: list[LineIn]) -> list[dict[str, Any]]:
    return [line.model_dump(exclude_unset=True) for line in lines]


# --- routes ---------------------------------------------------------------------------------


@router.get(
    "",
    response=responses({200: QuotePage}, 422),
    summary="List quotes (paginated), latest first",
    description="`expiring_before`: quotes whose validity ends before that day (`valid_until` "
    "earlier than it), e.g. with `status=sent` the quotes to chase.",
)
def list_quotes(
    request,
    limit: Query[int, P(ge=1, le=MAX_LIMIT)] = 50,
    offset: Query[int, P(ge=0)] = 0,
    status: QuoteStatusName | None = None,
    client_id: int | None = None,
    expiring_before: date | None = None,
):
    quotes = selectors.quotes_for_seller(seller=token_of(request).seller, status=status)
    if client_id is not None:
        quotes = quotes.filter(client_id=client_id)
    if expiring_before is not None:
        quotes = quotes.filter(valid_until__lt=expiring_before)
    return {"count": quotes.count(), "items": list(quotes[offset : offset + limit])}


@router.post(
    "",
    response=responses({201: QuoteDetailOut}, 400, 422),
    summary="Create a draft quote with its lines",
    description="A `client_id` that is not one of the seller's clients is a 422 on "
    "`client_id`; an invalid line names its field as `lines[0].quantity`.",
)
def create_quote(request, payload: QuoteIn):
    token = token_of(request)
    try:
        client = client_for_scope(scope=api_scope(request), client_id=payload.client_id)
    except Http404:
        raise ValidationError({"client_id": "unknown client"}) from None
    fields = payload.model_dump(exclude_unset=True, exclude={"client_id", "lines"})
    quote = services.create_quote(
        seller=token.seller, client=client, fields=fields, lines=_lines(payload.lines), by=token
    )
    return Status(201, _detail(request, quote.pk))


@router.get(
    "/{quote_id}",
    response=responses({200: QuoteDetailOut}, 404),
    summary="A quote: lines, totals, frozen terms, revisions, acceptance, order",
)
def get_quote(request, quote_id: int):
    return _detail(request, quote_id)


@router.patch(
    "/{quote_id}",
    response=responses({200: QuoteDetailOut}, 400, 404, 409, 422),
    summary="Edit a draft: some fields, and all its lines when `lines` is sent",
    description="A sent quote never changes (409): revise it for a new draft.",
)
def update_quote(request, quote_id: int, payload: QuotePatch):
    token = token_of(request)
    quote = _quote(request, quote_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"lines"})
    with transaction.atomic():  # fields and lines together, or nothing
        quote = services.update_quote(quote=quote, fields=fields, by=token)
        if payload.lines is not None:
            services.set_lines(quote=quote, lines=_lines(payload.lines), by=token)
    return _detail(request, quote_id)


@router.post(
    "/{quote_id}/send",
    response=responses({200: QuoteDetailOut}, 404, 409, 422),
    summary="Send a draft: number it, freeze it and e-mail its PDF to the client",
    description="Refused (422, naming the field) without lines, nature or a validity date the "
    "terms leave to each quote; 409 when the quote is not a draft or the seller has no "
    "published terms. The e-mail leaves once the sending is committed.",
)
def send_quote(request, quote_id: int):
    services.send_quote(quote=_quote(request, quote_id), by=token_of(request))
    return _detail(request, quote_id)


@router.post(
    "/{quote_id}/revise",
    response=responses({201: QuoteDetailOut}, 404, 409),
    summary="Revise a sent quote: it is superseded by a new draft (same number, revision + 1)",
)
def revise_quote(request, quote_id: int):
    revision = services.revise_quote(quote=_quote(request, quote_id), by=token_of(request))
    return Status(201, _detail(request, revision.pk))


@router.post(
    "/{quote_id}/withdraw",
    response=responses({200: QuoteDetailOut}, 400, 404, 409, 422),
    summary="Withdraw a sent quote (it can no longer be accepted)",
)
def withdraw_quote(request, quote_id: int, payload: WithdrawIn | None = None):
    services.withdraw_quote(
        quote=_quote(request, quote_id),
        reason=payload.reason if payload else "",
        by=token_of(request),
    )
    return _detail(request, quote_id)


@router.post(
    "/{quote_id}/refuse",
    response=responses({200: QuoteDetailOut}, 400, 404, 409, 422),
    summary="Record the client's refusal of a sent quote, with its reason",
)
def refuse_quote(request, quote_id: int, payload: RefuseIn):
    services.refuse_quote(
        quote=_quote(request, quote_id), reason=payload.reason, by=token_of(request)
    )
    return _detail(request, quote_id)


@router.post(
    "/{quote_id}/acceptances/email",
    response=responses({201: QuoteDetailOut}, 404, 409, 422),
    summary="Record the client's e-mail of consent (multipart: the .eml file)",
    description="The consent dates from the e-mail's `Date`, which must fall after the sending "
    "and within the validity; an e-mail dated in time is accepted even once the expiry task has "
    "marked the quote expired (art. 3). `signatory_name` defaults to the sender's name. Late "
    "evidence, a superseded or withdrawn quote is a 409 with the reason. The quote becomes an "
    "order.",
)
def accept_by_email(
    request,
    quote_id: int,
    eml: File[UploadedFile],
    signatory_name: Form[str] = "",
    signatory_role: Form[str] = "",
):
    services.record_email_acceptance(
        quote=_quote(request, quote_id),
        eml=eml,
        signatory_name=signatory_name,
        signatory_role=signatory_role,
        by=token_of(request),
    )
    return Status(201, _detail(request, quote_id))


@router.post(
    "/{quote_id}/acceptances/post",
    response=responses({201: QuoteDetailOut}, 404, 409, 422),
    summary="Record the signed copy returned by post (multipart: its scan)",
    description="The four `shows_*` say what staff checked on the scan: the « Bon pour "
    "accord » mention, the signature, the date and (for a company) the stamp. A missing one "
    "is a 409 whose `missing` lists them. `signatory_role` is required for a professional "
    "client; `signed_on` falls between the sending and today and within the validity (a copy "
    "signed in time is accepted even once the quote is marked expired). The consent counts "
    "from its recording.",
)
def accept_by_post(
    request,
    quote_id: int,
    scan: File[UploadedFile],
    signatory_name: Form[str],
    signed_on: Form[date],
    signatory_role: Form[str] = "",
    shows_bon_pour_accord: Form[bool] = False,
    shows_signature: Form[bool] = False,
    shows_date: Form[bool] = False,
    shows_stamp: Form[bool] = False,
):
    services.record_postal_acceptance(
        quote=_quote(request, quote_id),
        scan=scan,
        signatory_name=signatory_name,
        signatory_role=signatory_role,
        signed_on=signed_on,
        shows_bon_pour_accord=shows_bon_pour_accord,
        shows_signature=shows_signature,
        shows_date=shows_date,
        shows_stamp=shows_stamp,
        by=token_of(request),
    )
    return Status(201, _detail(request, quote_id))


@router.get(
    "/{quote_id}/pdf",
    response=responses({200: None}, 404, 409, 422),
    summary="The PDF of a sent quote, as the client received it",
    description="`language` defaults to the client's. A draft has no PDF (409).",
    openapi_extra={
        "responses": {
            200: {
                "description": "The quote as PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def quote_pdf(request, quote_id: int, language: LanguageCode | None = None):
    quote = _quote(request, quote_id)
    if not quote.number:
        raise Conflict(
            f"{quote} n'a pas encore été envoyé : seul un devis envoyé a un PDF (son numéro "
            "est attribué à l'envoi)."
        )
    pdf = render_quote_pdf(quote=quote, language=language or quote.client.preferred_language)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.display_number}.pdf"'
    return response
