"""Writes on quotes: drafting, sending, revising, the three ways of accepting, refusal,
withdrawal and expiry. Keyword-only, atomic, row-locked, audited.

A quote is editable while it is a draft. Sending takes its number (gapless, in the
transaction), names the seller's terms version in force and copies into the quote everything
it shows: payment and deposit clauses with their parameters, VAT regime, line amounts and
totals with their explanation, the parties. From then on nothing on it changes: a change is a
new revision (:func:`revise_quote`).

Acceptance (art. 3 of the agency's terms) records two pieces of evidence in one transaction:
a :class:`~clausier.quotes.models.QuoteAcceptance` of the quote, and a terms
:class:`~clausier.terms.models.Acceptance` of the version the quote names; then the quote
becomes an order (the :class:`~clausier.quotes.events.QuoteAccepted` fact, which
``orders.handlers.open_from_quote`` answers).

Every service takes ``now`` (an aware datetime, default: the current time) so the boundary of
a validity day is testable without freezing the clock.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from email import policy
from email.parser import BytesParser
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, diff, record_event
from clausier.catalog import pricing
from clausier.customers.models import Client, ClientKind, Contact
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError, only_fields
from clausier.kernel.events import publish
from clausier.numbering.services import next_number
from clausier.quotes import domain
from clausier.quotes import transitions as t
from clausier.quotes.delivery import email_quote_after_commit
from clausier.quotes.events import QuoteAccepted
from clausier.quotes.models import (
    AttachmentKind,
    Quote,
    QuoteAcceptance,
    QuoteAcceptanceMethod,
    QuoteAttachment,
    QuoteLine,
    QuoteStatus,
)
from clausier.rules.errors import RuleError
from clausier.sellers.models import Seller
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.terms.domain import clause_snapshot
from clausier.terms.models import AcceptanceMethod, TermsStatus, TermsVersion
from clausier.terms.schemas import parse_parameters

QUOTE_FIELDS = frozenset({"nature", "notes", "requires_deposit", "valid_until"})
LINE_FIELDS = frozenset(
    {"product_code", "description", "quantity", "unit", "unit_price", "vat_rate", "discount"}
)
NUMBER_SERIES = "quote"
SPECIFICATION_EXTENSIONS = frozenset({".pdf"})
MOCKUP_EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"})
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class QuoteFrozen(Conflict):
    """A sent quote never changes: a change is a new revision."""


class QuoteNotAcceptable(DomainError):
    """The quote cannot be accepted (expired, superseded, withdrawn, terms replaced...)."""


class IncompleteEvidence(DomainError):
    """The evidence of acceptance lacks what the terms require; ``missing`` names it."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass(frozen=True)
class AcceptedQuote:
    """What an acceptance produced: the quote (now accepted), its evidence and the order."""

    quote: Quote
    acceptance: QuoteAcceptance

    @property
    def order(self):
        """The order the acceptance opened (``orders.handlers.open_from_quote``)."""
        return self.quote.order


# --- helpers ----------------------------------------------------------------------------


def _tz():
    # Validity days end at midnight in the seller's zone, Europe/Paris by default.
    return timezone.get_default_timezone()


def _locked(quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("seller", "client", "terms_version")
        .get(pk=quote.pk)
    )


def _require_draft(quote: Quote) -> None:
    if quote.status != QuoteStatus.DRAFT:
        raise QuoteFrozen(
            _(
                "%(quote)s est %(status)s : il ne peut plus être modifié. Pour le changer, créez "
                "une révision du devis."
            )
            % {"quote": quote, "status": quote.get_status_display().lower()}
        )


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(_("un nombre décimal exact est attendu (pas un flottant)"))
    try:
        result = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("nombre invalide : %(value)r") % {"value": value}) from None
    if not result.is_finite():
        raise ValueError(_("nombre invalide : %(value)r") % {"value": value})
    return result


