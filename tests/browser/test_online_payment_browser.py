"""A client pays an invoice by card from the portal, against the providers' local stub: the
stub's pay page, back to the portal, the payment confirmed by the signed webhook, the
receipt."""

from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clausier.payments.models import Payment
from tests.factories import (
    PASSWORD,
    make_client,
    make_contact,
    make_issued_invoice,
    make_published_terms,
    make_seller,
)
from tests.payments.providers.stub import (  # noqa: F401 (fixtures)
    paypal_signing_key,
    provider_stub,
)

pytestmark = pytest.mark.django_db(transaction=True)
DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


def test_a_client_pays_an_invoice_by_card_and_opens_the_receipt(
    live_server,
    page,
    provider_stub,  # noqa: F811
):
    seller = make_seller("boutique", vat_number="FR87524172699")
    make_published_terms(seller)
    customer = make_client(seller, kind="consumer", name="Julien Martin")
    invoice = make_issued_invoice(seller, customer, now=DAY, lines=[LINE])
    contact = make_contact(customer, name="Julien Martin")
    provider_stub.webhook_targets["stripe"] = live_server.url + "/webhooks/stripe/"

    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(contact.user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/portal/invoices/{invoice.pk}/")
    page.get_by_role("button", name="Payer par carte").click()

    # The provider's page (the stub's), then back to the portal.
    expect(page.get_by_role("heading", name="Stripe Checkout (stub)")).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_role("heading", name="Paiement reçu : merci !")).to_be_visible()

    page.get_by_role("link", name="Voir le reçu").click()
    expect(page.get_by_role("heading", name="Reçu du paiement")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(invoice.number)
    payment = Payment.objects.get()
    assert payment.status == "succeeded"
    assert payment.method == "card"
