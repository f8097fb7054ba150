"""Fixtures shared by the whole suite."""

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests check rules, not speed: on a shared 2-core machine example generation may be
# slow, which is no failure (speed is measured by the benchmarks, against a baseline).
hypothesis_settings.register_profile(
    "clausier", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("clausier")

# The API tests' client and fixtures, for every tests/<domain>/test_api*.py and tests/api/.
pytest_plugins = ["tests.api_client", "tests.task_queue"]

QUERY_COUNTS = Path(__file__).with_name("query_counts.json")

# Set by pytest_sessionstart: the files of the project's MEDIA_ROOT before the run.
_media_before: set[str] | None = None


def project_media_root() -> Path:
    """``MEDIA_ROOT`` as the settings module sets it (``var/media``), whatever a test
    overrides."""
    from clausier import settings as project_settings

    return Path(project_settings.MEDIA_ROOT)


def media_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def pytest_addoption(parser):
    parser.addoption(
        "--update-query-counts",
        action="store_true",
        help="pin the query counts measured by tests/test_query_counts.py into "
        "tests/query_counts.json instead of comparing them",
    )


class QueryCountBaseline:
    """The pinned query count of each list page and API list, per domain, in a JSON file:
    ``{"quotes": {"backoffice:quotes": 14, ...}, ...}``. With ``--update-query-counts`` the
    counts measured are written back (merged over the others) at the end of the session."""

    def __init__(self, path: Path, *, update: bool):
        self.path = path
        self.update = update
        self.pinned = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.measured: dict[str, dict[str, int]] = {}

    def check(self, domain: str, key: str, count: int) -> None:
        if self.update:
            self.measured.setdefault(domain, {})[key] = count
            return
        pinned = self.pinned.get(domain, {}).get(key)
        assert pinned is not None, (
            f"{key}: no pinned query count in {self.path.name}; run pytest --update-query-counts"
        )
        hint = (
            "fewer is progress: pin it with pytest --update-query-counts"
            if count < pinned
            else "a query per page more: remove it, or justify it and pin it"
        )
        assert count == pinned, f"{key}: {count} queries, {pinned} pinned ({hint})"

    def write(self) -> None:
        merged = {domain: dict(keys) for domain, keys in self.pinned.items()}
        for domain, keys in self.measured.items():
            merged.setdefault(domain, {}).update(keys)
        ordered = {d: dict(sorted(k.items())) for d, k in sorted(merged.items())}
        self.path.write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def query_count_baseline(pytestconfig):
    baseline = QueryCountBaseline(
        QUERY_COUNTS, update=pytestconfig.getoption("--update-query-counts")
    )
    yield baseline
    if baseline.update and baseline.measured:
        baseline.write()


def pytest_sessionstart(session):
    global _media_before
    _media_before = media_files(project_media_root())


def pytest_sessionfinish(session, exitstatus):
    # Tests never write into the working tree: a file the run left in var/media fails it.
    if _media_before is None:
        return
    root = project_media_root()
    added = sorted(media_files(root) - _media_before)
    if not added:
        return
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = f"the test run wrote {len(added)} file(s) into {root}: " + ", ".join(added[:10])
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(f"ERROR {message}", red=True, bold=True)
    else:  # pragma: no cover - no terminal (-p no:terminal)
        print(f"ERROR {message}")


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
    _reports_may_read_the_replica(items)


def _reports_may_read_the_replica(items) -> None:
    """With a ``replica`` alias (``make test-postgres`` mirrors default), a report read goes
    there: every test that uses the database may use both aliases."""
    from django.conf import settings

    if "replica" not in settings.DATABASES:
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and "databases" in marker.kwargs:
            continue
        if marker is None and not {"db", "transactional_db"} & set(item.fixturenames):
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        args = marker.args if marker is not None else ()
        item.add_marker(pytest.mark.django_db(*args, **kwargs, databases="__all__"), append=False)


@pytest.fixture(autouse=True)
def _second_factor_not_required(settings):
    # Most tests log staff in with force_login and no phone; the second factor's own tests
    # (tests/security/) require it again with the `mfa_required` fixture.
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.5 s per password; tests create dozens of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings):
    # The tests' webhook receivers listen on 127.0.0.1, an address a webhook may reach only
    # when allowed by name (tests/webhooks/test_destinations.py checks the refusal).
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture(autouse=True)
def _media_root_in_tmp(settings, tmp_path):
    # Stored files (acceptance scans, PDFs, Factur-X XML) go to the test's own directory, never
    # into the project's var/media; the directory goes with the test.
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.OUTBOX_DIR = tmp_path / "outbox"  # mail kept by the development outbox
    yield media
    shutil.rmtree(media, ignore_errors=True)


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
def media(_media_root_in_tmp):
    """The test's own MEDIA_ROOT (every test has one), for tests that read files in it."""
    return _media_root_in_tmp


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
    from tests.factories.quotes import install_agency

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


# --- the PaaS host of seed 000 (CGV v1.1: online orders, 20 % VAT), for orders and invoices --


@pytest.fixture
def paas(db):
    from tests.factories.orders import install_paas

    return install_paas()


@pytest.fixture
def paas_staff(paas):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    return make_staff(paas, Role.OWNER)


@pytest.fixture
def paas_company(paas):
    from tests.factories import make_client

    return make_client(
        paas,
        kind="company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
    )


@pytest.fixture
def paas_consumer(paas):
    from tests.factories import make_client

    return make_client(
        paas,
        kind="consumer",
        name="Émilie Durand",
        email="emilie.durand@example.test",
        billing_line1="12 rue des Olivettes",
        billing_postal_code="44000",
        billing_city="Nantes",
    )
