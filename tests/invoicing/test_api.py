"""Invoices and credit notes through the API: drafts, issue, corrections, payments, lists.

The agency of seed 002 (CGV v3.0: 293 B franchise, due 14 jours ouvrés after the invoice
date, 3 × the legal rate) with its identity completed, as it must be before it invoices. The
API dates documents today: the clock stands on Friday 22 May 2026 in Paris (2026 S1, whose
legal rate is in the table), the day of ``tests.factories.invoicing.INVOICE_DAY``.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone
from facturx import xml_check_xsd
from lxml import etree

from clausier.invoicing import services
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.payments import services as payment_services
from clausier.sellers.services import upsert_seller
from tests.factories import make_client, make_contact
from tests.factories.catalog import make_product
from tests.factories.invoicing import AGENCY_IDENTITY, INVOICE_DAY
from tests.factories.quotes import install_agency, paris

pytestmark = pytest.mark.django_db

LINES = [
    {"description": "Audit SEO", "quantity": "1", "unit": "flat", "unit_price": "500"},
    {"description": "Rédaction", "quantity": "2.5", "unit": "day", "unit_price": "350"},
]
# 500,00 + 875,00 = 1 375,00 € HT, no VAT (293 B).


@pytest.fixture(autouse=True)
def may_22_2026(monkeypatch):
    """The clock: 22 May 2026, 10:00 in Paris, then running."""
    real_now = timezone.now
    started, start = real_now(), INVOICE_DAY.astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: start + (real_now() - started))


@pytest.fixture
def agency(db):
    """Overrides the API fixture: the seed's agency with its identity completed."""
    seller = install_agency()
    return upsert_seller(slug=seller.slug, fields=AGENCY_IDENTITY, by=None)


@pytest.fixture
def customer(agency):
    client = make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")
    make_contact(client, name="Camille Martin", role="Gérante")
    return client


def create(api, customer, lines=LINES, **extra):
    response = api.post("/invoices", {"client_id": customer.pk, "lines": lines} | extra)
    assert response.status_code == 201, response.content
    return response.json()


def issued(api, customer, lines=LINES) -> dict:
    draft = create(api, customer, lines)
    response = api.post(f"/invoices/{draft['id']}/issue")
    assert response.status_code == 200, response.content
    return response.json()


# --- the whole life ---------------------------------------------------------------------------


