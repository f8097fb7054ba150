"""Which online methods are on: none without keys; half a configuration stops the process."""

import os
import subprocess
import sys

import pytest
from django.utils import translation

from clausier.payments.providers import (
    TEST_KEYS_HELP,
    Provider,
    ProviderNotConfigured,
    available_methods,
    is_configured,
    paypal_gateway,
    stripe_gateway,
)

PROVIDER_VARIABLES = {
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
    "PAYPAL_CLIENT_ID",
    "PAYPAL_CLIENT_SECRET",
    "PAYPAL_WEBHOOK_ID",
    "PAYPAL_API_BASE",
    "PAYPAL_CERT_HOSTS",
}
SETUP = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.PAYPAL_API_BASE, settings.STRIPE_API_BASE)"
)


def run_setup(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PROVIDER_VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="clausier.settings")
    return subprocess.run(
        [sys.executable, "-c", SETUP], env=clean, capture_output=True, text=True, timeout=60
    )


def test_without_keys_no_online_method_is_offered(no_provider_keys):
    assert available_methods() == ()
    assert not is_configured(Provider.STRIPE)
    with translation.override("fr"):
        assert "STRIPE_SECRET_KEY" in str(TEST_KEYS_HELP)
        assert "PAYPAL_WEBHOOK_ID" in str(TEST_KEYS_HELP)


def test_each_configured_provider_is_offered(no_provider_keys, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_1"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_1"
    assert available_methods() == (Provider.STRIPE,)
    settings.PAYPAL_CLIENT_ID = "id"
    settings.PAYPAL_CLIENT_SECRET = "secret"
    settings.PAYPAL_WEBHOOK_ID = "WH1"
    assert available_methods() == (Provider.STRIPE, Provider.PAYPAL)


def test_a_gateway_called_without_keys_says_which_to_set(no_provider_keys):
    with pytest.raises(ProviderNotConfigured, match="STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"):
        stripe_gateway.retrieve_checkout_session("cs_test_1")
    with pytest.raises(ProviderNotConfigured, match="PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET"):
        paypal_gateway.get_order("5O190127TN364715T")


def test_development_defaults_use_paypal_sandbox_and_stripe():
    result = run_setup()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://api-m.sandbox.paypal.com", "https://api.stripe.com"]


def test_production_defaults_to_paypal_live():
    result = run_setup(DJANGO_DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="factures.example.fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "https://api-m.paypal.com"


def test_complete_configurations_start():
    result = run_setup(
        STRIPE_SECRET_KEY="sk_test_abc",
        STRIPE_WEBHOOK_SECRET="whsec_abc",
        PAYPAL_CLIENT_ID="id",
        PAYPAL_CLIENT_SECRET="secret",
        PAYPAL_WEBHOOK_ID="WH1",
        STRIPE_API_BASE="http://127.0.0.1:12111",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"STRIPE_SECRET_KEY": "sk_test_abc"},
            "Stripe is half configured: STRIPE_SECRET_KEY set but STRIPE_WEBHOOK_SECRET missing",
        ),
        (
            {"STRIPE_WEBHOOK_SECRET": "whsec_abc"},
            "STRIPE_WEBHOOK_SECRET set but STRIPE_SECRET_KEY missing",
        ),
        (
            {"PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret"},
            "PayPal is half configured: PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET set but "
            "PAYPAL_WEBHOOK_ID missing",
        ),
        (
            {"STRIPE_SECRET_KEY": "pk_test_abc", "STRIPE_WEBHOOK_SECRET": "whsec_abc"},
            "never the publishable key",
        ),
        (
            {"STRIPE_SECRET_KEY": "sk_test_abc", "STRIPE_WEBHOOK_SECRET": "abc"},
            "STRIPE_WEBHOOK_SECRET must be the webhook endpoint's signing secret",
        ),
        (
            {"PAYPAL_API_BASE": "http://api-m.paypal.com"},
            "PAYPAL_API_BASE='http://api-m.paypal.com': expected an https:// address",
        ),
    ],
)
def test_half_or_wrong_configuration_stops_the_process_naming_the_variable(env, message):
    result = run_setup(**env)
    assert result.returncode != 0
    assert message in result.stderr
