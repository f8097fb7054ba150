"""Two sellers, each with staff of several roles and clients: enough to test scoping."""

import pytest

from clausier.sellers.models import Role
from tests.factories import make_client, make_published_terms, make_seller, make_staff


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seller():
    return make_seller("alpha")


@pytest.fixture
def other_seller():
    return make_seller("beta")


@pytest.fixture
def owner(seller):
    return make_staff(seller, Role.OWNER)


@pytest.fixture
def accountant(seller):
    return make_staff(seller, Role.ACCOUNTANT)


@pytest.fixture
def sales(seller):
    return make_staff(seller, Role.SALES)


@pytest.fixture
def a_client(seller):
    return make_client(seller, "company", name="Atelier Durand", siren="732829320")


@pytest.fixture
def other_client(other_seller):
    return make_client(other_seller, "company", name="Beta Client")


@pytest.fixture
def terms(seller):
    return make_published_terms(seller, "v1")


@pytest.fixture
def other_terms(other_seller):
    return make_published_terms(other_seller, "v9")


# --- the web agency of seed 002 (CGV v3.0: 30 % deposit, 293 B franchise), for quotes -----


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mail_and_tasks(settings):
    """Sending a quote emails its PDF from a task: run tasks at once, keep mail in memory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def agency(db, media):
    from tests.quotes.helpers import install_agency

    return install_agency()


@pytest.fixture
def agency_owner(agency):
    return make_staff(agency, Role.OWNER)


@pytest.fixture
def agency_sales(agency):
    return make_staff(agency, Role.SALES)


@pytest.fixture
def agency_accountant(agency):
    return make_staff(agency, Role.ACCOUNTANT)


@pytest.fixture
def bakery(agency):
    return make_client(agency, "company", name="Boulangerie Martin SARL")


@pytest.fixture
def bakery_contact(bakery):
    from tests.factories import make_contact

    return make_contact(bakery, name="Camille Martin", role="Gérante")
