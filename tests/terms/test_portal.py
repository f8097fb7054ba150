"""The client space's terms: read a published version, accept the pending one."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from clausier.terms import services
from clausier.terms.models import Acceptance

pytestmark = pytest.mark.django_db


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
    html = response.content.decode()
    assert "Cochez la case" in html
    assert "Article 1 : paiement à 30 jours." in html  # again under the text to accept
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


def _published(seller):
    from clausier.terms.models import TermsStatus, TermsVersion

    return TermsVersion.objects.get(seller=seller, status=TermsStatus.PUBLISHED)


def test_a_consumer_reads_what_the_law_guarantees_beside_a_shorter_withdrawal(
    client, paas, paas_consumer
):
    from tests.factories import make_contact

    contact = make_contact(paas_consumer)
    client.force_login(contact.user)
    version = _published(paas)
    html = client.get(reverse("portal:terms", args=[version.pk])).content.decode()
    law = html.split("terms-reading")[0]  # the box above the text of the terms
    assert "Ce que la loi vous garantit" in law
    assert "14 jours" in law  # the law's withdrawal period, where the terms say less
    assert "L221-18" in law


def test_a_consumer_reads_the_laws_guarantee_in_the_pages_language(client, paas, paas_consumer):
    from tests.factories import make_contact

    contact = make_contact(paas_consumer)
    client.force_login(contact.user)
    version = _published(paas)
    with translation.override("en"):
        html = client.get(reverse("portal:terms", args=[version.pk])).content.decode()
    law = unescape(html.split("terms-reading")[0])
    assert "14 calendar days from the conclusion of the contract" in law
    assert "jours calendaires" not in law


def test_a_professional_is_not_told_about_consumer_withdrawal(client, paas, paas_company):
    from tests.factories import make_contact

    contact = make_contact(paas_company)
    client.force_login(contact.user)
    html = client.get(reverse("portal:terms", args=[_published(paas).pk])).content.decode()
    assert "L221-18" not in html.split("terms-reading")[0]
