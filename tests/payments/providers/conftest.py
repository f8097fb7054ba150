"""The providers' stub and its fixtures (tests/payments/providers/stub.py), and a guard: no
test here may open a connection or resolve a name beyond the loopback interface."""

import ipaddress
import socket

import pytest

from tests.payments.providers.stub import (  # noqa: F401 (fixtures)
    no_provider_keys,
    paypal_signing_key,
    provider_stub,
)

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if isinstance(address, tuple) and not is_loopback(address[0]):
            raise AssertionError(f"a test tried to reach {address}: the internet is off limits")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not is_loopback(host):
            raise AssertionError(f"a test tried to resolve {host!r}: the internet is off limits")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
