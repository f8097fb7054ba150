"""Fixtures shared by the whole suite."""

import pytest

# The API tests' client and fixtures, for every tests/<domain>/test_api*.py and tests/api/.
pytest_plugins = ["tests.api_client"]


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
