"""Refund and remittance tests: the providers' local stub (no test reaches the internet),
and a seller whose account is known (the debtor of transfers, the account cheques go to)."""

import pytest

from tests.payments.providers.conftest import no_internet  # noqa: F401 (fixture)
from tests.payments.providers.stub import (  # noqa: F401 (fixtures)
    paypal_signing_key,
    provider_stub,
)

SELLER_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def banked(shop):
    shop.iban, shop.bic = SELLER_IBAN, "AGRIFRPP"
    shop.save(update_fields=["iban", "bic"])
    return shop
