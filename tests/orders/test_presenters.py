"""The order as shown (``orders/presenters.py``): one set of rows for the back-office and the
client space, the unit in words whatever the order's origin."""

import pytest

from clausier.orders import presenters
from tests.factories.invoicing import accepted_order
from tests.factories.orders import recap

pytestmark = pytest.mark.django_db


def test_an_online_orders_rows_name_the_catalog_unit_with_code_and_unit_price_ttc(
    paas, paas_consumer
):
    order = recap(paas, paas_consumer)
    rows = presenters.line_rows(order)
    assert [row.code for row in rows] == ["instance-app", "addon-postgresql"]
    assert rows[0].unit == "heure d'instance"  # the catalog's metered unit, not "metered"
    assert sum(row.amount for row in rows) == order.total_ht
    assert all(row.unit_price_ttc is not None for row in rows)


def test_an_order_from_a_quote_names_the_quotes_unit(agency, bakery):
    order = accepted_order(agency, bakery)
    units = [row.unit for row in presenters.line_rows(order)]
    assert units[:2] == ["forfait", "jour"]
