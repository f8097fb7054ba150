"""What the database or Python cannot keep is refused at the API's door, naming the field:
nothing is stored, and the answer is the documented JSON error, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from clausier.api.services import create_token
from clausier.catalog.models import Product
from clausier.customers.models import Client
from clausier.quotes.models import Quote
from clausier.quotes.services.acceptance import parse_consent_email
from tests.api_client import Api
from tests.factories import make_client
from tests.factories.invoicing import invoicing_seller, issued
from tests.factories.quotes import make_quote

CLIENT = {
    "kind": "company",
    "name": "Menuiserie Petit",
    "email": "contact@menuiserie-petit.test",
    "billing_line1": "3 rue des Lilas",
    "billing_postal_code": "69003",
    "billing_city": "Lyon",
}


def refused(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    if field is not None:
        assert field in body["errors"], body
    return body


def test_a_client_with_documents_is_kept_and_the_409_names_them(client, db):
    seller = invoicing_seller()
    customer = make_client(seller, "company", name="Atelier Durand", siren="732829320")
    make_quote(seller, customer)
    issued(seller, customer)
    issued(seller, customer)
    api = Api(client, create_token(seller=seller, name="ERP", by=None)[1])
    body = refused(api.delete(f"/clients/{customer.pk}"), 409)
    assert "1 devis, 2 factures" in body["detail"]
    assert Client.objects.filter(pk=customer.pk).exists()


@pytest.mark.parametrize(
    "path", ["/clients", "/quotes", "/orders", "/invoices", "/catalog/products"]
)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=9223372036854775808", "offset"),
        ("offset=-1", "offset"),
        ("offset=1000000001", "offset"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ],
)
def test_a_page_out_of_bounds_is_a_422_naming_the_parameter(api, path, query, field):
    refused(api.get(f"{path}?{query}"), 422, field)


def test_a_nul_character_is_refused_naming_the_field_and_nothing_is_stored(api):
    refused(api.post("/clients", CLIENT | {"name": "Menuiserie\x00Petit"}), 422, "name")
    assert not Client.objects.filter(email=CLIENT["email"]).exists()


def test_a_nul_character_in_a_line_names_the_line(api, a_client):
    body = {"client_id": a_client.pk, "lines": [{"description": "Pose\x00", "quantity": "1"}]}
    refused(api.post("/quotes", body), 422, "lines[0].description")
    assert not Quote.objects.exists()


def test_a_nul_character_in_a_search_is_a_422(api):
    refused(api.get("/clients?q=a%00b"), 422, "q")


@pytest.mark.parametrize(("field", "length"), [("notes", 10_001), ("nature", 10_001)])
def test_a_text_past_its_bound_is_a_422_naming_it(api, a_client, field, length):
    refused(api.post("/quotes", {"client_id": a_client.pk, field: "x" * length}), 422, field)
    assert not Quote.objects.exists()


@pytest.mark.parametrize("valid_until", ["9999-12-31", "1899-12-31", 0, 20260601])
def test_a_date_out_of_the_window_or_not_a_string_is_a_422(api, a_client, valid_until):
    body = {"client_id": a_client.pk, "valid_until": valid_until}
    refused(api.post("/quotes", body), 422, "valid_until")
    assert not Quote.objects.exists()


def test_a_price_from_9999_is_refused_and_no_product_stored(api):
    product = {
        "code": "POSE",
        "name": "Pose",
        "unit": "flat",
        "unit_price_ht": "100.00",
        "effective_from": "9999-12-31",
    }
    refused(api.post("/catalog/products", product), 422, "effective_from")
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/invoices?issued_from=9999-12-31", "issued_from"),
        ("/invoices?issued_to=0", "issued_to"),
        ("/quotes?expiring_before=1900-01-01", "expiring_before"),
    ],
)
def test_a_date_parameter_out_of_the_window_is_a_422(api, path, field):
    refused(api.get(path), 422, field)


@pytest.mark.parametrize(
    "date_header", ["Mon, 01 Jun 2026 10:00:00 +1600", "Fri, 31 Dec 9999 10:00:00 +0000"]
)
def test_an_email_dated_with_an_impossible_offset_or_year_is_refused_naming_it(date_header):
    eml = (
        "From: Camille <camille@boulangerie-martin.test>\r\n"
        f"Date: {date_header}\r\n"
        "Message-ID: <1@boulangerie-martin.test>\r\n"
        "Subject: Accord\r\n\r\nOK\r\n"
    ).encode()
    with pytest.raises(ValidationError) as error:
        parse_consent_email(data=eml)
    assert list(error.value.message_dict) == ["eml"]


def test_a_body_past_the_upload_limit_is_a_json_413(api, settings):
    raw = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    body = refused(api.call("POST", "/clients", raw=raw), 413)
    assert "bytes" in body["detail"]
    # With an Idempotency-Key, the body is read before the operation: the same JSON 413.
    keyed = refused(api.call("POST", "/clients", raw=raw, key="too-big-1"), 413)
    assert keyed == body
    assert not Client.objects.exists()


def test_the_document_names_every_refusal_an_operation_can_give(api):
    document = api.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            if "requestBody" in operation:
                assert {"413", "422"} <= set(answers), (method, path)
            if operation.get("parameters"):
                assert "422" in answers, (method, path)
    paging = document["paths"]["/api/v1/clients"]["get"]["parameters"]
    offset = next(p for p in paging if p["name"] == "offset")
    assert offset["schema"]["maximum"] == 1_000_000_000


def test_a_line_description_past_2000_characters_is_a_422_naming_the_line(api, a_client):
    line = {"description": "x" * 2_001, "quantity": "1", "unit": "flat", "unit_price": "10"}
    refused(
        api.post("/quotes", {"client_id": a_client.pk, "lines": [line]}),
        422,
        "lines[0].description",
    )
    assert not Quote.objects.exists()


def test_a_datetime_of_paris_before_1911_is_written_in_utc():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from clausier.api.api import RFC3339Encoder

    old = datetime(1900, 1, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert RFC3339Encoder().encode(old) == '"1900-01-01T11:50:39Z"'
    summer = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert RFC3339Encoder().encode(summer) == '"2026-06-01T12:00:00+02:00"'


@pytest.mark.parametrize("field", ["name", "billing_line1", "billing_city", "phone"])
def test_a_text_past_its_column_is_a_422_naming_it(api, field):
    refused(api.post("/clients", CLIENT | {field: "x" * 600}), 422, field)
    assert not Client.objects.filter(email=CLIENT["email"]).exists()