def _build_line(quote: Quote, position: int, fields: dict[str, Any], key: str) -> QuoteLine:
    """A validated, unsaved line; ValidationError keys are prefixed with ``key``. A quote
    line states its own price: the line checks are the catalog pricer's, not the lookup."""
    errors: dict[str, str] = {}
    pricing.refuse_unknown_fields(fields, allowed=LINE_FIELDS, key=key, errors=errors)
    data = {k: v for k, v in fields.items() if k in LINE_FIELDS}
    for name in ("quantity", "unit_price", "vat_rate", "discount"):
        if name in data:
            try:
                data[name] = _decimal(data[name])
            except ValueError as exc:
                errors[f"{key}.{name}"] = str(exc)
    if not errors:
        if data.get("quantity") is not None:
            pricing.check_quantity(data["quantity"], key=key, errors=errors)
        vat = data.get("vat_rate", Decimal(0))
        if not Decimal(0) <= vat < 1:
            errors[f"{key}.vat_rate"] = _("un taux est une fraction (0.20 pour 20 %)")
        discount = data.get("discount", Decimal(0))
        if not Decimal(0) <= discount <= 1:
            errors[f"{key}.discount"] = _("une remise est une fraction (0.10 pour 10 %)")
    line = QuoteLine(quote=quote, position=position, **data)
    pricing.model_errors(line, key=key, exclude=["quote"], errors=errors)
    if errors:
        raise ValidationError(errors)
    return line


def _line_summary(line: QuoteLine) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit": line.unit,
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
    }


# --- drafts -----------------------------------------------------------------------------


@transaction.atomic
def create_quote(
    *,
    seller: Seller,
    client: Client,
    fields: dict[str, Any],
    by,
    lines: list[dict[str, Any]] | None = None,
) -> Quote:
    """A draft quote for ``client``; ``fields`` among nature, notes, requires_deposit,
    valid_until; ``lines`` as for :func:`set_lines`."""
    if client.seller_id != seller.pk:
        raise ValidationError({"client": _("ce client appartient à un autre vendeur")})
    quote = Quote(
        seller=seller,
        client=client,
        created_by=acting_user(by),
        **only_fields(fields, QUOTE_FIELDS),
    )
    quote.full_clean()
    quote.save()
    built = [
        _build_line(quote, position, line, f"lines[{position}]")
        for position, line in enumerate(lines or [])
    ]
    QuoteLine.objects.bulk_create(built)
    record_event(
        actor=by,
        seller=seller,
        obj=quote,
        verb="quote.created",
        after={
            "client": client.name,
            **{
                k: v if isinstance(v, bool | str) or v is None else str(v)
                for k, v in fields.items()
            },
            "lines": [_line_summary(line) for line in built],
        },
    )
    return quote


@transaction.atomic
def update_quote(*, quote: Quote, fields: dict[str, Any], by) -> Quote:
    quote = _locked(quote)
    _require_draft(quote)
    before, after = diff(quote, only_fields(fields, QUOTE_FIELDS))
    if not after:
        return quote
    for name, value in fields.items():
        setattr(quote, name, value)
    quote.full_clean()
    quote.save()
    record_event(
        actor=by, seller=quote.seller, obj=quote, verb="quote.updated", before=before, after=after
    )
    return quote


@transaction.atomic
def set_lines(*, quote: Quote, lines: list[dict[str, Any]], by) -> list[QuoteLine]:
    """Replace the lines of a draft. Each line: description, quantity, unit (``LineUnit``),
    unit_price (HT), vat_rate (fraction, default 0), discount (fraction, default 0),
    product_code (optional). Amounts are Decimals, ints or decimal strings, never floats."""
    quote = _locked(quote)
    _require_draft(quote)
    built = [
        _build_line(quote, position, line, f"lines[{position}]")
        for position, line in enumerate(lines)
    ]
    before = [_line_summary(line) for line in quote.lines.all()]
    quote.lines.all().delete()
    QuoteLine.objects.bulk_create(built)
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.lines_set",
        before={"lines": before},
        after={"lines": [_line_summary(line) for line in built]},
    )
    return list(quote.lines.order_by("position", "id"))


@transaction.atomic
def add_line(*, quote: Quote, fields: dict[str, Any], by) -> QuoteLine:
    """Append a line to a draft (fields as for :func:`set_lines`)."""
    quote = _locked(quote)
    _require_draft(quote)
    last = quote.lines.order_by("-position").values_list("position", flat=True).first()
    line = _build_line(quote, 0 if last is None else last + 1, fields, "line")
    line.save()
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.line_added",
        after=_line_summary(line),
    )
    return line


