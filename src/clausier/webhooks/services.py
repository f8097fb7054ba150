"""Writes of outgoing webhooks: endpoints (created, changed, secret rotated, deleted while
unused), events emitted as deliveries, delivery attempts, and deliveries sent again by staff.

:func:`emit` runs inside the caller's transaction: the deliveries exist only if the change
they announce commits, and their first attempt is queued after the commit
(``transaction.on_commit`` -> the :func:`clausier.webhooks.tasks.deliver` task).
:func:`deliver_now` makes one attempt without holding a lock during the request: it claims the
delivery (one short transaction), POSTs, then records the outcome (another one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clausier.audit.services import insert_recorded, record_on, save_changes
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, only_fields
from clausier.sellers.models import Seller
from clausier.webhooks import domain, transport
from clausier.webhooks import transitions as t
from clausier.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

ENDPOINT_FIELDS = frozenset({"url", "description", "events", "active"})


def _destination(url: str, *, resolve: bool) -> transport.Destination:
    """``transport.check_destination`` with the settings: HTTPS only unless ``DEBUG``;
    ``WEBHOOK_ALLOWED_HOSTS`` (host names) may be private or plain HTTP (a receiver on the
    same network, the tests' local receiver)."""
    return transport.check_destination(
        url,
        allowed_hosts=frozenset(h.lower() for h in getattr(settings, "WEBHOOK_ALLOWED_HOSTS", ())),
        allow_http=settings.DEBUG,
        resolve=resolve,
    )


def _check_url(url: str) -> str:
    """``url`` when a webhook may be sent there, else a ValidationError on ``url``."""
    problem = _destination(url, resolve=True).problem
    if problem == "scheme":
        raise ValidationError({"url": _("l'adresse doit commencer par https:// (chiffrée)")})
    if problem == "private":
        raise ValidationError(
            {
                "url": _(
                    "adresse d'un réseau privé, local ou de lien local refusée : un webhook "
                    "part vers une adresse publique"
                )
            }
        )
    return url  # a name that does not resolve yet is checked again before each delivery


def _check_events(events: Any) -> list[str]:
    if (
        not isinstance(events, list | tuple)
        or not events
        or not all(isinstance(e, str) for e in events)
    ):
        raise ValidationError(
            {"events": f"une liste d'événements parmi : {', '.join(domain.EVENT_TYPES)}"}
        )
    unknown = sorted(set(events) - set(domain.EVENT_TYPES))
    if unknown:
        raise ValidationError(
            {
                "events": f"événements inconnus : {', '.join(unknown)} ; possibles : "
                f"{', '.join(domain.EVENT_TYPES)}"
            }
        )
    return [e for e in domain.EVENT_TYPES if e in events]


def _endpoint_summary(endpoint: WebhookEndpoint) -> dict[str, Any]:
    # Never the secret: the audit trail is readable by every staff member of the seller.
    return {
        "url": endpoint.url,
        "events": endpoint.events,
        "active": endpoint.active,
        "description": endpoint.description,
    }


@transaction.atomic
def create_endpoint(
    *, seller: Seller, url: str, events: list[str], by: Actor, description: str = ""
) -> WebhookEndpoint:
    """A new endpoint of ``seller`` with a freshly generated ``whsec_...`` secret (shown to
    staff once, to configure the receiver)."""
    url = (url or "").strip()
    if url:
        _check_url(url)
    endpoint = WebhookEndpoint(
        seller=seller,
        url=url,
        description=(description or "").strip(),
        events=_check_events(events),
        secret=domain.generate_secret(),
    )
    insert_recorded(
        instance=endpoint, by=by, verb="webhook.endpoint_created", after=_endpoint_summary(endpoint)
    )
    return endpoint


def _locked_endpoint(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    return (
        WebhookEndpoint.objects.select_for_update(of=("self",))
        .select_related("seller")
        .get(pk=endpoint.pk)
    )


@transaction.atomic
def update_endpoint(
    *, endpoint: WebhookEndpoint, fields: dict[str, Any], by: Actor
) -> WebhookEndpoint:
    """Change the url, description, events or active flag of an endpoint."""
    endpoint = _locked_endpoint(endpoint)
    fields = dict(only_fields(fields, ENDPOINT_FIELDS))
    if "events" in fields:
        fields["events"] = _check_events(fields["events"])
    if fields.get("url"):
        fields["url"] = _check_url(str(fields["url"]).strip())
    save_changes(
        instance=endpoint,
        fields=fields,
        by=by,
        seller=endpoint.seller,
        verb="webhook.endpoint_updated",
    )
    return endpoint


@transaction.atomic
def rotate_secret(*, endpoint: WebhookEndpoint, by: Actor) -> WebhookEndpoint:
    """A new secret for the endpoint; the following attempts are signed with it."""
    endpoint = _locked_endpoint(endpoint)
    endpoint.secret = domain.generate_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    record_on(obj=endpoint, actor=by, verb="webhook.secret_rotated")
    return endpoint


def _enqueue(delivery_id: int) -> None:
    from clausier.webhooks.tasks import deliver

    deliver.enqueue(delivery_id=delivery_id)


@transaction.atomic
def emit(
    *,
    seller: Seller,
    event_type: str,
    payload: dict[str, Any],
    subject: str = "",
    now: datetime | None = None,
) -> list[WebhookDelivery]:
    """Announce ``event_type`` to every active endpoint of ``seller`` subscribed to it: one
    delivery each, its first attempt queued once the caller's transaction commits.

    The body is the Standard Webhooks envelope ``{"type", "timestamp", "data": payload}``.
    """
    if event_type not in domain.EVENT_TYPES:
        raise ValidationError(
            {"event_type": f"événement inconnu ; possibles : {', '.join(domain.EVENT_TYPES)}"}
        )
    now = aware_now(now)
    envelope = {
        "type": event_type,
        "timestamp": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": payload,
    }
    body = domain.encode(envelope).decode("utf-8")
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(seller=seller, active=True).order_by("id")
        if event_type in endpoint.events
    ]
    deliveries = []
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            seller=seller,
            endpoint=endpoint,
            event_type=event_type,
            subject=subject,
            msg_id=domain.new_message_id(),
            payload=envelope,
            body=body,
        )
        record_on(
            obj=delivery,
            actor=None,
            verb="webhook.queued",
            after={
                "event_type": event_type,
                "endpoint": endpoint.url,
                "msg_id": delivery.msg_id,
                "subject": subject,
            },
        )
        transaction.on_commit(partial(_enqueue, delivery.pk))
        deliveries.append(delivery)
    return deliveries


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What one call of :func:`deliver_now` did: ``attempted`` is false when the delivery
    was not due (already delivered, failed, not yet time for its retry, or in flight)."""

    delivery_id: int
    status: str
    attempted: bool
    attempts: int
    next_attempt_at: datetime | None = None
    response_code: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "delivery_id": self.delivery_id,
            "status": self.status,
            "attempted": self.attempted,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
            "response_code": self.response_code,
        }


def _result(delivery: WebhookDelivery, *, attempted: bool) -> DeliveryResult:
    return DeliveryResult(
        delivery_id=delivery.pk,
        status=delivery.status,
        attempted=attempted,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        response_code=delivery.last_response_code if attempted else None,
    )


def _locked_delivery(delivery_id: int) -> WebhookDelivery:
    return (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint", "seller")
        .get(pk=delivery_id)
    )


@transaction.atomic
def _claim(delivery_id: int, now: datetime) -> tuple[WebhookDelivery, bool]:
    """Take the delivery for one attempt if it is due: count the attempt and lease it so
    that no other worker sends it meanwhile."""
    delivery = _locked_delivery(delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery, False
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return delivery, False
    if not delivery.endpoint.active:
        delivery.status = DeliveryStatus.FAILED
        delivery.failed_at = now
        delivery.next_attempt_at = None
        delivery.last_error = "destination désactivée"
        delivery.save(update_fields=["status", "failed_at", "next_attempt_at", "last_error"])
        record_on(
            obj=delivery,
            actor=None,
            verb="webhook.failed",
            after={"status": delivery.status, "error": delivery.last_error},
        )
        return delivery, False
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.next_attempt_at = now + domain.LEASE
    delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    return delivery, True


@transaction.atomic
def _record(
    delivery_id: int, number: int, response: transport.Response, now: datetime, duration_ms: int
) -> WebhookDelivery:
    delivery = _locked_delivery(delivery_id)
    delivered = domain.is_success(response.status)
    delay = None if delivered else domain.retry_delay(number)
    next_at = now + delay if delay is not None else None
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        attempted_at=now,
        duration_ms=duration_ms,
        response_code=response.status,
        response_body=domain.excerpt(response.body),
        error=domain.excerpt(response.error),
        next_attempt_at=next_at,
    )
    delivery.last_response_code = response.status
    delivery.last_response_body = domain.excerpt(response.body)
    delivery.last_error = domain.excerpt(response.error)
    fields = ["last_response_code", "last_response_body", "last_error", "next_attempt_at"]
    if delivered:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.succeeded_at = now
        delivery.next_attempt_at = None
        fields += ["status", "succeeded_at"]
    elif next_at is None:
        delivery.status = DeliveryStatus.FAILED
        delivery.failed_at = now
        delivery.next_attempt_at = None
        fields += ["status", "failed_at"]
    else:
        delivery.next_attempt_at = next_at
    delivery.save(update_fields=fields)
    if delivery.status != DeliveryStatus.PENDING:
        record_on(
            obj=delivery,
            actor=None,
            verb="webhook.delivered" if delivered else "webhook.failed",
            after={
                "status": delivery.status,
                "attempts": number,
                "response_code": response.status,
                "error": delivery.last_error,
            },
        )
    return delivery


def deliver_now(*, delivery_id: int, now: datetime | None = None) -> DeliveryResult:
    """One attempt at ``delivery_id`` if it is due: POST the signed body (timeout 10 s),
    record the answer in the log; 2xx delivers it, anything else schedules the next attempt
    (1 min, 5 min, 30 min, 2 h, 8 h) or, after the last, fails it.

    Idempotent: a delivery already delivered or failed, or not yet due, is left alone.
    Must not run inside a transaction (no lock is held during the request)."""
    now = aware_now(now)
    delivery, due = _claim(delivery_id, now)
    if not due:
        return _result(delivery, attempted=False)
    body = delivery.body.encode("utf-8")
    headers = domain.signed_headers(
        secret=delivery.endpoint.secret,
        msg_id=delivery.msg_id,
        timestamp=int(now.timestamp()),
        body=body,
    )
    started = time.monotonic()
    # Resolved once and every address checked; the request goes to the address checked.
    destination = _destination(delivery.endpoint.url, resolve=True)
    if destination.problem in ("private", "scheme"):
        response = transport.Response(
            status=None,
            error=_("adresse privée, locale, de lien local ou non chiffrée refusée : %(url)s")
            % {"url": delivery.endpoint.url},
        )
    elif destination.problem == "unresolved":
        response = transport.Response(
            status=None,
            error=_("le nom de l'adresse ne se résout pas (DNS) : %(url)s")
            % {"url": delivery.endpoint.url},
        )
    else:
        response = transport.post(
            destination=destination, body=body, headers=headers, timeout=domain.TIMEOUT_SECONDS
        )
    duration_ms = int((time.monotonic() - started) * 1000)
    delivery = _record(delivery.pk, delivery.attempts, response, now, duration_ms)
    return _result(delivery, attempted=True)


class EndpointInUse(Conflict):
    """An endpoint with deliveries in its log: the log is the evidence of what was sent."""


class DeliveryNotRetryable(Conflict):
    """A delivery that cannot be sent again now (delivered, endpoint disabled, in flight)."""


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint, by: Actor) -> None:
    """Delete an endpoint that never received anything. One with deliveries keeps its log
    (what was sent, when, and what the receiver answered): disable it instead."""
    endpoint = _locked_endpoint(endpoint)
    sent = endpoint.deliveries.count()
    if sent:
        raise EndpointInUse(
            ngettext(
                "%(url)s a %(n)s envoi dans le journal, qui en garde la trace : désactivez "
                "cette destination plutôt que de la supprimer.",
                "%(url)s a %(n)s envois dans le journal, qui en garde la trace : désactivez "
                "cette destination plutôt que de la supprimer.",
                sent,
            )
            % {"url": endpoint.url, "n": sent}
        )
    record_on(
        obj=endpoint, actor=by, verb="webhook.endpoint_deleted", before=_endpoint_summary(endpoint)
    )
    endpoint.delete()


def _in_flight(delivery: WebhookDelivery, now: datetime) -> bool:
    """An attempt was claimed (counted) and its answer is not logged yet, within its lease."""
    return (
        delivery.attempts > 0
        and delivery.next_attempt_at is not None
        and delivery.next_attempt_at > now
        and not delivery.attempt_log.filter(number=delivery.attempts).exists()
    )


@transaction.atomic
def retry_delivery(
    *, delivery: WebhookDelivery, by: Actor, now: datetime | None = None
) -> WebhookDelivery:
    """Send a delivery again now ("renvoyer"): a failed one, or a pending one without waiting
    for its next retry. It becomes due at once and one attempt is queued after the commit;
    should it fail, the retry schedule goes on from the attempts already made (a delivery
    that had used them all fails again). The same ``webhook-id`` is sent, so a receiver that
    already processed it can ignore it."""
    now = aware_now(now)
    delivery = _locked_delivery(delivery.pk)
    if not t.can(current=delivery.status, target=t.PENDING):
        raise DeliveryNotRetryable(
            _("L'envoi %(msg_id)s a déjà été livré le %(when)s : rien à renvoyer.")
            % {
                "msg_id": delivery.msg_id,
                "when": date_format(
                    timezone.localtime(delivery.succeeded_at), "SHORT_DATETIME_FORMAT"
                ),
            }
        )
    if not delivery.endpoint.active:
        raise DeliveryNotRetryable(
            _("La destination %(url)s est désactivée : réactivez-la avant de renvoyer.")
            % {"url": delivery.endpoint.url}
        )
    if delivery.status == DeliveryStatus.PENDING and _in_flight(delivery, now):
        raise DeliveryNotRetryable(
            _("Une tentative de l'envoi %(msg_id)s est en cours : attendez sa réponse.")
            % {"msg_id": delivery.msg_id}
        )
    before = {
        "status": delivery.status,
        "next_attempt_at": delivery.next_attempt_at.isoformat()
        if delivery.next_attempt_at
        else None,
    }
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = None
    delivery.failed_at = None
    delivery.save(update_fields=["status", "next_attempt_at", "failed_at"])
    record_on(
        obj=delivery,
        actor=by,
        verb="webhook.retry_requested",
        before=before,
        after={"status": delivery.status, "next_attempt_at": now.isoformat()},
    )
    transaction.on_commit(partial(_enqueue, delivery.pk))
    return delivery
