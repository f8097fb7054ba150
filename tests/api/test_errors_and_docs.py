"""The edges of the API: JSON everywhere, the OpenAPI document, docs that work offline."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from clausier.api.api import api as ninja_api
from clausier.kernel.errors import Conflict, InvalidTransition
from tests.factories import make_client

pytestmark = pytest.mark.django_db


def test_a_method_the_path_does_not_serve_is_a_json_405(api, seller):
    client = make_client(seller)
    response = api.call("PUT", f"/clients/{client.pk}", {"name": "x"})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
    assert response.json()["detail"].startswith("Method PUT not allowed")


def test_405_comes_before_authentication(anonymous, seller):
    # The method is wrong whoever asks: there is nothing to authenticate for.
    assert anonymous.call("DELETE", "/terms").status_code == 405


@pytest.mark.parametrize("path", ["/nope", "/clients/1/nope", "/clients/", "/terms/1/lint/x"])
def test_an_unknown_path_is_a_json_404(api, path):
    for method in ("GET", "POST"):
        response = api.call(method, path)
        assert response.status_code == 404, (method, path)
        assert response.json() == {"detail": "Not found."}


def test_the_root_points_to_the_docs(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    assert response.json() == {
        "title": "clausier API",
        "version": "1",
        "docs": "/api/v1/docs",
        "openapi": "/api/v1/openapi.json",
    }


def test_the_openapi_document_lists_every_path(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "clausier API"
    assert document["info"]["version"] == "1"
    paths = {path: set(ops) for path, ops in document["paths"].items()}
    assert paths == {
        "/api/v1/sellers/me": {"get"},
        "/api/v1/clients": {"get", "post"},
        "/api/v1/clients/{client_id}": {"get", "patch", "delete"},
        "/api/v1/clients/{client_id}/acceptances": {"get", "post"},
        "/api/v1/terms": {"get"},
        "/api/v1/terms/{version_id}": {"get"},
        "/api/v1/terms/{version_id}/clauses": {"get"},
        "/api/v1/terms/{version_id}/lint": {"get"},
        "/api/v1/catalog/products": {"get", "post"},
        "/api/v1/catalog/products/{product_id}": {"get", "patch"},
        "/api/v1/catalog/products/{product_id}/prices": {"post"},
        "/api/v1/quotes": {"get", "post"},
        "/api/v1/quotes/{quote_id}": {"get", "patch"},
        "/api/v1/quotes/{quote_id}/send": {"post"},
        "/api/v1/quotes/{quote_id}/revise": {"post"},
        "/api/v1/quotes/{quote_id}/withdraw": {"post"},
        "/api/v1/quotes/{quote_id}/refuse": {"post"},
        "/api/v1/quotes/{quote_id}/acceptances/email": {"post"},
        "/api/v1/quotes/{quote_id}/acceptances/post": {"post"},
        "/api/v1/quotes/{quote_id}/pdf": {"get"},
        "/api/v1/orders": {"get", "post"},
        "/api/v1/orders/{order_id}": {"get", "patch"},
        "/api/v1/orders/{order_id}/confirm": {"post"},
        "/api/v1/invoices": {"get", "post"},
        "/api/v1/invoices/{invoice_id}": {"get", "patch", "delete"},
        "/api/v1/invoices/{invoice_id}/issue": {"post"},
        "/api/v1/invoices/{invoice_id}/credit-notes": {"post"},
        "/api/v1/invoices/{invoice_id}/payments": {"post"},
        "/api/v1/invoices/{invoice_id}/penalties": {"get"},
        "/api/v1/clients/{client_id}/statement": {"get"},
        "/api/v1/invoices/{invoice_id}/pdf": {"get"},
        "/api/v1/invoices/{invoice_id}/xml": {"get"},
        "/api/v1/payments": {"get", "post"},
        "/api/v1/payments/{payment_id}": {"get"},
        "/api/v1/payments/{payment_id}/refunds": {"post"},
        "/api/v1/statements": {"post"},
        "/api/v1/statements/{statement_id}": {"get"},
        "/api/v1/payments/{payment_id}/allocations": {"post"},
        "/api/v1/payments/{payment_id}/cashed": {"post"},
        "/api/v1/refunds/{refund_id}": {"get"},
        "/api/v1/refunds/{refund_id}/sent": {"post"},
        "/api/v1/refunds/{refund_id}/settled": {"post"},
        "/api/v1/clients/{client_id}/credit": {"get"},
        "/api/v1/withdrawals": {"get", "post"},
        "/api/v1/withdrawals/{withdrawal_id}": {"get"},
        "/api/v1/events": {"post"},
        "/api/v1/subscriptions": {"get"},
        "/api/v1/subscriptions/{subscription_id}": {"get"},
        "/api/v1/tickets": {"get", "post"},
        "/api/v1/tickets/{ticket_id}": {"get"},
        "/api/v1/tickets/{ticket_id}/transitions": {"post"},
        "/api/v1/tickets/{ticket_id}/messages": {"get", "post"},
        "/api/v1/contracts": {"get"},
        "/api/v1/contracts/claims": {"get"},
        "/api/v1/contracts/{contract_id}": {"get"},
        "/api/v1/contracts/{contract_id}/notices": {"post"},
        "/api/v1/contracts/{contract_id}/price-revisions": {"post"},
        "/api/v1/domains": {"get", "post"},
    }
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            assert "401" in operation["responses"], (method, path)
    for path, operations in document["paths"].items():
        if "post" in operations:
            headers = [p["name"] for p in operations["post"]["parameters"] if p["in"] == "header"]
            assert headers == ["Idempotency-Key"], path
            assert "409" in operations["post"]["responses"], path  # a key reused
    pdf = document["paths"]["/api/v1/quotes/{quote_id}/pdf"]["get"]["responses"]["200"]
    assert set(pdf["content"]) == {"application/pdf"}
    assert "Idempotency-Key" in document["info"]["description"]
    errors = document["components"]["schemas"]["ValidationErrorOut"]["properties"]
    assert set(errors) == {"detail", "errors"}


def test_operation_ids_stay_put_wherever_a_router_lives(anonymous):
    """Generated clients name their methods after the operation ids: they are the ones the
    operations had in ``api/routers/<tag>.py``, before each domain took its router."""
    document = json.loads(anonymous.get("/openapi.json").content)
    operations = [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    ids = {(method, path): operation["operationId"] for method, path, operation in operations}
    assert len(set(ids.values())) == len(ids) == 76
    for method, path, operation in operations:
        (tag,) = operation["tags"]
        assert operation["operationId"].startswith(f"clausier_api_routers_{tag}_"), (method, path)
    assert ids["get", "/api/v1/sellers/me"] == "clausier_api_routers_sellers_seller_me"
    assert ids["delete", "/api/v1/clients/{client_id}"] == (
        "clausier_api_routers_clients_delete_client"
    )
    assert ids["post", "/api/v1/clients/{client_id}/acceptances"] == (
        "clausier_api_routers_acceptances_create_acceptance"
    )
    assert ids["get", "/api/v1/terms/{version_id}/lint"] == "clausier_api_routers_terms_lint_terms"
    assert ids["post", "/api/v1/quotes/{quote_id}/acceptances/post"] == (
        "clausier_api_routers_quotes_accept_by_post"
    )
    assert ids["post", "/api/v1/invoices/{invoice_id}/credit-notes"] == (
        "clausier_api_routers_invoices_create_credit_note"
    )
    # The invoice's payment moved to the payments domain's router: its id stays.
    assert ids["post", "/api/v1/invoices/{invoice_id}/payments"] == (
        "clausier_api_routers_invoices_record_payment"
    )


def test_the_docs_are_served_without_any_cdn(anonymous):
    response = anonymous.get("/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert [a for a in assets if "//" in a] == []  # nothing from another host
    assert '"validatorUrl": null' in html  # no call to validator.swagger.io either
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset


def handle(exc: Exception):
    response = ninja_api.on_exception(RequestFactory().get("/api/v1/x"), exc)
    return response.status_code, json.loads(response.content)


def test_domain_errors_are_409_with_their_message():
    transition = InvalidTransition("CGV v1", "superseded", "published", set())
    assert handle(transition) == (409, {"detail": str(transition)})
    assert handle(Conflict("déjà facturé")) == (409, {"detail": "déjà facturé"})


def test_a_service_error_without_field_is_named_all():
    status, body = handle(ValidationError("refusé"))
    assert status == 422
    assert body["errors"] == {"__all__": "refusé"}


def test_several_messages_on_one_field_are_joined():
    status, body = handle(ValidationError({"siren": ["trop court.", "clé invalide."]}))
    assert (status, body["errors"]) == (422, {"siren": "trop court. clé invalide."})
