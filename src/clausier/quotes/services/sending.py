"""A quote sent (numbered, its terms and parties frozen), revised, withdrawn, refused or
expired."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.customers.models import Client
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import DomainError
from clausier.kernel.inputs import check_date_window
from clausier.numbering.services import next_number
from clausier.quotes import domain
from clausier.quotes import transitions as t
from clausier.quotes.delivery import email_quote_after_commit
from clausier.quotes.models import (
    Quote,
    QuoteAttachment,
    QuoteLine,
    QuoteStatus,
)
from clausier.quotes.services.support import NUMBER_SERIES, locked_quote, quote_tz
from clausier.rules.errors import RuleError
from clausier.sellers.models import Seller
from clausier.terms import selectors as terms_selectors
from clausier.terms.domain import clause_snapshot
from clausier.terms.schemas import parse_parameters

# --- sending ----------------------------------------------------------------------------


def _parties(seller: Seller, client: Client) -> dict[str, Any]:
    seller_fields = (
        "legal_name",
        "trade_name",
        "legal_form",
        "siren",
        "siret",
        "rcs_city",
        "vat_number",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "country",
        "email_sales",
        "phone",
        "jurisdiction",
    )
    client_fields = (
        "name",
        "kind",
        "siren",
        "vat_number",
        "email",
        "billing_line1",
        "billing_line2",
        "billing_postal_code",
        "billing_city",
        "billing_country",
    )
    return {
        "seller": {name: str(getattr(seller, name) or "") for name in seller_fields},
        "client": {name: str(getattr(client, name) or "") for name in client_fields},
    }


def _validity_problem(valid_until: date | None, *, sent_on: date, terms: str) -> str | None:
    """Why ``valid_until`` cannot be the validity date of a quote sent on ``sent_on``."""
    if valid_until is None:
        return _(
            "indiquez la date de validité du devis : les CGV %(terms)s la laissent à chaque devis"
        ) % {"terms": terms}
    if valid_until < sent_on:
        return _("la date de validité (%(date)s) est déjà passée le jour de l'envoi") % {
            "date": f"{valid_until:%d/%m/%Y}"
        }
    try:
        check_date_window(valid_until, "valid_until")
    except ValidationError as exc:
        return exc.message_dict["valid_until"][0]
    return None


@transaction.atomic
def send_quote(*, quote: Quote, by: Actor, now: datetime | None = None) -> Quote:
    """Send a draft: take its number (first sending only: a revision keeps its number), name
    the seller's published terms version, and freeze clauses, totals and parties into it.

    Refused, with nothing written and no number consumed, when the quote has no line or no
    nature of services, when the seller has no published terms, when the validity date is
    missing (terms leaving it to each quote, ``quote.rules.validity_days`` null) or past, or
    when it asks a deposit the terms do not provide for.
    """
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    t.check(label=str(quote), current=quote.status, target=t.SENT)
    seller = quote.seller
    sent_on = timezone.localdate(now, timezone=quote_tz())

    version = terms_selectors.current_version(seller=seller)
    if version is None:
        raise DomainError(
            _(
                "%(seller)s n'a pas de CGV publiées : un devis nomme les CGV auxquelles le client "
                "adhère (art. 3), publiez-les avant d'envoyer un devis."
            )
            % {"seller": seller}
        )
    errors: dict[str, str] = {}
    lines = list(quote.lines.order_by("position", "id"))
    if not lines:
        errors["lines"] = _("un devis sans ligne ne peut pas être envoyé")
    if not quote.nature.strip():
        errors["nature"] = _("précisez la nature des prestations (mention obligatoire du devis)")

    # Terms without a payment term leave the law's (C. com. L441-10 I), which the quote
    # states as such: the invoices of the order are due by it too.
    payment_clause = terms_selectors.clause_of_kind(version=version, kind=domain.PAYMENT_DUE_CLAUSE)

    rules_clause = terms_selectors.clause_of_kind(version=version, kind=domain.QUOTE_RULES_CLAUSE)
    validity_days = (
        parse_parameters(rules_clause.kind, rules_clause.parameters).validity_days
        if rules_clause
        else None
    )
    valid_until = quote.valid_until
    if valid_until is None and validity_days is not None:
        valid_until = domain.default_valid_until(sent_on=sent_on, validity_days=validity_days)
    if problem := _validity_problem(valid_until, sent_on=sent_on, terms=version.label):
        errors["valid_until"] = problem

    deposit_clause = terms_selectors.clause_of_kind(version=version, kind=domain.DEPOSIT_CLAUSE)
    deposit_params = (
        parse_parameters(deposit_clause.kind, deposit_clause.parameters) if deposit_clause else None
    )
    requires_deposit = quote.requires_deposit or (
        deposit_params is not None and deposit_params.required_when == "always"
    )
    if requires_deposit and deposit_params is None:
        errors["requires_deposit"] = _(
            "les CGV %(terms)s ne prévoient pas d'acompte (clause payment.deposit) : le devis ne "
            "peut pas en demander"
        ) % {"terms": version.label}

    totals = None
    if lines:
        try:
            totals = domain.quote_totals(lines=lines, regime=seller.vat_regime)
        except RuleError as exc:
            errors["lines"] = str(exc)
    if errors:
        raise ValidationError(errors)

    if not quote.number:
        number = next_number(
            seller=seller, series=NUMBER_SERIES, year=sent_on.year, prefix=seller.quote_prefix
        )
        quote.number = number.label
        quote.number_year = sent_on.year
        quote.number_sequence = number.sequence

    figures = totals.value
    for line, amount in zip(lines, figures.lines, strict=True):
        line.amount_ht = amount
    QuoteLine.objects.bulk_update(lines, ["amount_ht"])

    quote.terms_version = version
    quote.terms_label = version.label
    quote.terms_sha256 = version.text_sha256
    quote.payment_terms = (
        clause_snapshot(clause=payment_clause, version=version)
        if payment_clause is not None
        else domain.legal_payment_terms(terms_label=version.label)
    )
    quote.valid_until = valid_until
    rules_snapshot = (
        clause_snapshot(clause=rules_clause, version=version)
        if rules_clause
        else {"clause": "", "terms": version.label, "parameters": {}}
    )
    quote.validity_terms = rules_snapshot | {
        "validity_days": validity_days,
        "explanation": domain.validity(
            valid_until=valid_until,
            tz=quote_tz(),
            clause={
                "clause": rules_snapshot["clause"],
                "terms": version.label,
                "validity_days": validity_days,
            },
        ).as_dict(),
    }
    quote.requires_deposit = requires_deposit
    if requires_deposit:
        explained = domain.deposit(
            total_ht=figures.total_ht,
            rate=deposit_params.rate,
            clause=deposit_clause.clause_id,
            article=deposit_clause.article,
            terms=version.label,
        )
        quote.deposit_rate = deposit_params.rate
        quote.deposit_amount = explained.value
        quote.deposit_terms = clause_snapshot(clause=deposit_clause, version=version) | {
            "rate": str(deposit_params.rate),
            "amount": str(explained.value),
            "explanation": explained.as_dict(),
        }
    else:
        quote.deposit_rate = quote.deposit_amount = None
        quote.deposit_terms = {}
    quote.vat_regime = seller.vat_regime
    quote.vat_mention = figures.mention
    quote.total_ht = figures.total_ht
    quote.total_vat = figures.total_vat
    quote.total_ttc = figures.total_ttc
    quote.totals_explanation = totals.as_dict()
    quote.parties = _parties(seller, quote.client)
    quote.status = QuoteStatus.SENT
    quote.sent_at = now
    quote.full_clean()
    quote.save()
    record_on(
        obj=quote,
        actor=by,
        verb="quote.sent",
        before={"status": t.DRAFT},
        after={
            "status": t.SENT,
            "number": quote.display_number,
            "terms": version.label,
            "valid_until": valid_until.isoformat(),
            "total_ht": str(quote.total_ht),
            "total_ttc": str(quote.total_ttc),
            "deposit_amount": str(quote.deposit_amount) if requires_deposit else None,
        },
    )
    # The PDF leaves by email once the sending is committed (quotes.delivery).
    email_quote_after_commit(quote=quote)
    return quote


@transaction.atomic
def revise_quote(*, quote: Quote, by: Actor, now: datetime | None = None) -> Quote:
    """Edit a sent quote the only way there is: it becomes ``superseded`` and a new draft
    revision (same number, revision + 1, ``previous`` pointing to it) carries a copy of its
    lines and attachments, ready to change and send."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    t.check(label=str(quote), current=quote.status, target=t.SUPERSEDED)
    quote.status = QuoteStatus.SUPERSEDED
    quote.closed_at = now
    quote.save(update_fields=["status", "closed_at", "updated_at"])
    revision = Quote(
        seller=quote.seller,
        client=quote.client,
        number=quote.number,
        number_year=quote.number_year,
        number_sequence=quote.number_sequence,
        revision=quote.revision + 1,
        previous=quote,
        nature=quote.nature,
        notes=quote.notes,
        requires_deposit=quote.requires_deposit,
        valid_until=quote.valid_until,
        created_by=acting_user(by=by),
        confidential=quote.confidential,
    )
    revision.full_clean()
    revision.save()
    revision.confidential_staff.set(quote.confidential_staff.all())
    QuoteLine.objects.bulk_create(
        QuoteLine(quote=revision, **line.agreed_values())
        for line in quote.lines.order_by("position", "id")
    )
    QuoteAttachment.objects.bulk_create(
        QuoteAttachment(
            quote=revision, kind=a.kind, title=a.title, file=a.file.name, sha256=a.sha256
        )
        for a in quote.attachments.all()
    )
    record_on(
        obj=quote,
        actor=by,
        verb="quote.superseded",
        before={"status": t.SENT},
        after={"status": t.SUPERSEDED, "by": revision.display_number},
    )
    record_on(
        obj=revision,
        actor=by,
        verb="quote.revision_created",
        after={"number": revision.display_number, "previous": quote.display_number},
    )
    return revision


