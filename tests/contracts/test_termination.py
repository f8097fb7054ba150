"""Seed 002 art. 7: at termination, the work done up to the effective date and not yet paid
is due; art. 12b: prepaid future periods are refunded pro rata temporis; the services stop
(``service.terminate``) and the contract of an online order ends its metered subscription."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.contracts import services, tasks
from clausier.contracts.models import Contract
from clausier.kernel.errors import InvalidTransition
from clausier.metering.models import Subscription
from tests.contracts.conftest import open_yearly
from tests.factories.metering import active_subscription
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

MAINTENANCE = {"kind": "maintenance", "description": "Maintenance (MCO)", "amount_ht": "1200.00"}


def test_a_notice_in_time_ends_the_contract_at_its_term_with_the_unpaid_work_invoiced(
    agency, bakery
):
    contract = open_yearly(
        agency,
        bakery,
        start_on=date(2026, 1, 1),
        lines=[dict(MAINTENANCE, paid_through=date(2026, 5, 31))],
    )
    services.record_notice(
        contract=contract,
        given_by="client",
        channel="registered_letter",
        sent_on=date(2026, 11, 25),
        received_on=date(2026, 11, 27),
        tracking_number="1A00000000001",
        by=None,
        now=paris(2026, 11, 27, 15),
    )
    # Still served to its term: not ended on the term's last day.
    assert services.advance(contract=contract, today=date(2026, 12, 31)).status == "notice_given"

    tasks.run_day(today=date(2027, 1, 1))
    contract = Contract.objects.get(pk=contract.pk)
    assert (contract.status, contract.ended_on) == ("terminated", date(2026, 12, 31))
    # 1 200,00 € × 214 days (1 June - 31 December) / 365 = 703,56 € still owed.
    assert contract.final_amount_ht == Decimal("703.56")
    assert contract.refund_amount_ht == Decimal("0.00")
    # The final invoice: the unpaid work, one line, under the contract's terms.
    from clausier.invoicing.models import Invoice

    [invoice] = Invoice.objects.filter(client=bakery)
    assert invoice.total_ht == Decimal("703.56")
    assert invoice.terms_label == "v3.0"
    [line] = invoice.lines.all()
    assert "01/06/2026 au 31/12/2026" in line.description
    terminated = Event.objects.get(verb="contract.terminated", object_id=str(contract.pk))
    assert terminated.summary["after"]["final_amount_ht"] == "703.56"
    # Ended contracts are left alone by the next runs.
    tasks.run_day(today=date(2027, 1, 2))
    with pytest.raises(InvalidTransition):
        services.terminate(
            contract=contract, effective_on=date(2027, 1, 2), reason="notice_at_term", by=None
        )


def test_an_activated_online_order_is_a_monthly_contract_and_its_end_stops_the_service(
    paas, paas_company
):
    from clausier.webhooks import services as webhook_services
    from clausier.webhooks.models import WebhookDelivery

    webhook_services.create_endpoint(
        seller=paas,
        url="https://runtime.example.test/hooks",
        events=["service.terminate"],
        by=None,
    )
    subscription = active_subscription(paas, paas_company, reference="ch_c1")
    contract = Contract.objects.get(order=subscription.order)
    assert (contract.period_months, contract.start_on) == (1, date(2026, 5, 12))
    assert (contract.term_start, contract.term_end) == (date(2026, 5, 12), date(2026, 6, 11))
    # Its recurring lines (metered: billed on consumption, nothing per period).
    lines = list(contract.lines.all())
    assert {line.order_line.order_id for line in lines} == {subscription.order_id}
    assert all(line.amount_ht == 0 for line in lines if line.order_line.unit == "metered")

    services.terminate(
        contract=contract, effective_on=date(2026, 6, 11), reason="notice_at_term", by=None
    )
    assert Subscription.objects.get(pk=subscription.pk).status == "terminated"
    delivery = WebhookDelivery.objects.get(event_type="service.terminate")
    assert delivery.payload["data"]["contract_id"] == contract.pk


def test_a_contract_without_tacit_renewal_expires_at_its_term_with_its_sums(agency, bakery):
    contract = open_yearly(
        agency,
        bakery,
        start_on=date(2026, 1, 1),
        lines=[dict(MAINTENANCE, paid_through=date(2026, 12, 31))],
    )
    # A contract made for one period only (the quote said so).
    Contract.objects.filter(pk=contract.pk).update(tacit_renewal=False)

    assert services.advance(contract=contract, today=date(2026, 12, 31)).status == "active"
    ended = services.advance(contract=contract, today=date(2027, 1, 1))
    assert (ended.status, ended.end_reason, ended.ended_on) == (
        "expired",
        "not_renewed",
        date(2026, 12, 31),
    )
    assert (ended.final_amount_ht, ended.refund_amount_ht) == (Decimal("0.00"), Decimal("0.00"))
    assert Event.objects.filter(verb="contract.expired", object_id=str(contract.pk)).exists()
