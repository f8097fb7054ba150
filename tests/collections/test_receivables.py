"""The seller's aged balance: invoices past due and not settled, by days past due (0-30,
31-60, 61-90, 90+), amounts and counts, with the interest accrued and the indemnities, on
the receivables dashboard with its chart."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from clausier.collections.statement import aged_balance, bucket_of
from tests.factories import make_issued_invoice, make_staff

LINE = {
    "description": "Maintenance",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


def issued(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))


def test_the_days_past_due_fall_in_their_bucket():
    assert [bucket_of(d) for d in (1, 30, 31, 60, 61, 90, 91, 400)] == [
        "0-30",
        "0-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "90+",
        "90+",
    ]


def test_the_aged_balance_on_a_worked_example(shop, company, consumer):
    # Payment at 30 days from the invoice date; each due date carried to a working day:
    # issued 2 Feb 2026 -> due Wed 4 Mar -> on 15 Apr: 42 days past due -> 31-60;
    # issued 2 Jan 2026 -> due Sun 1 Feb, carried to Mon 2 Feb -> 72 days -> 61-90;
    # issued 1 Dec 2025 -> due Wed 31 Dec 2025 -> 105 days -> 90+;
    # issued 1 Mar 2026 -> due Tue 31 Mar -> 15 days -> 0-30;
    # issued 1 Apr 2026 -> due 1 May: not due yet, not in the aged balance.
    c = make_issued_invoice(shop, consumer, now=issued(date(2025, 12, 1)), lines=[LINE])
    b = make_issued_invoice(shop, company, now=issued(date(2026, 1, 2)), lines=[LINE])
    a = make_issued_invoice(shop, company, now=issued(date(2026, 2, 2)), lines=[LINE])
    d = make_issued_invoice(shop, company, now=issued(date(2026, 3, 1)), lines=[LINE])
    make_issued_invoice(shop, company, now=issued(date(2026, 4, 1)), lines=[LINE])

    aged = aged_balance(seller=shop, on=date(2026, 4, 15))

    days = {late.invoice.pk: late.days_late for late in aged.late}
    assert days == {
        a.pk: (date(2026, 4, 15) - a.due_date).days,
        b.pk: (date(2026, 4, 15) - b.due_date).days,
        c.pk: (date(2026, 4, 15) - c.due_date).days,
        d.pk: (date(2026, 4, 15) - d.due_date).days,
    }
    counts = {bucket.key: (bucket.count, bucket.amount.value) for bucket in aged.buckets}
    assert counts == {
        "0-30": (1, Decimal("120.00")),
        "31-60": (1, Decimal("120.00")),
        "61-90": (1, Decimal("120.00")),
        "90+": (1, Decimal("120.00")),
    }
    assert aged.total.value == Decimal("480.00")
    # Three professional invoices owe the 40 EUR indemnity; the consumer's does not.
    assert aged.indemnities.value == Decimal("120.00")
    assert aged.interest.value > 0
    assert aged.interest.value == sum(late.owed.interest.value for late in aged.late)


def test_the_dashboard_draws_the_chart_and_explains_its_figures(client, shop, company):
    invoice = make_issued_invoice(shop, company, now=issued(date(2026, 1, 2)), lines=[LINE])
    client.force_login(make_staff(shop))

    page = client.get(reverse("backoffice:receivables", args=[shop.slug]) + "?on=2026-04-15")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert 'id="bucket-61-90"' in html
    assert invoice.number in html
    assert "Pourquoi ?" in html
    assert "40,00" in html  # the indemnity of the late professional invoice
    assert reverse("backoffice:client_account", args=[shop.slug, company.pk]) in html


def test_a_missing_rate_shows_its_message_and_never_crashes(client, shop, company):
    # Issued in 2031: the legal rate of that semester is not in the table yet.
    invoice = make_issued_invoice(shop, company, now=issued(date(2031, 1, 2)), lines=[LINE])
    client.force_login(make_staff(shop))

    aged = aged_balance(seller=shop, on=date(2031, 4, 15))
    page = client.get(reverse("backoffice:receivables", args=[shop.slug]) + "?on=2031-04-15")
    account = client.get(
        reverse("backoffice:client_account", args=[shop.slug, company.pk]) + "?on=2031-04-15"
    )

    assert [late.invoice.pk for late in aged.missing] == [invoice.pk]
    assert aged.buckets[2].count == 1  # 61-90 days past due, the amount still counted
    assert page.status_code == 200
    assert account.status_code == 200
    assert "Le taux de 2031 S1 manque" in aged.missing[0].missing
    assert "Le taux de 2031 S1 manque" in page.content.decode()
    assert "Le taux de 2031 S1 manque" in account.content.decode()
