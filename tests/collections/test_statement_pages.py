"""The account statement as the client and staff read it: the back-office client account
page, the portal's "Mon relevé de compte" (a client sees only its own), the PDF of both
sides read back, the invoice's late-payment panel, and ``GET /clients/{id}/statement``."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import make_client, make_contact, make_issued_invoice, make_staff
from tests.factories.payments import transfer

ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}
ON = "2026-04-15"


@pytest.fixture
def late(shop, company):
    """1200.00 TTC due 16 February 2026, 600.00 paid 16 March: on 15 April, 9.26 of interest
    and the 40 EUR indemnity (tests/collections/test_penalties_api.py)."""
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    transfer(shop, company, amount="600.00", on=date(2026, 3, 16), invoices=[(invoice, "600.00")])
    return invoice


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_staff_read_the_client_account_with_each_figure_explained(client, shop, company, late):
    client.force_login(make_staff(shop))

    page = client.get(
        reverse("backoffice:client_account", args=[shop.slug, company.pk]) + f"?on={ON}"
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert late.number in html
    assert "649,26" in html  # the total due
    assert "9,26" in html
    assert "40,00" in html
    assert "Pourquoi ?" in html
    assert "late.penalty" in html  # the interest's clause, in its explanation
    assert "600,00\xa0€ + 9,26\xa0€ + 40,00\xa0€ = 649,26\xa0€" in html


def test_the_statement_pdf_reads_back_with_its_figures_and_explanations(
    client, shop, company, late
):
    client.force_login(make_staff(shop))

    answer = client.get(
        reverse("backoffice:client_account_pdf", args=[shop.slug, company.pk]) + f"?on={ON}"
    )

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Relevé de compte" in text
    assert late.number in text
    assert "649,26" in text
    assert "Pourquoi ces montants" in text
    assert "C. com. L441-10" in text


def test_the_client_reads_its_own_statement_and_pdf_in_the_portal(client, shop, company, late):
    contact = make_contact(company)
    client.force_login(contact.user)

    page = client.get(reverse("portal:statement") + f"?on={ON}")
    pdf = client.get(reverse("portal:statement_pdf") + f"?on={ON}")

    assert page.status_code == 200
    assert "649,26" in page.content.decode()
    assert reverse("portal:invoice", args=[late.pk]) in page.content.decode()
    assert "649,26" in pdf_text(pdf.content)


def test_a_client_never_sees_another_clients_statement(client, shop, company, late):
    other = make_client(shop, "company", name="Autre SARL", siren="732829320")
    client.force_login(make_contact(other).user)

    page = client.get(reverse("portal:statement") + f"?on={ON}")
    invoice = client.get(reverse("portal:invoice", args=[late.pk]))

    assert late.number not in page.content.decode()
    assert "Autre SARL" in page.content.decode()
    assert invoice.status_code == 404


def test_another_sellers_staff_get_404_on_the_client_account(client, shop, company, late):
    from tests.factories import make_seller

    stranger = make_seller("autre-vendeur")
    client.force_login(make_staff(stranger))

    page = client.get(reverse("backoffice:client_account", args=[shop.slug, company.pk]))

    assert page.status_code == 404


def test_the_api_answers_the_statement_with_its_explanations(api, shop, company, late):
    answer = api.get(f"/clients/{company.pk}/statement?on={ON}")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [line["kind"] for line in body["lines"]] == [
        "invoice",
        "payment",
        "interest",
        "indemnity",
    ]
    assert [line["balance"] for line in body["lines"]] == [
        "1200.00",
        "600.00",
        "609.26",
        "649.26",
    ]
    assert (body["interest"], body["indemnities"], body["total_due"]) == (
        "9.26",
        "40.00",
        "649.26",
    )
    assert body["lines"][2]["explanation"]["clause"] == "late.penalty"
    assert body["explanations"]["indemnities"]["law"] == "C. com. L441-10"
    assert body["missing_rates"] == []


def test_the_api_refuses_a_bad_date_and_another_sellers_client(api, shop, company):
    from tests.factories import make_seller

    stranger = make_client(make_seller("ailleurs"), "company", siren="732829320")

    bad = api.get(f"/clients/{company.pk}/statement?on=2026-02-30")
    missing = api.get(f"/clients/{stranger.pk}/statement")

    assert bad.status_code == 422
    assert "on" in bad.json()["errors"]
    assert missing.status_code == 404
