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

from typing import Any

from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from clausier.customers.selectors import client_named
from clausier.quotes import delivery, selectors, services
from clausier.quotes.models import Quote
from clausier.quotes.schemas import (
    LineIn,
    QuoteDetailOut,
    QuoteIn,
    QuotePage,
    QuotePatch,
    QuoteStatusName,
    RefuseIn,
    WithdrawIn,
)
from clausier.sellers.access import api_scope
from clausier.web.api import (
    Day,
    LanguageCode,
    Paging,
    binary,
    check_texts,
    download,
    responses,
    token_of,
)

router = Router(tags=["quotes"])


def _quote(request, quote_id: int) -> Quote:
    return selectors.quote_for_staff(scope=api_scope(request), quote_id=quote_id)


def _detail(request, quote_id: int) -> Quote:
    quote = _quote(request, quote_id)
    chain = [q.pk for q in selectors.revision_history(quote=quote)]
    following = chain[chain.index(quote.pk) + 1 :]
    quote.revision_ids = chain
    quote.next_id = following[0] if following else None
    return quote


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
    paging: Query[Paging],
    status: QuoteStatusName | None = None,
    client_id: int | None = None,
    expiring_before: Day | None = None,
):
    filters = selectors.QuoteFilters(
        status=status or "", client_id=client_id, expiring_before=expiring_before
    )
    quotes = selectors.quote_list(scope=api_scope(request), filters=filters)
    return paging.page(quotes)


@router.post(
    "",
    response=responses({201: QuoteDetailOut}, 400, 422),
    summary="Create a draft quote with its lines",
    description="A `client_id` that is not one of the seller's clients is a 422 on "
    "`client_id`; an invalid line names its field as `lines[0].quantity`.",
)
def create_quote(request, payload: QuoteIn):
    token = token_of(request)
    client = client_named(scope=api_scope(request), client_id=payload.client_id)
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
    lines = None if payload.lines is None else _lines(payload.lines)
    services.update_quote(quote=quote, fields=fields, lines=lines, by=token)
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
    check_texts(signatory_name=signatory_name, signatory_role=signatory_role)
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
    response=responses({201: QuoteDetailOut}, 404, 409, 422, incomplete=True),
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
    signed_on: Form[Day],
    signatory_role: Form[str] = "",
    shows_bon_pour_accord: Form[bool] = False,
    shows_signature: Form[bool] = False,
    shows_date: Form[bool] = False,
    shows_stamp: Form[bool] = False,
):
    check_texts(signatory_name=signatory_name, signatory_role=signatory_role)
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
    description="Printed once, in the client's language, and stored: every download is the "
    "same file, the one emailed to the client and accepted (`X-Document-SHA256` and `ETag`: "
    "its SHA-256, which the acceptance records), whatever the seller changes afterwards. "
    "`language`, when it is not the stored document's language, asks for a translation: "
    "printed on demand and not stored, it is not the document the client received (answered "
    "with `X-Document-Translation: <language>` and no `X-Document-SHA256`). A draft has no "
    "PDF (409).",
    openapi_extra=binary("application/pdf", "The quote as PDF"),
)
def quote_pdf(request, quote_id: int, language: LanguageCode | None = None):
    quote = delivery.ensure_pdf(_quote(request, quote_id))
    if language is None or language == quote.pdf_language:
        response = download(
            delivery.pdf_bytes(quote),
            etag=True,
            content_type="application/pdf",
            filename=f"{quote.display_number}.pdf",
        )
        response["X-Document-SHA256"] = quote.pdf_sha256
        return response
    translation = delivery.translated_pdf(quote, language=language)
    response = download(
        translation.content,
        etag=True,
        content_type="application/pdf",
        filename=f"{quote.display_number}-{language}.pdf",
    )
    response["X-Document-Translation"] = language
    return response
