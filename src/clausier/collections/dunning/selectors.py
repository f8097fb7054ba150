"""Reads of dunning, each scoped to a seller: the invoices the plan looks at on a day, the
queue, the notices and formal notices."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clausier.collections.dunning.plan import DEFAULT_PLAN, PlanStep
from clausier.collections.dunning_models import (
    DunningNotice,
    DunningPlan,
    FormalNotice,
    NoticeStatus,
    StepKind,
)
from clausier.collections.selectors import LATE_KINDS
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.models import Invoice, InvoiceStatus
from clausier.sellers.models import Seller


def plan_steps(*, seller: Seller) -> list[PlanStep]:
    """The steps of ``seller``'s plan (the default plan while it has none)."""
    plan = DunningPlan.objects.filter(seller=seller).first()
    if plan is None:
        return list(DEFAULT_PLAN)
    return [PlanStep(step.offset_days, step.kind) for step in plan.steps.all() if step.enabled]


def plan_of(*, seller: Seller) -> DunningPlan | None:
    """``seller``'s dunning plan with its steps (None while it has none: the default applies
    and is created on the first change)."""
    return DunningPlan.objects.filter(seller=seller).prefetch_related("steps").first()


def open_invoices(*, seller: Seller, on: date, earliest_offset: int) -> QuerySet[Invoice]:
    """``seller``'s issued invoices with something still to pay on ``on`` whose first step
    (``earliest_offset`` days from the due date) has come, annotated ``outstanding``."""
    rows = invoice_selectors.invoices_for_seller(seller=seller).filter(
        status=InvoiceStatus.ISSUED,
        kind__in=LATE_KINDS,
        due_date__lte=on - timedelta(days=earliest_offset),
    )
    return (
        invoice_selectors.with_balance(rows, today=on)
        .filter(outstanding__gt=0)
        .select_related("seller", "client")
        .order_by("due_date", "id")
    )


def done_offsets(*, invoices: list[Invoice]) -> dict[int, set[int]]:
    """For each invoice, the offsets of the steps already queued, sent or skipped."""
    done: dict[int, set[int]] = {}
    rows = DunningNotice.objects.filter(invoice__in=invoices).values_list(
        "invoice_id", "step__offset_days"
    )
    for invoice_id, offset in rows:
        done.setdefault(invoice_id, set()).add(offset)
    return done


def notices(*, seller: Seller, status: str | None = NoticeStatus.QUEUED) -> QuerySet[DunningNotice]:
    rows = DunningNotice.objects.filter(seller=seller).select_related(
        "invoice", "invoice__client", "invoice__seller"
    )
    return rows.filter(status=status) if status else rows.order_by("-due_on", "-id")


def notice_for_seller(*, seller: Seller, notice_id: int) -> DunningNotice:
    return get_object_or_404(notices(seller=seller, status=None), pk=notice_id)


def formal_notice_invoices(*, notice: DunningNotice) -> list[Invoice]:
    """The invoices a formal notice drawn up from ``notice`` covers: its invoice and the same
    client's invoices whose formal notice step is queued too."""
    ids = DunningNotice.objects.filter(
        seller=notice.seller,
        invoice__client=notice.invoice.client,
        kind=StepKind.FORMAL_NOTICE,
        status=NoticeStatus.QUEUED,
    ).values_list("invoice_id", flat=True)
    return list(
        invoice_selectors.invoices_for_seller(seller=notice.seller)
        .filter(pk__in={notice.invoice_id, *ids})
        .select_related("seller", "client")
        .order_by("due_date", "id")
    )


def formal_notices(*, seller: Seller) -> QuerySet[FormalNotice]:
    return FormalNotice.objects.filter(seller=seller).select_related("client")


def formal_notice_for_seller(*, seller: Seller, notice_id: int) -> FormalNotice:
    return get_object_or_404(
        formal_notices(seller=seller).prefetch_related("invoices"), pk=notice_id
    )
