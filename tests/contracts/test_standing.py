"""A contract follows its client's standing: suspended with the client for non-payment (seed
002 art. 6) and resumed with it; ended, with no final sums of its own, when the consumer
withdraws from the order it was opened for (C. conso. L221-18; invoicing credits the order)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from clausier.audit.models import Event
from clausier.collections import standing
from clausier.contracts.models import Contract
from clausier.invoicing.models import Invoice
from tests.collections.conftest import LATE_PENALTY
from tests.collections.test_standing import LATE_CONSEQUENCES, LINE
from tests.contracts.conftest import open_yearly
from tests.factories import make_client, make_issued_invoice, make_published_terms, make_seller
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered

pytestmark = pytest.mark.django_db

# Issued Thursday 15 January 2026, due Monday 16 February: late from 17 February.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())


def test_a_client_suspended_for_non_payment_has_its_active_contracts_suspended_then_resumed():
    seller = make_seller("suspendeur", vat_number="FR87524172699")
    make_published_terms(seller, more_clauses=(LATE_PENALTY, LATE_CONSEQUENCES))
    client = make_client(seller, kind="company", name="Atelier Dupont SARL", siren="552081317")
    running = open_yearly(seller, client, start_on=date(2026, 1, 1), reference="C-1")
    ended = open_yearly(seller, client, start_on=date(2025, 1, 1), reference="C-0")
    Contract.objects.filter(pk=ended.pk).update(status="expired")
    make_issued_invoice(seller, client, now=ISSUED, lines=[LINE])

    standing.suspend(client=client, by=None)

    running.refresh_from_db()
    assert running.status == "suspended"
    assert Contract.objects.get(pk=ended.pk).status == "expired"
    event = Event.objects.get(verb="contract.suspended", object_id=str(running.pk))
    assert event.summary["after"] == {"status": "suspended", "clause": "art. 6 CGV v1"}
    assert event.summary["trigger"] == "client_suspended"

    standing.resume(client=client, reason="staff", by=None)
    running.refresh_from_db()
    assert running.status == "active"
    assert Event.objects.filter(verb="contract.resumed", object_id=str(running.pk)).exists()


def test_a_withdrawal_ends_the_orders_contract_without_final_sums(paas, paas_consumer, paas_staff):
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=paris(2026, 5, 4, 10, 10),
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )
    contract = Contract.objects.get(order=order)
    assert (contract.term_start, contract.term_end) == (date(2026, 5, 5), date(2026, 6, 4))

    registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=paris(2026, 6, 30, 12))

    contract.refresh_from_db()
    assert (contract.status, contract.end_reason, contract.ended_on) == (
        "terminated",
        "withdrawal",
        date(2026, 5, 12),
    )
    assert (contract.final_amount_ht, contract.refund_amount_ht) == (Decimal("0"), Decimal("0"))
    # The order's invoice and the withdrawal's credit note only: no final invoice, no credit
    # note of the contract's own.
    kinds = sorted(Invoice.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["credit_note", "standard"]


def test_a_withdrawn_orders_service_is_told_to_stop_once(paas, paas_consumer, paas_staff):
    from clausier.webhooks import services as webhook_services
    from clausier.webhooks.models import WebhookDelivery

    webhook_services.create_endpoint(
        seller=paas, url="https://runtime.example.test/hooks", events=["service.terminate"], by=None
    )
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=paris(2026, 5, 4, 10, 10),
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )
    registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=paris(2026, 6, 30, 12))
    assert Contract.objects.get(order=order).status == "terminated"
    assert WebhookDelivery.objects.filter(event_type="service.terminate").count() == 1
