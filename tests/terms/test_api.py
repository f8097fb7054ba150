"""Terms through the API: read-only versions, clauses, and the legal lint."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.api.api import api as ninja_api
from clausier.terms import api as terms_router
from clausier.terms import services as terms_services
from clausier.terms.models import TermsVersion
from tests.factories import make_published_terms

pytestmark = pytest.mark.django_db

TEXT = "# CGV\n\nArticle 7 : rétractation sous 7 jours francs.\n"


def consumer_terms_with_a_short_withdrawal(seller) -> TermsVersion:
    version = terms_services.create_draft(
        seller=seller, label="conso-1", effective_date=date(2026, 1, 1), text=TEXT, by=None
    )
    terms_services.add_clause(
        version=version,
        fields={
            "clause_id": "clients.kinds",
            "kind": "clients.kinds",
            "article": "art. 1",
            "title": "Clientèle",
            "excerpt": "Les présentes CGV s'appliquent aux consommateurs.",
            "parameters": {"kinds": ["consumer"]},
            "position": 1,
        },
        by=None,
    )
    terms_services.add_clause(
        version=version,
        fields={
            "clause_id": "withdrawal.period",
            "kind": "withdrawal.period",
            "article": "art. 7",
            "title": "Rétractation",
            "excerpt": "rétractation sous 7 jours francs",
            "parameters": {"n": 7, "unit": "jours_francs", "from": "offer_acceptance"},
            "position": 7,
        },
        by=None,
    )
    return terms_services.publish_version(version=version, by=None)


def test_list_versions_of_the_tokens_seller_only(api, seller, other_seller):
    v1 = make_published_terms(seller, "v1")
    draft = terms_services.create_draft(
        seller=seller, label="v2", effective_date=date(2027, 1, 1), text="# v2\n", by=None
    )
    make_published_terms(other_seller, "theirs")
    response = api.get("/terms")
    assert response.status_code == 200
    body = response.json()
    assert [v["label"] for v in body] == ["v2", "v1"]
    published = body[1]
    assert published == {
        "id": v1.pk,
        "label": "v1",
        "title": v1.title,
        "effective_date": "2026-01-01",
        "status": "published",
        "text_sha256": v1.text_sha256,
        "published_at": published["published_at"],
    }
    assert published["published_at"] is not None
    assert body[0]["id"] == draft.pk
    assert body[0]["status"] == "draft"
    assert body[0]["published_at"] is None
    assert "text" not in published


def test_a_version_with_its_text_and_clauses(api, seller):
    version = consumer_terms_with_a_short_withdrawal(seller)
    response = api.get(f"/terms/{version.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == TEXT
    assert body["text_sha256"] == terms_services.text_hash(text=TEXT)
    assert [c["clause_id"] for c in body["clauses"]] == ["clients.kinds", "withdrawal.period"]
    assert body["clauses"][1] == {
        "clause_id": "withdrawal.period",
        "kind": "withdrawal.period",
        "article": "art. 7",
        "title": "Rétractation",
        "excerpt": "rétractation sous 7 jours francs",
        "parameters": body["clauses"][1]["parameters"],
    }
    params = body["clauses"][1]["parameters"]
    assert (params["n"], params["unit"], params["from"]) == (7, "jours_francs", "offer_acceptance")


def test_the_clauses_of_a_version(api, seller):
    version = consumer_terms_with_a_short_withdrawal(seller)
    response = api.get(f"/terms/{version.pk}/clauses")
    assert response.status_code == 200
    assert [c["kind"] for c in response.json()] == ["clients.kinds", "withdrawal.period"]
    assert response.json()[0]["parameters"] == {"kinds": ["consumer"]}


def test_another_sellers_version_is_404(other_api, seller):
    version = make_published_terms(seller)
    for path in ("", "/clauses", "/lint"):
        response = other_api.get(f"/terms/{version.pk}{path}")
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


def test_lint_finds_the_short_withdrawal_period(api, seller):
    version = consumer_terms_with_a_short_withdrawal(seller)
    response = api.get(f"/terms/{version.pk}/lint?on=2026-11-02")
    assert response.status_code == 200
    body = response.json()
    assert body["version_id"] == version.pk
    assert body["label"] == "conso-1"
    assert body["on"] == "2026-11-02"
    assert body["findings"], "a 7-day withdrawal period for consumers breaks the law"
    for finding in body["findings"]:
        assert {
            "code",
            "severity",
            "clause_id",
            "article",
            "law",
            "law_text",
            "message",
            "applied",
        } <= set(finding)
        assert isinstance(finding["message"], str)
        assert finding["message"]
    withdrawal = [f for f in body["findings"] if f["clause_id"] == "withdrawal.period"]
    assert len(withdrawal) == 1, body["findings"]
    assert withdrawal[0]["code"] == "withdrawal.too_short"
    assert withdrawal[0]["severity"] == "error"
    assert withdrawal[0]["article"] == "art. 7"
    assert "L221-18" in withdrawal[0]["law"]
    assert "14 jours" in withdrawal[0]["applied"]


def test_lint_defaults_to_today_in_paris(api, seller, monkeypatch):
    monkeypatch.setattr(terms_router, "today_in_paris", lambda: date(2026, 12, 31))
    version = consumer_terms_with_a_short_withdrawal(seller)
    assert api.get(f"/terms/{version.pk}/lint").json()["on"] == "2026-12-31"


def test_lint_refuses_a_bad_date(api, seller):
    version = make_published_terms(seller)
    response = api.get(f"/terms/{version.pk}/lint?on=31/12/2026")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"on"}


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE", "POST"])
def test_a_version_is_read_only(api, seller, method):
    version = make_published_terms(seller)
    response = api.call(method, f"/terms/{version.pk}", {"label": "hacked"})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response["Allow"] == "GET"
    assert "not allowed" in response.json()["detail"]
    version.refresh_from_db()
    assert version.label == "v1"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_versions_cannot_be_created_nor_changed_in_bulk(api, seller, method):
    response = api.call(method, "/terms", {"label": "v9"})
    assert response.status_code == 405
    assert not TermsVersion.objects.exists()


@pytest.mark.parametrize("path", ["/clauses", "/lint"])
def test_clauses_and_lint_are_read_only(api, seller, path):
    version = make_published_terms(seller)
    assert api.call("POST", f"/terms/{version.pk}{path}", {}).status_code == 405


def test_the_api_declares_no_write_on_terms():
    paths = ninja_api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    terms_methods = {m for p, ops in paths.items() if p.startswith("/api/v1/terms") for m in ops}
    assert terms_methods == {"get"}