@transaction.atomic
def update_line(*, line: QuoteLine, fields: dict[str, Any], by) -> QuoteLine:
    quote = _locked(line.quote)
    _require_draft(quote)
    line = QuoteLine.objects.select_for_update().get(pk=line.pk, quote=quote)
    current = {name: getattr(line, name) for name in LINE_FIELDS}
    updated = _build_line(quote, line.position, current | fields, "line")
    before, after = diff(line, {name: getattr(updated, name) for name in fields})
    if not after:
        return line
    updated.pk = line.pk
    updated.save()
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.line_updated",
        before={"position": line.position, **before},
        after=after,
    )
    return updated


@transaction.atomic
def delete_line(*, line: QuoteLine, by) -> None:
    quote = _locked(line.quote)
    _require_draft(quote)
    line = QuoteLine.objects.select_for_update().get(pk=line.pk, quote=quote)
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.line_deleted",
        before=_line_summary(line),
    )
    line.delete()


@transaction.atomic
def add_attachment(*, quote: Quote, kind: str, file: File, by, title: str = "") -> QuoteAttachment:
    """Attach the specification (cahier des charges, one PDF, contractual once accepted) or a
    mockup (PDF or image, never contractual) to a draft."""
    quote = _locked(quote)
    _require_draft(quote)
    errors: dict[str, str] = {}
    if kind not in AttachmentKind.values:
        errors["kind"] = _("type inconnu ; possibles : %(kinds)s") % {
            "kinds": ", ".join(AttachmentKind.values)
        }
    name = PurePath(file.name or "").name
    suffix = PurePath(name).suffix.lower()
    if kind == AttachmentKind.SPECIFICATION:
        if suffix not in SPECIFICATION_EXTENSIONS:
            errors["file"] = _("le cahier des charges est un fichier PDF")
        else:
            head = file.read(5)
            file.seek(0)
            if head != b"%PDF-":
                errors["file"] = _("ce fichier n'est pas un PDF")
        if quote.attachments.filter(kind=AttachmentKind.SPECIFICATION).exists():
            errors["kind"] = _("ce devis a déjà un cahier des charges : retirez-le d'abord")
    elif kind == AttachmentKind.MOCKUP and suffix not in MOCKUP_EXTENSIONS:
        errors["file"] = _("une maquette est un PDF ou une image (%(extensions)s)") % {
            "extensions": ", ".join(sorted(MOCKUP_EXTENSIONS))
        }
    if errors:
        raise ValidationError(errors)
    attachment = QuoteAttachment(
        quote=quote, kind=kind, title=(title or name).strip()[:200], sha256=_sha256(file)
    )
    attachment.file.save(name, file, save=False)
    attachment.full_clean()
    attachment.save()
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.attachment_added",
        after={"kind": kind, "title": attachment.title, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: QuoteAttachment, by) -> None:
    quote = _locked(attachment.quote)
    _require_draft(quote)
    attachment = QuoteAttachment.objects.select_for_update().get(pk=attachment.pk, quote=quote)
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.attachment_removed",
        before={"kind": attachment.kind, "title": attachment.title, "sha256": attachment.sha256},
    )
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    # Revisions share their files: delete the file only once nothing refers to it.
    if not QuoteAttachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def delete_draft(*, quote: Quote, by) -> None:
    """Delete a draft that was never sent (it holds no number). A revision is part of a
    numbered quote's history and cannot be deleted."""
    quote = _locked(quote)
    _require_draft(quote)
    if quote.number:
        raise Conflict(
            _(
                "%(quote)s est une révision du devis %(number)s : elle fait partie de son "
                "historique et ne peut pas être supprimée."
            )
            % {"quote": quote, "number": quote.number}
        )
    record_event(
        actor=by, seller=quote.seller, obj=quote, verb="quote.deleted", before={"id": quote.pk}
    )
    for attachment in list(quote.attachments.all()):
        remove_attachment(attachment=attachment, by=by)
    quote.delete()


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


def _line_facts(lines: list[QuoteLine]) -> list[domain.LineFacts]:
    return [
        domain.LineFacts(
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            discount=line.discount,
        )
        for line in lines
    ]


