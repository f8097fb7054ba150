"""Issuing an invoice: mandatory mentions, the number, the frozen document, the hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.audit.triggers import Trigger
from clausier.customers.models import Client
from clausier.invoicing import delivery, domain, facturx, selectors
from clausier.invoicing.document import Address, Deduction, InvoiceDocument, Party
from clausier.invoicing.events import DepositInvoiced, InvoiceIssued
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from clausier.invoicing.selectors import terms_for
from clausier.invoicing.services.support import (
    MissingMentions,
    ZeroTotal,
    invoice_series,
    locked_invoice,
    require_draft,
    write_rows,
)
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.legal import selectors as legal_selectors
from clausier.numbering.services import (
    Number,
    next_number,
)
from clausier.orders.models import Order
from clausier.rules import identifiers
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.wording import Words, words
from clausier.sellers.models import Seller
from clausier.terms.models import TermsStatus, TermsVersion
from clausier.terms.schemas import ClauseKind, parse_parameters

# --- issuing ----------------------------------------------------------------------------------

PAYMENT_DUE, LATE_PENALTY = ClauseKind.PAYMENT_DUE, ClauseKind.LATE_PENALTY
LATE_INDEMNITY, EARLY_DISCOUNT = ClauseKind.LATE_INDEMNITY, ClauseKind.PAYMENT_EARLY_DISCOUNT
PAYMENT_METHODS, ORDER_FLOW = ClauseKind.PAYMENT_METHODS, ClauseKind.ORDER_FLOW
DEPOSIT = ClauseKind.PAYMENT_DEPOSIT
CLAUSE_KINDS = (PAYMENT_DUE, LATE_PENALTY, LATE_INDEMNITY, EARLY_DISCOUNT, PAYMENT_METHODS)
CLAUSE_KINDS += (ORDER_FLOW, DEPOSIT)


# Published terms versions never change (terms.transitions): their parsed clauses are read
# once per process. Keyed by version id, the hash of its text and the instant it was
# published: an id a rolled-back transaction gave back (tests, SQLite) never names a version
# published earlier.
_PUBLISHED_CLAUSES: dict[tuple[Any, ...], dict[str, tuple[domain.ClauseSource, Any]]] = {}


def _clauses(version: TermsVersion | None) -> dict[str, tuple[domain.ClauseSource, Any]]:
    if version is None:
        return {}
    key = (version.pk, version.text_sha256, version.published_at)
    if version.status == TermsStatus.PUBLISHED and key in _PUBLISHED_CLAUSES:
        return _PUBLISHED_CLAUSES[key]
    found: dict[str, tuple[domain.ClauseSource, Any]] = {}
    for clause in version.clauses.filter(kind__in=CLAUSE_KINDS).order_by("position", "id"):
        if clause.kind in found:
            continue
        source = domain.ClauseSource(
            clause_id=clause.clause_id,
            kind=clause.kind,
            article=clause.article,
            title=clause.title,
            terms_label=version.label,
        )
        found[clause.kind] = (source, parse_parameters(clause.kind, clause.parameters))
    if version.status == TermsStatus.PUBLISHED:
        _PUBLISHED_CLAUSES[key] = found
    return found


def _einvoice(scheme: str, address: str, *, siren: str, email: str) -> dict[str, str]:
    """The party's electronic invoicing address (BT-34 / BT-49): the one configured, else
    its SIREN in the French directory (0225), else its e-mail address."""
    scheme, address = identifiers.electronic_address(
        scheme=scheme, value=address, siren=siren, email=email
    )
    return {"einvoice_scheme": scheme, "einvoice_address": address}


def _seller_party(seller: Seller) -> Party:
    return Party(
        name=seller.legal_name,
        address=Address(
            line1=seller.address_line1,
            line2=seller.address_line2,
            postal_code=seller.postal_code,
            city=seller.city,
            country=seller.country or "FR",
        ),
        legal_form=seller.legal_form,
        share_capital=seller.share_capital,
        siren=seller.siren,
        siret=seller.siret,
        rcs_city=seller.rcs_city,
        vat_number=seller.vat_number,
        email=seller.email_accounting or seller.email_sales,
        is_professional=True,
        **_einvoice(
            seller.einvoice_scheme,
            seller.einvoice_address,
            siren=seller.siren,
            email=seller.email_accounting or seller.email_sales,
        ),
    )


def _buyer_party(client: Client, order: Order | None) -> Party:
    # An online order's recap holds what the client declared for its invoice (art. 4).
    declared = (order.declared if order is not None else None) or {}

    def value(name: str) -> str:
        return str(declared.get(name) or getattr(client, name) or "")

    return Party(
        name=value("name"),
        address=Address(
            line1=value("billing_line1"),
            line2=value("billing_line2"),
            postal_code=value("billing_postal_code"),
            city=value("billing_city"),
            country=value("billing_country") or "FR",
        ),
        siren=value("siren"),
        vat_number=value("vat_number"),
        email=value("email"),
        is_professional=client.is_professional,
        **_einvoice(
            client.einvoice_scheme,
            client.einvoice_address,
            siren=value("siren"),
            email=value("email"),
        ),
    )


def _delivery_address(client: Client) -> Address | None:
    if not client.delivery_line1.strip():
        return None
    address = Address(
        line1=client.delivery_line1,
        line2=client.delivery_line2,
        postal_code=client.delivery_postal_code,
        city=client.delivery_city,
        country=client.delivery_country or "FR",
    )
    billing = (client.billing_line1, client.billing_postal_code, client.billing_city)
    if (address.line1, address.postal_code, address.city) == billing:
        return None
    return address


def _deductions(invoice: Invoice) -> tuple[Deduction, ...]:
    """The deposit invoices of the order, issued and not cancelled by a credit note."""
    deposits = (
        Invoice.objects.select_for_update()
        .filter(order_id=invoice.order_id, kind=InvoiceKind.DEPOSIT, status=InvoiceStatus.ISSUED)
        .order_by("issue_date", "sequence")
    )
    found = []
    for deposit in deposits:
        left = deposit.total_ttc - deposit.credited_amount
        if left > 0:
            found.append(
                Deduction(number=deposit.number, issue_date=deposit.issue_date, amount_ttc=left)
            )
    return tuple(found)


_UNREAD: Any = object()


def _facts(
    invoice: Invoice,
    *,
    issue_date: date,
    lines: Sequence[InvoiceLine],
    version: TermsVersion | None = _UNREAD,
    rate_table: Any = None,
) -> tuple[domain.InvoiceFacts, TermsVersion | None]:
    """Everything the document of ``invoice`` is computed from, and the terms it runs by.
    ``version`` (what :func:`terms_for` gives) and ``rate_table`` (the legal rates in
    force) when the caller read them already for several drafts."""
    seller, client, order = invoice.seller, invoice.client, invoice.order
    if version is _UNREAD:
        version = terms_for(invoice=invoice)
    clauses = _clauses(version)

    def source(kind: str) -> domain.ClauseSource | None:
        return clauses[kind][0] if kind in clauses else None

    def params(kind: str) -> Any:
        return clauses[kind][1] if kind in clauses else None

    payment_due = None
    if PAYMENT_DUE in clauses:
        p = params(PAYMENT_DUE)
        payment_due = domain.PaymentDue(
            n=p.n, unit=p.unit, start=p.from_, source=source(PAYMENT_DUE)
        )
    late_penalty = None
    if LATE_PENALTY in clauses:
        p = params(LATE_PENALTY)
        late_penalty = domain.LatePenalty(
            multiplier=p.multiplier,
            of=p.of,
            rate_date=p.rate_date,
            base=p.base,
            plus_points=p.plus_points,
            source=source(LATE_PENALTY),
        )
    early = None
    if EARLY_DISCOUNT in clauses:
        early = domain.EarlyDiscount(
            rate=params(EARLY_DISCOUNT).rate, source=source(EARLY_DISCOUNT)
        )
    methods = None
    if PAYMENT_METHODS in clauses:
        methods = domain.PaymentMethods(
            methods=tuple(params(PAYMENT_METHODS).methods), source=source(PAYMENT_METHODS)
        )
    prepayment = None
    if invoice.prepayment:
        paid = invoice.prepayment
        prepayment = domain.Prepayment(
            paid_on=date.fromisoformat(paid["paid_on"]),
            amount=Decimal(paid["amount"]),
            means=paid.get("means", ""),
            source=source(ORDER_FLOW),
        )
    deposit = None
    deposit_request = invoice.deposit_request
    if deposit_request is not None:
        deposit = domain.DepositBasis(
            rate=deposit_request.rate,
            base_ht=deposit_request.base_ht,
            amount=deposit_request.amount,
            source=domain.ClauseSource(
                clause_id=deposit_request.clause_id,
                kind=DEPOSIT,
                article=deposit_request.article,
                title=source(DEPOSIT).title if source(DEPOSIT) else "",
                terms_label=deposit_request.terms_label,
            ),
        )
    corrected = None
    service_date = invoice.service_date
    if invoice.corrects_id:
        corrected = domain.Corrected(
            number=invoice.corrects.number, issue_date=invoice.corrects.issue_date
        )
        # A credit note corrects the service of the invoice it corrects.
        service_date = (
            service_date or invoice.corrects.document.service_date or invoice.corrects.issue_date
        )
    notes: list[str | Words] = [line.strip() for line in invoice.notes.splitlines() if line.strip()]
    if invoice.reason.strip():
        notes.insert(0, words("Motif de l'avoir : {reason}", reason=invoice.reason.strip()))
    quote = invoice.quote or (order.quote if order is not None else None)
    return domain.InvoiceFacts(
        kind=invoice.kind,
        issue_date=issue_date,
        seller=_seller_party(seller),
        buyer=_buyer_party(client, order),
        client_kind=client.kind,
        seller_regime=seller.vat_regime,
        lines=tuple(line.facts() for line in lines),
        terms_label=version.label if version else "",
        payment_due=payment_due,
        late_penalty=late_penalty,
        indemnity=source(LATE_INDEMNITY),
        early_discount=early,
        payment_methods=methods,
        prepayment=prepayment,
        deposit=deposit,
        deductions=_deductions(invoice) if invoice.kind == InvoiceKind.FINAL else (),
        corrected=corrected,
        delivery_address=_delivery_address(client),
        service_date=service_date,
        # The option for VAT on debits is the seller's (CGI 269-2 c); the sellers app has no
        # field for it yet, so it is read when there is one.
        vat_on_debits=bool(getattr(seller, "vat_on_debits", False)),
        iban=seller.iban,
        bic=seller.bic,
        order_reference=order.reference if order is not None else "",
        quote_reference=quote.display_number if quote is not None else "",
        notes=tuple(notes),
        calendar=FrenchCalendar(),
        # The packaged table with the periods staff added (legal app): one query.
        rate_table=rate_table if rate_table is not None else legal_selectors.legal_rate_table(),
    ), version


@dataclass
class ReadyInvoice:
    """A locked draft whose document is computed and checked, waiting for its number."""

    invoice: Invoice
    lines: list[InvoiceLine]
    facts: domain.InvoiceFacts
    version: TermsVersion | None
    prepared: domain.Prepared
    corrected: Invoice | None
    # The document with a slot for its number, its snapshot and its validated XML, and the
    # arithmetic behind its figures: all made before the series lock.
    document: InvoiceDocument
    unnumbered: domain.Unnumbered
    explanations: dict[str, Any]


def ready_to_issue(
    *, invoice: Invoice, issue_date: date, lines: list[InvoiceLine], **known
) -> ReadyInvoice:
    """Check every mandatory mention of the locked draft ``invoice`` and compute its
    document (:class:`MissingMentions`, :class:`domain.InvoiceRuleError`, :class:`Conflict`
    for a credit note above what remains creditable). Reads, writes nothing. ``known``: what
    a billing run already read for several drafts (see :func:`_facts`)."""
    facts, version = _facts(invoice, issue_date=issue_date, lines=lines, **known)
    regime = domain.vat_regime(
        seller_regime=facts.seller_regime,
        buyer_country=facts.buyer.address.country,
        buyer_is_professional=facts.buyer.is_professional,
        buyer_vat_number=facts.buyer.vat_number,
        kind=facts.kind,
    )
    missing = domain.missing_mentions(facts, regime)
    if missing:
        raise MissingMentions(f"{invoice} ({invoice.client})", missing)
    prepared = domain.prepare(facts)

    corrected = None
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        corrected = Invoice.objects.select_for_update().get(pk=invoice.corrects_id)
        if corrected.status != InvoiceStatus.ISSUED or corrected.is_credit_note:
            raise Conflict(_("Un avoir corrige une facture émise."))
        remaining = selectors.creditable(invoice=corrected)
        excess = domain.credit_excess(remaining=remaining, note=prepared.totals)
        if excess:
            raise Conflict(
                _("Avoir refusé sur %(invoice)s : %(why)s.")
                % {"invoice": corrected.number, "why": excess}
            )
    # Everything but the number, before the series lock: the snapshot and the Factur-X XML
    # (FacturXInvalid names the broken rule), with a slot the number is written into.
    slot = domain.number_slot()
    document = prepared.document(number=slot)
    unnumbered = domain.Unnumbered.of(document, slot=slot, xml=facturx.check_document(document))
    return ReadyInvoice(
        invoice,
        lines,
        facts,
        version,
        prepared,
        corrected,
        document,
        unnumbered,
        prepared.explanations(),
    )


def hash_before(*, seller: Seller, series: str, issue_date: date, sequence: int) -> str:
    """The chained hash of the document of rank ``sequence - 1`` of the series ("" for the
    first), checking the series is whole and chronological. Under the counter lock."""
    if sequence <= 1:
        return ""
    previous = (
        Invoice.objects.filter(
            seller=seller,
            series=series,
            year=issue_date.year,
            sequence=sequence - 1,
            status=InvoiceStatus.ISSUED,
        )
        .values("number", "issue_date", "chain_hash")
        .first()
    )
    if previous is None:
        raise DomainError(
            _(
                "Série %(series)s %(year)s interrompue : le document de rang %(rank)s est "
                "introuvable ; lancez « clausier verify_ledger »."
            )
            % {"series": series, "year": issue_date.year, "rank": sequence - 1}
        )
    if previous["issue_date"] > issue_date:
        raise DomainError(
            _(
                "La numérotation est chronologique : %(previous)s est datée du %(date)s, "
                "une facture du %(today)s ne peut pas la suivre."
            )
            % {
                "previous": previous["number"],
                "date": f"{previous['issue_date']:%d/%m/%Y}",
                "today": f"{issue_date:%d/%m/%Y}",
            }
        )
    return previous["chain_hash"]


ISSUED_FIELDS = (
    "status",
    "terms_version",
    "terms_label",
    "vat_regime",
    "series",
    "year",
    "sequence",
    "number",
    "issue_date",
    "due_date",
    "total_ht",
    "total_vat",
    "total_ttc",
    "prepaid_amount",
    "amount_due",
    "snapshot",
    "explanations",
    "content_hash",
    "previous_hash",
    "chain_hash",
    "issued_at",
    "issued_by",
    "issue_blocked_reason",
    "updated_at",
)


def freeze_invoice(
    *,
    ready: ReadyInvoice,
    series: str,
    number: Number,
    previous_hash: str,
    issue_date: date,
    now: datetime,
    by: Actor,
    recipients: list[str] | None = None,
) -> tuple[list[str], list[InvoiceLine], dict[str, Any]]:
    """Number, freeze, hash and chain the document of ``ready`` and run :func:`after_issue`
    (its Factur-X XML stored, its email queued) on the instance, unsaved. Returns the
    fields to save, the lines whose amount changed, and the audit ``after``. Under the
    series lock: the document, its snapshot and its XML were made and checked before, the
    number is only written in."""
    invoice, prepared, version, document = (
        ready.invoice,
        ready.prepared,
        ready.version,
        ready.document,
    )
    numbered = ready.unnumbered.numbered(number.label)
    snapshot, content = numbered.snapshot, numbered.content_hash

    changed = []
    for line, document_line in zip(ready.lines, document.lines, strict=True):
        if line.amount_ht != document_line.total_ht:  # kept current on drafts: rarely
            line.amount_ht = document_line.total_ht
            changed.append(line)

    invoice.status = InvoiceStatus.ISSUED
    invoice.terms_version = version
    invoice.terms_label = version.label if version else ""
    invoice.vat_regime = prepared.regime.value
    invoice.series = series
    invoice.year = issue_date.year
    invoice.sequence = number.sequence
    invoice.number = number.label
    invoice.issue_date = issue_date
    invoice.due_date = document.due_date
    invoice.total_ht = document.total_ht
    invoice.total_vat = document.total_vat
    invoice.total_ttc = document.total_ttc
    invoice.prepaid_amount = document.prepaid_amount
    invoice.amount_due = document.amount_due
    invoice.snapshot = snapshot
    invoice.explanations = ready.explanations
    invoice.content_hash = content
    invoice.previous_hash = previous_hash
    invoice.chain_hash = domain.chain_hash(previous_hash=previous_hash, content_hash=content)
    invoice.issued_at = now
    invoice.issued_by = acting_user(by=by)
    invoice.issue_blocked_reason = ""
    fields = list(ISSUED_FIELDS)
    if ready.facts.prepayment is not None:
        invoice.amount_paid = ready.facts.prepayment.amount
        invoice.paid_on = ready.facts.prepayment.paid_on
        fields += ["amount_paid", "paid_on"]
    fields += after_issue(invoice=invoice, xml=numbered.xml, recipients=recipients)
    after = {
        "status": InvoiceStatus.ISSUED,
        "kind": invoice.kind,
        "number": invoice.number,
        "issue_date": issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "total_ttc": str(invoice.total_ttc),
        "amount_due": str(invoice.amount_due),
        "terms": invoice.terms_label,
        "content_hash": content,
        "corrects": ready.corrected.number if ready.corrected is not None else None,
    }
    return fields, changed, after


@transaction.atomic
def issue_invoice(
    *,
    invoice: Invoice,
    by: Actor,
    now: datetime | None = None,
    confirm_zero: bool = True,
    trigger: Trigger | None = None,
) -> Invoice:
    """Issue a draft: in one transaction, check every mandatory mention (a
    :class:`MissingMentions` error names each missing field), compute the document
    (totals, due date, penalties; :class:`domain.InvoiceRuleError` when it cannot be), take
    the next number of the seller's series, freeze the :class:`InvoiceDocument` as
    ``snapshot``, hash it (``content_hash``) and chain it to the previous document of the
    series (``previous_hash``, ``chain_hash``), then run :func:`after_issue`.

    The date of the document is the day of ``now`` in Paris; it may not precede the last
    document of the series (numbers are chronological). A refused issue writes nothing and
    consumes no number. An invoice of 0,00 € is refused (:class:`ZeroTotal`) unless
    ``confirm_zero``: the screens and the API pass what the person confirmed, the automatic
    issues (deposits, paid orders) keep the default. ``trigger`` is the fact an automatic
    issue answers (the online payment...), which the trail's sentence states.
    """
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    require_draft(invoice=invoice)
    issue_date = timezone.localdate(now)
    lines = list(invoice.lines.order_by("position", "id"))
    ready = ready_to_issue(invoice=invoice, issue_date=issue_date, lines=lines)
    if not confirm_zero and not invoice.is_credit_note and ready.document.total_ttc == 0:
        raise ZeroTotal(
            _(
                "Le total de cette facture est de 0,00 € : confirmez que vous voulez l'émettre "
                "ainsi (une facture émise ne s'annule que par un avoir)."
            )
        )

    # From here the counter row is locked until commit: keep the work short.
    series, prefix = invoice_series(seller=invoice.seller, kind=invoice.kind)
    number = next_number(seller=invoice.seller, series=series, year=issue_date.year, prefix=prefix)
    previous_hash = hash_before(
        seller=invoice.seller, series=series, issue_date=issue_date, sequence=number.sequence
    )
    fields, changed, after = freeze_invoice(
        ready=ready,
        series=series,
        number=number,
        previous_hash=previous_hash,
        issue_date=issue_date,
        now=now,
        by=by,
    )
    if changed:
        write_rows(model=InvoiceLine, rows=changed, fields=["amount_ht"])
    # The row was read select_for_update as a draft above: the guard need not read it again.
    invoice.save(update_fields=fields, locked_draft=True)

    corrected = ready.corrected
    if corrected is not None:
        corrected.credited_amount += invoice.total_ttc
        corrected.save(update_fields=["credited_amount", "updated_at"])
    record_on(
        obj=invoice,
        actor=by,
        verb="invoice.issued",
        before={"status": InvoiceStatus.DRAFT},
        after=after,
        trigger=trigger,
    )
    announce_issued(invoice=invoice, by=by, now=now, trigger=trigger)
    delivery.enqueue_after_commit(invoice)
    return invoice


def after_issue(*, invoice: Invoice, xml: bytes, recipients: list[str] | None = None) -> list[str]:
    """What follows the issue of ``invoice``: called by :func:`issue_invoice` (and the
    billing run, :func:`issue_invoices`) inside the issuing transaction, once the document
    is numbered, frozen and chained, while the series counter is locked (keep it short:
    every issuer of the series waits). It sets fields on the instance and returns their
    names: the caller saves them with the issue, in one UPDATE.

    ``delivery.issue_outputs`` does:

    1. Factur-X: ``xml``, written from the frozen document (never the live rows) and
       validated before the number was taken (an invalid document raised
       :class:`~clausier.invoicing.facturx.FacturXInvalid` naming the broken rule and took
       no number), is stored with its SHA-256.
    2. The email queued (``email_status`` ``queued``, ``email_to`` the client's billing
       contacts, or ``recipients`` when the caller read them already). After the commit,
       the delivery task (``tasks.deliver_invoice``, queued by the caller) prints the PDF
       once (``delivery.ensure_pdf``, out of the series lock) and emails it, retried with
       growing waits.
    """
    return delivery.issue_outputs(invoice=invoice, xml=xml, to=recipients)


def announce_issued(
    *, invoice: Invoice, by: Actor, now: datetime, trigger: Trigger | None = None
) -> None:
    publish(
        InvoiceIssued(
            invoice_id=invoice.pk,
            seller_id=invoice.seller_id,
            number=invoice.number,
            kind=invoice.kind,
            at=now,
            by=by,
            order_id=invoice.order_id,
            corrects_id=invoice.corrects_id,
            trigger=str(trigger) if trigger is not None else "",
        )
    )
    if invoice.kind == InvoiceKind.DEPOSIT and invoice.deposit_request_id:
        # The order's deposit request moves to "invoiced" (orders answers, in this transaction).
        publish(
            DepositInvoiced(
                invoice_id=invoice.pk,
                deposit_request_id=invoice.deposit_request_id,
                seller_id=invoice.seller_id,
                number=invoice.number,
                at=now,
                by=by,
            )
        )
