"""The worked withdrawal cases of seed 000 art. 6-7 under the law (C. conso. L221-18 to
L221-28), through the real services: in time, the last day carried over a weekend, late,
after full performance with consent, after an early start with the pro rata; the refund
owed by the same means of payment and its deadline; the service ended; nothing written
when refused at the door.

The PaaS host's order: 720 h of instance (0,035 €) + a month of PostgreSQL (10,00 €) =
35,20 € HT, 42,24 € TTC, paid by card one hour after its conclusion."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.wording import worded
from clausier.payments.models import Refund
from clausier.webhooks import services as webhook_services
from clausier.withdrawal import selectors
from clausier.withdrawal import transitions as t
from clausier.withdrawal.models import WithdrawalRequest
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


def _read(withdrawal: WithdrawalRequest) -> WithdrawalRequest:
    """The withdrawal as the screens read it (its refund's state from payments' refunds)."""
    return selectors.withdrawal_for_seller(seller=withdrawal.seller, withdrawal_id=withdrawal.pk)


CONCLUDED = paris(2026, 5, 4, 10, 10)  # Monday
NOW = paris(2026, 6, 30, 12, 0)


def test_in_time_the_withdrawal_is_accepted_and_everything_refunded_by_card(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)

    # Received Mon 11/05/2026. Period: the terms' 7 jours francs end Tue 12/05 (04/05 + 7 + 1),
    # the law's 14 days Mon 18/05 (04/05 + 14): the law applies.
    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    assert (withdrawal.status, withdrawal.reason_code) == (t.ACCEPTED, t.IN_TIME)
    assert withdrawal.period_end == date(2026, 5, 18)
    labels = [s["label"] for s in withdrawal.period_explanation["steps"]]
    assert "CGV : 7 jours francs ; loi : 14 jours, L221-18" in labels[-1]
    assert withdrawal.period_explanation["clause"] == "withdrawal.period"
    # Nothing owed: the service never started. Refund 42,24 €, due 11/05 + 14 = Mon 25/05,
    # Whit Monday, carried to Tue 26/05/2026 (L221-24, CPC 642).
    assert withdrawal.amount_owed == Decimal("0")
    assert (withdrawal.received_total, withdrawal.refund_amount) == (
        Decimal("42.24"),
        Decimal("42.24"),
    )
    assert withdrawal.refund_due_on == date(2026, 5, 26)
    assert withdrawal.refund_explanation["law"].startswith("C. conso. L221-24")
    assert _read(withdrawal).refund_status == t.OWED
    [refund] = Refund.objects.filter(payment__order=order)
    assert (refund.amount, refund.method, refund.status) == (Decimal("42.24"), "card", "owed")
    assert refund.reason.startswith("Rétractation (C. conso. L221-24) : Avoir AV")
    event = Event.objects.get(verb="refund.owed", object_id=str(refund.pk))
    assert event.summary["trigger"] == "withdrawal_accepted"
    assert Event.objects.filter(verb="withdrawal.accepted", object_id=str(withdrawal.pk)).exists()


def test_the_last_day_on_a_saturday_is_carried_to_the_monday(paas, paas_consumer, paas_staff):
    # Concluded Sat 06/06/2026: 06/06 + 14 = Sat 20/06 -> Mon 22/06/2026 (CPC 642).
    order = concluded_order(paas, paas_consumer, concluded_at=paris(2026, 6, 6, 11, 0))

    withdrawal = registered(order, received_on=date(2026, 6, 22), by=paas_staff, now=NOW)

    assert withdrawal.status == t.ACCEPTED
    assert withdrawal.period_end == date(2026, 6, 22)
    assert any("CPC 642" in s["label"] for s in withdrawal.period_explanation["steps"])
    # Refund due 22/06 + 14 = Mon 06/07/2026.
    assert withdrawal.refund_due_on == date(2026, 7, 6)


def test_late_the_withdrawal_is_refused_with_the_deadline_explained(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)

    # Received Tue 19/05/2026, the day after the period ended (Mon 18/05).
    withdrawal = registered(order, received_on=date(2026, 5, 19), by=paas_staff, now=NOW)

    assert (withdrawal.status, withdrawal.reason_code) == (t.REFUSED, t.LATE)
    assert worded(withdrawal.reason[0]) == (
        "Rétractation reçue le 19/05/2026, après la fin du délai de rétractation le "
        "18/05/2026 : refusée (C. conso. L221-18)."
    )
    assert withdrawal.period_end == date(2026, 5, 18)
    assert (_read(withdrawal).refund_status, withdrawal.refund_amount) == (t.NONE, Decimal("0"))
    assert not Refund.objects.filter(payment__order=order).exists()


def test_after_full_performance_with_consent_the_withdrawal_is_refused(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
        completed_at=paris(2026, 5, 8, 18, 0),
    )

    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    assert (withdrawal.status, withdrawal.reason_code) == (t.REFUSED, t.FULLY_PERFORMED)
    assert "L221-28 1°" in withdrawal.reason[0]["params"]["law"]
    assert not Refund.objects.filter(payment__order=order).exists()


def test_a_withdrawal_received_before_the_service_was_completed_is_not_refused_for_it(
    paas, paas_consumer, paas_staff
):
    # Received by post on 7 May; the service was completed on 8 May: when the consumer
    # withdrew, it was not fully performed (L221-28 1° does not apply).
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
        completed_at=paris(2026, 5, 8, 18, 0),
    )

    withdrawal = registered(order, received_on=date(2026, 5, 7), by=paas_staff, now=NOW)

    assert withdrawal.status == t.ACCEPTED
    assert withdrawal.reason_code != t.FULLY_PERFORMED


def test_after_an_early_start_the_consumer_owes_the_service_provided_pro_rata(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )

    withdrawal = registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=NOW)

    # The service's period: its longest line, the month of PostgreSQL from Tue 05/05 to
    # Fri 05/06 = 31 days (the 720 h of instance are 30). Provided 05/05..11/05 = 7 days.
    # 42,24 € × 7 / 31 = 9,5380… -> 9,54 € owed; refunded 42,24 - 9,54 = 32,70 €.
    assert (withdrawal.status, withdrawal.reason_code) == (t.ACCEPTED, t.EARLY_START)
    assert withdrawal.amount_owed == Decimal("9.54")
    assert withdrawal.amount_explanation["law"] == "C. conso. L221-25"
    assert withdrawal.amount_explanation["inputs"]["period_days"] == 31
    assert withdrawal.refund_amount == Decimal("32.70")
    [refund] = Refund.objects.filter(payment__order=order)
    assert refund.amount == Decimal("32.70")
    # Seed 000 art. 7 ("refusée si le client a utilisé ... le service") is not applied.
    said = [sentence["message"] for sentence in withdrawal.reason]
    assert any("ne s'applique pas à un consommateur" in s for s in said)


def test_the_service_ends_with_a_signed_service_terminate_webhook(
    paas, paas_consumer, paas_staff, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )
    with Receiver() as receiver:
        webhook_services.create_endpoint(
            seller=paas, url=receiver.url, events=["service.terminate"], by=paas_staff
        )
        with django_capture_on_commit_callbacks(execute=True):
            withdrawal = registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=NOW)

        [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "service.terminate"
    assert body["data"] == {
        "order_id": order.pk,
        "reference": order.reference,
        "client": {"id": paas_consumer.pk},
        "reason": "withdrawal",
        "withdrawal_id": withdrawal.pk,
        "received_on": "2026-05-12",
    }


def test_a_professional_client_is_refused_and_nothing_is_written(paas, paas_company, paas_staff):
    order = concluded_order(paas, paas_company, concluded_at=CONCLUDED)

    with pytest.raises(DomainError, match="droit du consommateur"):
        registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    assert not WithdrawalRequest.objects.exists()


def test_a_second_withdrawal_from_the_same_order_is_a_conflict(paas, paas_consumer, paas_staff):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    with pytest.raises(Conflict):
        registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=NOW)

    assert Refund.objects.filter(payment__order=order).count() == 1


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        (date(2026, 7, 1), "dans le futur"),
        (date(2026, 5, 3), "précéder la conclusion"),
        ("2026-05-11", "date attendue"),
    ],
)
def test_a_received_date_out_of_bounds_is_refused_naming_the_field(
    paas, paas_consumer, paas_staff, received_on, message
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)

    with pytest.raises(ValidationError) as refused:
        registered(order, received_on=received_on, by=paas_staff, now=NOW)

    assert message in refused.value.message_dict["received_on"][0]
    assert not WithdrawalRequest.objects.exists()