def _close(
    *, quote: Quote, target: str, by, now: datetime, verb: str, extra: dict[str, str]
) -> Quote:
    t.check(label=str(quote), current=quote.status, target=target)
    before = {"status": quote.status}
    for name, value in extra.items():
        setattr(quote, name, value)
    quote.status = target
    quote.closed_at = now
    quote.save(update_fields=["status", "closed_at", "updated_at", *extra])
    record_on(obj=quote, actor=by, verb=verb, before=before, after={"status": target, **extra})
    return quote


@transaction.atomic
def withdraw_quote(
    *, quote: Quote, by: Actor, reason: str = "", now: datetime | None = None
) -> Quote:
    """The seller takes back a sent quote (it can no longer be accepted)."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    return _close(
        quote=quote,
        target=t.WITHDRAWN,
        by=by,
        now=now,
        verb="quote.withdrawn",
        extra={"withdrawal_reason": reason.strip()},
    )


@transaction.atomic
def refuse_quote(*, quote: Quote, reason: str, by: Actor, now: datetime | None = None) -> Quote:
    """The client declines a sent quote; the reason is recorded (``by``: the contact's login
    in the portal, or the staff member recording the client's answer)."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    t.check(label=str(quote), current=quote.status, target=t.REFUSED)
    if not reason.strip():
        raise ValidationError({"reason": _("indiquez le motif du refus")})
    return _close(
        quote=quote,
        target=t.REFUSED,
        by=by,
        now=now,
        verb="quote.refused",
        extra={"refusal_reason": reason.strip()},
    )


@transaction.atomic
def expire_quote(*, quote: Quote, now: datetime | None = None, by: Actor = None) -> bool:
    """Mark a sent quote past its validity day as expired; True if it did, False if there
    was nothing to do (already closed, or still valid): safe to call any number of times."""
    now = aware_now(now)
    quote = locked_quote(quote=quote)
    if quote.status != QuoteStatus.SENT or quote.valid_until is None:
        return False
    if domain.is_valid_at(valid_until=quote.valid_until, at=now, tz=quote_tz()):
        return False
    _close(
        quote=quote,
        target=t.EXPIRED,
        by=by,
        now=now,
        verb="quote.expired",
        extra={},
    )
    return True


def expire_overdue_quotes(*, now: datetime | None = None) -> dict[str, int]:
    """Expire every sent quote whose validity day is over, each in its own transaction: a
    run stopped half-way leaves the rest to the next one, and a second run finds nothing
    to do. Returns ``{"checked": n, "expired": n, "skipped": n}``."""
    now = aware_now(now)
    today = timezone.localdate(now, timezone=quote_tz())
    ids = list(
        Quote.objects.filter(status=QuoteStatus.SENT, valid_until__lt=today)
        .order_by("valid_until", "id")
        .values_list("id", flat=True)
    )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            expired += expire_quote(quote=Quote(pk=pk), now=now)
    return {"checked": len(ids), "expired": expired, "skipped": len(ids) - expired}
