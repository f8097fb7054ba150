"""Online payments: the providers' stub, the no-internet guard, and deliveries signed with the
providers' real schemes posted to the webhook views."""

from __future__ import annotations

import pytest

from tests.payments.providers.conftest import no_internet  # noqa: F401 (fixture)
from tests.payments.providers.stub import (  # noqa: F401 (fixtures)
    no_provider_keys,
    paypal_signing_key,
    provider_stub,
    signed_paypal_delivery,
    signed_stripe_delivery,
)


def post_stripe(client, event_type: str, obj: dict, *, event_id: str = ""):
    body, headers = signed_stripe_delivery(event_type, obj, event_id=event_id)
    return post_raw(client, "/webhooks/stripe/", body, headers)


def post_paypal(client, stub, event_type: str, resource: dict, *, event_id: str = ""):
    body, headers = signed_paypal_delivery(stub, event_type, resource, event_id=event_id)
    return post_raw(client, "/webhooks/paypal/", body, headers)


def post_raw(client, url: str, body: bytes, headers: dict[str, str]):
    return client.post(
        url,
        data=body,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k.lower() != "content-type"},
    )


@pytest.fixture
def stub(provider_stub):  # noqa: F811
    return provider_stub
