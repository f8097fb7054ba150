"""The HTTP POST of a webhook, with the standard library (``http.client``), to the address
that was checked.

The host name is resolved once, every address it gives is checked (:func:`check_destination`),
and the request connects to the first of these addresses, sending the host name in the
``Host`` header and, over HTTPS, as the TLS server name whose certificate is verified. The
name is never resolved a second time: a DNS server that answers a public address to the
check and a private one to the connection ("DNS rebinding") cannot steer the request into
clausier's own network.

Redirects are not followed (a 3xx is a failed attempt: the endpoint's URL is to be fixed),
errors never raise: they come back as a :class:`Response` with ``error`` set.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

READ_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Response:
    status: int | None
    body: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class Destination:
    """A webhook URL as checked: ``problem`` says why it may not be sent there ("scheme",
    "private", "unresolved"), else ``None``; ``addresses`` are the IP addresses its host
    resolved to (resolved once, all of them checked), the request connects to the first."""

    url: str
    problem: str | None = None
    addresses: tuple[str, ...] = ()


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to ``address`` for the host name ``host`` (its ``Host`` header)."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to ``address`` for ``host``: its ``Host`` header, its TLS server
    name (SNI) and the name its certificate must carry."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()  # the system's CAs (SSL_CERT_FILE honoured)
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        try:
            self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


def post(
    *, destination: Destination, body: bytes, headers: dict[str, str], timeout: float
) -> Response:
    """POST ``body`` to a checked ``destination`` (no ``problem``), connecting to its first
    address."""
    if destination.problem is not None or not destination.addresses:
        raise ValueError(f"not a checked destination: {destination.url}")
    parts = urllib.parse.urlsplit(destination.url)
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection = connection_class(
            parts.hostname or "", parts.port, address=destination.addresses[0], timeout=timeout
        )
    except ValueError as exc:
        return Response(status=None, error=f"{type(exc).__name__}: {exc}")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        return Response(status=response.status, body=_text(response.read(READ_LIMIT)))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Response(status=None, error=f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


# --- where a webhook may go ------------------------------------------------------------------
# A webhook is a request clausier's server makes: pointed at a private, loopback or link-local
# address it would reach the server's own network (an internal admin page, a cloud metadata
# service at 169.254.169.254). Such addresses are refused when the URL is saved and again
# before each delivery, after the host name is resolved (a public name may resolve to a
# private address, or change to one later).


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def host_addresses(host: str) -> list[str]:
    """The IP addresses ``host`` resolves to (itself for an IP literal), ``[]`` when it does
    not resolve."""
    try:
        return [ipaddress.ip_address(host.strip("[]")).compressed]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_destination(
    url: str, *, allowed_hosts: frozenset[str], allow_http: bool, resolve: bool
) -> Destination:
    """Whether a webhook may be sent to ``url``, and where: "scheme" (not HTTPS, unless
    ``allow_http`` or the host is allowed), "private" (one of the addresses the host resolves
    to is of clausier's own network, unless the host is in ``allowed_hosts``), "unresolved"
    (``resolve`` and no address). Without ``resolve`` only an IP literal is checked."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = host in allowed_hosts
    if parts.scheme != "https" and not allow_http and not allowed:
        return Destination(url, "scheme")
    if not allowed and (host == "localhost" or host.endswith(".localhost")):
        return Destination(url, "private")
    addresses = tuple(host_addresses(host) if resolve else _literal(host))
    if not allowed and any(_blocked(address) for address in addresses):
        return Destination(url, "private", addresses)
    if resolve and not addresses:
        return Destination(url, "unresolved")
    return Destination(url, None, addresses)


def destination_problem(
    url: str, *, allowed_hosts: frozenset[str], allow_http: bool, resolve: bool
) -> str | None:
    """Why a webhook may not be sent to ``url`` (see :func:`check_destination`), or ``None``."""
    return check_destination(
        url, allowed_hosts=allowed_hosts, allow_http=allow_http, resolve=resolve
    ).problem


def _literal(host: str) -> list[str]:
    try:
        return [ipaddress.ip_address(host.strip("[]")).compressed]
    except ValueError:
        return []
