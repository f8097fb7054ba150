"""The providers' stub and its fixtures (tests/payments/providers/stub.py)."""

from tests.payments.providers.stub import (  # noqa: F401 (fixtures)
    no_provider_keys,
    paypal_signing_key,
    provider_stub,
)
