"""The webhook delivery state table."""

from __future__ import annotations

import pytest

from clausier.kernel.errors import InvalidTransition
from clausier.webhooks import transitions as t
from clausier.webhooks.models import DeliveryStatus


def test_the_table_names_the_models_states():
    assert set(t.TRANSITIONS) == set(DeliveryStatus.values)


def test_a_delivered_webhook_is_final():
    with pytest.raises(InvalidTransition, match="« succeeded » à « pending » impossible"):
        t.check(label="msg_1", current=t.SUCCEEDED, target=t.PENDING)


class Endpoint:
    def __init__(self, active: bool) -> None:
        self.active = active


class Delivery:
    def __init__(self, status: str, active: bool = True) -> None:
        self.status, self.endpoint = status, Endpoint(active)


@pytest.mark.parametrize(
    ("status", "active", "actions"),
    [
        (t.FAILED, True, {t.RETRY}),
        (t.PENDING, True, {t.RETRY}),
        (t.SUCCEEDED, True, set()),
        (t.FAILED, False, set()),  # reactivate the endpoint first
    ],
)
def test_retry_is_offered_when_the_table_and_the_endpoint_allow_it(status, active, actions):
    assert t.allowed_actions(Delivery(status, active)) == actions
