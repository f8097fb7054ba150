"""Reads of invoices: the ledger walk (every chain of every seller) and scoped lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, QuerySet
from django.http import Http404

from clausier.customers.models import Client
from clausier.invoicing import domain
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.sellers.models import Seller


@dataclass(frozen=True, slots=True)
class Chain:
    """One hash chain: a seller's series for one year, and how many documents it holds."""

    seller_id: int
    seller: str
    series: str
    year: int
    documents: int


def ledger_chains(*, seller: Seller | None = None) -> list[Chain]:
    """Every chain of issued documents (one per seller, series and year), in order."""
    rows = Invoice.objects.filter(status=InvoiceStatus.ISSUED)
    if seller is not None:
        rows = rows.filter(seller=seller)
    counted = (
        rows.values("seller_id", "seller__slug", "series", "year")
        .annotate(documents=Count("id"))
        .order_by("seller__slug", "series", "year")
    )
    return [
        Chain(
            seller_id=row["seller_id"],
            seller=row["seller__slug"],
            series=row["series"],
            year=row["year"],
            documents=row["documents"],
        )
        for row in counted
    ]


def ledger_rows(chain: Chain, *, chunk_size: int = 500) -> Iterator[domain.LedgerRow]:
    """The documents of ``chain`` in sequence order, streamed (a chain may be long)."""
    rows = (
        Invoice.objects.filter(
            seller_id=chain.seller_id,
            series=chain.series,
            year=chain.year,
            status=InvoiceStatus.ISSUED,
        )
        .order_by("sequence", "id")
        .values_list(
            "number",
            "sequence",
            "issue_date",
            "total_ttc",
            "snapshot",
            "content_hash",
            "previous_hash",
            "chain_hash",
        )
    )
    # On PostgreSQL the iterator is a server-side cursor: closing this generator (a walk that
    # stops at a broken link) closes it at once, inside the transaction that opened it.
    stream = rows.iterator(chunk_size=chunk_size)
    try:
        for values in stream:
            yield domain.LedgerRow(*values)
    finally:
        stream.close()


def invoices_for_seller(*, seller: Seller) -> QuerySet[Invoice]:
    return Invoice.objects.filter(seller=seller).select_related("client")


def invoice_for_seller(*, seller: Seller, invoice_id: int) -> Invoice:
    """One of ``seller``'s invoices or credit notes (drafts too); another seller's is a 404."""
    invoice = invoices_for_seller(seller=seller).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice


def credit_notes_of(*, invoice: Invoice) -> QuerySet[Invoice]:
    """The credit notes issued on ``invoice``, in their series' order."""
    return Invoice.objects.filter(
        corrects=invoice, kind=InvoiceKind.CREDIT_NOTE, status=InvoiceStatus.ISSUED
    ).order_by("sequence", "id")


def creditable(*, invoice: Invoice) -> domain.Creditable | None:
    """What an issued invoice can still be credited (None for a draft or a credit note)."""
    if not invoice.is_issued or invoice.is_credit_note:
        return None
    notes = [note.document for note in credit_notes_of(invoice=invoice)]
    return domain.creditable(invoice=invoice.document, credit_notes=notes)


def overdue(invoices: QuerySet[Invoice], *, today: date) -> QuerySet[Invoice]:
    """The issued documents of ``invoices`` that are ``late`` on ``today``, in SQL what
    :func:`domain.payment_status` decides: past their due date, neither cancelled whole by
    credit notes nor covered by payments and credit notes."""
    return (
        invoices.filter(status=InvoiceStatus.ISSUED, due_date__lt=today)
        .exclude(total_ttc__gt=0, credited_amount__gte=F("total_ttc"))
        .filter(amount_due__gt=F("amount_paid") + F("credited_amount"))
    )


def invoices_for_client(*, client: Client) -> QuerySet[Invoice]:
    """What a client sees: its issued documents only, never drafts."""
    return Invoice.objects.filter(client=client, status=InvoiceStatus.ISSUED)
