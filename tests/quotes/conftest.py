"""Quote fixtures: the web agency of seed 002 installed from its real seed (CGV v3.0)."""

from __future__ import annotations

import pytest

from tests.factories import make_client, make_contact, make_staff


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(agency):
    return make_staff(agency, role="sales")


@pytest.fixture
def client_company(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL")


@pytest.fixture
def contact(client_company):
    return make_contact(client_company, name="Camille Martin", role="Gérante")
