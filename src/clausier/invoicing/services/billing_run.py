"""The billing run: many drafts issued in chunks, and the resending of an issued invoice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import new_event, record_events, record_on
from clausier.customers.models import Client
from clausier.invoicing import delivery
from clausier.invoicing import transitions as t
from clausier.invoicing.models import (
    DeliveryStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from clausier.invoicing.services.issue import (
    ReadyInvoice,
    announce_issued,
    freeze_invoice,
    hash_before,
    ready_to_issue,
    terms_for,
)
from clausier.invoicing.services.support import (
    invoice_series,
    keep_waiting,
    locked_invoice,
    write_rows,
)
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.legal import selectors as legal_selectors
from clausier.numbering.services import (
    Number,
    format_number,
    lock_series,
    next_numbers,
)
from clausier.sellers.models import Seller
from clausier.terms.models import TermsVersion

# --- billing run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillingRun:
    """What :func:`issue_invoices` did: the documents issued, in number order, and the
    drafts it left waiting with their reason (``issue_blocked_reason``)."""

    issued: list[Invoice]
    blocked: list[Invoice]


def billing_run_drafts(*, seller: Seller):
    """The drafts a billing run of ``seller`` issues: its standard invoices not issued yet,
    oldest first (credit notes, deposit and final invoices are issued one by one)."""
    return Invoice.objects.filter(
        seller=seller, status=InvoiceStatus.DRAFT, kind=InvoiceKind.STANDARD
    ).order_by("created_at", "id")


def issue_invoices(
    *,
    invoices: Sequence[Invoice],
    by: Actor,
    now: datetime | None = None,
    chunk: int = 200,
    progress: Any = None,
) -> BillingRun:
    """Issue many standard drafts of one seller (a billing run), in the order given, by
    chunks of ``chunk``: each chunk is one transaction that locks its drafts and the series
    counter once, then checks, computes, numbers, freezes, hashes and chains each document
    exactly as :func:`issue_invoice` does (the same functions), validates and stores its
    Factur-X XML, and writes the chunk in bulk (one UPDATE of the invoices, one INSERT of
    the audit events).

    A draft that cannot be issued (a mandatory mention missing, an invalid Factur-X...) stays
    a draft with its reason (``issue_blocked_reason``, audited as ``invoice.issue_deferred``
    when the reason changed) and takes no number: the numbers go, in order, to the documents
    that passed, so the series keeps no gap. Idempotent and resumable: a document already
    issued is skipped, each chunk commits on its own. ``progress(done, total)`` is called
    after each chunk. ``ValueError`` for drafts of several sellers or of another kind.
    """
    now = aware_now(now)
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    ids = list(dict.fromkeys(invoice.pk for invoice in invoices))
    issued: list[Invoice] = []
    blocked: list[Invoice] = []
    memo = RunMemo()
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            done, left = issue_chunk(ids=ids[start : start + chunk], by=by, now=now, memo=memo)
        issued += done
        blocked += left
        if progress is not None:
            progress(min(start + chunk, len(ids)), len(ids))
    return BillingRun(issued=issued, blocked=blocked)


@dataclass
class RunMemo:
    """What a billing run reads once per client and keeps for all its chunks (its date is
    one day): the terms a client runs by (for a draft with no order and no terms of its
    own), the terms versions read by id, and each client's billing contacts."""

    versions: dict[int, TermsVersion | None] = field(default_factory=dict)
    by_id: dict[int, TermsVersion | None] = field(default_factory=dict)
    contacts: dict[int, list[str]] = field(default_factory=dict)

    def version(self, draft: Invoice) -> TermsVersion | None:
        if draft.terms_version_id:  # a version never changes once published: read once
            if draft.terms_version_id not in self.by_id:
                self.by_id[draft.terms_version_id] = terms_for(invoice=draft)
            return self.by_id[draft.terms_version_id]
        if draft.order_id or draft.corrects_id:
            return terms_for(invoice=draft)
        if draft.client_id not in self.versions:
            self.versions[draft.client_id] = terms_for(invoice=draft)
        return self.versions[draft.client_id]

    def recipients(self, client: Client) -> list[str]:
        if client.pk not in self.contacts:
            self.contacts[client.pk] = delivery.recipients(client)
        return self.contacts[client.pk]


