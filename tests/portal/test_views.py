"""The client space: one contact sees its own client and its seller's published terms only."""

from datetime import date

import pytest
from django.urls import reverse

from clausier.audit.models import Event
from clausier.terms import services
from clausier.terms.models import Acceptance
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


def test_banner_offers_the_pending_version_then_acceptance_records_evidence(client, contact, terms):
    client.force_login(contact.user)
    html = client.get(reverse("portal:home")).content.decode()
    assert "a publié de nouvelles conditions générales de vente (v1)" in html
    assert "J&#x27;ai lu et j&#x27;accepte les conditions générales de vente v1" in html
    assert 'value="Jeanne Dupont"' in html  # the signer's name, prefilled
    assert reverse("portal:terms", args=[terms.pk]) in html

    response = client.post(
        reverse("portal:accept"),
        {"version": terms.pk, "accept": "on", "accepted_by_name": "Jeanne Dupont"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(client=contact.client)
    assert acceptance.method == "checkbox"
    assert acceptance.ip_address == "203.0.113.7"
    assert acceptance.user_agent == "Mozilla/5.0 (test)"
    assert acceptance.accepted_by == contact.user
    assert acceptance.accepted_by_name == "Jeanne Dupont"
    assert acceptance.text_sha256 == terms.text_sha256

    after = client.get(reverse("portal:home")).content.decode()
    assert "a publié de nouvelles conditions" not in after
    assert "Conditions générales de vente v1" in after
    assert "Case cochée en ligne" in after


def test_acceptance_needs_the_box_ticked(client, contact, terms):
    client.force_login(contact.user)
    response = client.post(
        reverse("portal:accept"), {"version": terms.pk, "accepted_by_name": "Jeanne Dupont"}
    )
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_accepting_a_stale_version_is_refused(client, contact, terms, seller):
    client.force_login(contact.user)
    newer = services.create_draft(
        seller=seller, label="v2", effective_date=date(2026, 6, 1), text="# v2", by=None
    )
    services.add_clause(
        version=newer,
        fields={
            "clause_id": "t",
            "kind": "text",
            "article": "1",
            "title": "t",
            "excerpt": "t",
            "parameters": {},
        },
        by=None,
    )
    services.publish_version(version=newer, by=None)
    response = client.post(
        reverse("portal:accept"),
        {"version": terms.pk, "accept": "on", "accepted_by_name": "Jeanne"},
        follow=True,
    )
    assert "relisez-les" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_contact_reads_its_sellers_published_terms(client, contact, terms):
    client.force_login(contact.user)
    response = client.get(reverse("portal:terms", args=[terms.pk]))
    assert response.status_code == 200
    assert "Article 1 : paiement à 30 jours." in response.content.decode()


def test_another_sellers_terms_and_drafts_are_404(client, contact, seller, other_seller_terms):
    draft = services.create_draft(
        seller=seller, label="draft", effective_date=date(2026, 6, 1), text="# d", by=None
    )
    client.force_login(contact.user)
    assert client.get(reverse("portal:terms", args=[other_seller_terms.pk])).status_code == 404
    assert client.get(reverse("portal:terms", args=[draft.pk])).status_code == 404


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


def test_profile_shows_identity_read_only_and_updates_own_details(client, contact):
    client.force_login(contact.user)
    html = client.get(reverse("portal:profile")).content.decode()
    assert "Particulier (consommateur)" in html
    assert 'name="siren"' not in html
    response = client.post(
        reverse("portal:profile"),
        {"name": "Jeanne Dupont-Martin", "email": "jeanne@exemple.test", "phone": "0700000000"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Jeanne Dupont-Martin"
    assert contact.phone == "0700000000"
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


def test_portal_speaks_english_under_en(client, contact, terms):
    client.force_login(contact.user)
    html = client.get("/en/portal/").content.decode()
    assert '<html lang="en">' in html
    assert "I have read and accept the terms of sale v1" in html
    assert "My profile" in html


def test_sellers_logo_is_served_to_its_contacts_only_as_an_image(
    client, contact, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_seller

    settings.MEDIA_ROOT = tmp_path
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
