"""The load generator of ``make bench`` (benchmarks/http_load.py) against a real local server:
it keeps its schedule whatever the answers' pace (open loop), counts the errors, and counts a
request's wait behind a slow server in its latency."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest
from benchmarks.http_load import load


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the production server
    keep_alive = True

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(0.1)
        status = 500 if self.path == "/fail" else 200
        body = b"ok" if status == 200 else b"boom"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if not self.keep_alive:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.headers["Content-Type"], body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class OneConnectionAtATime(Handler):
    keep_alive = False  # else the first connection would hold the only thread


def serve(server_class, handler=Handler):
    server = server_class(("127.0.0.1", 0), handler)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def threaded_server():
    server = serve(ThreadingHTTPServer)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def threaded(threaded_server):
    return f"http://127.0.0.1:{threaded_server.server_port}"


@pytest.fixture
def one_at_a_time():
    server = serve(HTTPServer, OneConnectionAtATime)  # answers one request after the other
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_it_sends_at_the_rate_asked_and_counts_every_answer(threaded):
    started = time.monotonic()
    result = load(f"{threaded}/ok", rate=100, duration=1.0)
    elapsed = time.monotonic() - started

    assert (result.sent, result.ok, result.errors) == (100, 100, 0)
    assert 0.95 <= elapsed < 3
    assert result.send_lag_max < 50  # ms: each request left on its schedule
    assert result.percentile(50) <= result.percentile(90) <= result.percentile(99)


def test_errors_are_counted_by_kind_and_left_out_of_the_latencies(threaded):
    result = load(f"{threaded}/fail", rate=50, duration=0.5)
    assert (result.sent, result.ok, result.errors) == (25, 0, 25)
    assert result.error_kinds == {"HTTP 500": 25}
    assert result.latencies == []

    refused = load("http://127.0.0.1:9/", rate=20, duration=0.25)  # nothing listens there
    assert (refused.sent, refused.errors) == (5, 5)
    assert refused.error_kinds == {"ConnectionRefusedError": 5}


def test_a_slow_server_does_not_slow_the_schedule_and_the_wait_counts(one_at_a_time):
    # 20 requests/s to a server that answers 10 a second: a closed loop would send 10 and
    # report 100 ms each; the schedule holds, the queue grows, and the latency shows it.
    result = load(f"{one_at_a_time}/slow", rate=20, duration=1.0, timeout=10)

    assert result.sent == 20
    assert result.send_lag_max < 50
    assert result.ok == 20
    assert result.percentile(99) > 700  # the last waited behind ~10 others: ~1 s
    assert result.connections > 1  # new connections while the others waited


def test_it_posts_the_bodies_in_turn(threaded_server):
    # The metering benchmark posts batches of events: request i carries body i (mod n).
    url = f"http://127.0.0.1:{threaded_server.server_port}/api/v1/events"
    bodies = [b'[{"id": "a"}]', b'[{"id": "b"}]', b"[]"]
    result = load(
        url,
        rate=50,
        duration=0.1,
        method="POST",
        bodies=bodies,
        headers={"Content-Type": "application/json"},
    )

    assert (result.sent, result.ok, result.errors) == (5, 5, 0)
    received = sorted(threaded_server.received)
    assert received == sorted(("application/json", bodies[i % 3]) for i in range(5))
