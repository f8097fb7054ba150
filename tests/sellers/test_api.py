from __future__ import annotations

import pytest

from clausier.sellers.services import upsert_seller

pytestmark = pytest.mark.django_db


def test_me_is_the_tokens_seller(api, seller, other_seller):
    seller = upsert_seller(
        slug=seller.slug,
        fields={"mediator_name": "CM2C", "jurisdiction": "Tribunal de Nantes"},
        by=None,
    )
    response = api.get("/sellers/me")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == seller.pk
    assert body["slug"] == seller.slug
    assert body["legal_name"] == seller.legal_name
    assert body["siren"] == "524172699"
    assert body["vat_regime"] == "normal"
    assert body["mediator_name"] == "CM2C"
    assert body["jurisdiction"] == "Tribunal de Nantes"
    assert body["city"] == "Nantes"


def test_me_does_not_expose_bank_details(api, seller):
    body = api.get("/sellers/me").json()
    assert "iban" not in body
    assert "bic" not in body


def test_each_token_sees_its_own_seller(other_api, other_seller):
    assert other_api.get("/sellers/me").json()["slug"] == other_seller.slug != "alpha"
