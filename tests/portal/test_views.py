"""The client space: one contact sees its own client and its seller's published terms only."""

import pytest
from django.urls import reverse

from clausier.terms import services
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PAGES = ["portal:home", "portal:profile"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_for_a_contact(client, contact, terms, name):
    client.force_login(contact.user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "--brand: #7a2e8c" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_staff_and_strangers_get_a_404(client, staff, name):
    client.force_login(staff)
    assert client.get(reverse(name)).status_code == 404
    client.force_login(make_user())
    assert client.get(reverse(name)).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_contact_never_sees_another_client(client, contact, neighbour, terms):
    client.force_login(contact.user)
    for name in PAGES:
        html = client.get(reverse(name)).content.decode()
        assert "Voisin" not in html
    services.record_acceptance(
        client=neighbour,
        version=terms,
        method="email_consent",
        accepted_by_name="Victor Voisin",
        message_id="<v@v>",
        by=None,
    )
    home = client.get(reverse("portal:home")).content.decode()
    assert "Victor Voisin" not in home
    assert "a publié de nouvelles conditions" in home  # the neighbour's acceptance is not ours


def test_portal_speaks_english_under_en(client, contact, terms):
    client.force_login(contact.user)
    html = client.get("/en/portal/").content.decode()
    assert '<html lang="en">' in html
    assert "I have read and accept the terms of sale v1" in html
    assert "My profile" in html
