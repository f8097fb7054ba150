"""API test fixtures: two sellers, each with a live token, and a JSON client per token."""

from __future__ import annotations

import pytest

from clausier.api.services import create_token
from clausier.sellers.models import Seller
from tests.api.helpers import Api
from tests.factories import make_seller
from tests.quotes.helpers import install_agency


@pytest.fixture
def seller(db) -> Seller:
    return make_seller("atelier-loire", mediator_name="CM2C", jurisdiction="Tribunal de Nantes")


@pytest.fixture
def other_seller(db) -> Seller:
    return make_seller("agence-rhone")


@pytest.fixture
def token_and_secret(seller):
    return create_token(seller=seller, name="ERP", by=None)


@pytest.fixture
def api(client, token_and_secret) -> Api:
    return Api(client, token_and_secret[1])


@pytest.fixture
def other_api(client, other_seller) -> Api:
    """The other seller's token: it must never reach ``seller``'s objects."""
    return Api(client, create_token(seller=other_seller, name="Other", by=None)[1])


@pytest.fixture
def anonymous(client) -> Api:
    return Api(client)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Acceptance evidence (e-mails, scans) is stored: never in the project's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mail_now(settings):
    """Tasks run at once and mail stays in ``django.core.mail.outbox``: sending a quote
    e-mails its PDF after the commit."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def agency(db) -> Seller:
    """The web agency of seed 002 with its real terms (CGV v3.0: deposit, validity...)."""
    return install_agency()


@pytest.fixture
def agency_token_and_secret(agency):
    return create_token(seller=agency, name="CRM", by=None)


@pytest.fixture
def agency_api(client, agency_token_and_secret) -> Api:
    return Api(client, agency_token_and_secret[1])
