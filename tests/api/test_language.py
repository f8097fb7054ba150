"""The API answers in the language of ``Accept-Language``: French by default, English when
asked; messages and refusals alike, and the answer says which."""

from __future__ import annotations

import pytest

from tests.factories import make_client

CLIENT = {
    "kind": "company",
    "name": "Atelier Céramique Loire SAS",
    "email": "factures@atelier.example",
    "billing_line1": "1 quai de la Fosse",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
}

pytestmark = pytest.mark.django_db


def test_without_accept_language_the_api_speaks_french(api, seller):
    response = api.post("/clients", CLIENT | {"name": ""})
    assert response.status_code == 422
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["errors"]["name"] == "Ce champ ne peut pas être vide."


@pytest.mark.parametrize(
    "header", ["en", "en-GB,en;q=0.9", "de-DE, en;q=0.5", "EN-us", "fr;q=0.3, en;q=0.8"]
)
def test_an_english_caller_gets_english_refusals(api, seller, header):
    response = api.post(
        "/clients",
        CLIENT | {"name": ""},
        HTTP_ACCEPT_LANGUAGE=header,
    )
    assert response.status_code == 422
    assert response["Content-Language"] == "en"
    assert response.json()["errors"]["name"] == "This field cannot be blank."


@pytest.mark.parametrize("header", ["fr;q=0.9, en;q=0.4", "en;q=0, fr;q=0.1"])
def test_the_caller_s_preference_wins_over_the_header_s_order(api, seller, header):
    client = make_client(seller)
    response = api.get(f"/clients/{client.pk}", HTTP_ACCEPT_LANGUAGE=header)
    assert response["Content-Language"] == "fr"


def test_a_language_the_product_does_not_speak_gets_french(api, seller):
    client = make_client(seller)
    response = api.get(f"/clients/{client.pk}", HTTP_ACCEPT_LANGUAGE="de, ja;q=0.5")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"


def test_the_pages_keep_their_prefix_language(client):
    # Accept-Language never turns a French page English: the address says the language.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr">' in response.content.decode()
