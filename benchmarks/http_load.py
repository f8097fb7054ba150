"""A constant-rate HTTP/1.1 load generator (open loop), and the HTTP benchmark of clausier.

The generator: request i of a run at ``rate`` per second is *scheduled* at ``start + i /
rate``, and sent then whatever the previous ones are doing: a slow answer never delays the
next request (a closed loop, which waits for each answer before sending the next, hides the
server's stalls: the "coordinated omission" of load testing). Each request takes an idle
keep-alive connection or opens a new one (up to ``max_connections``, then it waits for one),
so the schedule holds while answers pile up. Its latency is counted from its scheduled time
to the last byte of the answer, so the time a request waited to be sent counts too. An
answer that is not 2xx, a connection error or no answer within ``timeout`` of its scheduled
time counts as an error (its latency is left out of the percentiles).

The benchmark (``run()``, from ``benchmarks/run.py``): the production server (gunicorn, 2
workers, ``DJANGO_DEBUG=0``) on a PostgreSQL database of its own holding the demo data, a
staff user's session cookie, and for each rate (50, 100, 200 requests/s by default) the
health check ``/healthz`` (the Django stack and one query: the baseline), then the invoice
list, an invoice page and the quotes list of the agency. Each figure is reported as a ratio
to the baseline's at the same rate, measured in the same run. Target: p99 <= 25 ms at
200 requests/s on 2 cores.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
STAFF_LOGIN = "neo7-owner"  # the demo's owner of the web agency
SELLER = "neo7-studio-web"


# --- the generator ---------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What one run at a constant rate measured. Latencies in milliseconds."""

    url: str
    rate: float
    duration: float
    sent: int = 0
    ok: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    send_lag_max: float = 0.0  # the latest a request left after its scheduled time, ms
    connections: int = 0

    def percentile(self, p: float) -> float:
        """The p-th percentile (nearest rank) of the successful requests' latencies."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, round(p / 100 * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]

    def summary(self) -> dict:
        return {
            "url": self.url,
            "rate": self.rate,
            "duration_s": self.duration,
            "sent": self.sent,
            "ok": self.ok,
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "p50_ms": round(self.percentile(50), 2),
            "p90_ms": round(self.percentile(90), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies), 2) if self.latencies else None,
            "send_lag_max_ms": round(self.send_lag_max, 2),
            "connections": self.connections,
        }


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def close(self) -> None:
        self.writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response whole; its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:  # the body runs to the end of the connection
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def run_constant_rate(
    url: str,
    *,
    rate: float,
    duration: float,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
    max_connections: int = 256,
    method: str = "GET",
    bodies: list[bytes] | None = None,
) -> LoadResult:
    """``method`` ``url`` ``rate`` times a second for ``duration`` seconds, open loop;
    request i carries ``bodies[i % len(bodies)]`` when bodies are given."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: clausier-bench\r\n"
        f"Accept: {'application/json' if bodies else 'text/html'}\r\n{extra}"
    ).encode("latin-1")
    requests = [
        head + f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body
        for body in (bodies or [])
    ] or [head + b"\r\n"]
    result = LoadResult(url=url, rate=rate, duration=duration)
    idle: list[_Connection] = []
    slots = asyncio.Semaphore(max_connections)
    loop = asyncio.get_running_loop()

    def error(kind: str) -> None:
        result.errors += 1
        result.error_kinds[kind] = result.error_kinds.get(kind, 0) + 1

    async def one(scheduled: float, request: bytes) -> None:
        """One request, given ``timeout`` seconds from its scheduled time, the wait for a
        free connection included."""
        try:
            async with asyncio.timeout_at(scheduled + timeout), slots:
                status = await exchange(request)
        except TimeoutError:
            error("timeout")
            return
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            error(type(exc).__name__)
            return
        if 200 <= status < 300:
            result.ok += 1
            result.latencies.append((loop.time() - scheduled) * 1000)
        else:
            error(f"HTTP {status}")

    async def exchange(request: bytes) -> int:
        connection = idle.pop() if idle else None
        try:
            if connection is None:
                reader, writer = await asyncio.open_connection(host, port)
                writer.get_extra_info("socket").setsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY, 1
                )
                connection = _Connection(reader, writer)
                result.connections += 1
            connection.writer.write(request)
            await connection.writer.drain()
            status, keep = await _read_response(connection.reader)
        except BaseException:  # an error, or the timeout's cancellation: never reused
            if connection is not None:
                connection.close()
            raise
        if keep:
            idle.append(connection)
        else:
            connection.close()
        return status

    total = int(rate * duration)
    start = loop.time() + 0.05
    pending: set[asyncio.Task] = set()
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        result.send_lag_max = max(result.send_lag_max, (loop.time() - scheduled) * 1000)
        task = asyncio.create_task(one(scheduled, requests[i % len(requests)]))
        pending.add(task)
        task.add_done_callback(pending.discard)
        result.sent += 1
    if pending:
        await asyncio.wait(pending)
    for connection in idle:
        connection.close()
    return result


