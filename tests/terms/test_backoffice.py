"""Terms in the back-office: versions (list, text beside clauses, lint findings, publishing),
and the acceptances a client sent outside the portal."""

from datetime import UTC, date, datetime
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from clausier.terms import services
from clausier.terms.models import Acceptance, TermsStatus, TermsVersion
from tests.factories import make_client

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
    assert "Durée : 7 · Unité : jours francs · À compter de : l&#x27;acceptation" in html
    english = client.get(
        f"/en{reverse('backoffice:terms_version', args=[seller.slug, version.pk])}"
    )
    assert "Duration : 7 · Unit : clear days · Counted from : the acceptance" in (
        english.content.decode()
    )
    # the lint: severity in words, the law, what clausier applies
    assert "L221-18" in html
    assert "Ce que clausier applique" in html
    assert 'class="why"' in html
    # a published version is frozen
    assert "Publier" not in html
    assert "Ajouter une clause" not in html
    assert reverse("backoffice:terms_publish", args=[seller.slug, version.pk]) not in html


def test_the_lint_findings_are_worded_in_the_pages_language(client, owner, seller):
    version = consumer_terms(seller)
    client.force_login(owner)
    page = reverse("backoffice:terms_version", args=[seller.slug, version.pk])
    html = unescape(client.get(page).content.decode())
    with translation.override("en"):
        english = unescape(
            client.get(
                reverse("backoffice:terms_version", args=[seller.slug, version.pk])
            ).content.decode()
        )

    assert "La clause accorde 7 jours francs à compter de « acceptance »" in html
    assert "The clause grants 7 clear days from “acceptance”" in english
    assert "The consumer has 14 calendar days to withdraw" in english  # the law's text
    assert (
        "14 calendar days from the conclusion of the contract, extended to the next working day"
        in english
    )  # what clausier applies
    assert "La clause accorde" not in english


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
    add = reverse("backoffice:clause_add", args=[seller.slug, draft.pk]) + "?kind=payment.due"
    head = {"clause_id": "payment.due.b", "article": "art. 5", "title": "Échéance"}
    head |= {"excerpt": "14 jours ouvrés", "position": 1}
    bad = client.post(add, head | {"p_n": "14", "p_unit": "weeks", "p_from": "invoice_date"})
    assert bad.status_code == 400
    assert "Unité</a> : Sélectionnez un choix valide" in bad.content.decode()
    good = client.post(
        add, head | {"p_n": "14", "p_unit": "jours_ouvres", "p_from": "invoice_date"}
    )
    assert good.status_code == 302
    clause = draft.clauses.get(clause_id="payment.due.b")
    page = client.get(reverse("backoffice:terms_version", args=[seller.slug, draft.pk]))
    assert "Durée : 14 · Unité : jours ouvrés · À compter de : la date de facture" in (
        page.content.decode()
    )
    client.post(reverse("backoffice:clause_delete", args=[seller.slug, draft.pk, clause.pk]))
    assert not draft.clauses.filter(clause_id="payment.due.b").exists()


# --- acceptances received outside the portal (on the client page) ---------------------------


def test_client_page_lists_acceptances_with_paris_time_and_evidence(
    client, owner, seller, a_client, terms
):
    from clausier.terms import services

    services.record_acceptance(
        client=a_client,
        version=terms,
        method="postal_scan",
        accepted_by_name="M. Durand",
        by=owner,
        accepted_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        evidence_file=SimpleUploadedFile("bon-pour-accord.pdf", b"%PDF-1.4 scan"),
    )
    client.force_login(owner)
    html = client.get(reverse("backoffice:client", args=[seller.slug, a_client.pk])).content
    html = html.decode()
    assert "02/03/2026 10:30" in html  # 09:30 UTC is 10:30 in Paris in March
    assert "Courrier « Bon pour accord » numérisé" in html
    assert "M. Durand" in html
    acceptance = Acceptance.objects.get(client=a_client)
    evidence_url = reverse(
        "backoffice:acceptance_evidence", args=[seller.slug, a_client.pk, acceptance.pk]
    )
    assert evidence_url in html
    download = client.get(evidence_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 scan"


def test_evidence_of_another_client_is_a_404(client, owner, seller, a_client, terms):
    from clausier.terms import services

    other = make_client(seller)
    acceptance = services.record_acceptance(
        client=other,
        version=terms,
        method="postal_scan",
        accepted_by_name="X",
        by=owner,
        evidence_file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 x"),
    )
    client.force_login(owner)
    response = client.get(
        reverse("backoffice:acceptance_evidence", args=[seller.slug, a_client.pk, acceptance.pk])
    )
    assert response.status_code == 404


def test_staff_records_an_acceptance_received_by_email(client, sales, seller, a_client, terms):
    client.force_login(sales)
    page = client.get(reverse("backoffice:client", args=[seller.slug, a_client.pk])).content
    assert "Enregistrer une acceptation" in page.decode()
    response = client.post(
        reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]),
        {
            "version": terms.pk,
            "method": "email_consent",
            "accepted_by_name": "Mme Durand",
            "message_id": "<abc@mail.test>",
        },
    )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(client=a_client)
    assert acceptance.method == "email_consent"
    assert acceptance.message_id == "<abc@mail.test>"
    assert acceptance.recorded_by == sales
    assert acceptance.text_sha256 == terms.text_sha256


def test_email_acceptance_without_evidence_shows_the_services_error(
    client, owner, seller, a_client, terms
):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]),
        {"version": terms.pk, "method": "email_consent", "accepted_by_name": "Mme Durand"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Message-ID ou le fichier .eml" in html
    assert 'value="Mme Durand"' in html
    assert not Acceptance.objects.exists()


def test_a_refused_acceptance_comes_back_on_its_own_page_leading_to_the_client(
    client, owner, seller, a_client, terms
):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]),
        {"version": terms.pk, "method": "postal_scan", "accepted_by_name": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert reverse("backoffice:client", args=[seller.slug, a_client.pk]) in html
    assert reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]) in html


def test_postal_acceptance_with_a_scan_upload(client, owner, seller, a_client, terms):
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]),
        {
            "version": terms.pk,
            "method": "postal_scan",
            "accepted_by_name": "M. Durand",
            "accepted_at": "2026-04-01T14:00",
            "evidence_file": SimpleUploadedFile("bpa.pdf", b"%PDF-1.4 scan"),
        },
    )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(client=a_client)
    assert acceptance.evidence_file.read() == b"%PDF-1.4 scan"
    assert timezone.localtime(acceptance.accepted_at).date() == date(2026, 4, 1)
    assert timezone.localtime(acceptance.accepted_at).hour == 14
