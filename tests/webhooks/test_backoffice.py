"""The seller's webhook settings (/backoffice/<seller>/webhooks/): endpoints added, changed,
disabled, deleted while unused, the signing secret shown once at creation and rotation; the
delivery log with its attempts and "renvoyer"."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.urls import reverse

from clausier.audit.models import Event
from clausier.sellers.models import Role
from clausier.webhooks import domain
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import DeliveryStatus, WebhookEndpoint
from tests.factories import make_staff
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db

AT = datetime(2026, 5, 12, 7, 30, tzinfo=UTC)


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def field_errors(response, field: str) -> list[str]:
    html = unescape(response.content.decode())
    return re.findall(rf'<p class="field__error" id="id_{field}_error">([^<]*)</p>', html)


def emit(seller, subject="order:7"):
    return webhook_services.emit(
        seller=seller, event_type="service.activate", payload={"order_id": 7}, subject=subject
    )


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def endpoint(seller, receiver):
    return webhook_services.create_endpoint(
        seller=seller, url=receiver.url, events=["service.activate"], by=None
    )


@pytest.fixture
def oncall(seller):
    return make_staff(seller, Role.ONCALL)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def failed_delivery(seller):
    """A delivery to a receiver that answered 500 at every attempt, then went away."""
    with Receiver(statuses=[500] * domain.MAX_ATTEMPTS) as failing:
        broken = webhook_services.create_endpoint(
            seller=seller, url=failing.url, events=["service.activate"], by=None
        )
        [delivery] = webhook_services.emit(
            seller=seller, event_type="service.activate", payload={"order_id": 9}, now=AT
        )
        at = AT
        for _ in range(domain.MAX_ATTEMPTS):
            at = webhook_services.deliver_now(delivery_id=delivery.pk, now=at).next_attempt_at
    delivery.refresh_from_db()
    return broken, delivery


# --- endpoints -------------------------------------------------------------------------------


def test_given_the_owner_adds_an_endpoint_then_its_secret_is_shown_once(client, seller, owner):
    client.force_login(owner)

    response = client.post(
        url("webhook_new", seller),
        {
            "url": "https://runtime.example.test/hooks",
            "description": "Runtime de production",
            "events": ["service.terminate", "service.activate"],
        },
    )

    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get(seller=seller)
    assert endpoint.events == ["service.activate", "service.terminate"]
    assert endpoint.description == "Runtime de production"
    html = shown(response)
    assert endpoint.secret.startswith("whsec_")
    assert f'value="{endpoint.secret}"' in html
    assert "il ne sera plus jamais affiché" in html
    assert Event.objects.get(verb="webhook.endpoint_created").actor == owner

    again = shown(client.get(url("webhooks", seller)))
    assert "https://runtime.example.test/hooks" in again
    assert endpoint.secret not in again
    assert "whsec_••••••" in again


def test_an_invalid_endpoint_is_refused_naming_each_field_and_nothing_is_lost(
    client, seller, owner
):
    client.force_login(owner)
    response = client.post(
        url("webhook_new", seller),
        {"url": "ftp://runtime.example.test/", "description": "Runtime", "events": []},
    )
    assert response.status_code == 400
    assert field_errors(response, "url")
    assert field_errors(response, "events") == ["Choisissez au moins un événement."]
    assert 'value="Runtime"' in response.content.decode()
    assert 'value="ftp://runtime.example.test/"' in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_shows_the_new_one_once(client, seller, owner, endpoint):
    old = endpoint.secret
    client.force_login(owner)
    response = client.post(url("webhook_rotate", seller, endpoint_id=endpoint.pk))
    endpoint.refresh_from_db()
    assert response.status_code == 200
    assert endpoint.secret != old
    html = shown(response)
    assert f'value="{endpoint.secret}"' in html
    assert old not in html
    assert Event.objects.get(verb="webhook.secret_rotated").actor == owner
    assert endpoint.secret not in shown(client.get(url("webhooks", seller)))


def test_disabling_and_enabling_an_endpoint(client, seller, owner, endpoint):
    client.force_login(owner)

    response = client.post(
        url("webhook_active", seller, endpoint_id=endpoint.pk), {"active": "0"}, follow=True
    )

    endpoint.refresh_from_db()
    assert endpoint.active is False
    html = shown(response)
    assert "désactivée : elle ne reçoit plus rien" in html
    assert "Désactivée" in html
    assert "Réactiver" in html
    assert emit(seller) == []  # nothing is sent to it any more
    client.post(url("webhook_active", seller, endpoint_id=endpoint.pk), {"active": "1"})
    endpoint.refresh_from_db()
    assert endpoint.active is True
    updates = Event.objects.filter(verb="webhook.endpoint_updated").order_by("id")
    assert [e.summary["after"] for e in updates] == [
        {"active": False},
        {"active": True},
    ]


def test_editing_an_endpoint_changes_its_events_and_keeps_its_secret(
    client, seller, owner, endpoint
):
    client.force_login(owner)
    form = shown(client.get(url("webhook_edit", seller, endpoint_id=endpoint.pk)))
    assert f'value="{endpoint.url}"' in form
    assert re.search(r'<input[^>]*value="service.activate"[^>]*checked', form)
    assert not re.search(r'<input[^>]*value="service.suspend"[^>]*checked', form)

    response = client.post(
        url("webhook_edit", seller, endpoint_id=endpoint.pk),
        {"url": endpoint.url, "description": "Runtime", "events": ["service.suspend"]},
    )

    assert response.status_code == 302
    secret = endpoint.secret
    endpoint.refresh_from_db()
    assert (endpoint.events, endpoint.description, endpoint.secret) == (
        ["service.suspend"],
        "Runtime",
        secret,
    )
    event = Event.objects.get(verb="webhook.endpoint_updated")
    assert event.summary["before"]["events"] == ["service.activate"]


def test_an_unused_endpoint_is_deleted_but_one_with_a_log_is_kept_with_the_reason(
    client, seller, owner, endpoint
):
    unused = webhook_services.create_endpoint(
        seller=seller, url="https://unused.example.test/", events=["service.resume"], by=None
    )
    emit(seller)
    client.force_login(owner)
    page = client.get(url("webhooks", seller)).content.decode()
    assert url("webhook_delete", seller, endpoint_id=unused.pk) in page
    assert url("webhook_delete", seller, endpoint_id=endpoint.pk) not in page

    response = client.post(url("webhook_delete", seller, endpoint_id=unused.pk), follow=True)
    assert "Destination https://unused.example.test/ supprimée." in shown(response)
    assert not WebhookEndpoint.objects.filter(pk=unused.pk).exists()

    response = client.post(url("webhook_delete", seller, endpoint_id=endpoint.pk))
    assert response.status_code == 409
    assert "a 1 envoi dans le journal" in shown(response)
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


# --- the delivery log ------------------------------------------------------------------------


def test_the_log_shows_each_delivery_with_its_status_attempts_and_last_answer(
    client, seller, owner
):
    _broken, failed = failed_delivery(seller)
    [pending] = emit(seller)
    client.force_login(owner)

    html = shown(client.get(url("webhook_deliveries", seller)))

    assert "2 envois" in html
    assert '<span class="badge badge--late">Échec</span>' in html
    assert '<span class="badge badge--soon">En cours</span>' in html
    assert "HTTP 500" in html
    assert "upstream exploded" in html
    assert f">{domain.MAX_ATTEMPTS}</td>" in html
    assert f'href="{url("order", seller, order_id=7)}"' in html  # the order it is about
    assert html.count(">Renvoyer<span") == 2

    only_failed = shown(client.get(url("webhook_deliveries", seller) + "?status=failed"))
    assert "1 envoi" in only_failed
    assert failed.msg_id in only_failed
    assert pending.msg_id not in only_failed


def test_a_delivery_page_shows_every_attempt_and_the_body_sent(client, seller, owner):
    _broken, failed = failed_delivery(seller)
    client.force_login(owner)
    html = shown(client.get(url("webhook_delivery", seller, delivery_id=failed.pk)))
    assert failed.msg_id in html
    assert f"{domain.MAX_ATTEMPTS} / {domain.MAX_ATTEMPTS}" in html
    assert html.count("<code>HTTP 500</code>") == domain.MAX_ATTEMPTS
    assert "Abandonné le" in html
    assert '"order_id": 9' in html


def test_given_a_failed_delivery_when_on_call_sends_it_again_then_it_is_delivered(
    client, seller, oncall, receiver, immediate_tasks, django_capture_on_commit_callbacks
):
    broken, failed = failed_delivery(seller)
    # The receiver is back, at a new address.
    webhook_services.update_endpoint(endpoint=broken, fields={"url": receiver.url}, by=None)
    client.force_login(oncall)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("webhook_retry", seller, delivery_id=failed.pk))

    assert response["Location"] == url("webhook_delivery", seller, delivery_id=failed.pk)
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SUCCEEDED
    [request] = receiver.requests
    assert request.headers["webhook-id"] == failed.msg_id
    assert Event.objects.get(verb="webhook.retry_requested").actor == oncall
    html = shown(client.get(response["Location"]))
    assert f"Envoi {failed.msg_id} relancé" in html
    assert '<span class="badge badge--ok">Livré</span>' in html
    assert "Renvoyer maintenant" not in html


def test_sending_again_a_delivered_delivery_is_refused_with_the_reason(
    client, seller, oncall, endpoint
):
    [delivery] = emit(seller)
    webhook_services.deliver_now(delivery_id=delivery.pk)
    client.force_login(oncall)
    response = client.post(url("webhook_retry", seller, delivery_id=delivery.pk))
    assert response.status_code == 409
    assert "a déjà été livré le" in shown(response)


def test_sending_again_from_the_log_comes_back_to_the_log_but_never_elsewhere(
    client, seller, oncall, endpoint
):
    [delivery] = emit(seller)
    client.force_login(oncall)
    log = url("webhook_deliveries", seller) + "?status=pending"
    response = client.post(url("webhook_retry", seller, delivery_id=delivery.pk), {"next": log})
    assert response["Location"] == log
    response = client.post(
        url("webhook_retry", seller, delivery_id=delivery.pk),
        {"next": "https://evil.example.test/"},
    )
    assert response["Location"] == url("webhook_delivery", seller, delivery_id=delivery.pk)


def test_the_log_query_count_does_not_grow_with_deliveries(
    client, seller, owner, endpoint, django_assert_num_queries
):
    emit(seller)
    client.force_login(owner)
    client.get(url("webhook_deliveries", seller))
    # session, user, staff scope, endpoints (filter), count, the page (with its endpoint)
    with django_assert_num_queries(6):
        client.get(url("webhook_deliveries", seller))
    for n in range(5):
        emit(seller, subject=f"order:{n}")
    with django_assert_num_queries(6):
        client.get(url("webhook_deliveries", seller))


# --- who sees what ---------------------------------------------------------------------------


def test_each_role_sees_the_webhook_controls_it_may_use(client, seller, endpoint):
    emit(seller)
    support = make_staff(seller, Role.SUPPORT)
    client.force_login(support)  # reads the log, sends nothing again, changes nothing
    html = shown(client.get(url("webhooks", seller)))
    assert endpoint.url in html
    assert ">Webhooks</a>" in html
    assert ">Renvoyer<span" not in html
    assert "Ajouter une destination" not in html
    assert url("webhook_rotate", seller, endpoint_id=endpoint.pk) not in html

    client.force_login(make_staff(seller, Role.ONCALL))  # sends again, changes nothing
    html = shown(client.get(url("webhooks", seller)))
    assert ">Renvoyer<span" in html
    assert "Ajouter une destination" not in html

    client.force_login(make_staff(seller, Role.ACCOUNTING))
    response = client.get(url("webhooks", seller))
    assert response.status_code == 403
    assert "consulter les webhooks" in shown(response)
    assert ">Webhooks</a>" not in shown(client.get(url("home", seller)))


def test_another_sellers_endpoints_and_deliveries_are_not_reachable(
    client, seller, other_seller, endpoint
):
    [delivery] = emit(seller)
    client.force_login(make_staff(other_seller, Role.OWNER))
    assert endpoint.url not in shown(client.get(url("webhooks", other_seller)))
    assert client.get(
        url("webhook_delivery", other_seller, delivery_id=delivery.pk)
    ).status_code == (404)
    assert client.post(
        url("webhook_rotate", other_seller, endpoint_id=endpoint.pk)
    ).status_code == (404)
