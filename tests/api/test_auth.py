"""Bearer tokens: a live token of a seller, nothing else, gets in."""

from __future__ import annotations

import pytest

from clausier.api.models import ApiToken
from clausier.api.services import revoke_token

pytestmark = pytest.mark.django_db


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in response.json()["detail"]


def test_no_token_is_401(anonymous, seller):
    assert_unauthorized(anonymous.get("/sellers/me"))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer clsr_deadbeef_not-a-real-secret",
        "Bearer not-even-the-prefix",
        "Bearer ",
        "Token clsr_deadbeef_x",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_bad_token_is_401(anonymous, seller, header):
    assert_unauthorized(anonymous.get("/sellers/me", HTTP_AUTHORIZATION=header))


def test_a_revoked_token_is_401(anonymous, token_and_secret):
    token, secret = token_and_secret
    revoke_token(token=token, by=None)
    assert_unauthorized(anonymous.get("/sellers/me", HTTP_AUTHORIZATION=f"Bearer {secret}"))


def test_a_live_token_gets_in_and_its_use_is_recorded(api, token_and_secret):
    token, _ = token_and_secret
    assert token.last_used_at is None
    assert api.get("/sellers/me").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_the_scheme_is_case_insensitive(anonymous, token_and_secret):
    _, secret = token_and_secret
    response = anonymous.get("/sellers/me", HTTP_AUTHORIZATION=f"bearer {secret}")
    assert response.status_code == 200


def test_a_write_without_token_writes_nothing(anonymous, seller):
    response = anonymous.post("/clients", {"kind": "company", "name": "X"})
    assert response.status_code == 401
    assert not seller.clients.exists()
