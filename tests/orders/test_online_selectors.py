"""Late executions (art. 8): paid orders whose service has not started by the deadline."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.orders import selectors, services
from tests.factories import make_client
from tests.factories.orders import awaiting_payment, paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(paas, paas_consumer, paas_company):
    # Paid Fri 8 May (holiday): deadline Wed 20 May. Paid Wed 13 May: deadline Tue 26 May
    # (Ascension and Whit Monday skipped). See test_online_orders for the counts.
    late = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_1")
    later = paid(paas, paas_company, received_at=paris(2026, 5, 13, 9), reference="ch_2")
    started = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 16), reference="ch_3")
    services.activate_service(order=started, by=None, now=paris(2026, 5, 22, 9))
    unpaid = awaiting_payment(paas, make_client(paas, kind="consumer"))
    return {"late": late, "later": later, "started": started, "unpaid": unpaid}


def test_the_deadline_day_itself_is_not_late(paas, orders):
    assert selectors.late_executions(seller=paas, today=date(2026, 5, 20)) == []


def test_given_paid_orders_past_their_deadline_then_they_are_listed_with_the_reason(
    paas, orders, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = selectors.late_executions(seller=paas, today=date(2026, 5, 21))
    [item] = first
    assert item.order == orders["late"]
    assert item.deadline == date(2026, 5, 20)
    assert item.explanation["clause"] == "execution.deadline"
    assert item.explanation["value"] == "2026-05-20"
    assert item.why == (
        "exécution en retard : art. 8 CGV v1.1 : 7 jours ouvrés après la réception du "
        "paiement (08/05/2026), soit au plus tard le 20/05/2026"
    )

    with django_assert_num_queries(1):
        both = selectors.late_executions(seller=paas, today=date(2026, 5, 27))
    assert [(i.order, i.deadline) for i in both] == [
        (orders["late"], date(2026, 5, 20)),
        (orders["later"], date(2026, 5, 26)),
    ]
    assert both[1].order.client.name == "Studio Graphique Loire SARL"  # no extra query


def test_late_executions_are_scoped_to_the_seller(orders, agency):
    assert selectors.late_executions(seller=agency, today=date(2026, 6, 30)) == []
