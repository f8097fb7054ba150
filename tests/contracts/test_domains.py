"""Seed 002 art. 11: domain names registered in the seller's name for a year (clause
``domains.registration``), renewed and invoiced ahead of their expiry while the contract
runs, released at their expiry once it has ended; their last registration year stays
payable after a termination."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.contracts import services, tasks
from clausier.contracts.models import Contract, Domain, DomainRenewal
from clausier.invoicing.models import Invoice
from clausier.kernel.errors import DomainError
from tests.contracts.conftest import DOMAIN, HOSTING, open_yearly
from tests.factories import make_client
from tests.factories.invoicing import invoicing_agency
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(db):
    """The seed agency with its full identity: its invoices can be issued."""
    return invoicing_agency()


@pytest.fixture
def bakery(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")


def _day(today: date) -> int:
    return tasks.run_domains(today=today, now=paris(today.year, today.month, today.day, 6))


def _contract(agency, bakery, start_on=date(2025, 2, 1), **kw):
    return open_yearly(agency, bakery, start_on=start_on, lines=[dict(HOSTING), dict(DOMAIN)], **kw)


def _register(contract, name="boulangerie-martin.fr", registered_on=date(2025, 2, 28)):
    return services.register_domain(
        contract=contract,
        name=name,
        registrar="Gandi",
        registered_on=registered_on,
        by=None,
        now=paris(2025, 3, 1, 10),
    )


def test_a_domain_registered_on_28_february_expires_a_year_later_in_the_sellers_name(
    agency, bakery
):
    record = _register(_contract(agency, bakery))
    assert record.expires_on == date(2026, 2, 28)
    assert record.registrant == agency.legal_name
    assert record.line.kind == "domain"
    assert (record.clause_id, record.terms_label) == ("domains.registration", "v3.0")
    assert record.explanation["rule"] == "registration_expiry"
    assert record.explanation["clause"] == "domains.registration"
    [event] = Event.objects.filter(verb="domain.registered")
    assert event.summary["after"]["expires_on"] == "2026-02-28"


def test_a_domain_registered_on_29_february_expires_on_28_february(agency, bakery):
    contract = _contract(agency, bakery, start_on=date(2024, 2, 1))
    record = _register(contract, registered_on=date(2024, 2, 29))
    assert record.expires_on == date(2025, 2, 28)
    assert "dernier jour du mois" in record.explanation["steps"][1]["label"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Boulangerie-Martin.FR", "boulangerie-martin.fr"),
        ("pâtisserie.fr.", "xn--ptisserie-b2a.fr"),
    ],
)
def test_a_domain_name_is_stored_in_lower_case_and_its_idna_form(agency, bakery, typed, stored):
    assert _register(_contract(agency, bakery), name=typed).name == stored


@pytest.mark.parametrize("typed", ["", "localhost", "-bad.fr", "a..fr", "mon site.fr", "x.123"])
def test_a_name_that_is_no_domain_is_refused_naming_the_field(agency, bakery, typed):
    with pytest.raises(ValidationError) as refused:
        _register(_contract(agency, bakery), name=typed)
    assert "nom de domaine invalide" in refused.value.message_dict["name"][0]
    assert not Domain.objects.exists()


def test_the_same_name_twice_is_refused(agency, bakery):
    contract = _contract(agency, bakery)
    _register(contract)
    with pytest.raises(ValidationError) as refused:
        _register(contract, name="BOULANGERIE-martin.fr")
    assert "name" in refused.value.message_dict


def test_the_renewal_job_issues_one_invoice_per_expiry_even_run_twice(agency, bakery):
    record = _register(_contract(agency, bakery))
    # 30 days before 28 February 2026: 29 January. The day before, nothing.
    _day(date(2026, 1, 28))
    assert not DomainRenewal.objects.exists()
    assert _day(date(2026, 1, 29)) == 1
    assert _day(date(2026, 1, 29)) == 0
    _day(date(2026, 2, 10))

    [renewal] = DomainRenewal.objects.all()
    [invoice] = Invoice.objects.filter(client=bakery)
    assert (renewal.expires_on, renewal.renewed_to) == (date(2026, 2, 28), date(2027, 2, 28))
    assert (renewal.invoice_id, renewal.invoice_number) == (invoice.pk, invoice.number)
    assert invoice.status == "issued"
    assert invoice.total_ht == Decimal("24.00")
    # The seed seller is in franchise en base (CGI 293 B): no VAT.
    assert invoice.total_vat == Decimal("0.00")
    [line] = invoice.lines.all()
    assert "boulangerie-martin.fr" in line.description
    assert "clause domains.registration" in line.description
    assert "CGV v3.0" in line.description
    record.refresh_from_db()
    assert (record.status, record.expires_on) == ("active", date(2027, 2, 28))
    assert Event.objects.filter(verb="domain.renewed").count() == 1


def test_the_next_expiry_is_renewed_again_a_year_later(agency, bakery):
    _register(_contract(agency, bakery))
    _day(date(2026, 1, 29))
    _day(date(2027, 1, 29))
    assert Invoice.objects.filter(client=bakery).count() == 2
    assert Domain.objects.get().expires_on == date(2028, 2, 28)


def test_an_ended_contracts_domain_is_released_at_its_expiry_and_not_invoiced(agency, bakery):
    contract = _contract(agency, bakery)
    record = _register(contract)
    services.terminate(
        contract=contract,
        effective_on=date(2025, 6, 30),
        reason="breach",
        by=None,
        now=paris(2025, 7, 1, 9),
    )
    invoices = Invoice.objects.filter(client=bakery).count()
    _day(date(2026, 1, 29))
    assert not DomainRenewal.objects.exists()
    _day(date(2026, 2, 27))
    assert Domain.objects.get().status == "active"
    _day(date(2026, 2, 28))
    record.refresh_from_db()
    assert (record.status, record.ended_on) == ("released", date(2026, 2, 28))
    assert Invoice.objects.filter(client=bakery).count() == invoices
    assert Event.objects.filter(verb="domain.released").count() == 1


def test_a_terminated_contracts_domain_line_stays_payable_to_its_term(agency, bakery):
    contract = _contract(agency, bakery)
    services.terminate(
        contract=contract,
        effective_on=date(2025, 6, 30),
        reason="breach",
        by=None,
        now=paris(2025, 7, 1, 9),
    )
    contract = Contract.objects.get(pk=contract.pk)
    key = str(contract.lines.get(kind="domain").pk)
    [domain_line] = [line for line in contract.end_explanation["lines"] if line["line"] == key]
    assert domain_line["served_through"] == "2026-01-31"


def test_a_domain_is_recorded_only_for_a_running_contract(agency, bakery):
    contract = _contract(agency, bakery)
    services.terminate(
        contract=contract,
        effective_on=date(2025, 6, 30),
        reason="breach",
        by=None,
        now=paris(2025, 7, 1, 9),
    )
    with pytest.raises(DomainError):
        _register(contract)


def test_a_transfer_out_ends_the_registration_and_its_renewals(agency, bakery):
    record = _register(_contract(agency, bakery))
    services.record_transfer(
        domain=record, transferred_on=date(2025, 9, 1), by=None, now=paris(2025, 9, 2, 9)
    )
    _day(date(2026, 1, 29))
    assert Domain.objects.get().status == "transferred"
    assert not DomainRenewal.objects.exists()


def test_a_renewed_registration_year_is_not_billed_again_by_the_final_invoice(agency, bakery):
    """The renewal's invoice bills the domain line through its new expiry: a termination
    afterwards leaves nothing of that line for the final invoice. (The first year was paid
    with the order: the line is paid through the first term.)"""
    contract = open_yearly(
        agency,
        bakery,
        start_on=date(2025, 2, 1),
        lines=[dict(HOSTING), dict(DOMAIN, paid_through=date(2026, 1, 31))],
    )
    _register(contract)
    _day(date(2026, 1, 29))
    line = contract.lines.get(kind="domain")
    line.refresh_from_db()
    assert line.paid_through == date(2027, 2, 28)
    services.terminate(
        contract=contract,
        effective_on=date(2026, 1, 30),
        reason="breach",
        by=None,
        now=paris(2026, 1, 31, 9),
    )
    contract = Contract.objects.get(pk=contract.pk)
    key = str(line.pk)
    [domain_line] = [row for row in contract.end_explanation["lines"] if row["line"] == key]
    assert Decimal(domain_line["owed"]) == 0


def test_a_domain_is_not_renewed_for_a_year_after_its_contracts_known_end(agency, bakery):
    """A notice received ends the contract at its term, 31 January 2026, before the name's
    expiry on 28 February: no new registration year is bought nor invoiced for it."""
    contract = _contract(agency, bakery)
    _register(contract)
    services.record_notice(
        contract=contract,
        given_by="client",
        channel="registered_letter",
        sent_on=date(2025, 11, 20),
        received_on=date(2025, 11, 24),
        tracking_number="1A 000 111 2222 3",
        by=None,
        now=paris(2025, 11, 25, 9),
    )
    assert _day(date(2026, 1, 29)) == 0
    assert not DomainRenewal.objects.exists()
    assert not Invoice.objects.filter(client=bakery, notes__contains="domaine").exists()
