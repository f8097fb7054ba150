"""Where a contract comes from: an accepted quote's recurring lines (seed 002 art. 7, the
period "indiquée dans le devis") become a contract from the acceptance, once; a quote without
any is no contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.contracts.models import Contract
from tests.factories.invoicing import accepted_order, invoicing_agency
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

RECURRING = [
    {
        "description": "Création du site vitrine (5 pages)",
        "quantity": Decimal("1"),
        "unit": "flat",
        "unit_price": Decimal("2400.00"),
    },
    {
        "description": "Hébergement et maintenance du site",
        "quantity": Decimal("12"),
        "unit": "month",
        "unit_price": Decimal("35.00"),
    },
    {
        "description": "Nom de domaine boulangerie-martin.fr",
        "quantity": Decimal("1"),
        "unit": "year",
        "unit_price": Decimal("15.00"),
    },
]


def test_an_accepted_quotes_recurring_lines_are_a_yearly_contract_from_the_acceptance(bakery):
    agency = invoicing_agency()
    order = accepted_order(agency, bakery, lines=RECURRING)

    contract = Contract.objects.get(order=order)
    assert (contract.client, contract.reference) == (bakery, order.reference)
    assert (contract.start_on, contract.period_months) == (date(2026, 5, 22), 12)
    assert contract.term_end == date(2027, 5, 21)
    assert contract.notice_source == "CGV v3.0 art. 7"
    hosting, domain = contract.lines.all()
    assert (hosting.kind, hosting.amount_ht) == ("maintenance", Decimal("420.00"))
    assert (domain.kind, domain.amount_ht) == ("domain", Decimal("15.00"))


def test_a_quote_without_recurring_lines_is_no_contract(bakery):
    agency = invoicing_agency()
    order = accepted_order(agency, bakery)
    assert not Contract.objects.filter(order=order).exists()


def test_a_quote_born_contract_ended_at_its_term_bills_nothing_already_invoiced(bakery):
    """The quote's "12 mois" of hosting is invoiced with the order (deposit + balance): a
    notice in time ends the contract at its term with no 'fin du contrat' invoice."""
    from clausier.contracts import services
    from clausier.invoicing.models import Invoice

    agency = invoicing_agency()
    order = accepted_order(agency, bakery, lines=RECURRING)
    contract = Contract.objects.get(order=order)
    hosting, domain_line = contract.lines.all()
    assert hosting.paid_through == date(2027, 5, 21)
    assert domain_line.paid_through == date(2027, 5, 21)
    before = set(Invoice.objects.filter(client=bakery).values_list("pk", flat=True))
    services.record_notice(
        contract=contract,
        given_by="client",
        channel="registered_letter",
        sent_on=date(2027, 3, 1),
        received_on=date(2027, 3, 3),
        tracking_number="1A00000000009",
        by=None,
        now=paris(2027, 3, 3, 12),
    )
    contract = services.advance(contract=contract, today=date(2027, 5, 22))
    assert (contract.status, contract.ended_on) == ("terminated", date(2027, 5, 21))
    assert contract.final_amount_ht == Decimal("0.00")
    after = Invoice.objects.filter(client=bakery).exclude(pk__in=before)
    assert not after.exists()