@transaction.atomic
def send_quote(*, quote: Quote, by, now: datetime | None = None) -> Quote:
    """Send a draft: take its number (first sending only: a revision keeps its number), name
    the seller's published terms version, and freeze clauses, totals and parties into it.

    Refused, with nothing written and no number consumed, when the quote has no line or no
    nature of services, when the seller has no published terms, when the validity date is
    missing (terms leaving it to each quote, ``quote.rules.validity_days`` null) or past, or
    when it asks a deposit the terms do not provide for.
    """
    now = aware_now(now)
    quote = _locked(quote)
    t.check(label=str(quote), current=quote.status, target=t.SENT)
    seller = quote.seller
    sent_on = timezone.localdate(now, timezone=_tz())

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

    payment_clause = terms_selectors.clause_of_kind(version=version, kind=domain.PAYMENT_DUE_CLAUSE)
    if payment_clause is None:
        errors["payment_terms"] = _(
            "les CGV %(terms)s n'ont pas de clause d'échéance de paiement (payment.due) : le "
            "devis doit préciser les modalités de paiement"
        ) % {"terms": version.label}

    rules_clause = terms_selectors.clause_of_kind(version=version, kind=domain.QUOTE_RULES_CLAUSE)
    validity_days = (
        parse_parameters(rules_clause.kind, rules_clause.parameters).validity_days
        if rules_clause
        else None
    )
    valid_until = quote.valid_until
    if valid_until is None and validity_days is not None:
        valid_until = domain.default_valid_until(sent_on=sent_on, validity_days=validity_days)
    if valid_until is None:
        errors["valid_until"] = _(
            "indiquez la date de validité du devis : les CGV %(terms)s la laissent à chaque devis"
        ) % {"terms": version.label}
    elif valid_until < sent_on:
        errors["valid_until"] = _(
            "la date de validité (%(date)s) est déjà passée le jour de l'envoi"
        ) % {"date": f"{valid_until:%d/%m/%Y}"}

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
            totals = domain.quote_totals(lines=_line_facts(lines), regime=seller.vat_regime)
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
    quote.payment_terms = clause_snapshot(clause=payment_clause, version=version)
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
            tz=_tz(),
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
    record_event(
        actor=by,
        seller=seller,
        obj=quote,
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
def revise_quote(*, quote: Quote, by, now: datetime | None = None) -> Quote:
    """Edit a sent quote the only way there is: it becomes ``superseded`` and a new draft
    revision (same number, revision + 1, ``previous`` pointing to it) carries a copy of its
    lines and attachments, ready to change and send."""
    now = aware_now(now)
    quote = _locked(quote)
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
        created_by=acting_user(by),
    )
    revision.full_clean()
    revision.save()
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
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.superseded",
        before={"status": t.SENT},
        after={"status": t.SUPERSEDED, "by": revision.display_number},
    )
    record_event(
        actor=by,
        seller=quote.seller,
        obj=revision,
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
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb=verb,
        before=before,
        after={"status": target, **extra},
    )
    return quote


@transaction.atomic
def withdraw_quote(*, quote: Quote, by, reason: str = "", now: datetime | None = None) -> Quote:
    """The seller takes back a sent quote (it can no longer be accepted)."""
    now = aware_now(now)
    quote = _locked(quote)
    return _close(
        quote=quote,
        target=t.WITHDRAWN,
        by=by,
        now=now,
        verb="quote.withdrawn",
        extra={"withdrawal_reason": reason.strip()},
    )


@transaction.atomic
def refuse_quote(*, quote: Quote, reason: str, by, now: datetime | None = None) -> Quote:
    """The client declines a sent quote; the reason is recorded (``by``: the contact's login
    in the portal, or the staff member recording the client's answer)."""
    now = aware_now(now)
    quote = _locked(quote)
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
def expire_quote(*, quote: Quote, now: datetime | None = None, by=None) -> bool:
    """Mark a sent quote past its validity day as expired; True if it did, False if there
    was nothing to do (already closed, or still valid): safe to call any number of times."""
    now = aware_now(now)
    quote = _locked(quote)
    if quote.status != QuoteStatus.SENT or quote.valid_until is None:
        return False
    if domain.is_valid_at(valid_until=quote.valid_until, at=now, tz=_tz()):
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
    today = timezone.localdate(now, timezone=_tz())
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


# --- acceptance -------------------------------------------------------------------------


def _successor(quote: Quote) -> str:
    following = Quote.objects.filter(previous=quote).only("number", "revision").first()
    return following.display_number if following else ""


