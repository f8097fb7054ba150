"""Fixtures shared by the whole suite."""

import json
import shutil
from pathlib import Path

import pytest

# The API tests' client and fixtures, for every tests/<domain>/test_api*.py and tests/api/.
pytest_plugins = ["tests.api_client"]

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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.5 s per password; tests create dozens of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root_in_tmp(settings, tmp_path):
    # Stored files (acceptance scans, PDFs, Factur-X XML) go to the test's own directory, never
    # into the project's var/media; the directory goes with the test.
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
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
