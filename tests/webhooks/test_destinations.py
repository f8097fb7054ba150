"""Where a webhook may go: public HTTPS addresses only, checked when the URL is saved and
again before each delivery, after the host name is resolved (no request to the server's own
network: loopback, private ranges, link-local cloud metadata)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from clausier.webhooks import services
from clausier.webhooks.models import WebhookAttempt, WebhookEndpoint
from clausier.webhooks.tasks import deliver

pytestmark = pytest.mark.django_db

AT = datetime(2026, 5, 12, 7, 30, tzinfo=UTC)


@pytest.fixture
def no_allowed_hosts(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    settings.DEBUG = False
    return settings


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.1.10:8443/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hooks",
        "https://[fd00::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://0.0.0.0/hooks",
    ],
)
def test_a_private_loopback_or_link_local_address_is_refused_when_saved(
    no_allowed_hosts, seller, staff, url
):
    with pytest.raises(ValidationError) as refused:
        services.create_endpoint(seller=seller, url=url, events=["service.activate"], by=staff)
    assert "réseau privé, local ou de lien local" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_refused_unless_debug(no_allowed_hosts, seller, staff):
    with pytest.raises(ValidationError, match="https://"):
        services.create_endpoint(
            seller=seller, url="http://hooks.example.test/", events=["service.activate"], by=staff
        )
    no_allowed_hosts.DEBUG = True
    endpoint = services.create_endpoint(
        seller=seller, url="http://hooks.example.test/", events=["service.activate"], by=staff
    )
    assert endpoint.url == "http://hooks.example.test/"


def test_a_host_named_in_the_setting_may_be_private(no_allowed_hosts, seller, staff):
    no_allowed_hosts.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    endpoint = services.create_endpoint(
        seller=seller, url="http://127.0.0.1:9/hooks", events=["service.activate"], by=staff
    )
    assert endpoint.pk


def test_a_changed_url_is_checked_too(no_allowed_hosts, seller, staff):
    endpoint = services.create_endpoint(
        seller=seller, url="https://hooks.example.test/", events=["service.activate"], by=staff
    )
    with pytest.raises(ValidationError):
        services.update_endpoint(
            endpoint=endpoint, fields={"url": "https://169.254.169.254/"}, by=staff
        )
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.test/"


def test_a_delivery_to_an_address_no_longer_allowed_is_not_sent(settings, seller, staff, receiver):
    endpoint = services.create_endpoint(
        seller=seller, url=receiver.url, events=["service.activate"], by=staff
    )
    [delivery] = services.emit(
        seller=seller,
        event_type="service.activate",
        payload={"order_id": 1},
        subject="order:1",
        now=AT,
    )
    settings.WEBHOOK_ALLOWED_HOSTS = []  # the receiver's 127.0.0.1 is no longer allowed

    result = deliver.call(delivery_id=delivery.pk, now=AT.isoformat())

    assert result["response_code"] is None
    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert "adresse privée, locale, de lien local ou non chiffrée" in attempt.error
    assert endpoint.pk