def _acceptable(quote: Quote, at: datetime, *, evidence: str = "") -> TermsVersion:
    """Refuse, saying why, unless ``quote`` can be accepted by consent dated ``at``; return
    its terms version, locked.

    ``evidence`` names the consent staff record (``domain.EMAIL_EVIDENCE``,
    ``domain.POSTAL_EVIDENCE``): dated within the validity, it accepts a quote the expiry task
    has already marked expired (art. 3; ``transitions.CONDITIONS``)."""
    refusal = domain.refusal_to_accept(
        status=quote.status,
        number=quote.display_number,
        valid_until=quote.valid_until,
        at=at,
        tz=_tz(),
        terms_label=quote.terms_label,
        successor=_successor(quote) if quote.status == QuoteStatus.SUPERSEDED else "",
        evidence=evidence,
    )
    if refusal:
        raise QuoteNotAcceptable(refusal)
    in_time = bool(evidence) and domain.evidence_in_time(
        valid_until=quote.valid_until, at=at, tz=_tz()
    )
    t.check(
        label=str(quote),
        current=quote.status,
        target=t.ACCEPTED,
        met={t.EVIDENCE_DATED_IN_TIME} if in_time else (),
    )
    version = TermsVersion.objects.select_for_update().get(pk=quote.terms_version_id)
    if version.status != TermsStatus.PUBLISHED:
        current = terms_selectors.current_version(seller=quote.seller)
        values = {"terms": version.label, "number": quote.display_number}
        if current:
            message = _(
                "Les CGV %(terms)s que nomme le devis %(number)s ont été remplacées par la "
                "version %(current)s : le devis ne peut plus être accepté tel quel. Révisez-le "
                "pour qu'il nomme les CGV en vigueur."
            ) % (values | {"current": current.label})
        else:
            message = (
                _(
                    "Les CGV %(terms)s que nomme le devis %(number)s ont été remplacées : le "
                    "devis ne peut plus être accepté tel quel. Révisez-le pour qu'il nomme les "
                    "CGV en vigueur."
                )
                % values
            )
        raise QuoteNotAcceptable(message)
    return version


def _statement(quote: Quote) -> str:
    return domain.consent_statement(
        number=quote.display_number,
        terms_label=quote.terms_label,
        has_specification=quote.attachments.filter(kind=AttachmentKind.SPECIFICATION).exists(),
    )


def _specification_sha256(quote: Quote) -> str:
    spec = quote.attachments.filter(kind=AttachmentKind.SPECIFICATION).first()
    return spec.sha256 if spec else ""


def _complete(
    *,
    quote: Quote,
    version: TermsVersion,
    by,
    at: datetime,
    method: str,
    terms_method: str,
    signatory_name: str,
    evidence: dict[str, Any],
    accepted_by=None,
    evidence_file: File | None = None,
) -> AcceptedQuote:
    """Record both acceptances and accept the quote, in the caller's transaction; the
    :class:`QuoteAccepted` fact opens the order in it too."""
    terms_acceptance = terms_services.record_acceptance(
        client=quote.client,
        version=version,
        method=terms_method,
        accepted_by_name=signatory_name,
        by=by,
        accepted_by=accepted_by,
        accepted_at=at,
        ip_address=evidence.get("ip_address"),
        user_agent=evidence.get("user_agent", ""),
        evidence_file=evidence_file,
        message_id=evidence.get("email_message_id", ""),
    )
    acceptance = QuoteAcceptance(
        quote=quote,
        terms_acceptance=terms_acceptance,
        method=method,
        accepted_at=at,
        signatory_name=signatory_name.strip(),
        statement=_statement(quote),
        specification_sha256=_specification_sha256(quote),
        recorded_by=acting_user(by),
        **evidence,
    )
    if evidence_file is not None:
        acceptance.evidence_sha256 = _sha256(evidence_file)
        acceptance.evidence_file.save(
            PurePath(evidence_file.name or "evidence").name, evidence_file, save=False
        )
    acceptance.full_clean()
    acceptance.save()
    previous = quote.status
    quote.status = QuoteStatus.ACCEPTED
    quote.closed_at = at
    quote.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(
        actor=by,
        seller=quote.seller,
        obj=quote,
        verb="quote.accepted",
        before={"status": previous},
        after={
            "status": t.ACCEPTED,
            "method": method,
            "signatory": acceptance.signatory_name,
            "terms": version.label,
            "accepted_at": at.isoformat(),
        },
    )
    # The order it becomes (and its deposit invoice) is opened in this transaction.
    publish(QuoteAccepted(quote_id=quote.pk, seller_id=quote.seller_id, at=at, by=by))
    return AcceptedQuote(quote=quote, acceptance=acceptance)


