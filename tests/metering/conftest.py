"""Metering fixtures: the PaaS host (seed 000), a subscription of its professional client
and its meters."""

from __future__ import annotations

import pytest

from tests.factories.metering import active_subscription, meter


@pytest.fixture
def subscription(paas, paas_company):
    return active_subscription(paas, paas_company)


@pytest.fixture
def requests_meter(paas):
    return meter(paas, "requests")


@pytest.fixture
def gauge_meter(paas):
    return meter(paas, "credit", name="Crédit", unit="EUR", aggregation="sum", allow_negative=True)


@pytest.fixture
def users_meter(paas):
    return meter(
        paas, "users", unit="utilisateur", aggregation="unique_count", unique_property="user"
    )
