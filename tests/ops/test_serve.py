"""`clausier serve` as production runs it: gunicorn workers on a SQLite file, answering pages
and health checks, writing JSON log lines with the request id, adding up the workers'
metrics, and stopping cleanly on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CLAUSIER = Path(sys.executable).with_name("clausier")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def environment(tmp_path):
    """Production-like variables on a SQLite file of the test's own, migrated."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PROMETHEUS_", "METRICS_", "LOG_", "WEB_CONCURRENCY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="clausier.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'clausier.sqlite3'}",
        CLAUSIER_VAR_DIR=str(tmp_path / "var"),
        LOG_FORMAT="json",
    )
    subprocess.run([CLAUSIER, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    return env


def test_serve_answers_then_stops_cleanly_on_sigterm(environment, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [CLAUSIER, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, Path(log.name).read_text()
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "clausier serve did not answer in 2 minutes"
            time.sleep(0.3)

        status, body = get(f"{base}/", **{"X-Request-ID": "serve-test-1"})
        assert status == 200
        assert b"clausier" in body.lower()
        status, body = get(f"{base}/readyz")
        assert status == 200, body
        assert json.loads(body)["status"] == "ready"
        for _ in range(4):  # spread over both workers
            assert get(f"{base}/healthz")[0] == 200
        status, body = get(f"{base}/metrics")  # loopback, no token set
        assert status == 200
        healthz = [
            line
            for line in body.decode().splitlines()
            if line.startswith('clausier_http_requests_total{method="GET",route="healthz"')
        ]
        assert len(healthz) == 1
        assert float(healthz[0].split()[-1]) >= 5  # the workers' counts, added up

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    lines = [json.loads(line) for line in Path(log.name).read_text().splitlines()[1:]]
    [page] = [line for line in lines if line.get("request_id") == "serve-test-1"]
    assert page["logger"] == "clausier.access"
    assert page["message"].startswith("GET / 200 ")
    assert any(line["message"] == "Handling signal: term" for line in lines)
    # The last line is written before the master leaves (it skips the interpreter's teardown).
    assert lines[-1]["message"] == "Shutting down: Master"
