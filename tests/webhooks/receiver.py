"""A real HTTP receiver for outgoing webhooks: an ``http.server.HTTPServer`` on 127.0.0.1 (or
the loopback address given), on a free port (or the port given), in a thread, over HTTPS with
a ``tls`` context. It records every request and answers the statuses it is given, in order
(then 200), so that tests can make an endpoint fail and then recover."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(
        self,
        statuses: list[int] | tuple[int, ...] = (),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.requests: list[Received] = []
        self.statuses = list(statuses)
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        Received(
                            path=self.path,
                            headers={k.lower(): v for k, v in self.headers.items()},
                            body=body,
                        )
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = b'{"ok": true}' if status < 300 else b"upstream exploded"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format, *args) -> None:  # keep the test output clean
                pass

        self.server = HTTPServer((host, port), Handler)
        self.scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return self.url_for(self.server.server_address[0])

    def url_for(self, host: str) -> str:
        """The receiver's URL under another name for its address."""
        return f"{self.scheme}://{host}:{self.port}/hooks/clausier"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


def standard_webhooks_valid(*, secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Verify a request as a receiver would, written from the Standard Webhooks
    specification without clausier's code: HMAC-SHA256 keyed with the base64 after
    ``whsec_``, over ``{webhook-id}.{webhook-timestamp}.{body}``, base64, among the
    space-separated ``v1,<signature>`` entries of ``webhook-signature``."""
    key = base64.b64decode(secret[len("whsec_") :])
    signed = b".".join(
        [headers["webhook-id"].encode(), headers["webhook-timestamp"].encode(), body]
    )
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for entry in headers["webhook-signature"].split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False