def _signatory_errors(client: Client, name: str, role: str) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["signatory_name"] = _("le nom du signataire est obligatoire")
    if client.kind != ClientKind.CONSUMER and not role.strip():
        errors["signatory_role"] = _("indiquez la qualité du signataire (gérant, président…)")
    return errors


@transaction.atomic
def accept_quote_online(
    *,
    quote: Quote,
    contact: Contact,
    signatory_name: str,
    signatory_role: str,
    consent: bool,
    ip_address: str | None,
    user_agent: str,
    document_sha256: str = "",
    now: datetime | None = None,
) -> AcceptedQuote:
    """A client contact accepts the quote in the portal: ticks the statement
    (:func:`clausier.quotes.selectors.consent_statement`), types name and role. Stores IP,
    user agent, time and the SHA-256 of the quote PDF shown; records the acceptance of the
    terms version the quote names (method ``checkbox``)."""
    now = aware_now(now)
    quote = _locked(quote)
    version = _acceptable(quote, now)
    errors = _signatory_errors(quote.client, signatory_name, signatory_role)
    if contact.client_id != quote.client_id:
        errors["contact"] = _("ce contact n'appartient pas au client du devis")
    elif contact.user_id is None:
        errors["contact"] = _("une acceptation en ligne est faite par un contact connecté")
    if consent is not True:
        errors["consent"] = _("cochez « %(statement)s » pour accepter le devis") % {
            "statement": _statement(quote)
        }
    if document_sha256 and not SHA256_RE.match(document_sha256):
        errors["document_sha256"] = _("empreinte SHA-256 attendue (64 caractères hexadécimaux)")
    if errors:
        raise ValidationError(errors)
    return _complete(
        quote=quote,
        version=version,
        by=contact.user,
        at=now,
        method=QuoteAcceptanceMethod.ONLINE,
        terms_method=AcceptanceMethod.CHECKBOX,
        signatory_name=signatory_name,
        accepted_by=contact.user,
        evidence={
            "contact": contact,
            "signatory_role": signatory_role.strip(),
            "ip_address": ip_address or None,
            "user_agent": (user_agent or "")[:500],
            "document_sha256": document_sha256,
        },
    )


@dataclass(frozen=True)
class ParsedEmail:
    sender: str
    sender_name: str
    date: datetime
    message_id: str
    subject: str


