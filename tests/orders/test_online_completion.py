"""An online order's service fully performed: ``completed``, its day recorded (for a
consumer's withdrawal, C. conso. L221-28 1°); only an active service can be."""

from __future__ import annotations

import pytest

from clausier.audit.models import Event
from clausier.kernel.errors import InvalidTransition
from clausier.orders import services
from clausier.orders.models import OrderStatus
from tests.factories.orders import paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def test_an_active_service_is_completed_and_a_paid_one_is_not(paas, paas_consumer, paas_staff):
    order = paid(
        paas,
        paas_consumer,
        received_at=paris(2026, 5, 4, 11, 0),
        reference="ch_done",
        express_start=True,
    )
    with pytest.raises(InvalidTransition):
        services.complete_service(order=order, by=paas_staff, now=paris(2026, 5, 5, 9, 0))

    services.activate_service(order=order, by=paas_staff, now=paris(2026, 5, 5, 9, 0))
    order = services.complete_service(order=order, by=paas_staff, now=paris(2026, 5, 8, 18, 0))

    assert (order.status, order.closed_at) == (OrderStatus.COMPLETED, paris(2026, 5, 8, 18, 0))
    assert Event.objects.filter(verb="order.completed", object_id=str(order.pk)).exists()
