"""Clients through the API: CRUD, pagination, filters, warnings, 422 bodies, 409 on delete."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.audit.models import Event
from clausier.customers import schemas
from clausier.customers.models import Client
from clausier.terms.services import record_acceptance
from tests.factories import make_client, make_published_terms

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "company",
    "name": "Atelier Céramique Loire SAS",
    "siren": "552081317",
    "email": "factures@atelier.example",
    "billing_line1": "1 quai de la Fosse",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
}


@pytest.fixture
def after_siren_reform(monkeypatch):
    monkeypatch.setattr(schemas, "today_in_paris", lambda: date(2026, 9, 1))


@pytest.fixture
def before_siren_reform(monkeypatch):
    monkeypatch.setattr(schemas, "today_in_paris", lambda: date(2026, 8, 31))


# --- create -----------------------------------------------------------------------------------


def test_create_answers_201_with_the_client(api, seller, token_and_secret):
    response = api.post("/clients", VALID)
    assert response.status_code == 201
    body = response.json()
    client = Client.objects.get(pk=body["id"])
    assert client.seller == seller
    assert body["name"] == VALID["name"]
    assert body["siren"] == "552081317"
    assert body["billing_country"] == "FR"
    assert body["preferred_language"] == "fr"
    assert body["is_professional"] is True
    assert body["warnings"] == []
    event = Event.objects.get(verb="client.created")
    assert event.actor_label == str(token_and_secret[0])  # the token is the actor


def test_a_consumer_is_not_professional(api):
    body = api.post("/clients", VALID | {"kind": "consumer", "siren": ""}).json()
    assert body["is_professional"] is False
    assert body["warnings"] == []


def test_a_professional_without_siren_is_warned_after_the_reform(api, after_siren_reform):
    body = api.post("/clients", VALID | {"siren": ""}).json()
    assert [w["field"] for w in body["warnings"]] == ["siren"]
    assert "SIREN manquant" in body["warnings"][0]["message"]
    assert "242 nonies A" in body["warnings"][0]["law"]


def test_no_siren_warning_before_the_reform(api, before_siren_reform):
    assert api.post("/clients", VALID | {"siren": ""}).json()["warnings"] == []


def test_an_invalid_siren_is_422_naming_siren_and_nothing_is_written(api, seller):
    response = api.post("/clients", VALID | {"siren": "524172698"})
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"siren"}
    assert "clé de contrôle invalide" in body["errors"]["siren"]
    assert "siren" in body["detail"]
    assert not Client.objects.exists()
    assert not Event.objects.filter(verb="client.created").exists()


def test_an_invalid_vat_number_is_422_naming_vat_number(api):
    response = api.post("/clients", VALID | {"vat_number": "FR00552081317"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"vat_number"}
    assert "la clé devrait être" in response.json()["errors"]["vat_number"]
    assert not Client.objects.exists()


def test_an_electronic_address_outside_the_clients_siren_is_422_naming_it(api):
    response = api.post(
        "/clients", VALID | {"einvoice_scheme": "0225", "einvoice_address": "802314781"}
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"einvoice_address"}
    assert "doit commencer par le SIREN 552081317" in response.json()["errors"]["einvoice_address"]
    assert not Client.objects.exists()


def test_an_electronic_address_needs_its_scheme_and_a_known_one(api):
    no_scheme = api.post("/clients", VALID | {"einvoice_address": "552081317_COMPTA"})
    unknown = api.post("/clients", VALID | {"einvoice_scheme": "9999", "einvoice_address": "x"})

    assert no_scheme.status_code == 422
    assert set(no_scheme.json()["errors"]) == {"einvoice_scheme"}
    assert unknown.status_code == 422
    assert "einvoice_scheme" in unknown.json()["detail"]


def test_a_clients_electronic_address_is_kept_and_shown(api):
    body = api.post(
        "/clients", VALID | {"einvoice_scheme": "0225", "einvoice_address": "552081317_COMPTA"}
    ).json()

    assert (body["einvoice_scheme"], body["einvoice_address"]) == ("0225", "552081317_COMPTA")
    patched = api.patch(f"/clients/{body['id']}", {"einvoice_scheme": "", "einvoice_address": ""})
    assert patched.status_code == 200
    assert (patched.json()["einvoice_scheme"], patched.json()["einvoice_address"]) == ("", "")


def test_service_errors_on_several_fields_are_all_named(api):
    response = api.post(
        "/clients", VALID | {"siren": "524172698", "vat_number": "FR00552081317", "email": "x"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"siren", "vat_number", "email"}


def test_missing_required_fields_are_each_named(api):
    response = api.post("/clients", {"kind": "company", "name": "Sans adresse"})
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {
        "email",
        "billing_line1",
        "billing_postal_code",
        "billing_city",
    }
    assert body["errors"]["billing_city"] == "Field required"
    assert not Client.objects.exists()


def test_a_wrong_kind_is_422_naming_kind(api):
    response = api.post("/clients", VALID | {"kind": "government"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind"}
    assert "'company'" in response.json()["errors"]["kind"]


def test_an_unknown_field_is_422_naming_it(api):
    response = api.post("/clients", VALID | {"sirne": "552081317"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"sirne"}
    assert not Client.objects.exists()


def test_a_field_of_the_wrong_type_is_422(api):
    response = api.post("/clients", VALID | {"name": 12, "siren": None})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "siren"}


def test_a_body_that_is_not_an_object_is_422(api):
    response = api.post("/clients", ["not", "an", "object"])
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"body"}


def test_an_empty_body_is_422(api):
    response = api.call("POST", "/clients", raw="")
    assert response.status_code == 422
    assert response.json()["errors"] == {"body": "Field required"}


def test_a_form_encoded_body_is_400(api):
    response = api.client.post("/api/v1/clients", VALID, HTTP_AUTHORIZATION=f"Bearer {api.secret}")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Client.objects.exists()


def test_malformed_json_is_400(api):
    response = api.call("POST", "/clients", raw='{"kind": "company",')
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert not Client.objects.exists()


# --- read -------------------------------------------------------------------------------------


def test_get_a_client(api, seller):
    client = make_client(seller, name="Boulangerie Ange")
    response = api.get(f"/clients/{client.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Boulangerie Ange"
    assert response.json()["kind"] == "company"


def test_an_unknown_client_is_404(api, seller):
    response = api.get("/clients/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_non_numeric_id_is_422_naming_it(api, seller):
    response = api.get("/clients/abc")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"client_id"}


def test_another_sellers_client_is_404_for_every_method(other_api, seller):
    client = make_client(seller)
    assert other_api.get(f"/clients/{client.pk}").status_code == 404
    assert other_api.patch(f"/clients/{client.pk}", {"name": "Pirate"}).status_code == 404
    assert other_api.delete(f"/clients/{client.pk}").status_code == 404
    client.refresh_from_db()
    assert client.name != "Pirate"


# --- list -------------------------------------------------------------------------------------


def test_list_is_paginated_and_scoped(api, seller, other_seller):
    for n in range(5):
        make_client(seller, name=f"Client {n:02d}")
    make_client(other_seller, name="Client of someone else")
    response = api.get("/clients?limit=2&offset=1")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert [c["name"] for c in body["items"]] == ["Client 01", "Client 02"]


def test_list_defaults_to_the_first_50(api, seller):
    make_client(seller)
    body = api.get("/clients").json()
    assert body["count"] == 1
    assert len(body["items"]) == 1


@pytest.mark.parametrize("query", ["limit=101", "limit=0", "offset=-1", "limit=ten"])
def test_list_refuses_a_bad_page(api, seller, query):
    response = api.get(f"/clients?{query}")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {query.split("=")[0]}


def test_list_filters_by_kind_and_query(api, seller):
    make_client(seller, kind="consumer", name="Marie Durand", siren="")
    make_client(seller, kind="company", name="Durand Frères", billing_city="Lyon")
    make_client(seller, kind="company", name="Atelier Nord", billing_city="Lille")

    by_kind = api.get("/clients?kind=consumer").json()
    assert [c["name"] for c in by_kind["items"]] == ["Marie Durand"]
    assert by_kind["count"] == 1

    by_q = api.get("/clients?q=durand").json()
    assert {c["name"] for c in by_q["items"]} == {"Marie Durand", "Durand Frères"}

    both = api.get("/clients?q=durand&kind=company").json()
    assert [c["name"] for c in both["items"]] == ["Durand Frères"]

    by_city = api.get("/clients?q=lille").json()
    assert [c["name"] for c in by_city["items"]] == ["Atelier Nord"]


def test_list_refuses_an_unknown_kind(api, seller):
    response = api.get("/clients?kind=alien")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind"}


def test_list_query_count_does_not_grow_with_the_page(api, seller, django_assert_num_queries):
    for _ in range(30):
        make_client(seller)
    api.get("/clients")  # records the token's last use once (then at most once a minute)
    # token lookup, count, page
    with django_assert_num_queries(3):
        response = api.get("/clients?limit=100")
    assert len(response.json()["items"]) == 30


# --- update -----------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(api, seller):
    client = make_client(seller, billing_city="Nantes", phone="0240000000")
    response = api.patch(f"/clients/{client.pk}", {"billing_city": "Rezé"})
    assert response.status_code == 200
    assert response.json()["billing_city"] == "Rezé"
    client.refresh_from_db()
    assert (client.billing_city, client.phone) == ("Rezé", "0240000000")
    assert Event.objects.get(verb="client.updated").summary["after"] == {"billing_city": "Rezé"}


def test_patch_can_clear_an_optional_field_but_not_null_it(api, seller):
    client = make_client(seller, phone="0240000000")
    assert api.patch(f"/clients/{client.pk}", {"phone": ""}).json()["phone"] == ""
    response = api.patch(f"/clients/{client.pk}", {"phone": None})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"phone"}


def test_patch_with_an_invalid_siren_is_422_and_changes_nothing(api, seller):
    client = make_client(seller, siren="552081317", name="Avant")
    response = api.patch(f"/clients/{client.pk}", {"siren": "524172698", "name": "Après"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"siren"}
    client.refresh_from_db()
    assert (client.siren, client.name) == ("552081317", "Avant")


def test_patch_with_a_wrong_kind_is_422(api, seller):
    client = make_client(seller)
    response = api.patch(f"/clients/{client.pk}", {"kind": "robot"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"kind"}


def test_patch_with_nothing_changes_nothing(api, seller):
    client = make_client(seller)
    response = api.patch(f"/clients/{client.pk}", {})
    assert response.status_code == 200
    assert not Event.objects.filter(verb="client.updated").exists()


# --- delete -----------------------------------------------------------------------------------


def test_delete_answers_204(api, seller):
    client = make_client(seller)
    response = api.delete(f"/clients/{client.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Client.objects.filter(pk=client.pk).exists()


def test_deleting_a_client_with_an_acceptance_is_409(api, seller):
    client = make_client(seller)
    record_acceptance(
        client=client,
        version=make_published_terms(seller),
        method="signed_quote",
        accepted_by_name="Jeanne Martin",
        by=None,
    )
    response = api.delete(f"/clients/{client.pk}")
    assert response.status_code == 409
    assert "ne peut pas être supprimé" in response.json()["detail"]
    assert set(response.json()) == {"detail"}
    assert Client.objects.filter(pk=client.pk).exists()
