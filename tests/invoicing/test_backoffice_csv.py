"""The CSV export of the invoice list, as an accountant opens it in Excel (French): UTF-8 with
a BOM, ";" between columns, decimal commas, the list's filters, every row (no pagination)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from clausier.invoicing import services as invoicing_services
from clausier.payments import services as payment_services
from clausier.sellers.models import Role
from tests.factories import make_client, make_draft_invoice, make_staff
from tests.factories.invoicing import days_ago, invoicing_seller, issued, vat_line

pytestmark = pytest.mark.django_db

HEADER = [
    "Numéro",
    "Type",
    "Date de facture",
    "Échéance",
    "Client",
    "SIREN",
    "Total HT",
    "TVA",
    "Total TTC",
    "Payé",
    "Reste dû",
    "État",
]


@pytest.fixture
def shop():
    return invoicing_seller()


@pytest.fixture
def studio(shop):
    return make_client(shop, "company", name="Société Générale d'Élagage", siren="732829320")


def export(client, shop, query: str = "") -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("backoffice:invoices_csv", args=[shop.slug]) + query)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="factures-')
    raw = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    return raw, rows


def amount(text: str) -> Decimal:
    assert "." not in text, text  # a decimal comma, no thousands separator
    return Decimal(text.replace(",", "."))


def test_export_reads_back_in_french_excel(client, shop, studio):
    invoice = issued(shop, studio, days=45, lines=[vat_line(quantity="3", unit_price="1234.50")])
    payment_services.record_invoice_payment(
        invoice=invoice, amount=Decimal("1000"), paid_on=days_ago(10).date(), by=None
    )
    note = invoicing_services.issue_credit_note(
        invoice=invoice,
        reason="Remise",
        lines=[vat_line(description="Remise", unit_price="100")],
        by=None,
        now=days_ago(5),
    )
    make_draft_invoice(shop, studio)
    client.force_login(make_staff(shop, Role.ACCOUNTANT))

    raw, rows = export(client, shop, "?sort=issue_date")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 accents
    assert rows[0] == HEADER
    by_number = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert len(rows) == 4  # header, invoice, credit note, draft

    first = by_number[invoice.number]
    assert first["Type"] == "Facture"
    assert first["Date de facture"] == f"{invoice.issue_date:%d/%m/%Y}"
    assert first["Échéance"] == f"{invoice.due_date:%d/%m/%Y}"
    assert first["Client"] == "Société Générale d'Élagage"
    assert first["SIREN"] == "732829320"
    assert amount(first["Total HT"]) == Decimal("3703.50")
    assert amount(first["TVA"]) == Decimal("740.70")
    assert amount(first["Total TTC"]) == Decimal("4444.20")
    assert amount(first["Payé"]) == Decimal("1000.00")
    # 4 444,20 − 1 000 paid − 120 credited.
    assert amount(first["Reste dû"]) == Decimal("3324.20")
    assert first["État"] == "En retard"

    avoir = by_number[note.number]
    assert avoir["Type"] == "Avoir"
    assert amount(avoir["Total HT"]) == Decimal("-100.00")  # an avoir reduces the ledger
    assert amount(avoir["Total TTC"]) == Decimal("-120.00")
    assert amount(avoir["Reste dû"]) == Decimal("0")

    draft = by_number[""]
    assert draft["État"] == "Brouillon"
    assert draft["Date de facture"] == ""


def test_export_takes_the_lists_filters(client, shop, studio):
    bakery = make_client(shop, "company", name="Boulangerie", siren="552081317")
    old = issued(shop, studio, days=60)
    recent = issued(shop, bakery, days=2)
    make_draft_invoice(shop, studio)
    client.force_login(make_staff(shop, Role.OWNER))

    _raw, rows = export(client, shop, "?overdue=1")
    assert [r[0] for r in rows[1:]] == [old.number]
    _raw, rows = export(client, shop, f"?status=issued&client={bakery.pk}")
    assert [r[0] for r in rows[1:]] == [recent.number]
    _raw, rows = export(client, shop, f"?date_from={days_ago(10).date():%Y-%m-%d}")
    assert [r[0] for r in rows[1:]] == [recent.number]


def test_export_holds_every_row_beyond_a_page(client, shop, studio):
    for days in range(40, 10, -1):  # 30 invoices: more than a page of the list
        issued(shop, studio, days=days)
    client.force_login(make_staff(shop, Role.OWNER))
    _raw, rows = export(client, shop, "?status=issued")
    assert len(rows) == 31
    total = sum(amount(r[8]) for r in rows[1:])
    assert total == Decimal("600.00") * 30


def test_export_is_scoped_to_the_seller(client, shop, studio):
    issued(shop, studio, days=3)
    other = invoicing_seller("autre")
    issued(other, make_client(other, "company", name="Leur client", siren="552081317"), days=3)
    client.force_login(make_staff(shop, Role.ACCOUNTANT))
    _raw, rows = export(client, shop)
    assert [r[4] for r in rows[1:]] == [studio.name]
    client.force_login(make_staff(other, Role.SUPPORT))
    assert client.get(reverse("backoffice:invoices_csv", args=[shop.slug])).status_code == 404
