"""Superusers add and correct the legal rates in the Django admin, through the service."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.legal.models import LegalRate
from tests.factories import make_user
from tests.factories.legal import FICTITIOUS_SOURCE, add_fictitious_rate

pytestmark = pytest.mark.django_db

URL = "/admin/legal/legalrate/"


@pytest.fixture
def superuser(client):
    user = make_user("superviseur", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def form(**overrides):
    return {
        "year": "2026",
        "semester": "2",
        "professional": "9.99",
        "consumer": "19.99",
        "source": FICTITIOUS_SOURCE,
    } | overrides


def test_a_superuser_adds_the_new_semester(client, superuser):
    response = client.post(f"{URL}add/", form())
    assert response.status_code == 302
    row = LegalRate.objects.get()
    assert (row.professional, row.recorded_by) == (Decimal("9.99"), superuser)
    assert Event.objects.get(verb="legal_rate.recorded").actor == superuser
    assert "2026 S2" in client.get(URL).content.decode()


def test_the_admin_refuses_a_row_that_contradicts_the_packaged_table(client, superuser):
    response = client.post(f"{URL}add/", form(semester="1"))
    assert response.status_code == 200
    assert "figure déjà dans le tableau livré" in response.content.decode()
    response = client.post(f"{URL}add/", form(professional="9.999"))
    assert "deux décimales" in response.content.decode() or "2 chiffres" in (
        response.content.decode()
    )
    assert not LegalRate.objects.exists()


def test_a_correction_keeps_the_period_and_is_audited(client, superuser):
    row = add_fictitious_rate()
    response = client.post(f"{URL}{row.pk}/change/", form(professional="9.98"))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.professional == Decimal("9.98")
    assert Event.objects.get(verb="legal_rate.corrected").actor == superuser
    assert client.post(f"{URL}{row.pk}/delete/", {"post": "yes"}).status_code == 403


def test_staff_who_are_not_superusers_cannot_touch_the_rates(client):
    client.force_login(make_user("comptable", is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}add/", form()).status_code == 403
    assert not LegalRate.objects.exists()
