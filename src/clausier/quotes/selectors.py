"""Reads of quotes, scoped to a seller (staff) or a client (portal, which never sees drafts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clausier.customers.models import Client
from clausier.kernel.wording import worded
from clausier.quotes import domain
from clausier.quotes.models import AttachmentKind, Quote, QuoteLine, QuoteStatus
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained
from clausier.sellers import confidentiality
from clausier.sellers.models import Seller
from clausier.sellers.selectors import DocumentFilters, StaffScope
from clausier.terms import selectors as terms_selectors


def _with_related(qs: QuerySet[Quote]) -> QuerySet[Quote]:
    return qs.select_related("client", "terms_version", "previous").prefetch_related(
        Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "id")), "attachments"
    )


def quotes_for_seller(*, seller: Seller, status: str | None = None) -> QuerySet[Quote]:
    qs = Quote.objects.filter(seller=seller).select_related("client")
    return qs.filter(status=status) if status else qs


@dataclass(frozen=True, slots=True)
class QuoteFilters(DocumentFilters):
    """What a list of a seller's quotes is narrowed to: ``search`` (part of its number or of
    its client's name), ``status`` (a :class:`QuoteStatus` value, "" for all), ``client_id``,
    and its validity: ``expiring_before``, quotes whose validity ends before that day
    (``valid_until`` earlier than it; a quote without one never matches), ``valid_on``, quotes
    still valid on that day (``valid_until`` on or after it)."""

    expiring_before: date | None = None
    valid_on: date | None = None


def visible_to(*, scope: StaffScope, status: str | None = None) -> QuerySet[Quote]:
    """The seller's quotes ``scope`` may read: a confidential quote (seed 002 art. 9) only
    for the staff named on it and the owner, never for an API token."""
    return confidentiality.visible_to(quotes_for_seller(seller=scope.seller, status=status), scope)


def confidential_hidden_from(*, scope: StaffScope) -> QuerySet[Quote]:
    """The seller's confidential quotes ``scope`` may not read (art. 9)."""
    return confidentiality.hidden_from(quotes_for_seller(seller=scope.seller), scope)


def quote_list(*, scope: StaffScope, filters: QuoteFilters) -> QuerySet[Quote]:
    """The scope's seller's quotes narrowed by ``filters``, latest first."""
    quotes = filters.narrow(visible_to(scope=scope, status=filters.status or None))
    if filters.expiring_before is not None:
        quotes = quotes.filter(valid_until__lt=filters.expiring_before)
    if filters.valid_on is not None:
        quotes = quotes.filter(valid_until__gte=filters.valid_on)
    return quotes


def quote_for_seller(*, seller: Seller, quote_id: int) -> Quote:
    return get_object_or_404(_with_related(Quote.objects.filter(seller=seller, pk=quote_id)))


def quote_for_staff(*, scope: StaffScope, quote_id: int) -> Quote:
    """The quote as ``scope`` may read it: another seller's is a 404; a confidential one
    not naming the person is a 403 saying who may grant access (a 404 for an API token,
    which names no person and never sees it listed)."""
    quote = quote_for_seller(seller=scope.seller, quote_id=quote_id)
    if not confidentiality.may_see(scope, quote):
        if scope.user is None:
            raise Http404
        raise confidentiality.refusal(seller=scope.seller, article=confidentiality_article(quote))
    return quote


def hidden_from(*, scope: StaffScope, quote_id: int | None) -> bool:
    """Whether a page linking to the quote ``quote_id`` (an order's, an invoice's) must show
    the link without its content (« Devis confidentiel »): a confidential quote ``scope`` may
    not read."""
    if quote_id is None:
        return False
    return not visible_to(scope=scope).filter(pk=quote_id).exists()


def confidentiality_clause(*, seller: Seller, quote: Quote | None = None):
    """The confidentiality clause (seed 002 art. 9) of the quote's terms (its frozen version
    once sent, else the seller's published one), or None."""
    version = (quote.terms_version if quote else None) or terms_selectors.current_version(
        seller=seller
    )
    return (
        terms_selectors.clause_of_kind(version=version, kind="confidentiality") if version else None
    )


def confidentiality_article(quote: Quote) -> str:
    clause = confidentiality_clause(seller=quote.seller, quote=quote)
    return clause.article if clause else ""


def quotes_for_client(*, client: Client) -> QuerySet[Quote]:
    """The quotes a client's contacts see: every quote sent to it, never a draft."""
    return (
        Quote.objects.filter(client=client)
        .exclude(status=QuoteStatus.DRAFT)
        .select_related("terms_version")
    )


def quote_for_client(*, client: Client, quote_id: int) -> Quote:
    return get_object_or_404(_with_related(quotes_for_client(client=client).filter(pk=quote_id)))


def revision_history(*, quote: Quote) -> list[Quote]:
    """Every revision of ``quote``'s number, first to last, by following the chain of
    ``previous`` links both ways."""
    quote = Quote.objects.get(pk=quote.pk)
    chain = [quote]
    current = quote
    while current.previous_id is not None:
        current = Quote.objects.get(pk=current.previous_id)
        chain.insert(0, current)
    current = quote
    while (following := Quote.objects.filter(previous=current).first()) is not None:
        chain.append(following)
        current = following
    return chain


def quote_totals(*, quote: Quote) -> Explained | None:
    """The totals of the quote with their arithmetic: of its current lines while a draft
    (under the seller's VAT regime), identical to the frozen ones once sent. None without
    lines, or lines the rules refuse (a draft being edited)."""
    # A quote line carries the figures the rules read (description, quantity, unit price,
    # VAT rate, discount): it is given as is.
    lines = list(quote.lines.all())
    if not lines:
        return None
    regime = quote.vat_regime or quote.seller.vat_regime
    try:
        return domain.quote_totals(lines=lines, regime=regime)
    except RuleError:
        return None


def consent_statement(*, quote: Quote) -> str:
    """The sentence the client ticks to accept the quote online."""
    has_specification = any(a.kind == AttachmentKind.SPECIFICATION for a in quote.attachments.all())
    return worded(
        domain.consent_statement(
            number=quote.display_number,
            terms_label=quote.terms_label,
            has_specification=has_specification,
        )
    )


def acceptance_deadline(*, quote: Quote) -> datetime | None:
    """The first instant the quote can no longer be accepted (midnight after its validity
    day, local time), or None while it has no validity date."""
    if quote.valid_until is None:
        return None
    return domain.acceptance_deadline(
        valid_until=quote.valid_until, tz=timezone.get_default_timezone()
    )
