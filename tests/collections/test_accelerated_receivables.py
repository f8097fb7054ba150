"""An invoice brought forward by an acceleration (seed 002 art. 6) is late from its new due
date on the client's statement, in the seller's aged balance and on the receivables
dashboard; once staff revert the acceleration it is back to its own due date everywhere."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.collections import standing
from clausier.collections import standing_selectors as sel
from clausier.collections.statement import account_statement, aged_balance
from tests.factories import make_issued_invoice, make_staff

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
# Due Monday 16 February 2026 (30 days, carried over the weekend): late from the 17th.
FIRST = timezone.make_aware(datetime(2026, 1, 15, 10), TZ)
# Due Thursday 12 March 2026 on its own; brought forward to 17 February.
SECOND = timezone.make_aware(datetime(2026, 2, 10, 10), TZ)
ACCELERATED = date(2026, 2, 17)
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


@pytest.fixture
def accelerated(shop, company):
    make_issued_invoice(shop, company, now=FIRST, lines=[LINE])
    later = make_issued_invoice(shop, company, now=SECOND, lines=[LINE])
    assert later.due_date == date(2026, 3, 12)
    (made,) = standing.accelerate_late(seller=shop, on=ACCELERATED)
    assert made.invoice_id == later.pk
    assert made.new_due_date == ACCELERATED
    return later, made


def _late(aged, invoice):
    return next((late for late in aged.late if late.invoice.pk == invoice.pk), None)


def _bucket(aged, invoice):
    return next(b.key for b in aged.buckets if any(i.invoice.pk == invoice.pk for i in b.invoices))


def test_an_accelerated_invoice_is_late_from_its_new_due_date_in_the_aged_balance(
    shop, accelerated
):
    later, _made = accelerated
    # 5 March: still a week before its own due date, but 16 days past the accelerated one.
    aged = aged_balance(seller=shop, on=date(2026, 3, 5))
    late = _late(aged, later)
    assert late is not None
    assert late.due_date == ACCELERATED
    assert late.days_late == 16
    assert _bucket(aged, later) == "0-30"
    # 25 March: 36 days past the accelerated date (31-60), only 13 past its own (0-30).
    aged = aged_balance(seller=shop, on=date(2026, 3, 25))
    assert _late(aged, later).days_late == 36
    assert _bucket(aged, later) == "31-60"


def test_a_reverted_acceleration_puts_the_invoice_back_on_its_own_due_date(shop, accelerated):
    later, made = accelerated
    standing.revert_acceleration(acceleration=made, reason="accord de paiement", by=None)

    assert _late(aged_balance(seller=shop, on=date(2026, 3, 5)), later) is None
    aged = aged_balance(seller=shop, on=date(2026, 3, 25))
    late = _late(aged, later)
    assert late.due_date == date(2026, 3, 12)
    assert late.days_late == 13
    assert _bucket(aged, later) == "0-30"


def test_the_account_statement_follows_the_due_date_in_force(shop, company, accelerated):
    later, made = accelerated
    statement = account_statement(client=company, on=date(2026, 3, 5))
    late = next(item for item in statement.late if item.invoice.pk == later.pk)
    assert late.days_late == 16
    assert late.owed.interest.value > 0
    line = next(line for line in statement.lines if line.invoice == later and line.debit)
    assert any("anticipation" in str(step.label) for step in line.explained.steps)

    standing.revert_acceleration(acceleration=made, reason="accord de paiement", by=None)
    statement = account_statement(client=company, on=date(2026, 3, 5))
    assert later.pk not in {item.invoice.pk for item in statement.late}
    line = next(line for line in statement.lines if line.invoice == later and line.debit)
    assert not any("anticipation" in str(step.label) for step in line.explained.steps)


def test_the_receivables_dashboard_lists_the_accelerated_invoice_as_late(client, shop, accelerated):
    later, made = accelerated
    client.force_login(make_staff(shop))
    url = reverse("backoffice:receivables", args=[shop.slug]) + "?on=2026-03-05"

    page = client.get(url).content.decode()
    assert f">{later.number}</a>" in page
    assert "17/02/2026 (anticipée)" in page

    standing.revert_acceleration(acceleration=made, reason="accord de paiement", by=None)
    assert f">{later.number}</a>" not in client.get(url).content.decode()
    assert sel.overdue_on(shop.invoices.all(), on=date(2026, 3, 5)).filter(pk=later.pk).count() == 0
