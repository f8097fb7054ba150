"""Acceptances through the API: staff-recorded evidence only, scoped, all-or-nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from clausier.terms import services as terms_services
from clausier.terms.models import Acceptance
from tests.factories import make_client, make_published_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_(seller):
    return make_client(seller, name="Boulangerie Ange")


@pytest.fixture
def version(seller):
    return make_published_terms(seller, "v1")


def body(version, **extra):
    return {
        "version_id": version.pk,
        "method": "signed_quote",
        "accepted_by_name": "Jeanne Martin",
    } | extra


def test_record_a_signed_quote(api, client_, version):
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version))
    assert response.status_code == 201
    data = response.json()
    acceptance = Acceptance.objects.get(pk=data["id"])
    assert acceptance.client == client_
    assert acceptance.recorded_by is None  # a token is not a user; the audit names it
    assert data["client_id"] == client_.pk
    assert data["version_id"] == version.pk
    assert data["version"] == "v1"
    assert data["text_sha256"] == version.text_sha256
    assert data["method"] == "signed_quote"
    assert data["accepted_by_name"] == "Jeanne Martin"
    assert data["accepted_at"]


def test_record_an_email_consent_at_a_given_time(api, client_, version):
    response = api.post(
        f"/clients/{client_.pk}/acceptances",
        body(
            version,
            method="email_consent",
            accepted_at="2026-03-02T10:15:00+01:00",
            message_id="<abc@mail.example>",
        ),
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["message_id"] == "<abc@mail.example>"
    acceptance = Acceptance.objects.get(pk=data["id"])
    assert acceptance.accepted_at.isoformat() == "2026-03-02T09:15:00+00:00"


def test_an_email_consent_needs_its_message_id(api, client_, version):
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version, method="email_consent"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"message_id"}
    assert "Message-ID" in response.json()["errors"]["message_id"]
    assert not Acceptance.objects.exists()


def test_checkbox_is_portal_only(api, client_, version):
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version, method="checkbox"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"method"}
    assert "portal" in errors["method"]
    assert not Acceptance.objects.exists()


def test_an_unknown_method_is_422_naming_method(api, client_, version):
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version, method="telepathy"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"method"}


def test_a_postal_scan_needs_the_scanned_letter(api, client_, version):
    # The JSON API carries no file: postal scans are recorded in the back-office.
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version, method="postal_scan"))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"evidence_file"}
    assert not Acceptance.objects.exists()


def test_missing_fields_are_each_named(api, client_):
    response = api.post(f"/clients/{client_.pk}/acceptances", {})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"version_id", "method", "accepted_by_name"}


def test_a_blank_signatory_is_refused_by_the_service(api, client_, version):
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version, accepted_by_name=" "))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"accepted_by_name"}


def test_a_naive_datetime_is_refused(api, client_, version):
    response = api.post(
        f"/clients/{client_.pk}/acceptances", body(version, accepted_at="2026-03-02T10:15:00")
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"accepted_at"}


def test_an_acceptance_cannot_be_dated_in_the_future(api, client_, version):
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version, accepted_at=tomorrow))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"accepted_at"}
    assert not Acceptance.objects.exists()


def test_a_version_of_another_seller_is_an_unknown_version(api, client_, other_seller):
    theirs = make_published_terms(other_seller, "theirs")
    response = api.post(f"/clients/{client_.pk}/acceptances", body(theirs))
    assert response.status_code == 422
    assert response.json()["errors"] == {"version_id": "unknown version"}
    assert not Acceptance.objects.exists()


def test_a_draft_cannot_be_accepted_and_the_error_names_version_id(api, seller, client_):
    draft = terms_services.create_draft(
        seller=seller, label="v2", effective_date=date(2027, 1, 1), text="# v2\n", by=None
    )
    response = api.post(f"/clients/{client_.pk}/acceptances", body(draft))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"version_id"}
    assert "publiée" in errors["version_id"]
    assert not Acceptance.objects.exists()


def test_list_acceptances_latest_first(api, client_, version, seller):
    url = f"/clients/{client_.pk}/acceptances"
    assert api.post(url, body(version, accepted_at="2026-01-05T09:00:00+01:00")).status_code == 201
    v2 = make_published_terms(seller, "v2")  # supersedes v1
    assert api.post(url, body(v2, accepted_at="2026-06-05T09:00:00+02:00")).status_code == 201
    response = api.get(url)
    assert response.status_code == 200
    assert [a["version"] for a in response.json()] == ["v2", "v1"]


def test_a_superseded_version_can_no_longer_be_accepted(api, client_, version, seller):
    make_published_terms(seller, "v2")
    response = api.post(f"/clients/{client_.pk}/acceptances", body(version))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"version_id"}


def test_another_sellers_client_is_404(other_api, client_, version):
    assert other_api.get(f"/clients/{client_.pk}/acceptances").status_code == 404
    response = other_api.post(f"/clients/{client_.pk}/acceptances", body(version))
    assert response.status_code == 404
    assert not Acceptance.objects.exists()
