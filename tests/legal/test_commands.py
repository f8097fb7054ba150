"""`clausier legal_rate add|list` and `clausier issue_waiting_invoices`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clausier.audit.models import Event
from clausier.invoicing.models import Invoice, InvoiceStatus
from clausier.legal.models import LegalRate
from tests.factories import make_client
from tests.factories.invoicing import accepted_order, deposit_invoice_of, invoicing_agency
from tests.factories.legal import (
    FICTITIOUS_SOURCE,
    add_fictitious_rates_until_today,
    periods_until,
)
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def add(capsys=None, **options):
    call_command(
        "legal_rate",
        "add",
        *[f"--{name}={value}" for name, value in options.items()],
    )


def test_staff_add_a_semester_from_the_command_line(capsys):
    add(period="2026-S2", professional="9.99", consumer="19.99", source=FICTITIOUS_SOURCE)
    assert "2026 S2 : 9.99 % (professionnel) / 19.99 % (particulier)" in capsys.readouterr().out
    row = LegalRate.objects.get()
    assert row.recorded_by_label.startswith("clausier legal_rate (")
    call_command("legal_rate", "list")
    out = " ".join(capsys.readouterr().out.split())
    assert "2026 S1 2.62 % 6.67 % tableau livré" in out
    assert "2026 S2 9.99 % 19.99 % saisi par clausier legal_rate" in out
    assert "Le tableau s'arrête à 2026 S2 (au 31/12/2026)" in out


def test_the_command_line_names_the_option_it_refuses():
    with pytest.raises(CommandError, match=r"--professional: .*deux décimales"):
        add(period="2026-S2", professional="9.999", consumer="19.99", source=FICTITIOUS_SOURCE)
    with pytest.raises(CommandError, match=r"--period: .*tableau livré"):
        add(period="2025-S2", professional="9.99", consumer="19.99", source=FICTITIOUS_SOURCE)
    with pytest.raises(CommandError, match="--consumer: taux en pourcentage attendu"):
        add(period="2026-S2", professional="9.99", source=FICTITIOUS_SOURCE)
    assert not LegalRate.objects.exists()


def test_a_year_before_2015_takes_one_rate():
    with pytest.raises(CommandError, match=r"--period: .*trou avant 2012"):
        add(period="2010", professional="0.65", source=FICTITIOUS_SOURCE)


def test_the_listing_says_where_the_table_stops(capsys):
    call_command("legal_rate", "list")
    assert "Le tableau s'arrête à 2026 S1 (au 30/06/2026)" in capsys.readouterr().out


# --- drafts waiting for the rate ------------------------------------------------------------


@pytest.fixture
def waiting_deposit(db):
    # Accepted on Friday 3 July 2026 by a company whose SIREN is not entered yet: the
    # acceptance holds, the deposit invoice waits. (The 2026 S2 legal rate, which the packaged
    # table lacks, never makes it wait: the penalty clause is then stated in words.)
    agency = invoicing_agency()
    client = make_client(agency, kind="company", name="Sans SIREN SAS")
    order = accepted_order(agency, client, now=paris(2026, 7, 3, 10), valid_until=date(2026, 7, 31))
    draft = deposit_invoice_of(order)
    assert "SIREN du client professionnel" in draft.issue_blocked_reason
    return draft


def complete(draft):
    draft.client.siren = "552081317"
    draft.client.save()


def test_waiting_drafts_are_issued_once_what_they_lacked_is_entered(waiting_deposit, capsys):
    call_command("issue_waiting_invoices")
    out = capsys.readouterr().out
    assert "EN ATTENTE" in out
    assert "0 émise(s), 1 toujours en attente" in out
    events = Event.objects.filter(verb="invoice.issue_deferred").count()

    complete(waiting_deposit)
    add_fictitious_rates_until_today()
    call_command("issue_waiting_invoices", "--progress")
    captured = capsys.readouterr()
    assert "1 émise(s), 0 toujours en attente" in captured.out
    assert "[##############################] 1/1" in captured.err
    invoice = Invoice.objects.get(pk=waiting_deposit.pk)
    assert (invoice.status, invoice.number, invoice.issue_blocked_reason) == (
        InvoiceStatus.ISSUED,
        "F2026-000001",
        "",
    )
    assert invoice.document.late_penalty_rate == Decimal("29.97")  # 3 × 9.99 %
    invoice.order.deposit.refresh_from_db()
    assert invoice.order.deposit.status == "invoiced"
    # The run before found the same reason: it wrote no new event.
    assert Event.objects.filter(verb="invoice.issue_deferred").count() == events

    call_command("issue_waiting_invoices")
    assert "Aucun brouillon en attente d'émission." in capsys.readouterr().out
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 1


def test_the_retry_service_dates_the_invoice_on_the_day_it_is_issued(waiting_deposit):
    from clausier.invoicing import services as invoicing
    from tests.factories.legal import add_fictitious_rate

    add_fictitious_rate("2026-S2")
    complete(waiting_deposit)
    invoice = invoicing.retry_waiting_invoice(
        invoice=waiting_deposit, by=None, now=paris(2026, 11, 23, 9)
    )
    assert (invoice.number, invoice.issue_date) == ("F2026-000001", date(2026, 11, 23))
    again = invoicing.retry_waiting_invoice(invoice=waiting_deposit, by=None)
    assert (again.pk, again.number) == (invoice.pk, "F2026-000001")


def test_periods_until_a_day_cover_every_semester_from_2026_s2():
    assert periods_until(date(2026, 11, 23)) == ["2026-S2"]
    assert periods_until(date(2027, 8, 1)) == ["2026-S2", "2027-S1", "2027-S2"]


def test_the_command_takes_the_arretes_date_and_journal_reference(capsys):
    call_command(
        "legal_rate",
        "add",
        "--period=2026-S2",
        "--professional=9,99",
        "--consumer=19,99",
        "--decree-date=2099-01-01",
        "--journal=JORF fictif n° 0000 du 1er janvier 2099",
    )
    row = LegalRate.objects.get()
    assert (row.decree_date, row.journal_reference) == (
        date(2099, 1, 1),
        "JORF fictif n° 0000 du 1er janvier 2099",
    )
    assert row.source.startswith("Arrêté du 01/01/2099 relatif à la fixation du taux")
    with pytest.raises(CommandError, match="--journal: référence au Journal officiel attendue"):
        call_command(
            "legal_rate",
            "add",
            "--period=2027-S1",
            "--professional=9.99",
            "--consumer=19.99",
            "--decree-date=2099-01-01",
        )
    with pytest.raises(CommandError, match=r"--source: .*jamais saisi sans sa source"):
        call_command(
            "legal_rate", "add", "--period=2027-S1", "--professional=9.99", "--consumer=19.99"
        )