def test_an_invoice_from_draft_to_paid(agency_api, agency, customer):
    make_product(agency, code="MAINT-MOIS", name="Maintenance mensuelle", price_ht="90.00")

    # A draft: no number, lines priced, totals kept current.
    draft = create(
        agency_api,
        customer,
        [*LINES, {"product_code": "MAINT-MOIS", "quantity": "2"}],
        notes="Bon de commande client n° 42",
    )
    assert (draft["status"], draft["kind"], draft["number"]) == ("draft", "standard", "")
    assert draft["client_name"] == "Boulangerie Martin SARL"
    assert [line["amount_ht"] for line in draft["lines"]] == ["500.00", "875.00", "180.00"]
    catalog = draft["lines"][2]
    assert (catalog["product_code"], catalog["description"]) == (
        "MAINT-MOIS",
        "Maintenance mensuelle",
    )
    assert catalog["unit_price"] == "90.0000"
    assert (draft["total_ht"], draft["total_vat"], draft["total_ttc"]) == (
        "1555.00",
        "0.00",
        "1555.00",
    )
    assert (draft["document"], draft["hashes"], draft["mentions"]) == (None, None, None)
    assert draft["payment_status"] == ""

    # Edited while a draft: lines replaced as a whole.
    invoice_id = draft["id"]
    response = agency_api.patch(
        f"/invoices/{invoice_id}", {"notes": "Livraison en juin", "lines": LINES}
    )
    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "Livraison en juin"
    assert response.json()["total_ttc"] == "1375.00"

    # Issued: numbered, dated today, frozen, chained.
    response = agency_api.post(f"/invoices/{invoice_id}/issue")
    assert response.status_code == 200, response.content
    invoice = response.json()
    assert (invoice["status"], invoice["number"]) == ("issued", "F2026-000001")
    assert (invoice["issue_date"], invoice["due_date"]) == ("2026-05-22", "2026-06-12")
    assert "14 jours ouvrés" in invoice["due_date_explanation"]
    assert "12/06/2026" in invoice["due_date_explanation"]
    mentions = invoice["mentions"]
    assert mentions["vat"] == ["TVA non applicable, art. 293 B du CGI"]
    assert mentions["late_penalty_rate"] == "7.86"  # 3 × 2,62 %, the legal rate of 2026 S1
    assert "40" in mentions["recovery_indemnity"]
    assert mentions["early_payment_discount"] == "Pas d'escompte pour paiement anticipé."
    assert mentions["iban"] == AGENCY_IDENTITY["iban"]
    document = invoice["document"]
    assert document["number"] == "F2026-000001"
    assert document["seller"]["siren"] == AGENCY_IDENTITY["siren"]
    assert document["buyer"]["siren"] == "552081317"
    assert document["total_ttc"] == "1375.00"
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    hashes = invoice["hashes"]
    assert hashes["content_hash"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert hashes["previous_hash"] == ""
    link = f"{hashes['previous_hash']}\n{hashes['content_hash']}"
    assert hashes["chain_hash"] == hashlib.sha256(link.encode()).hexdigest()
    assert invoice["delivery"]["email_status"] in {"not_sent", "queued", "sent"}
    assert invoice["payment_status"] == "to_pay"
    assert invoice["creditable"] == {"ttc": "1375.00", "ht_by_vat_rate": {"0": "1375.00"}}

    # A partial credit note: one day of the second line.
    response = agency_api.post(
        f"/invoices/{invoice_id}/credit-notes",
        {
            "reason": "Une journée de rédaction non réalisée",
            "lines": [{"line": 1, "quantity": "1"}],
        },
    )
    assert response.status_code == 201, response.content
    note = response.json()
    assert (note["kind"], note["status"], note["number"]) == (
        "credit_note",
        "issued",
        "AV2026-000001",
    )
    assert note["corrects_id"] == invoice_id
    assert note["reason"] == "Une journée de rédaction non réalisée"
    assert [(ln["description"], ln["quantity"], ln["unit"]) for ln in note["lines"]] == [
        ("Rédaction", "1.000", "day")
    ]
    assert note["total_ttc"] == "350.00"
    assert note["document"]["corrected_number"] == "F2026-000001"
    assert note["document"]["kind"] == "credit_note"

    invoice = agency_api.get(f"/invoices/{invoice_id}").json()
    assert invoice["credit_note_ids"] == [note["id"]]
    assert invoice["credited_amount"] == "350.00"
    assert invoice["creditable"]["ttc"] == "1025.00"

    # More than what remains: refused, nothing issued, no number taken.
    response = agency_api.post(
        f"/invoices/{invoice_id}/credit-notes",
        {
            "reason": "Geste commercial",
            "lines": [
                {"line": 0, "quantity": "1"},
                {"description": "Remise", "quantity": "1", "unit": "flat", "unit_price": "600"},
            ],
        },
    )
    assert response.status_code == 409, response.content
    assert "dépasse ce qui reste à créditer" in response.json()["detail"]
    assert "1\u202f025,00" in response.json()["detail"]  # what remains, TTC
    assert Invoice.objects.filter(kind="credit_note").count() == 1

    # The client pays the rest.
    response = agency_api.post(
        f"/invoices/{invoice_id}/payments", {"amount": "1025.00", "paid_on": "2026-05-22"}
    )
    assert response.status_code == 200, response.content
    paid = response.json()
    assert (paid["amount_paid"], paid["paid_on"], paid["payment_status"]) == (
        "1025.00",
        "2026-05-22",
        "paid",
    )
    assert paid["document"] == document  # payments never change the document
    assert paid["hashes"] == hashes


def test_an_issued_invoice_is_never_edited_nor_deleted(agency_api, customer):
    invoice = issued(agency_api, customer)

    response = agency_api.patch(f"/invoices/{invoice['id']}", {"notes": "Corrigée"})
    assert response.status_code == 409
    assert "corrigez-la par un avoir" in response.json()["detail"]
    response = agency_api.patch(f"/invoices/{invoice['id']}", {"lines": LINES[:1]})
    assert response.status_code == 409
    response = agency_api.delete(f"/invoices/{invoice['id']}")
    assert response.status_code == 409
    assert "avoir" in response.json()["detail"]
    response = agency_api.post(f"/invoices/{invoice['id']}/issue")
    assert response.status_code == 409

    assert agency_api.get(f"/invoices/{invoice['id']}").json() == invoice
    stored = Invoice.objects.get(pk=invoice["id"])
    assert (stored.notes, stored.lines.count()) == ("", 2)


def test_a_credit_note_is_itself_never_edited_nor_credited(agency_api, customer):
    invoice = issued(agency_api, customer)
    note = agency_api.post(
        f"/invoices/{invoice['id']}/credit-notes", {"reason": "Commande annulée"}
    ).json()
    assert note["total_ttc"] == "1375.00"  # without lines: everything that remains
    assert [ln["description"] for ln in note["lines"]] == ["Audit SEO", "Rédaction"]

    assert agency_api.patch(f"/invoices/{note['id']}", {"notes": "x"}).status_code == 409
    assert agency_api.delete(f"/invoices/{note['id']}").status_code == 409
    response = agency_api.post(f"/invoices/{note['id']}/credit-notes", {"reason": "x"})
    assert response.status_code == 409
    # The invoice is cancelled whole: nothing remains to credit.
    response = agency_api.post(f"/invoices/{invoice['id']}/credit-notes", {"reason": "encore"})
    assert response.status_code == 409
    assert "entièrement annulée" in response.json()["detail"]
    assert agency_api.get(f"/invoices/{invoice['id']}").json()["payment_status"] == "credited"


def test_a_draft_is_deleted_and_can_be_neither_credited_nor_paid(agency_api, customer):
    draft = create(agency_api, customer)
    response = agency_api.post(f"/invoices/{draft['id']}/credit-notes", {"reason": "x"})
    assert response.status_code == 409
    assert "facture émise" in response.json()["detail"]
    response = agency_api.post(f"/invoices/{draft['id']}/payments", {"amount": "10"})
    assert response.status_code == 409

    response = agency_api.delete(f"/invoices/{draft['id']}")
    assert response.status_code == 204
    assert not Invoice.objects.filter(pk=draft["id"]).exists()
    assert agency_api.get(f"/invoices/{draft['id']}").status_code == 404
    # The deleted draft took no number: the first invoice is still number 1.
    assert issued(agency_api, customer)["number"] == "F2026-000001"


def test_a_missing_mention_refuses_the_issue_naming_it(agency_api, agency, customer):
    upsert_seller(slug=agency.slug, fields={"siren": ""}, by=None)
    draft = create(agency_api, customer)
    response = agency_api.post(f"/invoices/{draft['id']}/issue")
    assert response.status_code == 409
    body = response.json()
    # Words for the reader, codes for the program, apart.
    assert body["missing"] == ["seller.siren"]
    assert "SIREN du vendeur" in body["detail"]
    assert "seller.siren" not in body["detail"]
    after = agency_api.get(f"/invoices/{draft['id']}").json()
    assert (after["status"], after["number"]) == ("draft", "")


# --- downloads ------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def type_code(xml: bytes) -> str:
    root = etree.fromstring(xml)
    return root.xpath("//rsm:ExchangedDocument/ram:TypeCode/text()", namespaces=root.nsmap)[0]


def test_the_pdf_and_the_factur_x_xml_of_an_issued_invoice(agency_api, customer):
    invoice = issued(agency_api, customer)

    response = agency_api.get(f"/invoices/{invoice['id']}/pdf")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="F2026-000001.pdf"'
    pdf = response.content
    text = pdf_text(pdf)
    assert "F2026-000001" in text
    assert "1\u202f375,00" in text  # the total, TTC = HT under 293 B
    assert "12/06/2026" in text  # the due date
    assert "293 B" in text
    # Stored once: the same bytes again, and the hash the invoice shows.
    assert agency_api.get(f"/invoices/{invoice['id']}/pdf").content == pdf
    delivery = agency_api.get(f"/invoices/{invoice['id']}").json()["delivery"]
    assert delivery["pdf"] is True
    assert delivery["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert response["ETag"] == f'"{delivery["pdf_sha256"]}"'

    response = agency_api.get(f"/invoices/{invoice['id']}/xml")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml"
    xml = response.content
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert type_code(xml) == "380"
    assert b"F2026-000001" in xml
    assert delivery["xml_sha256"] == hashlib.sha256(xml).hexdigest()
    # The PDF carries that very XML.
    embedded = pypdf.PdfReader(io.BytesIO(pdf)).attachments
    assert embedded["factur-x.xml"] == [xml]


def test_a_credit_note_downloads_as_a_381_and_a_draft_has_nothing(agency_api, customer):
    invoice = issued(agency_api, customer)
    note = agency_api.post(
        f"/invoices/{invoice['id']}/credit-notes",
        {"reason": "Audit annulé", "lines": [{"line": 0, "quantity": "1"}]},
    ).json()
    xml = agency_api.get(f"/invoices/{note['id']}/xml").content
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert type_code(xml) == "381"
    text = pdf_text(agency_api.get(f"/invoices/{note['id']}/pdf").content)
    assert "AV2026-000001" in text
    assert "F2026-000001" in text  # the invoice it corrects
    assert "500,00" in text

    draft = create(agency_api, customer)
    for what in ("pdf", "xml"):
        response = agency_api.get(f"/invoices/{draft['id']}/{what}")
        assert response.status_code == 409
        assert "n'est pas émise" in response.json()["detail"]


# --- bad input ------------------------------------------------------------------------------


def test_bad_lines_are_422_naming_each_field(agency_api, customer):
    response = agency_api.post(
        "/invoices",
        {
            "client_id": customer.pk,
            "lines": [
                {"description": "Audit", "quantity": "abc", "unit": "flat", "unit_price": "1"},
                {"description": "Audit", "quantity": "1", "unit": "week", "unit_price": "1"},
                {"description": "Audit", "unit": "flat", "unit_price": "1"},
            ],
        },
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "lines[0].quantity",
        "lines[1].unit",
        "lines[2].quantity",
    }

    response = agency_api.post(
        "/invoices",
        {
            "client_id": customer.pk,
            "lines": [
                {"product_code": "NOPE", "quantity": "1"},
                {"description": "Audit", "quantity": "0", "unit": "flat", "unit_price": "1"},
                {"product_code": "NOPE", "quantity": "1", "unit_price": "3"},
            ],
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {
        "lines[0].product_code",
        "lines[1].quantity",
        "lines[2].unit_price",
        "lines[2].product_code",
    }
    assert "NOPE" in errors["lines[0].product_code"]

    response = agency_api.post("/invoices", {"client_id": customer.pk, "lines": []})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"lines"}
    response = agency_api.post(
        "/invoices", {"client_id": customer.pk, "kind": "deposit", "lines": LINES}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind"}
    assert not Invoice.objects.exists()


def test_another_sellers_client_or_order_is_422(agency_api, customer, other_seller):
    stranger = make_client(other_seller)
    response = agency_api.post("/invoices", {"client_id": stranger.pk, "lines": LINES})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"client_id"}
    response = agency_api.post(
        "/invoices", {"client_id": customer.pk, "order_id": 999999, "lines": LINES}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"order_id"}


def test_bad_credit_notes_and_payments_are_422_naming_the_field(agency_api, customer):
    invoice = issued(agency_api, customer)
    path = f"/invoices/{invoice['id']}"

    response = agency_api.post(f"{path}/credit-notes", {"lines": [{"line": 0, "quantity": "1"}]})
    assert (response.status_code, set(response.json()["errors"])) == (422, {"reason"})
    response = agency_api.post(f"{path}/credit-notes", {"reason": "   "})
    assert (response.status_code, set(response.json()["errors"])) == (422, {"reason"})
    response = agency_api.post(
        f"{path}/credit-notes",
        {
            "reason": "Erreur",
            "lines": [
                {"line": 5, "quantity": "1"},
                {"line": 1, "quantity": "3"},
                {"line": 0, "quantity": "1", "unit_price": "10"},
            ],
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"lines[0].line", "lines[1].quantity", "lines[2].unit_price"}
    assert "2.5" in errors["lines[1].quantity"]

    response = agency_api.post(f"{path}/payments", {"amount": "-5"})
    assert (response.status_code, set(response.json()["errors"])) == (422, {"amount"})
    response = agency_api.post(f"{path}/payments", {"amount": "5", "paid_on": "2026-06-01"})
    assert (response.status_code, set(response.json()["errors"])) == (422, {"paid_on"})
    assert not Invoice.objects.filter(kind="credit_note").exists()
    assert Invoice.objects.get(pk=invoice["id"]).amount_paid == 0


def test_another_sellers_invoice_is_404(agency_api, other_api, customer):
    draft = create(agency_api, customer)
    invoice = issued(agency_api, customer)
    for path in (f"/invoices/{draft['id']}", f"/invoices/{invoice['id']}"):
        assert other_api.get(path).status_code == 404
        assert other_api.patch(path, {"notes": "x"}).status_code == 404
        assert other_api.delete(path).status_code == 404
    assert other_api.post(f"/invoices/{draft['id']}/issue").status_code == 404
    response = other_api.post(f"/invoices/{invoice['id']}/credit-notes", {"reason": "x"})
    assert response.json() == {"detail": "Not found."}
    assert other_api.post(f"/invoices/{invoice['id']}/payments", {"amount": "1"}).status_code == 404
    assert other_api.get("/invoices").json() == {"count": 0, "items": []}
    assert Invoice.objects.get(pk=draft["id"]).status == InvoiceStatus.DRAFT


# --- lists ----------------------------------------------------------------------------------


def test_list_filters_by_status_kind_client_period_and_overdue(
    agency_api, agency, customer, django_assert_num_queries
):
    other = make_client(agency, kind="company", name="Fromagerie Durand", siren="732829320")
    # Issued on 5 January, due 14 jours ouvrés later (23 January): late on 22 May.
    old = services.create_draft(seller=agency, client=other, lines=LINES, by=None)
    old = services.issue_invoice(invoice=old, by=None, now=paris(2026, 1, 5, 10))
    paid_late = services.create_draft(seller=agency, client=other, lines=LINES[:1], by=None)
    paid_late = services.issue_invoice(invoice=paid_late, by=None, now=paris(2026, 1, 6, 10))
    payment_services.record_invoice_payment(
        invoice=paid_late, amount="500", paid_on=paris(2026, 2, 1).date(), by=None
    )
    recent = issued(agency_api, customer)
    note = agency_api.post(
        f"/invoices/{recent['id']}/credit-notes",
        {"reason": "Erreur", "lines": [{"line": 0, "quantity": "1"}]},
    ).json()
    draft = create(agency_api, customer)

    def ids(query: str) -> list[int]:
        response = agency_api.get(f"/invoices{query}")
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["count"] == len(data["items"]) or "limit" in query
        return [item["id"] for item in data["items"]]

    # Paid late by a professional: its interest and indemnity were billed (seed 002 art. 6).
    penalty = Invoice.objects.get(client=other, kind=InvoiceKind.PENALTY)

    everything = ids("")
    assert set(everything) == {
        old.pk,
        paid_late.pk,
        penalty.pk,
        recent["id"],
        note["id"],
        draft["id"],
    }
    assert ids("?status=draft") == [draft["id"]]
    assert ids("?kind=credit_note") == [note["id"]]
    assert ids("?kind=penalty") == [penalty.pk]
    assert set(ids(f"?client_id={other.pk}")) == {old.pk, paid_late.pk, penalty.pk}
    assert set(ids("?issued_from=2026-05-01")) == {recent["id"], note["id"], penalty.pk}
    assert set(ids("?issued_from=2026-01-06&issued_to=2026-01-31")) == {paid_late.pk}
    assert ids("?overdue=true") == [old.pk]
    assert old.pk not in ids("?overdue=false")
    assert len(ids("?overdue=false")) == 5
    assert ids("?limit=2&offset=1") == everything[1:3]

    late = agency_api.get("/invoices?overdue=true").json()["items"][0]
    assert (late["number"], late["payment_status"], late["due_date"]) == (
        "F2026-000001",
        "late",
        "2026-01-23",
    )
    assert agency_api.get("/invoices?status=sent").status_code == 422
    assert agency_api.get("/invoices?issued_from=mai").status_code == 422

    # Token, count, page: whatever the number of invoices.
    with django_assert_num_queries(3):
        agency_api.get("/invoices")


# --- idempotency and docs -------------------------------------------------------------------


def test_issue_replays_with_its_idempotency_key(agency_api, customer):
    draft = create(agency_api, customer)
    first = agency_api.post(f"/invoices/{draft['id']}/issue", key="issue-42")
    assert first.status_code == 200
    again = agency_api.post(f"/invoices/{draft['id']}/issue", key="issue-42")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 1

    path = f"/invoices/{draft['id']}/payments"
    assert agency_api.post(path, {"amount": "100"}, key="pay-1").status_code == 200
    replay = agency_api.post(path, {"amount": "100"}, key="pay-1")
    assert replay["Idempotent-Replayed"] == "true"
    other = agency_api.post(path, {"amount": "200"}, key="pay-1")
    assert other.status_code == 409
    assert other.json() == {"detail": "Idempotency-Key reused with a different request."}
    assert Invoice.objects.get(pk=draft["id"]).amount_paid == Decimal("100.00")


def test_the_openapi_document_lists_the_invoice_routes(anonymous):
    document = anonymous.get("/openapi.json").json()
    paths = {p: set(ops) for p, ops in document["paths"].items() if p.startswith("/api/v1/inv")}
    assert paths == {
        "/api/v1/invoices": {"get", "post"},
        "/api/v1/invoices/{invoice_id}": {"get", "patch", "delete"},
        "/api/v1/invoices/{invoice_id}/issue": {"post"},
        "/api/v1/invoices/{invoice_id}/credit-notes": {"post"},
        "/api/v1/invoices/{invoice_id}/payments": {"post"},
        "/api/v1/invoices/{invoice_id}/penalties": {"get"},
        "/api/v1/invoices/{invoice_id}/pdf": {"get"},
        "/api/v1/invoices/{invoice_id}/xml": {"get"},
    }
    pdf = document["paths"]["/api/v1/invoices/{invoice_id}/pdf"]["get"]["responses"]["200"]
    assert set(pdf["content"]) == {"application/pdf"}
    xml = document["paths"]["/api/v1/invoices/{invoice_id}/xml"]["get"]["responses"]["200"]
    assert set(xml["content"]) == {"application/xml"}
    listing = document["paths"]["/api/v1/invoices"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "status",
        "kind",
        "client_id",
        "issued_from",
        "issued_to",
        "overdue",
        "limit",
        "offset",
    }
    refused = document["paths"]["/api/v1/invoices/{invoice_id}/issue"]["post"]["responses"]
    schema = refused["409"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    answer = document["components"]["schemas"][schema]
    assert set(answer["properties"]) == {"detail", "missing"}
    assert answer["properties"]["missing"]["type"] == "array"
    detail = document["components"]["schemas"]["InvoiceDetailOut"]["properties"]
    assert {"document", "due_date_explanation", "mentions", "hashes", "delivery"} <= set(detail)


# --- the date of the service (BT-72; CGI ann. II art. 242 nonies A, I-7°) ----------------------

RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
UDT = "{urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100}"


def service_day(agency_api, invoice: dict) -> str:
    root = etree.fromstring(agency_api.get(f"/invoices/{invoice['id']}/xml").content)
    event = root.find(f".//{RAM}ApplicableHeaderTradeDelivery/{RAM}ActualDeliverySupplyChainEvent")
    return event.find(f"{RAM}OccurrenceDateTime/{UDT}DateTimeString").text


def printed(agency_api, invoice: dict) -> str:
    """The PDF's text on one line."""
    return " ".join(pdf_text(agency_api.get(f"/invoices/{invoice['id']}/pdf").content).split())


def test_a_service_done_before_the_invoice_is_dated_on_the_pdf_and_in_the_xml(agency_api, customer):
    draft = create(agency_api, customer, service_date="2026-05-15")
    assert draft["service_date"] == "2026-05-15"

    invoice = agency_api.post(f"/invoices/{draft['id']}/issue").json()

    assert service_day(agency_api, invoice) == "20260515"
    assert "Date de la prestation 15/05/2026" in printed(agency_api, invoice)


def test_without_a_service_date_the_service_is_dated_on_the_invoice_and_not_printed_twice(
    agency_api, customer
):
    invoice = issued(agency_api, customer)

    assert service_day(agency_api, invoice) == "20260522"
    assert "Date de la prestation" not in printed(agency_api, invoice)


def test_a_wrong_service_date_is_422_naming_it_and_null_clears_it(agency_api, customer):
    refused = agency_api.post(
        "/invoices", {"client_id": customer.pk, "lines": LINES, "service_date": "2026-13-01"}
    )
    draft = create(agency_api, customer, service_date="2026-05-15")
    cleared = agency_api.patch(f"/invoices/{draft['id']}", {"service_date": None})

    assert refused.status_code == 422
    assert "service_date" in refused.json()["detail"]
    assert cleared.status_code == 200
    assert cleared.json()["service_date"] is None
