"""Reads of a client's standing (seed 002 art. 6): the terms' late-payment consequences, the
effective due date of an invoice (its own, or brought forward), the invoices late on a day,
the accelerations and the suspension of a client, its running services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from clausier.collections.selectors import LATE_KINDS
from clausier.collections.standing_models import Acceleration, Suspension
from clausier.customers.models import Client
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.models import Invoice
from clausier.orders.models import Order, OrderStatus
from clausier.rules.wording import Words, words
from clausier.sellers.models import Seller
from clausier.terms import selectors as terms_selectors
from clausier.terms.schemas import ClauseKind, parse_parameters


@dataclass(frozen=True, slots=True)
class Consequences:
    """The ``late.consequences`` clause of an invoice's terms, and how to cite it."""

    all_sums_due: bool
    suspend_work: bool
    refuse_new_orders: bool
    clause_id: str
    terms_label: str
    cited: str

    @property
    def allows_suspension(self) -> bool:
        return self.suspend_work or self.refuse_new_orders


def consequences(*, invoice: Invoice) -> Consequences | None:
    """What the terms of ``invoice`` make of a late payment, or None when they are silent."""
    version = invoice_selectors.terms_for(invoice=invoice)
    if version is None:
        return None
    clause = terms_selectors.clause_of_kind(version=version, kind=ClauseKind.LATE_CONSEQUENCES)
    if clause is None:
        return None
    params = parse_parameters(clause.kind, clause.parameters)
    cited = " ".join(part for part in (clause.article.strip(), f"CGV {version.label}") if part)
    return Consequences(
        all_sums_due=params.all_sums_due,
        suspend_work=params.suspend_work,
        refuse_new_orders=params.refuse_new_orders,
        clause_id=clause.clause_id,
        terms_label=version.label,
        cited=cited,
    )


def standing_acceleration(*, invoice: Invoice) -> Acceleration | None:
    """The acceleration in force on ``invoice`` (not reverted), if any."""
    return (
        Acceleration.objects.filter(invoice=invoice, reverted=False)
        .select_related("caused_by")
        .first()
    )


@dataclass(frozen=True, slots=True)
class EffectiveDue:
    """The day ``invoice`` is due: ``value``, and ``due_note`` saying why."""

    value: date
    due_note: Words
    acceleration: Acceleration | None = None


def effective_due_date(invoice: Invoice) -> EffectiveDue:
    """The due date that counts for ``invoice``: brought forward by an acceleration in force,
    else its own (the date its frozen document states). Pass ``.value`` as ``due_date`` to
    :func:`clausier.collections.selectors.penalties`."""
    acceleration = standing_acceleration(invoice=invoice)
    if acceleration is None:
        return EffectiveDue(
            value=invoice.due_date,
            due_note=words("échéance de la facture : {date}", date=invoice.due_date),
        )
    return EffectiveDue(
        value=acceleration.new_due_date,
        due_note=words(
            "exigible le {new} au lieu du {original} : la facture {cause} est en retard et "
            "{clause} rend immédiatement exigible toute somme restant due",
            new=acceleration.new_due_date,
            original=acceleration.original_due_date,
            cause=acceleration.caused_by.number or "",
            clause=acceleration.clause_cited,
        ),
        acceleration=acceleration,
    )


def with_effective_due(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """``invoices`` annotated ``effective_due``, in SQL what :func:`effective_due_date`
    decides: the day an acceleration in force brought forward, else the invoice's own."""
    brought_forward = Acceleration.objects.filter(invoice=OuterRef("pk"), reverted=False)
    return invoices.annotate(
        effective_due=Coalesce(Subquery(brought_forward.values("new_due_date")[:1]), "due_date")
    )


def overdue_on(invoices: QuerySet[Invoice], *, on: date) -> QuerySet[Invoice]:
    """The issued invoices of ``invoices`` still unpaid and past their effective due date on
    ``on`` (:func:`with_effective_due`), oldest effective due date first: the one reading of
    "late" for the statement, the aged balance and the receivables dashboard. Unpaid is
    ``invoicing.selectors.overdue``'s rule, here whatever the invoice's own due date."""
    unpaid = invoice_selectors.overdue(invoices, today=date.max)
    return with_effective_due(unpaid).filter(effective_due__lt=on).order_by("effective_due", "id")


def open_invoices(*, client: Client) -> QuerySet[Invoice]:
    """The client's issued invoices with something left to pay (credit notes excluded)."""
    return (
        invoice_selectors.invoices_for_client(client=client)
        .filter(kind__in=LATE_KINDS, amount_due__gt=F("amount_paid") + F("credited_amount"))
        .order_by("due_date", "id")
    )


def late_invoices(*, client: Client, on: date) -> list[Invoice]:
    """The client's invoices unpaid past their effective due date on ``on``."""
    return list(overdue_on(open_invoices(client=client), on=on))


def newly_late(*, seller, on: date) -> QuerySet[Invoice]:
    """The seller's invoices unpaid whose own due date is before ``on`` (late), oldest first."""
    return invoice_selectors.overdue(
        invoice_selectors.invoices_for_seller(seller=seller).filter(kind__in=LATE_KINDS),
        today=on,
    ).order_by("due_date", "id")


def sellers_with_late_invoices(*, on: date) -> QuerySet[Seller]:
    """The sellers (all of them) with an invoice late on ``on``: the nightly pass's round."""
    late = invoice_selectors.overdue(Invoice.objects.filter(kind__in=LATE_KINDS), today=on)
    return Seller.objects.filter(pk__in=late.values("seller_id")).order_by("id")


def accelerations_of(*, client: Client) -> QuerySet[Acceleration]:
    return Acceleration.objects.filter(client=client).select_related(
        "invoice", "caused_by", "reverted_by"
    )


def acceleration_for_seller(*, seller, acceleration_id: int) -> Acceleration:
    """``seller``'s acceleration ``acceleration_id`` (404 for another seller's)."""
    return get_object_or_404(
        Acceleration.objects.select_related("invoice", "client"), seller=seller, pk=acceleration_id
    )


def open_suspension(*, client: Client) -> Suspension | None:
    return Suspension.objects.filter(client=client, ended_at__isnull=True).first()


def open_suspensions(*, seller) -> QuerySet[Suspension]:
    """``seller``'s clients suspended for non-payment now, latest first."""
    return Suspension.objects.filter(seller=seller, ended_at__isnull=True).select_related("client")


def suspensions_of(*, client: Client) -> QuerySet[Suspension]:
    return Suspension.objects.filter(client=client).select_related("started_by", "ended_by")


def suspension_basis(*, client: Client, on: date) -> tuple[Invoice | None, Consequences | None]:
    """The first late invoice of ``client`` on ``on`` whose terms allow the suspension, and
    those terms' consequences; (None, None) when no invoice is late, (invoice, None) when the
    terms do not allow it."""
    late = late_invoices(client=client, on=on)
    for invoice in late:
        found = consequences(invoice=invoice)
        if found is not None and found.allows_suspension:
            return invoice, found
    return (late[0] if late else None), None


def running_services(*, client: Client) -> tuple[dict[str, Any], ...]:
    """The client's running services (active online orders), as the webhooks name them."""
    return tuple(
        {"order_id": order.pk, "reference": order.reference, "client_id": client.pk}
        for order in Order.objects.filter(client=client, status=OrderStatus.ACTIVE).order_by("id")
    )
