"""``clausier accrue-penalties``: the nightly accrual by hand, for a day and a seller,
idempotent."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clausier.audit.models import Event
from clausier.collections.models import LateInvoice
from clausier.manage import command_line
from tests.factories import make_client, make_issued_invoice, make_published_terms, make_seller

pytestmark = pytest.mark.django_db

ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("accrue_penalties", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_accrues_to_the_day_with_a_progress_bar_and_twice_writes_nothing(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    out, err = run("--on", "2026-03-16", "--progress")

    assert "1 en retard" in out
    assert "[" in err  # the bar, on stderr
    late = LateInvoice.objects.get(invoice=invoice)
    # 28 days × 1000 × 7.86 % / 365 = 6.03; the 40 EUR indemnity.
    assert late.days_late == 28
    assert late.interest == Decimal("6.03")
    assert late.indemnity == Decimal("40.00")
    assert late.accrued_on == date(2026, 3, 16)
    events, stamp = Event.objects.count(), late.updated_at

    again, _err = run("--on", "2026-03-16")

    assert "1 en retard" in again
    assert Event.objects.count() == events
    assert LateInvoice.objects.get(invoice=invoice).updated_at == stamp


def test_only_the_seller_named(shop, company):
    other = make_seller("autre-vendeur", vat_number="FR40303265045")
    make_published_terms(other)
    mine = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    theirs = make_issued_invoice(
        other, make_client(other, siren="732829320"), now=ISSUED, lines=[LINE]
    )

    run("--on", "2026-03-16", "--seller", shop.slug)

    assert LateInvoice.objects.filter(invoice=mine).exists()
    assert not LateInvoice.objects.filter(invoice=theirs).exists()


def test_a_bad_day_or_an_unknown_seller_is_refused(shop):
    with pytest.raises(CommandError, match="--on"):
        run("--on", "16/03/2026")
    with pytest.raises(CommandError, match="no such seller"):
        run("--seller", "personne")


def test_spelled_with_a_dash():
    assert command_line(["clausier", "accrue-penalties", "--on", "2026-03-16"]) == [
        "clausier",
        "accrue_penalties",
        "--on",
        "2026-03-16",
    ]
