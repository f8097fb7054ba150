"""The client space's profile (the contact's own details) and the seller's logo."""

import pytest
from django.urls import reverse

from clausier.audit.models import Event

pytestmark = pytest.mark.django_db


def test_profile_shows_identity_read_only_and_updates_own_details(client, contact):
    client.force_login(contact.user)
    html = client.get(reverse("portal:profile")).content.decode()
    assert "Particulier (consommateur)" in html
    assert 'name="siren"' not in html
    response = client.post(
        reverse("portal:profile"),
        {"name": "Jeanne Dupont-Martin", "email": "jeanne@exemple.test", "phone": "0612345678"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Jeanne Dupont-Martin"
    assert contact.phone == "0612345678"
    event = Event.objects.get(verb="contact.updated", object_id=str(contact.pk))
    assert event.actor == contact.user


def test_profile_errors_keep_what_was_typed(client, contact):
    client.force_login(contact.user)
    response = client.post(
        reverse("portal:profile"), {"name": "Jeanne", "email": "nope", "phone": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="nope"' in html
    assert "error-summary" in html


def test_sellers_logo_is_served_to_its_contacts_only_as_an_image(client, contact):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_seller

    make_seller(contact.client.seller.slug, logo=SimpleUploadedFile("logo.png", b"\x89PNG logo"))
    client.force_login(contact.user)
    home = client.get(reverse("portal:home")).content.decode()
    assert f'src="{reverse("portal:logo")}"' in home
    response = client.get(reverse("portal:logo"))
    assert b"".join(response.streaming_content) == b"\x89PNG logo"
    assert "sandbox" in response["Content-Security-Policy"]


def test_no_logo_is_a_404(client, contact):
    client.force_login(contact.user)
    assert client.get(reverse("portal:logo")).status_code == 404
