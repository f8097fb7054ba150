"""Reads of invoices: the ledger walk (every chain of every seller) and scoped lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from clausier.customers.models import Client
from clausier.invoicing import domain
from clausier.invoicing.models import Invoice, InvoiceStatus
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


def invoices_for_client(*, client: Client) -> QuerySet[Invoice]:
    """What a client sees: its issued documents only, never drafts."""
    return Invoice.objects.filter(client=client, status=InvoiceStatus.ISSUED)
