"""A delivery connects to the address it checked: the host name is resolved once, every
address it gives is checked, and the request goes to that address with the host name in its
``Host`` header and, over HTTPS, as the TLS server name whose certificate is verified. A DNS
server answering a public address to the check and a private one to the connection (DNS
rebinding) cannot steer a webhook into the server's own network.

The DNS answers are the test's (``socket.getaddrinfo`` answers a name the test gives its
addresses, in turn, and counts the questions); the receivers are real HTTP(S) servers on
loopback addresses, the certificates real ones made by ``openssl``."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from clausier.webhooks import services
from clausier.webhooks.models import WebhookAttempt
from clausier.webhooks.tasks import deliver
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db

AT = datetime(2026, 5, 12, 7, 30, tzinfo=UTC)
NAME = "hooks.receiver.test"
PUBLIC = "93.184.215.14"  # a public address: passes the check (never connected to here)


class RebindingDns:
    """Answers each name of ``answers`` with its addresses in turn (the last one repeated),
    counting the questions; any other name goes to the real resolver."""

    def __init__(self, monkeypatch) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.asked: dict[str, int] = defaultdict(int)
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host not in self.answers:
                return real(host, port, *args, **kwargs)
            turn = self.answers[host]
            addresses = turn[min(self.asked[host], len(turn) - 1)]
            self.asked[host] += 1
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))
                for address in addresses
            ]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def dns(monkeypatch):
    return RebindingDns(monkeypatch)


@pytest.fixture
def http_allowed(settings):
    settings.DEBUG = True  # plain HTTP to the tests' receivers
    settings.WEBHOOK_ALLOWED_HOSTS = []
    return settings


def emit(seller):
    [delivery] = services.emit(
        seller=seller,
        event_type="service.activate",
        payload={"order_id": 7},
        subject="order:7",
        now=AT,
    )
    return delivery


def endpoint_at(seller, staff, url):
    return services.create_endpoint(seller=seller, url=url, events=["service.activate"], by=staff)


@pytest.mark.parametrize(
    "at_delivery", [["127.0.0.1"], [PUBLIC, "127.0.0.1"], ["169.254.169.254"], ["10.0.0.5"]]
)
def test_a_name_that_now_resolves_to_a_private_address_is_refused_at_delivery(
    http_allowed, dns, seller, staff, receiver, at_delivery
):
    dns.answers[NAME] = [[PUBLIC]]  # public when saved
    endpoint_at(seller, staff, receiver.url_for(NAME))
    dns.answers[NAME] = [at_delivery]
    dns.asked.clear()

    result = deliver.call(delivery_id=emit(seller).pk, now=AT.isoformat())

    assert result["response_code"] is None
    assert receiver.requests == []
    assert dns.asked[NAME] == 1
    attempt = WebhookAttempt.objects.get()
    assert "adresse privée, locale, de lien local ou non chiffrée" in attempt.error


def test_the_request_goes_to_the_address_checked_not_to_a_second_answer(
    settings, dns, seller, staff, receiver
):
    """The name answers the receiver's address to the check, then another one (where a decoy
    listens on the same port): the request reaches the receiver, named in its Host header."""
    settings.WEBHOOK_ALLOWED_HOSTS = [NAME]
    dns.answers[NAME] = [["127.0.0.1"], ["127.0.0.2"]]
    with Receiver(host="127.0.0.2", port=receiver.port) as decoy:
        endpoint_at(seller, staff, receiver.url_for(NAME))
        dns.answers[NAME] = [["127.0.0.1"], ["127.0.0.2"]]
        dns.asked.clear()

        result = deliver.call(delivery_id=emit(seller).pk, now=AT.isoformat())

    assert result["status"] == "succeeded"
    assert dns.asked[NAME] == 1
    assert decoy.requests == []
    [received] = receiver.requests
    assert received.headers["host"] == f"{NAME}:{receiver.port}"
    assert received.path == "/hooks/clausier"
    assert b'"order_id":7' in received.body


# --- HTTPS: the server name and its certificate ---------------------------------------------


def certificate(tmp_path, name: str) -> tuple[str, str]:
    """A self-signed certificate for ``name`` (its own authority), and its key."""
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
            *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-addext", "basicConstraints=critical,CA:TRUE"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def tls_receiver(cert: str, key: str, names: list[str]) -> Receiver:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    return Receiver(tls=context)


def test_over_https_the_host_name_is_the_server_name_and_its_certificate_is_checked(
    settings, dns, monkeypatch, tmp_path, seller, staff
):
    settings.DEBUG = False
    settings.WEBHOOK_ALLOWED_HOSTS = []
    cert, key = certificate(tmp_path, NAME)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the receiver's certificate is the trusted one
    names: list[str] = []
    with tls_receiver(cert, key, names) as receiver:
        dns.answers[NAME] = [[PUBLIC]]
        endpoint_at(seller, staff, receiver.url_for(NAME))
        # The name is allowed to reach the loopback receiver: over HTTPS, by name.
        settings.WEBHOOK_ALLOWED_HOSTS = [NAME]
        dns.answers[NAME] = [["127.0.0.1"]]

        result = deliver.call(delivery_id=emit(seller).pk, now=AT.isoformat())

    assert result["status"] == "succeeded", WebhookAttempt.objects.values_list("error")
    assert names == [NAME]
    [received] = receiver.requests
    assert received.headers["host"] == f"{NAME}:{receiver.port}"


def test_over_https_a_certificate_for_another_name_is_refused(
    settings, dns, monkeypatch, tmp_path, seller, staff
):
    settings.WEBHOOK_ALLOWED_HOSTS = [NAME]
    cert, key = certificate(tmp_path, "other.receiver.test")
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    with tls_receiver(cert, key, []) as receiver:
        dns.answers[NAME] = [["127.0.0.1"]]
        endpoint_at(seller, staff, receiver.url_for(NAME))

        result = deliver.call(delivery_id=emit(seller).pk, now=AT.isoformat())

    assert result["response_code"] is None
    assert receiver.requests == []
    assert "CERTIFICATE_VERIFY_FAILED" in WebhookAttempt.objects.get().error