def parse_consent_email(data: bytes) -> ParsedEmail:
    """Sender, date, Message-ID and subject of an .eml file (RFC 5322), or a ValidationError
    naming what is missing. A date without a zone (``-0000``) is taken as UTC."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        sender_header = message["From"]
        date_header = message["Date"]
        message_id = str(message["Message-ID"] or "").strip()
        subject = str(message["Subject"] or "").strip()
        addresses = getattr(sender_header, "addresses", ()) if sender_header else ()
        sent = getattr(date_header, "datetime", None) if date_header else None
    except (ValueError, TypeError, IndexError) as exc:
        raise ValidationError({"eml": _("e-mail illisible : %(error)s") % {"error": exc}}) from None
    present = {
        _("expéditeur (From)"): addresses,
        _("date (Date)"): sent,
        "Message-ID": message_id,
    }
    missing = [label for label, value in present.items() if not value]
    if missing:
        raise ValidationError(
            {
                "eml": _("ce fichier n'est pas un e-mail complet : il manque %(missing)s")
                % {"missing": ", ".join(missing)}
            }
        )
    if timezone.is_naive(sent):
        sent = sent.replace(tzinfo=UTC)
    return ParsedEmail(
        sender=addresses[0].addr_spec,
        sender_name=addresses[0].display_name,
        date=sent,
        message_id=message_id[:300],
        subject=subject[:300],
    )


@transaction.atomic
def record_email_acceptance(
    *,
    quote: Quote,
    eml: File,
    by,
    signatory_name: str = "",
    signatory_role: str = "",
    now: datetime | None = None,
) -> AcceptedQuote:
    """Staff records the client's email of consent (art. 3: "par courrier électronique avec
    l'expression du consentement du client"), uploaded as an .eml. Its sender, Date and
    Message-ID are stored; the consent dates from the email's Date, which must fall within
    the quote's validity, after it was sent and not in the future. An email dated within the
    validity accepts the quote even when the expiry task has since marked it expired."""
    now = aware_now(now)
    quote = _locked(quote)
    parsed = parse_consent_email(b"".join(eml.chunks()))
    eml.seek(0)
    version = _acceptable(quote, parsed.date, evidence=domain.EMAIL_EVIDENCE)
    errors: dict[str, str] = {}
    name = signatory_name.strip() or parsed.sender_name or parsed.sender
    dated = f"{timezone.localtime(parsed.date):%d/%m/%Y %H:%M}"
    if parsed.date > now:
        errors["eml"] = _("l'e-mail est daté du %(date)s, dans le futur") % {"date": dated}
    elif quote.sent_at and parsed.date < quote.sent_at:
        errors["eml"] = _("l'e-mail est daté du %(date)s, avant l'envoi du devis le %(sent)s") % {
            "date": dated,
            "sent": f"{timezone.localtime(quote.sent_at):%d/%m/%Y %H:%M}",
        }
    if errors:
        raise ValidationError(errors)
    return _complete(
        quote=quote,
        version=version,
        by=by,
        at=parsed.date,
        method=QuoteAcceptanceMethod.EMAIL,
        terms_method=AcceptanceMethod.EMAIL_CONSENT,
        signatory_name=name,
        evidence_file=eml,
        evidence={
            "signatory_role": signatory_role.strip(),
            "email_from": parsed.sender[:300],
            "email_date": parsed.date,
            "email_message_id": parsed.message_id,
            "email_subject": parsed.subject,
        },
    )


@transaction.atomic
def record_postal_acceptance(
    *,
    quote: Quote,
    scan: File,
    signatory_name: str,
    signed_on: date,
    shows_bon_pour_accord: bool,
    shows_signature: bool,
    shows_date: bool,
    shows_stamp: bool,
    by,
    signatory_role: str = "",
    now: datetime | None = None,
) -> AcceptedQuote:
    """Staff records the signed copy returned by post (art. 3: "dûment signé et daté avec la
    mention « Bon pour Accord » ... ainsi que du cachet commercial s'il y a lieu"), scanned.
    Staff confirms what the scan shows; each mention missing refuses the acceptance, the
    company stamp only for a company. The copy must be signed (``signed_on``) within the
    quote's validity, even when it arrives later and the expiry task has since marked the
    quote expired; the consent counts from its receipt (``now``)."""
    now = aware_now(now)
    quote = _locked(quote)
    signed_at = datetime.combine(signed_on, time(0), tzinfo=_tz())
    version = _acceptable(quote, signed_at, evidence=domain.POSTAL_EVIDENCE)
    missing = domain.missing_postal_mentions(
        bon_pour_accord=shows_bon_pour_accord,
        signature=shows_signature,
        date=shows_date,
        stamp=shows_stamp,
        stamp_required=quote.client.kind == ClientKind.COMPANY,
    )
    if missing:
        raise IncompleteEvidence(
            domain.postal_refusal(
                missing, number=quote.display_number, terms_label=quote.terms_label
            ),
            missing,
        )
    errors = _signatory_errors(quote.client, signatory_name, signatory_role)
    today = timezone.localdate(now, timezone=_tz())
    sent_on = timezone.localdate(quote.sent_at, timezone=_tz())
    if signed_on > today:
        errors["signed_on"] = _("la date de signature ne peut pas être postérieure à aujourd'hui")
    elif signed_on < sent_on:
        errors["signed_on"] = _("la date de signature précède l'envoi du devis le %(date)s") % {
            "date": f"{sent_on:%d/%m/%Y}"
        }
    if not scan:
        errors["scan"] = _("joignez la copie numérisée de l'exemplaire signé")
    if errors:
        raise ValidationError(errors)
    return _complete(
        quote=quote,
        version=version,
        by=by,
        at=now,
        method=QuoteAcceptanceMethod.POSTAL,
        terms_method=AcceptanceMethod.POSTAL_SCAN,
        signatory_name=signatory_name,
        evidence_file=scan,
        evidence={
            "signatory_role": signatory_role.strip(),
            "signed_on": signed_on,
            "postal_checks": {
                "bon_pour_accord": shows_bon_pour_accord,
                "signature": shows_signature,
                "date": shows_date,
                "stamp": shows_stamp,
                "stamp_required": quote.client.kind == ClientKind.COMPANY,
            },
        },
    )
