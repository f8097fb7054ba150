"""Reads of bank statements and their lines, each scoped to a seller, and the seller's open
invoices as the matching takes them (:class:`~clausier.payments.bank.matching.OpenInvoice`)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.payments import selectors
from clausier.payments import statement_transitions as st
from clausier.payments.bank.matching import OpenInvoice
from clausier.payments.models import Allocation
from clausier.payments.statement_models import BankCsvMapping, BankStatement, BankStatementLine
from clausier.rules.creditor_reference import creditor_reference
from clausier.rules.identifiers import compact_identifier
from clausier.rules.money import ZERO

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def open_invoices(*, seller) -> QuerySet[Invoice]:
    """The seller's issued invoices (credit notes aside) that allocations have not covered
    yet, with ``allocated`` (what payments already pay of each)."""
    allocated = Coalesce(
        Subquery(
            Allocation.objects.filter(invoice=OuterRef("pk"))
            .values("invoice")
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=_MONEY,
        ),
        Value(ZERO, output_field=_MONEY),
    )
    return (
        Invoice.objects.filter(seller=seller, status=InvoiceStatus.ISSUED)
        .exclude(kind=InvoiceKind.CREDIT_NOTE)
        .annotate(allocated=allocated)
        .filter(Q(allocated__lt=F("amount_due") - F("credited_amount")) | ~Q(prepayment={}))
        .select_related("client")
        .order_by("issue_date", "id")
    )


def client_ibans(*, seller) -> dict[int, frozenset[str]]:
    """The accounts each client of ``seller`` paid from: the payer's IBAN of the statement
    lines already recorded as that client's payments."""
    found: dict[int, set[str]] = {}
    rows = (
        BankStatementLine.objects.filter(seller=seller, payment__isnull=False)
        .exclude(counterparty_iban="")
        .values_list("payment__client_id", "counterparty_iban")
        .distinct()
    )
    for client_id, iban in rows:
        found.setdefault(client_id, set()).add(compact_identifier(iban))
    return {client_id: frozenset(ibans) for client_id, ibans in found.items()}


def open_invoices_for_matching(*, seller) -> list[OpenInvoice]:
    """The seller's open invoices as the matching reads them: number, client, balance due,
    structured reference (ISO 11649, as printed on the invoice) and the client's accounts."""
    ibans = client_ibans(seller=seller)
    out = []
    for invoice in open_invoices(seller=seller):
        left = selectors.payable(invoice=invoice) - invoice.credited_amount - invoice.allocated
        if left <= 0:
            continue
        out.append(
            OpenInvoice(
                id=invoice.pk,
                number=invoice.number,
                client_id=invoice.client_id,
                balance_due=max(left, ZERO),
                structured_reference=creditor_reference(invoice.number),
                client_ibans=ibans.get(invoice.client_id, frozenset()),
            )
        )
    return out


def statement_list(*, seller) -> QuerySet[BankStatement]:
    return (
        BankStatement.objects.filter(seller=seller)
        .defer("content")
        .select_related("imported_by")
        .order_by("-created_at", "-id")
    )


def statement_for_seller(*, seller, statement_id: int) -> BankStatement:
    return get_object_or_404(BankStatement.objects.filter(seller=seller), pk=statement_id)


def lines_of_statement(*, statement: BankStatement) -> QuerySet[BankStatementLine]:
    return BankStatementLine.objects.filter(statement=statement).select_related(
        "payment", "payment__client"
    )


def line_for_seller(*, seller, line_id: int) -> BankStatementLine:
    return get_object_or_404(
        BankStatementLine.objects.filter(seller=seller).select_related("statement"), pk=line_id
    )


def lines_to_review(*, seller) -> QuerySet[BankStatementLine]:
    return (
        BankStatementLine.objects.filter(seller=seller, state=st.TO_REVIEW)
        .select_related("statement")
        .order_by("booking_date", "id")
    )


def state_counts(*, statement: BankStatement) -> dict[str, int]:
    rows = (
        BankStatementLine.objects.filter(statement=statement)
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return dict(rows)


def mappings(*, seller) -> QuerySet[BankCsvMapping]:
    return BankCsvMapping.objects.filter(seller=seller)


def mapping_named(*, seller, bank: str) -> BankCsvMapping | None:
    return BankCsvMapping.objects.filter(seller=seller, bank=bank).first()


def mapping_for_seller(*, seller, mapping_id: int) -> BankCsvMapping:
    return get_object_or_404(BankCsvMapping.objects.filter(seller=seller), pk=mapping_id)


def line_total(lines) -> Decimal:
    return sum((line.amount for line in lines), ZERO)
