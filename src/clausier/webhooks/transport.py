"""The HTTP POST of a webhook, with the standard library (``urllib.request``).

Redirects are not followed (a 3xx is a failed attempt: the endpoint's URL is to be fixed),
errors never raise: they come back as a :class:`Response` with ``error`` set.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

READ_LIMIT = 4096


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True, slots=True)
class Response:
    status: int | None
    body: str = ""
    error: str = ""


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Response(status=response.status, body=_text(response.read(READ_LIMIT)))
    except urllib.error.HTTPError as exc:
        try:
            text = _text(exc.read(READ_LIMIT))
        except (OSError, http.client.HTTPException):
            text = ""
        return Response(status=exc.code, body=text)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return Response(status=None, error=f"{type(exc).__name__}: {reason}")


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


def destination_problem(
    url: str, *, allowed_hosts: frozenset[str], allow_http: bool, resolve: bool
) -> str | None:
    """Why a webhook may not be sent to ``url``, or ``None``: "scheme" (not HTTPS, unless
    ``allow_http`` or the host is allowed), "private" (an address of clausier's own network,
    unless the host is in ``allowed_hosts``), "unresolved" (``resolve`` and no address)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in allowed_hosts:
        return None
    if parts.scheme != "https" and not allow_http:
        return "scheme"
    if host == "localhost" or host.endswith(".localhost"):
        return "private"
    addresses = host_addresses(host) if resolve else _literal(host)
    if any(_blocked(address) for address in addresses):
        return "private"
    if resolve and not addresses:
        return "unresolved"
    return None


def _literal(host: str) -> list[str]:
    try:
        return [ipaddress.ip_address(host.strip("[]")).compressed]
    except ValueError:
        return []
