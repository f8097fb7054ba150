"""Log lines carry the id of the request they were written for: JSON in production."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from clausier.ops.logs import JsonFormatter, TextFormatter


@pytest.fixture
def access_lines():
    """The lines the access logger writes during the test, formatted as JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("clausier.access")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_requests_log_line_carries_its_request_id(client, access_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "req-4242"})
    assert response["X-Request-ID"] == "req-4242"
    [line] = access_lines()
    assert line["request_id"] == "req-4242"
    assert line["logger"] == "clausier.access"
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /healthz 200 ")
    assert line["route"] == "healthz"
    assert line["status"] == 200
    assert line["time"].endswith("+00:00")


def test_a_line_outside_a_request_has_an_empty_request_id_and_its_exception():
    record = logging.LogRecord("clausier.x", logging.ERROR, __file__, 1, "boom %s", (1,), None)
    try:
        raise ValueError("bad")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == ""
    assert line["message"] == "boom 1"
    assert "ValueError: bad" in line["exception"]
    assert "[-] boom 1" in TextFormatter().format(record)


def log_format(**env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DJANGO_DEBUG"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="clausier.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip() or result.stderr


def test_logs_are_json_in_production_and_text_in_debug():
    production = {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.fr"}
    assert log_format(**production) == "json"
    assert log_format() == "text"
    assert log_format(LOG_FORMAT="json") == "json"
    assert "LOG_FORMAT='xml': expected json or text" in log_format(LOG_FORMAT="xml")
