"""A 0,00 € invoice is issued only once confirmed (back-office and API); a negative unit price
is no line of a sale (a discount is the line's discount, a correction a credit note)."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.invoicing.models import Invoice, InvoiceStatus
from clausier.payments import services as payment_services
from clausier.sellers.services import upsert_seller
from tests.factories import make_client, make_staff
from tests.factories.invoicing import AGENCY_IDENTITY, INVOICE_DAY
from tests.factories.quotes import install_agency

pytestmark = pytest.mark.django_db

FREE = [{"description": "Audit offert", "quantity": "1", "unit": "flat", "unit_price": "0"}]


@pytest.fixture(autouse=True)
def may_22_2026(monkeypatch):
    real_now = timezone.now
    started, start = real_now(), INVOICE_DAY.astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: start + (real_now() - started))


@pytest.fixture
def agency(db):
    seller = install_agency()
    return upsert_seller(slug=seller.slug, fields=AGENCY_IDENTITY, by=None)


@pytest.fixture
def customer(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")


def test_the_api_refuses_a_zero_invoice_until_confirmed(agency_api, customer):
    draft = agency_api.post("/invoices", {"client_id": customer.pk, "lines": FREE}).json()

    refused = agency_api.post(f"/invoices/{draft['id']}/issue")
    assert refused.status_code == 409
    assert "0,00 €" in refused.json()["detail"]
    assert Invoice.objects.get(pk=draft["id"]).status == InvoiceStatus.DRAFT

    issued = agency_api.post(f"/invoices/{draft['id']}/issue?confirm_zero=true")
    assert issued.status_code == 200, issued.content
    assert issued.json()["status"] == "issued"


def test_the_back_office_asks_to_confirm_a_zero_invoice(client, agency, customer):
    from clausier.invoicing import services

    draft = services.create_draft(seller=agency, client=customer, lines=FREE, by=None)
    client.force_login(make_staff(agency))
    url = reverse("backoffice:invoice_issue", args=[agency.slug, draft.pk])

    refused = client.post(url)
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "Émettre la facture à 0,00 €" in html
    assert Invoice.objects.get(pk=draft.pk).status == InvoiceStatus.DRAFT

    confirmed = client.post(url, {"confirm_zero": "1"})
    assert confirmed.status_code == 302
    assert Invoice.objects.get(pk=draft.pk).status == InvoiceStatus.ISSUED


def test_a_negative_price_is_refused_on_its_line(agency_api, customer):
    response = agency_api.post(
        "/invoices",
        {
            "client_id": customer.pk,
            "lines": [
                {"description": "Geste", "quantity": "1", "unit": "flat", "unit_price": "-50"}
            ],
        },
    )
    assert response.status_code == 422
    assert "remise" in response.json()["errors"]["lines[0].unit_price"]
    assert not Invoice.objects.exists()


def test_a_vat_rate_not_in_force_is_refused_on_its_line(agency_api, customer):
    line = {"description": "Audit", "quantity": "1", "unit": "flat", "unit_price": "100"}
    response = agency_api.post(
        "/invoices", {"client_id": customer.pk, "lines": [line | {"vat_rate": "0.196"}]}
    )
    assert response.status_code == 422
    assert "CGI art. 278" in response.json()["errors"]["lines[0].vat_rate"]
    assert not Invoice.objects.exists()


def test_a_payment_dated_out_of_the_plausible_window_is_refused_on_its_field(agency, customer):
    from datetime import date

    from django.core.exceptions import ValidationError

    from clausier.invoicing import services

    line = {"description": "Audit", "quantity": "1", "unit": "flat", "unit_price": "100"}
    invoice = services.issue_invoice(
        invoice=services.create_draft(seller=agency, client=customer, lines=[line], by=None),
        by=None,
    )
    for typed in (date(1999, 12, 31), date(1, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            payment_services.record_invoice_payment(
                invoice=invoice, amount="10", paid_on=typed, by=None
            )
        assert "date invraisemblable" in refused.value.message_dict["paid_on"][0]
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0
