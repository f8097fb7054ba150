"""The audit trail and the API tokens screens."""

import pytest
from django.urls import reverse

from clausier.api.models import ApiToken
from tests.factories import make_client

pytestmark = pytest.mark.django_db


def test_audit_lists_events_and_filters_by_verb(client, owner, seller, a_client, terms):
    client.force_login(owner)
    url = reverse("backoffice:audit", args=[seller.slug])
    html = client.get(url).content.decode()
    assert "Client Atelier Durand créé" in html
    assert "CGV v1 publiées" in html
    filtered = client.get(url + "?verb=terms.published").content.decode()
    assert "CGV v1 publiées" in filtered
    assert "Client Atelier Durand créé" not in filtered
    assert "Atelier Durand" in html  # the object, linked
    assert reverse("backoffice:client", args=[seller.slug, a_client.pk]) in html


def test_audit_never_shows_another_sellers_events(client, owner, seller, other_client):
    client.force_login(owner)
    html = client.get(reverse("backoffice:audit", args=[seller.slug])).content.decode()
    assert "Beta Client" not in html


def test_audit_is_paginated(client, owner, seller):
    for _ in range(55):
        make_client(seller)
    client.force_login(owner)
    html = client.get(reverse("backoffice:audit", args=[seller.slug])).content.decode()
    assert "Page 1 sur 2" in html


def test_api_token_secret_is_shown_once_then_revoked(client, owner, seller):
    client.force_login(owner)
    url = reverse("backoffice:api_tokens", args=[seller.slug])
    assert "/api/v1/docs" in client.get(url).content.decode()
    response = client.post(url, {"name": "ERP"})
    html = response.content.decode()
    token = ApiToken.objects.get(seller=seller)
    assert "clsr_" + token.prefix + "_" in html
    assert "il ne sera plus jamais affiché" in html
    again = client.get(url).content.decode()
    assert "il ne sera plus jamais affiché" not in again
    assert "ERP" in again
    client.post(reverse("backoffice:api_token_revoke", args=[seller.slug, token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_another_sellers_token_is_a_404(client, owner, seller, other_seller):
    from clausier.api.services import create_token

    token, _ = create_token(seller=other_seller, name="theirs", by=None)
    client.force_login(owner)
    response = client.post(reverse("backoffice:api_token_revoke", args=[seller.slug, token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
