"""Terms versions in the back-office: list, text beside clauses, lint findings, publishing."""

from datetime import date

import pytest
from django.urls import reverse

from clausier.terms import services
from clausier.terms.models import TermsStatus, TermsVersion

pytestmark = pytest.mark.django_db

CONSUMER_TEXT = """# Conditions générales de vente

## Article 6 : Rétractation

Le client consommateur dispose d'un délai de **7 jours francs** pour se rétracter.

<script>alert("x")</script>
"""


def consumer_terms(seller, *, label="v2", publish=True) -> TermsVersion:
    """Terms whose withdrawal period (7 jours francs) is shorter than the law's 14 days."""
    version = services.create_draft(
        seller=seller, label=label, effective_date=date(2026, 1, 1), text=CONSUMER_TEXT, by=None
    )
    services.add_clause(
        version=version,
        fields={
            "clause_id": "clients.kinds",
            "kind": "clients.kinds",
            "article": "art. 1",
            "title": "Clients",
            "excerpt": "particuliers et professionnels",
            "parameters": {"kinds": ["company", "consumer"]},
            "position": 1,
        },
        by=None,
    )
    services.add_clause(
        version=version,
        fields={
            "clause_id": "withdrawal.period",
            "kind": "withdrawal.period",
            "article": "art. 6",
            "title": "Rétractation",
            "excerpt": "7 jours francs",
            "parameters": {"n": 7, "unit": "jours_francs", "from": "acceptance"},
            "position": 2,
        },
        by=None,
    )
    return services.publish_version(version=version, by=None) if publish else version


def test_terms_list_shows_status_badges_hash_clauses_and_findings(client, owner, seller, terms):
    consumer_terms(seller)
    client.force_login(owner)
    html = client.get(reverse("backoffice:terms", args=[seller.slug])).content.decode()
    assert 'class="badge badge--published">Publiée' in html
    assert 'class="badge badge--superseded">Remplacée' in html
    terms.refresh_from_db()
    assert terms.text_sha256[:12] in html
    assert "Contrôle juridique au" in html
    assert "badge--error" in html


def test_published_version_shows_text_clauses_and_findings_without_edit_controls(
    client, owner, seller
):
    version = consumer_terms(seller)
    client.force_login(owner)
    response = client.get(reverse("backoffice:terms_version", args=[seller.slug, version.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    # the text as the client reads it, rendered safely
    assert "<h2>Article 6 : Rétractation</h2>" in html
    assert "<strong>7 jours francs</strong>" in html
    assert "<script>alert" not in html
    # the clause table, parameters in words
    assert "withdrawal.period" in html
    assert "n: 7 · unit: jours francs · from: acceptance" in html
    # the lint: severity in words, the law, what clausier applies
    assert "L221-18" in html
    assert "Ce que clausier applique" in html
    assert 'class="why"' in html
    # a published version is frozen
    assert "Publier" not in html
    assert "Ajouter une clause" not in html
    assert reverse("backoffice:terms_publish", args=[seller.slug, version.pk]) not in html


def test_draft_shows_publish_and_clause_form_to_the_owner(client, owner, seller):
    draft = consumer_terms(seller, publish=False)
    client.force_login(owner)
    html = client.get(reverse("backoffice:terms_version", args=[seller.slug, draft.pk])).content
    html = html.decode()
    assert "Publier" in html
    assert "Ajouter une clause" in html
    assert 'class="badge badge--draft">Brouillon' in html


def test_draft_shows_no_publish_button_to_the_accountant(client, accountant, seller):
    draft = consumer_terms(seller, publish=False)
    client.force_login(accountant)
    html = client.get(reverse("backoffice:terms_version", args=[seller.slug, draft.pk])).content
    assert "Publier" not in html.decode()


def test_publishing_a_draft_supersedes_the_previous_version(client, owner, seller, terms):
    draft = consumer_terms(seller, publish=False)
    client.force_login(owner)
    response = client.post(reverse("backoffice:terms_publish", args=[seller.slug, draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    terms.refresh_from_db()
    assert draft.status == TermsStatus.PUBLISHED
    assert terms.status == TermsStatus.SUPERSEDED


def test_publishing_twice_says_why_it_cannot(client, owner, seller, terms):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:terms_publish", args=[seller.slug, terms.pk]), follow=True
    )
    assert "impossible" in response.content.decode()


def test_owner_creates_a_draft_then_adds_and_deletes_a_clause(client, owner, seller, terms):
    client.force_login(owner)
    form = client.get(reverse("backoffice:terms_new", args=[seller.slug])).content.decode()
    assert "Article 1 : paiement à 30 jours." in form  # starts from the published text
    response = client.post(
        reverse("backoffice:terms_new", args=[seller.slug]),
        {"label": "v2", "title": "", "effective_date": "2026-06-01", "text": "# CGV v2"},
    )
    draft = TermsVersion.objects.get(seller=seller, label="v2")
    assert response.status_code == 302
    bad = client.post(
        reverse("backoffice:clause_add", args=[seller.slug, draft.pk]),
        {
            "clause_id": "payment.due",
            "kind": "payment.due",
            "article": "art. 5",
            "title": "Échéance",
            "excerpt": "14 jours ouvrés",
            "parameters": '{"n": 14, "unit": "weeks", "from": "invoice_date"}',
            "position": 1,
        },
    )
    assert bad.status_code == 400
    assert "parameters.unit" in bad.content.decode()
    good = client.post(
        reverse("backoffice:clause_add", args=[seller.slug, draft.pk]),
        {
            "clause_id": "payment.due",
            "kind": "payment.due",
            "article": "art. 5",
            "title": "Échéance",
            "excerpt": "14 jours ouvrés",
            "parameters": '{"n": 14, "unit": "jours_ouvres", "from": "invoice_date"}',
            "position": 1,
        },
    )
    assert good.status_code == 302
    clause = draft.clauses.get()
    page = client.get(reverse("backoffice:terms_version", args=[seller.slug, draft.pk]))
    assert "n: 14 · unit: jours ouvrés · from: invoice_date" in page.content.decode()
    client.post(reverse("backoffice:clause_delete", args=[seller.slug, draft.pk, clause.pk]))
    assert not draft.clauses.exists()


def test_clause_json_that_does_not_parse_is_explained(client, owner, seller):
    draft = consumer_terms(seller, publish=False)
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:clause_add", args=[seller.slug, draft.pk]),
        {
            "clause_id": "x",
            "kind": "text",
            "article": "1",
            "title": "t",
            "excerpt": "e",
            "parameters": "{n: 1",
            "position": 3,
        },
    )
    assert response.status_code == 400
    assert "JSON invalide" in response.content.decode()
