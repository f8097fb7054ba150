"""The client's address through the reverse proxies the operator trusts."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from clausier.kernel.client_address import client_address, parse_networks


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def test_a_direct_caller_is_its_own_address_whatever_it_forwards(behind_proxies):
    # Only a trusted proxy's X-Forwarded-For is believed.
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_client_is_the_last_hop(behind_proxies):
    assert client_address(_request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_an_address_the_client_wrote_itself_is_ignored(behind_proxies):
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    request = _request("127.0.0.1", "1.2.3.4, 198.51.100.1")
    assert client_address(request) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(behind_proxies):
    request = _request("127.0.0.1", "198.51.100.1, 10.1.2.3")
    assert client_address(request) == "198.51.100.1"


def test_a_garbled_header_falls_back_to_the_proxy(behind_proxies):
    assert client_address(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"


def test_no_usable_address_is_none(behind_proxies):
    assert client_address(_request("")) is None


def test_a_bad_trusted_proxy_is_refused_naming_the_setting():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'ten' is not an IP address"):
        parse_networks(["10.0.0.1", "ten"])
