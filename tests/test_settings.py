"""Settings come from the environment: safe in development, loud in production."""

import os
import secrets
import subprocess
import sys

import pytest

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_setup(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_DEBUG", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="clausier.settings")
    return subprocess.run(
        [sys.executable, "-c", SETUP], env=clean, capture_output=True, text=True, timeout=60
    )


def test_development_defaults_start_without_any_variable():
    result = run_setup()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_refuses_to_start_without_secret_key():
    result = run_setup(DJANGO_DEBUG="0", ALLOWED_HOSTS="factures.example.fr")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_setup(DJANGO_DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_email_url_configures_the_default_mailer():
    code = (
        "import django; django.setup(); from django.core import mail; m = mail.mailers.default; "
        "print(type(m).__name__, m.host, m.port, m.username, m.use_ssl)"
    )
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    env.update(
        EMAIL_URL="smtps://bob%40x.fr:s3cret@mail.example.fr",
        DJANGO_SETTINGS_MODULE="clausier.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["EmailBackend", "mail.example.fr", "465", "bob@x.fr", "True"]


def test_production_starts_when_configured():
    result = run_setup(DJANGO_DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="factures.example.fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG='maybe': expected one of"),
        ("DATABASE_URL", "mysql://root@localhost/x", "supports SQLite and PostgreSQL only"),
        ("DATABASE_URL", "nonsense://", "DATABASE_URL='nonsense://' cannot be used"),
        (
            "EMAIL_URL",
            "ftp://mail.example.fr",
            "EMAIL_URL='ftp://mail.example.fr': expected smtp://",
        ),
        ("LANGUAGE_CODE", "de", "LANGUAGE_CODE='de': expected one of fr, en"),
    ],
)
def test_bad_variable_is_named_in_the_error(variable, value, message):
    result = run_setup(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def production_environment(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "HSTS_", "SESSION_", "CSRF_"))
        and k not in {"SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="clausier.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="factures.example.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CLAUSIER_VAR_DIR=str(tmp_path / "var"),
        **extra,
    )
    return env


def run_deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_the_production_variables(tmp_path):
    result = run_deploy_check(production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_names_what_plain_http_gives_up(tmp_path):
    # Served without HTTPS (HTTPS=0): no HSTS, no redirect, cookies sent in clear, and said.
    result = run_deploy_check(production_environment(tmp_path, HTTPS="0"))
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout


def test_uploaded_files_cannot_live_among_the_static_files(tmp_path):
    result = run_setup(CLAUSIER_VAR_DIR=str(tmp_path), MEDIA_ROOT=str(tmp_path / "static" / "up"))
    assert result.returncode != 0
    assert "overlap: uploaded files would be served to anyone" in result.stderr


def test_a_bad_trusted_proxy_refuses_to_start_naming_it():
    result = run_setup(TRUSTED_PROXIES="127.0.0.1,nope")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nope' is not an IP address" in result.stderr
