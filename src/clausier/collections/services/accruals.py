"""What each late invoice has accrued: interest and indemnity to a day, kept on its
``LateInvoice`` row with the explanation as computed."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from clausier.audit.services import record_on
from clausier.collections import selectors
from clausier.collections import transitions as states
from clausier.collections.models import LateInvoice
from clausier.collections.standing_selectors import effective_due_date
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.rules.money import ZERO

FIGURES = (
    "due_date",
    "days_late",
    "base_ht",
    "base",
    "base_kind",
    "annual_rate",
    "interest",
    "indemnity",
)


def locked_late(*, invoice: Invoice) -> tuple[Invoice, LateInvoice | None]:
    """``invoice`` locked (the row every write on its penalties serializes on) and its
    late record, locked too."""
    invoice = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
    late = LateInvoice.objects.select_for_update().filter(invoice=invoice).first()
    return invoice, late


def paid_in_full(*, invoice: Invoice, on: date) -> bool:
    """Whether nothing remains owed on ``invoice`` on ``on`` (:func:`selectors.owed_on`)."""
    return selectors.owed_on(invoice=invoice, on=on) <= ZERO


def accrue(
    *, invoice: Invoice, late: LateInvoice | None, on: date, by: Actor
) -> LateInvoice | None:
    """The accrual of the locked ``invoice`` brought to ``on``; None while it is not late.
    Writes (and audits) only what changed."""
    if late is not None and late.status != states.ACCRUING:
        return late
    # The due date in force: the invoice's, or brought forward by an acceleration (and back
    # again when staff revert it).
    due = effective_due_date(invoice).value
    owed = selectors.penalties(invoice=invoice, on=on, due_date=due)
    if late is None and owed.days_late == 0:
        return None
    values = {
        "due_date": due,
        "days_late": owed.days_late,
        "base_ht": owed.base_ht,
        "base": owed.base,
        "base_kind": owed.base_kind,
        "annual_rate": owed.annual_rate,
        "interest": owed.interest.value,
        "indemnity": owed.indemnity.value,
        "paid_in_full": paid_in_full(invoice=invoice, on=on),
        "explanation": owed.explanation.as_dict(),
    }
    if late is None:
        late = LateInvoice(seller_id=invoice.seller_id, invoice=invoice, accrued_on=on, **values)
        before = None
    else:
        current = {name: getattr(late, name) for name in (*FIGURES, "paid_in_full")}
        if all(current[name] == values[name] for name in current):
            return late
        before = {name: str(current[name]) for name in FIGURES}
        for name, value in values.items():
            setattr(late, name, value)
        late.accrued_on = on
    late.save()
    record_on(
        obj=late,
        actor=by,
        verb="late_invoice.accrued",
        before=before,
        after={
            "accrued_on": on.isoformat(),
            **{name: str(values[name]) for name in FIGURES},
        },
    )
    return late


@transaction.atomic
def update_accrual(
    *, invoice: Invoice, on: date, by: Actor = None, now: datetime | None = None
) -> LateInvoice | None:
    """Bring what ``invoice`` has accrued for its lateness to ``on``. Idempotent: the same
    day twice changes nothing (no write, no event); an invoice not late has no record."""
    aware_now(now)
    invoice, late = locked_late(invoice=invoice)
    return accrue(invoice=invoice, late=late, on=on, by=by)