def load(url: str, *, rate: float, duration: float, **kwargs) -> LoadResult:
    """:func:`run_constant_rate` from synchronous code."""
    return asyncio.run(run_constant_rate(url, rate=rate, duration=duration, **kwargs))


# --- the benchmark ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "clausier.manage", *args], env=env, check=True, cwd=ROOT)


@contextlib.contextmanager
def production_server(env: dict[str, str], port: int, *, workers: int = 2) -> Iterator[str]:
    """The production server on ``127.0.0.1:port``, stopped on exit; yields its base URL.
    (The one place that says how clausier is served: ``clausier serve`` takes over here once
    it exists.)"""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "clausier.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"benchmark: the server stopped (exit {server.returncode})")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise SystemExit("benchmark: the server did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _session_and_urls(env: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A staff session cookie (written in the bench database) and the pages to load."""
    script = f"""
import django, json
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from clausier.invoicing.models import Invoice
from clausier.security import domain
client = Client()
client.force_login(get_user_model().objects.get(username={STAFF_LOGIN!r}))
# The owner's session past its second factor, as after the code of their authenticator.
session = client.session
session[domain.SESSION_KEY] = domain.DONE
session.save()
invoice = Invoice.objects.filter(seller__slug={SELLER!r}, number__gt="").order_by("id").last()
name = settings.SESSION_COOKIE_NAME
slug = {SELLER!r}
print(json.dumps({{
    "cookie": name + "=" + client.cookies[name].value,
    "invoice_list": reverse("backoffice:invoices", kwargs={{"slug": slug}}),
    "invoice_detail": reverse(
        "backoffice:invoice", kwargs={{"slug": slug, "invoice_id": invoice.pk}}
    ),
    "quote_list": reverse("backoffice:quotes", kwargs={{"slug": slug}}),
}}))
"""
    import json

    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env | {"DJANGO_SETTINGS_MODULE": "clausier.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"benchmark: no staff session ({done.stderr.strip()[-2000:]})")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return data.pop("cookie"), data


def run(*, rates: list[float], duration: float, result_type, now: str, database_url: str) -> list:
    """The HTTP benchmark on ``database_url`` (a database of the run's own: migrated and
    filled with the demo data here). Returns one result per endpoint and rate (p99 against
    the baseline's p99) and prints every run's percentiles."""
    with tempfile.TemporaryDirectory(prefix="clausier-bench-http-") as var:
        env = os.environ | {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "CLAUSIER_VAR_DIR": var,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "src"),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        print("http benchmark: migrate, demo data, static files...", flush=True)
        _manage(env, "migrate", "--no-input", "--verbosity", "0")
        _manage(env, "demo")
        _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        cookie, pages = _session_and_urls(env)
        with production_server(env, free_port()) as base:
            # As behind the HTTPS proxy production runs behind (HTTPS=1: plain HTTP is
            # redirected, the session cookie is Secure).
            headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
            # Warm both workers (imports, templates, connections) before the clock starts.
            load(f"{base}/healthz", rate=20, duration=1)
            for path in pages.values():
                warm = load(base + path, rate=20, duration=1, headers=headers)
                if warm.errors:  # a redirect (login, second factor, HTTPS) is no page
                    raise SystemExit(f"benchmark: GET {path} answered {warm.error_kinds}")
            results = _measure(base, pages, headers, rates, duration, result_type, now)
        # The slowest page by its median at the lowest rate (past saturation every p99 is the
        # timeout, which tells no page from another).
        lowest = [r for r in results if r.name.endswith(f"_{min(rates):g}rps_p99")]
        slowest = max(lowest, key=lambda r: r.details["measured"]["p50_ms"] or 0)
        page = slowest.name.removeprefix("http_").rsplit("_", 2)[0]
        profile(env, pages[page])
        return results


PROFILE_REQUESTS = 20


def profile(env: dict[str, str], path: str) -> None:
    """cProfile of ``PROFILE_REQUESTS`` GETs of ``path`` by the demo's staff user, in one
    process (Django's test client, no server): where a request's time goes, printed."""
    script = f"""
import cProfile, pstats, django, time
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from clausier.security import domain
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
client.force_login(get_user_model().objects.get(username={STAFF_LOGIN!r}))
session = client.session
session[domain.SESSION_KEY] = domain.DONE
session.save()
assert client.get({path!r}).status_code == 200  # warm
started = time.perf_counter()
profiler = cProfile.Profile()
profiler.enable()
for _ in range({PROFILE_REQUESTS}):
    client.get({path!r})
profiler.disable()
each = (time.perf_counter() - started) / {PROFILE_REQUESTS} * 1000
print(f"profile of GET {path}: {{each:.1f}} ms a request under the profiler")
pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
"""
    subprocess.run(
        [sys.executable, "-c", script],
        env=env | {"DJANGO_SETTINGS_MODULE": "clausier.settings"},
        cwd=ROOT,
        check=False,
    )


def settle(base: str, *, within: float = 120) -> None:
    """Wait until the server answers at once again: an overloaded run leaves a backlog of
    requests the server still works through, which must not count against the next run."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        probe = load(f"{base}/healthz", rate=5, duration=1, timeout=2)
        if probe.ok == probe.sent and probe.percentile(99) < 100:
            return
    print(f"  (the server did not settle within {within:g} s)", flush=True)


def _measure(base, pages, headers, rates, duration, result_type, now) -> list:
    results = []
    for rate in rates:
        settle(base)
        baseline = load(f"{base}/healthz", rate=rate, duration=duration)
        _print(baseline)
        for name, path in pages.items():
            settle(base)
            measured = load(base + path, rate=rate, duration=duration, headers=headers)
            _print(measured)
            p99, base_p99 = measured.percentile(99), baseline.percentile(99)
            results.append(
                result_type(
                    name=f"http_{name}_{rate:g}rps_p99",
                    unit="ms",
                    value=round(p99, 2),
                    baseline=f"GET /healthz p99 at {rate:g} req/s",
                    baseline_value=round(base_p99, 2),
                    ratio=round(p99 / base_p99, 4) if base_p99 else float("nan"),
                    database="postgresql",
                    date=now,
                    rows=measured.sent,
                    details={"measured": measured.summary(), "baseline": baseline.summary()},
                )
            )
    return results


def _print(r: LoadResult) -> None:
    s = r.summary()
    print(
        f"  {s['rate']:>5g} req/s  {r.url.split('/', 3)[-1][:48]:<48}  p50 {s['p50_ms']:>7} ms  "
        f"p90 {s['p90_ms']:>7} ms  p99 {s['p99_ms']:>7} ms  errors {s['errors']}/{s['sent']}  "
        f"lag {s['send_lag_max_ms']} ms",
        flush=True,
    )
