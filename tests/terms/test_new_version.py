"""A new terms version starts from an existing one: its text and every clause copied into a
draft, the version it came from untouched and named on the draft's page."""

from datetime import date

import pytest
from django.urls import reverse

from clausier.audit.models import Event
from clausier.terms import services
from clausier.terms.models import TermsStatus, TermsVersion
from tests.factories import make_published_terms

pytestmark = pytest.mark.django_db

PENALTY = {
    "clause_id": "late.penalty",
    "kind": "late.penalty",
    "article": "art. 6",
    "title": "Pénalités",
    "excerpt": "trois fois le taux d'intérêt légal",
    "parameters": {
        "multiplier": "3",
        "of": "legal_rate",
        "rate_date": "invoice_date",
        "base": "ht_remaining",
    },
}
COPIED = ("clause_id", "kind", "article", "title", "excerpt", "parameters", "position")


def rows(version) -> list[tuple]:
    return [tuple(getattr(c, f) for f in COPIED) for c in version.clauses.order_by("position")]


def test_a_draft_from_a_version_copies_its_clauses_and_leaves_it_unchanged(seller):
    v1 = make_published_terms(seller, "v1", more_clauses=(PENALTY | {"position": 2},))
    before = rows(v1)
    sha, status = v1.text_sha256, v1.status
    draft = services.create_draft_from(
        source=v1, label="v2", effective_date=date(2026, 9, 1), by=None
    )
    assert draft.status == TermsStatus.DRAFT
    assert draft.copied_from == v1
    assert draft.text == v1.text
    assert rows(draft) == before
    assert len(before) == 2
    # the copies are the draft's own rows: editing one leaves the source as it was
    copy = draft.clauses.get(clause_id="payment.due")
    services.update_clause(
        clause=copy,
        fields={"parameters": {"n": 45, "unit": "jours_calendaires", "from": "invoice_date"}},
        by=None,
    )
    v1.refresh_from_db()
    assert (v1.text_sha256, v1.status) == (sha, status)
    assert rows(v1) == before
    event = Event.objects.filter(verb="terms.draft_copied").get()
    assert event.summary["after"]["source"] == "v1"
    assert event.summary["after"]["clauses"] == 2


def test_new_version_page_starts_from_the_version_in_force(client, owner, seller):
    v1 = make_published_terms(seller, "v1", more_clauses=(PENALTY | {"position": 2},))
    client.force_login(owner)
    url = reverse("backoffice:terms_new", args=[seller.slug])
    page = client.get(url).content.decode()
    assert "Partir de la version" in page
    assert "Le brouillon partira de la version v1 et de ses 2 clauses." in page
    response = client.post(
        url,
        {
            "source": v1.pk,
            "label": "v2",
            "title": "",
            "effective_date": "2026-09-01",
            "text": v1.text + "\nArticle 6 : pénalités.\n",
        },
    )
    assert response.status_code == 302
    draft = TermsVersion.objects.get(seller=seller, label="v2")
    assert draft.copied_from == v1
    assert rows(draft) == rows(v1)
    assert draft.text.endswith("Article 6 : pénalités.")
    shown = client.get(response["Location"]).content.decode()
    assert "Copiée de" in shown
    assert reverse("backoffice:terms_version", args=[seller.slug, v1.pk]) in shown
    assert "la version v1" in shown


def test_another_source_can_be_chosen_and_the_draft_starts_from_it(client, owner, seller):
    v1 = make_published_terms(seller, "v1")
    v2 = services.create_draft_from(source=v1, label="v2", effective_date=date(2026, 9, 1), by=None)
    services.add_clause(version=v2, fields=PENALTY | {"position": 5}, by=None)
    client.force_login(owner)
    url = reverse("backoffice:terms_new", args=[seller.slug])
    # in force first (v1); the chooser reloads the page from the draft v2
    assert f'value="{v1.pk}"' in client.get(url).content.decode()
    page = client.get(url, {"source": v2.pk}).content.decode()
    assert "et de ses 2 clauses" in page
    response = client.post(
        f"{url}?source={v2.pk}",
        {"source": v2.pk, "label": "v3", "effective_date": "2026-10-01", "text": v2.text},
    )
    assert response.status_code == 302
    v3 = TermsVersion.objects.get(seller=seller, label="v3")
    assert v3.copied_from == v2
    assert {c.clause_id for c in v3.clauses.all()} == {"payment.due", "late.penalty"}


def test_a_version_of_another_seller_cannot_be_the_source(client, owner, seller, other_terms):
    make_published_terms(seller, "v1")
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:terms_new", args=[seller.slug]),
        {"source": other_terms.pk, "label": "v2", "effective_date": "2026-09-01", "text": "x"},
    )
    assert response.status_code == 400
    assert not TermsVersion.objects.filter(seller=seller, label="v2").exists()


def test_without_a_version_in_force_the_latest_is_the_default(seller):
    from clausier.terms import selectors

    first = services.create_draft(
        seller=seller, label="a", effective_date=date(2026, 1, 1), text="a", by=None
    )
    assert selectors.default_source(seller=seller) == first
    later = services.create_draft(
        seller=seller, label="b", effective_date=date(2026, 3, 1), text="b", by=None
    )
    assert selectors.default_source(seller=seller) == later
    published = make_published_terms(seller, "v1")
    assert selectors.default_source(seller=seller) == published
