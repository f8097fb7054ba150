"""The guard of this folder's conftest: a gateway left pointing at a real provider fails
loudly instead of reaching it."""

import pytest

from clausier.payments.providers import paypal_gateway


def test_a_call_to_the_real_paypal_is_stopped(settings):
    settings.PAYPAL_CLIENT_ID = "id"
    settings.PAYPAL_CLIENT_SECRET = "secret"
    settings.PAYPAL_WEBHOOK_ID = "WH1"
    settings.PAYPAL_API_BASE = "https://api-m.sandbox.paypal.com"
    with pytest.raises(AssertionError, match="the internet is off limits"):
        paypal_gateway.get_order("5O190127TN364715T")