def issue_chunk(
    *, ids: list[int], by: Actor, now: datetime, memo: RunMemo
) -> tuple[list[Invoice], list[Invoice]]:
    """One chunk of a billing run (see :func:`issue_invoices`), in the caller's transaction:
    the documents issued, in number order, and the drafts left waiting."""
    order = {pk: position for position, pk in enumerate(ids)}
    drafts = sorted(
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .filter(pk__in=ids, status=InvoiceStatus.DRAFT),
        key=lambda invoice: order[invoice.pk],
    )
    if not drafts:
        return [], []
    sellers = {draft.seller_id for draft in drafts}
    if len(sellers) > 1:
        raise ValueError("a billing run issues the drafts of one seller")
    others = [str(draft) for draft in drafts if draft.kind != InvoiceKind.STANDARD]
    if others:
        raise ValueError(f"a billing run issues standard invoices only, not {others[:3]}")
    seller = drafts[0].seller
    issue_date = timezone.localdate(now)
    lines: dict[int, list[InvoiceLine]] = defaultdict(list)
    for line in InvoiceLine.objects.filter(invoice_id__in=[d.pk for d in drafts]).order_by(
        "invoice_id", "position", "id"
    ):
        lines[line.invoice_id].append(line)
    rate_table = legal_selectors.legal_rate_table()

    ready: list[ReadyInvoice] = []
    reasons: dict[int, str] = {}
    for draft in drafts:
        try:
            ready.append(
                ready_to_issue(
                    invoice=draft,
                    issue_date=issue_date,
                    lines=lines[draft.pk],
                    version=memo.version(draft),
                    rate_table=rate_table,
                )
            )
        except DomainError as exc:
            reasons[draft.pk] = str(exc)

    issued: list[Invoice] = []
    changed_lines: list[InvoiceLine] = []
    fields: dict[str, None] = {}
    events = []
    if ready:
        # From here the counter row is locked until commit: every issuer of the series waits.
        series, prefix = invoice_series(seller=seller, kind=InvoiceKind.STANDARD)
        last = lock_series(seller=seller, series=series, year=issue_date.year)
        previous_hash = hash_before(
            seller=seller, series=series, issue_date=issue_date, sequence=last + 1
        )
        for item in ready:
            sequence = last + len(issued) + 1
            number = Number(
                sequence=sequence,
                label=format_number(prefix=prefix, year=issue_date.year, sequence=sequence),
            )
            saved, changed, after = freeze_invoice(
                ready=item,
                series=series,
                number=number,
                previous_hash=previous_hash,
                issue_date=issue_date,
                now=now,
                by=by,
                recipients=memo.recipients(item.invoice.client),
            )
            issued.append(item.invoice)
            changed_lines += changed
            fields.update(dict.fromkeys(saved))
            previous_hash = item.invoice.chain_hash
            events.append(
                new_event(
                    actor=by,
                    seller=seller,
                    obj=item.invoice,
                    verb="invoice.issued",
                    before={"status": InvoiceStatus.DRAFT},
                    after=after,
                )
            )
        if issued:
            taken = next_numbers(
                seller=seller, series=series, year=issue_date.year, prefix=prefix, count=len(issued)
            )
            if [n.sequence for n in taken] != [i.sequence for i in issued]:
                raise DomainError(  # cannot happen while the counter row is locked
                    _("Série %(series)s %(year)s : compteur déplacé pendant l'émission.")
                    % {"series": series, "year": issue_date.year}
                )
            if changed_lines:
                write_rows(model=InvoiceLine, rows=changed_lines, fields=["amount_ht"])
            write_rows(
                model=Invoice, rows=issued, fields=list(fields), only_status=InvoiceStatus.DRAFT
            )

    blocked = _keep_waiting(drafts, reasons, by=by, events=events)
    record_events(events=events)
    for invoice in issued:
        announce_issued(invoice=invoice, by=by, now=now)
    delivery.enqueue_many_after_commit(issued)
    return issued, blocked


def _keep_waiting(
    drafts: list[Invoice], reasons: dict[int, str], *, by, events: list
) -> list[Invoice]:
    """The drafts of ``reasons`` with their reason stored (and audited) when it changed."""
    if not reasons:
        return []
    waiting = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_related("seller", "client").filter(
            pk__in=list(reasons)
        )
    }
    blocked = []
    for draft in drafts:
        if draft.pk not in reasons:
            continue
        invoice, reason = waiting[draft.pk], reasons[draft.pk]
        if invoice.issue_blocked_reason != reason:
            events.append(
                keep_waiting(
                    invoice=invoice,
                    reason=reason,
                    note=_("facturation groupée : brouillon à compléter puis émettre"),
                    by=by,
                )
            )
        blocked.append(invoice)
    return blocked


@transaction.atomic
def resend_invoice(
    *, invoice: Invoice, by: Actor, to: Sequence[str] | None = None, now: datetime | None = None
) -> Invoice:
    """Send an issued document by email again ("Renvoyer"), to ``to`` or, by default, to
    the client's billing contacts of today: the email is queued and due at once, with a
    fresh retry schedule; the same stored PDF is attached. Refused (:class:`Conflict`) for
    a draft and while an attempt is in flight (it could not be told from this one)."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    if invoice.status != InvoiceStatus.ISSUED:
        raise Conflict(_("Seul un document émis s'envoie par e-mail."))
    t.check_delivery(label=str(invoice), current=invoice.email_status, target=t.QUEUED)
    if to is None:
        recipients = delivery.recipients(invoice.client)
    else:
        if isinstance(to, str) or not isinstance(to, Sequence):
            raise ValidationError({"to": _("une liste d'adresses e-mail est attendue")})
        recipients = []
        for address in to:
            address = str(address).strip()
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"to": _("adresse e-mail invalide : %(address)s") % {"address": address}}
                ) from None
            if address.lower() not in {r.lower() for r in recipients}:
                recipients.append(address)
    if not recipients:
        raise ValidationError({"to": _("indiquez au moins une adresse e-mail")})
    if delivery.in_flight(invoice, now=now):
        raise Conflict(
            _("%(invoice)s est en cours d'envoi : réessayez dans quelques minutes.")
            % {"invoice": invoice.number}
        )
    before = {
        "email_status": invoice.email_status,
        "email_to": invoice.email_to,
        "email_attempts": invoice.email_attempts,
    }
    invoice.email_status = DeliveryStatus.QUEUED
    invoice.email_to = recipients
    invoice.email_attempts = 0
    invoice.email_next_attempt_at = None
    invoice.save(
        update_fields=[
            "email_status",
            "email_to",
            "email_attempts",
            "email_next_attempt_at",
            "updated_at",
        ]
    )
    record_on(
        obj=invoice,
        actor=by,
        verb="invoice.resend_requested",
        before=before,
        after={
            "email_status": invoice.email_status,
            "email_to": recipients,
            "email_attempts": 0,
            "next_attempt_at": None,
        },
    )
    delivery.enqueue_after_commit(invoice)
    return invoice
