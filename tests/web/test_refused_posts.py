"""A form sent and refused is shown again with 400 and stores nothing, on every form page of
the back-office and the portal: a wrong value, or a post with nothing in it (a page shown
with 200 would read as a success to a script, a proxy or a browser test)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clausier.api.models import ApiToken
from clausier.audit.models import Event
from clausier.customers.models import Client
from tests.web.test_typed_inputs import CLIENT_FORM, new_client_url

pytestmark = pytest.mark.django_db


def test_a_refused_new_client_is_a_400_and_nothing_is_stored(client, owner, seller):
    client.force_login(owner)
    response = client.post(new_client_url(seller), CLIENT_FORM | {"email": "pas-un-email"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Client.objects.filter(seller=seller).exists()


def test_a_refused_client_edit_is_a_400_and_the_client_is_unchanged(
    client, owner, seller, a_client
):
    client.force_login(owner)
    url = reverse("backoffice:client_edit", args=[seller.slug, a_client.pk])
    before = a_client.billing_postal_code
    response = client.post(url, CLIENT_FORM | {"billing_postal_code": "4400"})
    assert response.status_code == 400
    a_client.refresh_from_db()
    assert a_client.billing_postal_code == before
    assert not Event.objects.filter(verb="client.updated").exists()


def test_the_forms_are_shown_with_200_before_they_are_sent(client, owner, seller, a_client):
    client.force_login(owner)
    for url in (
        new_client_url(seller),
        reverse("backoffice:client_edit", args=[seller.slug, a_client.pk]),
        reverse("backoffice:settings", args=[seller.slug]),
        reverse("backoffice:api_tokens", args=[seller.slug]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("page", ["client_new", "client_edit", "settings", "api_tokens"])
def test_an_empty_post_to_a_back_office_form_is_refused_with_400(
    client, owner, seller, a_client, page
):
    client.force_login(owner)
    args = [seller.slug, a_client.pk] if page == "client_edit" else [seller.slug]
    clients_before = Client.objects.count()
    response = client.post(reverse(f"backoffice:{page}", args=args), {})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert Client.objects.count() == clients_before
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(actor=owner).exists()


def test_a_refused_portal_profile_is_a_400_and_the_contact_is_unchanged(client, contact):
    client.force_login(contact.user)
    for data in ({}, {"name": "", "email": contact.email, "phone": ""}):
        response = client.post(reverse("portal:profile"), data)
        assert response.status_code == 400, data
        assert "error-summary" in response.content.decode()
    contact.refresh_from_db()
    assert contact.name == "Jeanne Dupont"
    assert not Event.objects.filter(verb="contact.updated").exists()
