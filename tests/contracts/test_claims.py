"""Liability claims (seed 002 art. 10): the cap is the clause's ratio (one half) of the HT the
client actually paid for the contract's service by the registered letter's receipt, measured
by payments (the invoices of the contract's order, each payment converted to HT by its
invoice's HT/TTC ratio) and stored by contracts with its explanation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.contracts import services
from clausier.contracts.models import Contract, LiabilityClaim
from clausier.customers.models import Client
from clausier.invoicing import services as invoicing_services
from clausier.kernel.errors import Conflict, DomainError
from clausier.payments import services as payment_services
from clausier.sellers.models import Seller
from tests.contracts.test_handlers import RECURRING
from tests.factories import make_draft_invoice
from tests.factories.invoicing import accepted_order, invoicing_agency
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

CLAIM_DAY = date(2026, 7, 1)


def service_contract(client, *, vat: bool):
    agency = invoicing_agency()
    order = accepted_order(agency, client, lines=RECURRING)
    Client.objects.filter(pk=client.pk).update(siren="524172699")  # on its invoices
    client.refresh_from_db()
    if vat:
        # A VAT-charging agency (its VAT number on its invoices).
        Seller.objects.filter(pk=agency.pk).update(vat_regime="normal", vat_number="FR64443061841")
        agency.refresh_from_db()
    return agency, order, Contract.objects.get(order=order)


def order_invoice(agency, client, order, *, ht: str, day):
    line = {
        "description": "Maintenance du site",
        "quantity": Decimal("1"),
        "unit": "flat",
        "unit_price": Decimal(ht),
        "vat_rate": Decimal("0.20"),
    }
    draft = make_draft_invoice(agency, client, lines=[line], now=day)
    draft.order = order
    draft.save(update_fields=["order"])
    return invoicing_services.issue_invoice(invoice=draft, by=None, now=day)


def pay(invoice, amount: str, on: date):
    return payment_services.record_invoice_payment(
        invoice=invoice, amount=Decimal(amount), paid_on=on, by=None, now=paris(2026, 7, 10, 9)
    )


def claim_on(contract, received_on=CLAIM_DAY, **kw):
    return services.record_claim(
        contract=contract,
        received_on=received_on,
        sent_on=kw.pop("sent_on", received_on),
        tracking_number="1A00000000077",
        description="Site indisponible trois jours",
        amount_claimed=kw.pop("amount_claimed", "5000"),
        by=None,
        now=paris(2026, 7, 10, 9),
        **kw,
    )


def test_the_cap_is_half_the_ht_paid_by_the_claim_date(bakery):
    agency, order, contract = service_contract(bakery, vat=True)
    first = order_invoice(agency, bakery, order, ht="1200.00", day=paris(2026, 6, 1, 10))
    second = order_invoice(agency, bakery, order, ht="600.00", day=paris(2026, 6, 2, 10))
    assert (first.total_ht, first.total_ttc) == (Decimal("1200.00"), Decimal("1440.00"))
    pay(first, "1440.00", date(2026, 6, 15))
    pay(second, "720.00", date(2026, 7, 2))  # the day after the claim: not counted

    claim = claim_on(contract)

    assert claim.paid_ht == Decimal("1200.00")
    assert claim.cap_ht == Decimal("600.00")
    cap = claim.explanation["cap"]
    assert (cap["clause"], cap["terms"], cap["rule"]) == ("liability.cap", "v3.0", "liability_cap")
    assert "centime inférieur" in cap["inputs"]["rounding"]
    [part] = claim.explanation["parts"]
    assert (part["paid_on"], part["amount_ttc"], part["amount_ht"]) == (
        "2026-06-15",
        "1440.00",
        "1200.00",
    )
    verbs = list(
        Event.objects.filter(verb__startswith="contract.claim").values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["contract.claim_capped", "contract.claim_received"]


def test_a_partial_payment_counts_its_ht_share(bakery):
    agency, order, contract = service_contract(bakery, vat=True)
    invoice = order_invoice(agency, bakery, order, ht="1200.00", day=paris(2026, 6, 1, 10))
    pay(invoice, "720.00", date(2026, 6, 15))
    claim = claim_on(contract)
    assert (claim.paid_ht, claim.cap_ht) == (Decimal("600.00"), Decimal("300.00"))


def test_a_franchise_seller_counts_what_was_paid_as_ht(bakery):
    agency, order, contract = service_contract(bakery, vat=False)
    invoice = order_invoice(agency, bakery, order, ht="1200.00", day=paris(2026, 6, 1, 10))
    assert invoice.total_ttc == invoice.total_ht == Decimal("1200.00")
    pay(invoice, "1200.00", date(2026, 6, 15))
    claim = claim_on(contract)
    assert (claim.paid_ht, claim.cap_ht) == (Decimal("1200.00"), Decimal("600.00"))


def test_nothing_paid_caps_at_zero_and_a_late_recorded_payment_is_counted_on_recalculation(
    bakery,
):
    agency, order, contract = service_contract(bakery, vat=True)
    invoice = order_invoice(agency, bakery, order, ht="1200.00", day=paris(2026, 6, 1, 10))
    claim = claim_on(contract)
    assert (claim.paid_ht, claim.cap_ht) == (Decimal("0.00"), Decimal("0.00"))
    pay(invoice, "1440.00", date(2026, 6, 20))  # received before the claim, recorded later
    claim = services.remeasure_claim(claim=claim, by=None)
    assert claim.cap_ht == Decimal("600.00")
    assert Event.objects.filter(verb="contract.claim_remeasured").count() == 1


def test_the_cap_follows_the_ratio_of_the_contracts_terms_version(bakery):
    from clausier.terms.models import Clause

    agency, order, contract = service_contract(bakery, vat=False)
    invoice = order_invoice(agency, bakery, order, ht="1000.00", day=paris(2026, 6, 1, 10))
    pay(invoice, "1000.00", date(2026, 6, 15))
    # A new terms version with a cap of one third (the contract's version is the one applied).
    clause = Clause.objects.get(version=contract.terms_version, clause_id="liability.cap")
    new_version = contract.terms_version
    new_version.pk = None
    new_version.label = "v3.1"
    new_version.status = "draft"
    new_version.save()
    Clause.objects.create(
        version=new_version,
        clause_id=clause.clause_id,
        kind=clause.kind,
        article=clause.article,
        title=clause.title,
        excerpt=clause.excerpt,
        parameters={**clause.parameters, "ratio": "1/3"},
    )
    Contract.objects.filter(pk=contract.pk).update(terms_version=new_version, terms_label="v3.1")
    contract.refresh_from_db()
    claim = claim_on(contract)
    assert claim.cap_ht == Decimal("333.33")
    assert claim.explanation["cap"]["terms"] == "v3.1"


def test_exclusions_are_kept_and_an_accepted_amount_stays_under_the_cap(bakery):
    agency, order, contract = service_contract(bakery, vat=False)
    invoice = order_invoice(agency, bakery, order, ht="1000.00", day=paris(2026, 6, 1, 10))
    pay(invoice, "1000.00", date(2026, 6, 15))
    claim = claim_on(contract, exclusions=["client_delay"])
    assert claim.exclusion_labels() == ["retard occasionné par le client"]
    claim = services.decide_claim(claim=claim, status="under_review", by=None)
    with pytest.raises(Exception, match="plafond"):
        services.decide_claim(claim=claim, status="accepted", decided_amount="501", by=None)
    claim = services.decide_claim(claim=claim, status="accepted", decided_amount="500", by=None)
    assert (claim.status, claim.decided_amount) == ("accepted", Decimal("500.00"))
    claim = services.decide_claim(claim=claim, status="settled", by=None)
    with pytest.raises(Conflict):
        services.remeasure_claim(claim=claim, by=None)
    with pytest.raises(DomainError):
        services.decide_claim(claim=claim, status="received", by=None)


def test_a_claim_needs_its_letter_evidence(bakery):
    from django.core.exceptions import ValidationError

    _agency, _order, contract = service_contract(bakery, vat=False)
    with pytest.raises(ValidationError, match="tracking_number"):
        services.record_claim(
            contract=contract,
            received_on=CLAIM_DAY,
            tracking_number=" ",
            description="x",
            by=None,
        )
    with pytest.raises(ValidationError, match="sent_on"):
        claim_on(contract, sent_on=date(2026, 7, 3))
    assert not LiabilityClaim.objects.exists()
