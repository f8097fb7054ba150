"""Which step of the dunning plan is due for an invoice on a day (pure): the latest step
reached, never one already queued nor one before it, nothing once paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.collections.dunning.plan import (
    DEFAULT_PLAN,
    FORMAL_NOTICE,
    FRIENDLY,
    PENALTIES,
    SECOND,
    due_step,
)

DUE = date(2026, 2, 16)  # a Monday
OWED = Decimal("1200.00")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 2, 12), None),  # J-4: nothing yet
        (date(2026, 2, 13), FRIENDLY),  # J-3
        (date(2026, 2, 16), FRIENDLY),  # the due date itself: still the friendly reminder
        (date(2026, 2, 17), PENALTIES),  # J+1
        (date(2026, 3, 3), SECOND),  # J+15
        (date(2026, 3, 18), FORMAL_NOTICE),  # J+30
        (date(2026, 6, 1), FORMAL_NOTICE),  # long after: the last step, once
    ],
)
def test_the_step_due_is_the_latest_reached(on, expected):
    found = due_step(steps=DEFAULT_PLAN, due_date=DUE, on=on, outstanding=OWED)

    assert (found.value.kind if found.value else None) == expected
    assert found.rule == "due_step"


def test_a_step_already_queued_is_never_due_again():
    found = due_step(
        steps=DEFAULT_PLAN, due_date=DUE, on=date(2026, 2, 20), outstanding=OWED, done={1}
    )

    assert found.value is None
    assert "jamais deux fois" in str(found.steps[-1].label)


def test_a_late_run_queues_only_the_step_reached_not_the_ones_skipped_over():
    # Friendly reminder sent; the run comes back on J+16: the second reminder, not J+1's.
    found = due_step(
        steps=DEFAULT_PLAN, due_date=DUE, on=date(2026, 3, 4), outstanding=OWED, done={-3}
    )

    assert found.value.kind == SECOND
    # And an earlier step is never queued after a later one.
    assert (
        due_step(
            steps=DEFAULT_PLAN, due_date=DUE, on=date(2026, 3, 4), outstanding=OWED, done={15}
        ).value
        is None
    )


def test_a_paid_invoice_gets_no_reminder():
    found = due_step(
        steps=DEFAULT_PLAN, due_date=DUE, on=date(2026, 3, 4), outstanding=Decimal("0.00")
    )

    assert found.value is None
