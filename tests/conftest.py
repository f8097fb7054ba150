"""Fixtures shared by the whole suite."""

import pytest


@pytest.hookimpl(trylast=True)  # after -m has deselected what it deselects
def pytest_collection_modifyitems(config, items):
    # A PostgreSQL-only test run against SQLite would pass for the wrong reason: refuse it.
    from django.db import connection

    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    other = "sqlite" if vendor == "postgresql" else "postgresql"
    chosen = [item.nodeid for item in items if item.get_closest_marker(other)]
    if chosen:
        raise pytest.UsageError(
            f"{len(chosen)} test(s) marked {other} cannot run on {vendor}; "
            f'deselect them with -m "not {other}".'
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.5 s per password; tests create dozens of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _french_by_default():
    # A request under /en/ leaves English active in the thread; each test starts in French,
    # the product's default language.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, set as the default mailer for the test."""
    from tests.smtp import SmtpServer

    with SmtpServer() as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
            }
        }
        yield server


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mail_and_tasks(settings):
    """Sending a quote emails its PDF from a task: run tasks at once, keep mail in memory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


# --- two sellers, each with staff of several roles and clients: enough to test scoping ------
# (a folder's conftest may define its own ``seller``: these then build on that one)


@pytest.fixture
def seller(db):
    from tests.factories import make_seller

    return make_seller("alpha")


@pytest.fixture
def other_seller(db):
    from tests.factories import make_seller

    return make_seller("beta")


@pytest.fixture
def owner(seller):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(seller, Role.OWNER)


@pytest.fixture
def accountant(seller):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(seller, Role.ACCOUNTANT)


@pytest.fixture
def sales(seller):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(seller, Role.SALES)


@pytest.fixture
def staff(seller):
    from tests.factories import make_staff

    return make_staff(seller)


@pytest.fixture
def a_client(seller):
    from tests.factories import make_client

    return make_client(seller, "company", name="Atelier Durand", siren="732829320")


@pytest.fixture
def other_client(other_seller):
    from tests.factories import make_client

    return make_client(other_seller, "company", name="Beta Client")


@pytest.fixture
def terms(seller):
    from tests.factories import make_published_terms

    return make_published_terms(seller, "v1")


@pytest.fixture
def other_terms(other_seller):
    from tests.factories import make_published_terms

    return make_published_terms(other_seller, "v9")


# --- a client's portal login: a consumer with a contact, and a neighbour of the same seller --


@pytest.fixture
def consumer(seller):
    from tests.factories import make_client

    return make_client(seller, "consumer", name="Jeanne Dupont")


@pytest.fixture
def contact(consumer):
    from tests.factories import make_contact

    return make_contact(consumer, name="Jeanne Dupont", phone="0601020304")


@pytest.fixture
def neighbour(seller):
    """Another client of the same seller."""
    from tests.factories import make_client, make_contact

    client = make_client(seller, "company", name="Voisin SARL")
    make_contact(client, name="Victor Voisin")
    return client


@pytest.fixture
def other_seller_terms(db):
    from tests.factories import make_published_terms, make_seller

    return make_published_terms(make_seller("ailleurs"), "v7")


# --- the web agency of seed 002 (CGV v3.0: 30 % deposit, 293 B franchise), for quotes -----


@pytest.fixture
def agency(db, media):
    from tests.quotes.helpers import install_agency

    return install_agency()


@pytest.fixture
def agency_owner(agency):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(agency, Role.OWNER)


@pytest.fixture
def agency_sales(agency):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(agency, Role.SALES)


@pytest.fixture
def agency_accountant(agency):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(agency, Role.ACCOUNTANT)


@pytest.fixture
def bakery(agency):
    from tests.factories import make_client

    return make_client(agency, "company", name="Boulangerie Martin SARL")


@pytest.fixture
def bakery_contact(bakery):
    from tests.factories import make_contact

    return make_contact(bakery, name="Camille Martin", role="Gérante")
