"""A client's standing when it pays late (seed 002 art. 6): its other invoices made due at
once (and back to their own date when staff waive it), the suspension for non-payment that
defers new orders and tells the running services, lifted once nothing is late."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from clausier.collections import selectors, standing
from clausier.collections import standing_selectors as sel
from clausier.kernel.errors import Conflict
from clausier.orders import services as order_services
from clausier.payments import services as payment_services
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import WebhookDelivery
from tests.collections.conftest import LATE_PENALTY
from tests.factories import make_client, make_issued_invoice, make_published_terms, make_seller
from tests.factories.orders import _seed_clause, draft_online_order
from tests.factories.payments import transfer

pytestmark = pytest.mark.django_db

LATE_CONSEQUENCES = {
    "clause_id": "late.consequences",
    "kind": "late.consequences",
    "article": "art. 6",
    "title": "Retard : exigibilité immédiate, suspension",
    "excerpt": "L'exigibilité immédiate de toute somme restant due",
    "parameters": {"all_sums_due": True, "suspend_work": True, "refuse_new_orders": True},
}
TZ = timezone.get_default_timezone()
# Issued Thursday 15 January 2026, due Monday 16 February (30 days, carried over the weekend).
FIRST = timezone.make_aware(datetime(2026, 1, 15, 10), TZ)
SECOND = timezone.make_aware(datetime(2026, 2, 10, 10), TZ)
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


@pytest.fixture
def agency(db):
    seller = make_seller("exigible", vat_number="FR87524172699")
    flow = _seed_clause("order.flow") | {"article": "art. 2"}
    make_published_terms(seller, more_clauses=(flow, LATE_PENALTY, LATE_CONSEQUENCES))
    return seller


@pytest.fixture
def client(agency):
    return make_client(agency, kind="company", name="Atelier Dupont SARL", siren="552081317")


def test_a_late_invoice_brings_the_other_open_invoices_forward_with_the_clause(agency, client):
    late = make_issued_invoice(agency, client, now=FIRST, lines=[LINE])
    later = make_issued_invoice(agency, client, now=SECOND, lines=[LINE])
    assert later.due_date > date(2026, 2, 17)

    made = standing.accelerate_late(seller=agency, on=date(2026, 2, 17))

    assert [a.invoice_id for a in made] == [later.pk]
    effective = sel.effective_due_date(later)
    assert effective.value == date(2026, 2, 17)
    assert "art. 6 CGV v1" in str(effective.due_note)
    assert late.number in str(effective.due_note)
    assert made[0].explanation["clause"] == "late.consequences"
    # The frozen document keeps its own date.
    later.refresh_from_db()
    assert later.due_date > date(2026, 2, 17)
    # Penalties run from the accelerated date.
    owed = selectors.penalties(invoice=later, on=date(2026, 3, 1), due_date=effective.value)
    assert owed.days_late == 12
    # Idempotent: the nightly pass again changes nothing.
    assert standing.accelerate_late(seller=agency, on=date(2026, 2, 18)) == []


def test_staff_waiving_the_acceleration_restores_the_invoices_own_due_date(agency, client):
    make_issued_invoice(agency, client, now=FIRST, lines=[LINE])
    later = make_issued_invoice(agency, client, now=SECOND, lines=[LINE])
    (acceleration,) = standing.accelerate_late(seller=agency, on=date(2026, 2, 17))

    with pytest.raises(Conflict):
        standing.revert_acceleration(acceleration=acceleration, reason=" ", by=None)
    standing.revert_acceleration(acceleration=acceleration, reason="geste commercial", by=None)

    acceleration.refresh_from_db()
    assert acceleration.reverted
    assert acceleration.revert_reason == "geste commercial"
    assert sel.effective_due_date(later).value == later.due_date


def _running_service(agency, client):
    order = draft_online_order(agency, client)
    order = order_services.confirm_order(order=order, by=None)
    order = payment_services.record_payment(
        order=order,
        received_at=timezone.now(),
        provider="stripe",
        reference="cs_standing",
        amount=order.total_ttc,
        by=None,
    ).order
    return order_services.activate_service(order=order, by=None)


def test_a_suspension_defers_new_orders_and_tells_running_services(agency, client):
    endpoint = webhook_services.create_endpoint(
        seller=agency,
        url="https://runtime.example/hooks",
        events=["service.suspend", "service.resume"],
        by=None,
        description="Runtime",
    )
    late = make_issued_invoice(agency, client, now=FIRST, lines=[LINE])
    service = _running_service(agency, client)

    suspension = standing.suspend(client=client, by=None)

    client.refresh_from_db()
    assert client.suspended_for_non_payment_since is not None
    assert suspension.clause_cited == "art. 6 CGV v1"
    (delivery,) = WebhookDelivery.objects.filter(event_type="service.suspend")
    assert delivery.endpoint_id == endpoint.pk
    assert delivery.subject == f"order:{service.pk}"
    with pytest.raises(Conflict, match=r"Commandes suspendues pour impayé \(art\. 6 CGV v1\)"):
        draft_online_order(agency, client)

    # Paid in full: nothing late anymore, the suspension is lifted and the service resumed.
    due = str(late.amount_due)
    transfer(agency, client, amount=due, on=timezone.localdate(), invoices=[(late, due)])

    client.refresh_from_db()
    assert client.suspended_for_non_payment_since is None
    assert WebhookDelivery.objects.filter(event_type="service.resume").count() == 1
    assert draft_online_order(agency, client).pk


def test_a_client_with_nothing_late_cannot_be_suspended(agency, client):
    make_issued_invoice(agency, client, now=timezone.now() - timedelta(days=1), lines=[LINE])

    with pytest.raises(Conflict, match="Aucune facture"):
        standing.suspend(client=client, by=None)


def test_a_reverted_acceleration_is_not_made_again_by_the_next_nightly_pass(agency, client):
    late = make_issued_invoice(agency, client, now=FIRST, lines=[LINE])
    later = make_issued_invoice(agency, client, now=SECOND, lines=[LINE])
    [made] = standing.accelerate_late(seller=agency, on=date(2026, 2, 17))
    standing.revert_acceleration(acceleration=made, reason="Accord de paiement", by=None)

    again = standing.accelerate_late(seller=agency, on=date(2026, 2, 18))

    assert again == []
    assert sel.effective_due_date(later).value == later.due_date
    assert late.pk != later.pk


def test_an_invoice_issued_after_the_lateness_began_is_not_brought_forward(agency, client):
    make_issued_invoice(agency, client, now=FIRST, lines=[LINE])  # late from 17 February
    issued_in_march = timezone.make_aware(datetime(2026, 3, 2, 10), TZ)
    march = make_issued_invoice(agency, client, now=issued_in_march, lines=[LINE])

    made = standing.accelerate_late(seller=agency, on=date(2026, 3, 3))

    assert made == []
    assert sel.effective_due_date(march).value == march.due_date


def test_the_nightly_accrual_keeps_an_accelerated_due_date(agency, client):
    from clausier.collections.models import LateInvoice
    from clausier.collections.tasks import accrue_all

    make_issued_invoice(agency, client, now=FIRST, lines=[LINE])
    later = make_issued_invoice(agency, client, now=SECOND, lines=[LINE])
    standing.accelerate_late(seller=agency, on=date(2026, 2, 17))

    accrue_all(on=date(2026, 3, 1))
    first = LateInvoice.objects.get(invoice=later)
    accrue_all(on=date(2026, 3, 2))
    second = LateInvoice.objects.get(invoice=later)

    # Due 17 February once brought forward: late from 18 February, 12 then 13 days.
    assert first.due_date == date(2026, 2, 17)
    assert (first.days_late, second.days_late) == (12, 13)
    assert second.interest > first.interest
