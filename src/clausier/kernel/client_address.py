"""The address of the person behind a request, through the proxies the operator trusts.

Behind a reverse proxy every request comes from the proxy's own address (``REMOTE_ADDR``);
the client's is the last hop the proxy appended to ``X-Forwarded-For``. That header is only
believed when the request comes from a trusted proxy (``TRUSTED_PROXIES``: addresses or
networks, loopback by default), and it is read from the right: the first address that is not
one of the trusted proxies is the client (what a client wrote itself stands further left and
is ignored). The login lockout, the acceptance evidence of a quote or an order and the
loopback-only metrics all use this one answer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str], *, setting: str = "TRUSTED_PROXIES") -> tuple:
    """``values`` ("10.0.0.0/8", "::1") as networks; a bad one raises ``ValueError`` naming
    the setting, so that settings fail loudly at start."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{setting}: {value!r} is not an IP address or network (e.g. 10.0.0.5, "
                "10.0.0.0/8, ::1)"
            ) from None
    return tuple(networks)


@cache
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or when that is a trusted proxy, the
    right-most address of ``X-Forwarded-For`` that is not a trusted proxy. None when the
    request carries no usable address."""
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    if not any(remote in network for network in trusted):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a garbled header: keep what is known for sure, the proxy's address
        if not any(address in network for network in trusted):
            return str(address)
    return str(remote)
