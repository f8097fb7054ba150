"""PayPal webhooks: the signature verified offline, then the event said in clausier's words.

Why offline verification, not the ``verify-webhook-signature`` postback: PayPal's webhook
guide ("Integrate webhooks", Message verification) calls self verification the preferred
method, faster and without an extra API dependency; the postback costs an OAuth token and a
round trip per delivery, makes the acceptance of a genuine delivery depend on PayPal's API
answering at that moment, and does not work for the simulator's mock events. Offline, the
check runs here, and the tests run it for real (a postback's tests could only check that
clausier reads a stub's "SUCCESS").

The scheme: the signed message is ``transmission id|transmission time|webhook id|CRC32 of
the raw body`` (the CRC32 as an unsigned decimal), signed SHA256withRSA
(``PAYPAL-AUTH-ALGO``), base64 in ``PAYPAL-TRANSMISSION-SIG``, and checked with the public
key of the X.509 certificate at ``PAYPAL-CERT-URL``. That URL comes with the delivery, so a
forger could name a certificate of their own: the certificate is fetched only over HTTPS
(TLS checked, so from the host named), only from a host of ``PAYPAL_CERT_HOSTS`` (PayPal's
API hosts by default; a loopback host listed there may be plain HTTP, for tests), must be
within its validity dates, and is kept in memory per URL. The webhook id is this endpoint's
(``PAYPAL_WEBHOOK_ID``): a delivery signed for another listener does not verify.

Tolerance: PayPal documents no window, and retries a failed delivery up to 25 times over 3
days without saying whether a retry is signed anew. A window shorter than the retries could
refuse a genuine retry and lose the event, so a transmission time is accepted up to
:data:`TRANSMISSION_TOLERANCE` old (and :data:`CLOCK_SKEW` ahead); older ones are refused as
replays, and within it a replayed event carries its event id again (the domain keeps each id
once).
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from clausier.payments.providers.base import (
    CURRENCY,
    EventKind,
    PaymentLink,
    Provider,
    ProviderEvent,
    WebhookRejected,
    from_iso,
    from_value,
)
from clausier.payments.providers.config import PayPalConfig, paypal_config

TRANSMISSION_TOLERANCE = timedelta(days=3, hours=1)
CLOCK_SKEW = timedelta(minutes=5)
AUTH_ALGORITHM = "SHA256withRSA"
HEADERS = (
    "paypal-transmission-id",
    "paypal-transmission-time",
    "paypal-transmission-sig",
    "paypal-cert-url",
    "paypal-auth-algo",
)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CERT_FETCH_TIMEOUT = 10.0
CERT_MAX_BYTES = 64 * 1024
CERT_CACHE_SIZE = 16

_certificates: dict[str, x509.Certificate] = {}
_certificates_lock = threading.Lock()


def reject(reason: str) -> WebhookRejected:
    return WebhookRejected(Provider.PAYPAL, reason)


def signed_message(
    *, transmission_id: str, transmission_time: str, webhook_id: str, body: bytes
) -> bytes:
    crc = zlib.crc32(body) & 0xFFFFFFFF
    return f"{transmission_id}|{transmission_time}|{webhook_id}|{crc}".encode()


def check_cert_url(url: str, allowed_hosts: tuple[str, ...]) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in allowed_hosts:
        raise reject(f"certificate host {host or url!r} is not in PAYPAL_CERT_HOSTS")
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK):
        raise reject(f"certificate URL {url!r} is not https")
    if parts.username or parts.password:
        raise reject(f"certificate URL {url!r} carries credentials")


def certificate(url: str, allowed_hosts: tuple[str, ...]) -> x509.Certificate:
    """The signing certificate at ``url``, fetched once per URL (PayPal names a new URL
    when it renews its certificate)."""
    check_cert_url(url, allowed_hosts)
    with _certificates_lock:
        cached = _certificates.get(url)
    if cached is not None:
        return cached
    try:
        response = httpx.get(url, timeout=CERT_FETCH_TIMEOUT, follow_redirects=False)
    except httpx.HTTPError as exc:
        # Not the sender's fault: PayPal retries a delivery answered with an error.
        raise reject(f"certificate could not be fetched from {url}: {exc}") from exc
    if response.status_code != 200 or len(response.content) > CERT_MAX_BYTES:
        raise reject(f"certificate URL {url} answered {response.status_code}")
    try:
        loaded = x509.load_pem_x509_certificates(response.content)[0]
    except ValueError as exc:
        raise reject(f"no PEM certificate at {url}") from exc
    with _certificates_lock:
        if len(_certificates) >= CERT_CACHE_SIZE:
            _certificates.clear()
        _certificates[url] = loaded
    return loaded


def forget_certificates() -> None:
    with _certificates_lock:
        _certificates.clear()


def verify_signature(
    *,
    headers: Mapping[str, str],
    body: bytes,
    config: PayPalConfig,
    now: datetime | None = None,
) -> None:
    """Raise :class:`WebhookRejected` unless PayPal signed ``body`` for this webhook."""
    lowered = {key.lower(): value for key, value in headers.items()}
    missing = [name.upper() for name in HEADERS if not lowered.get(name)]
    if missing:
        raise reject(f"missing header(s) {', '.join(missing)}")
    if lowered["paypal-auth-algo"] != AUTH_ALGORITHM:
        raise reject(f"PAYPAL-AUTH-ALGO={lowered['paypal-auth-algo']!r}, expected {AUTH_ALGORITHM}")
    check_transmission_time(lowered["paypal-transmission-time"], now or datetime.now(UTC))
    try:
        signature = base64.b64decode(lowered["paypal-transmission-sig"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise reject("PAYPAL-TRANSMISSION-SIG is not base64") from exc
    cert = certificate(lowered["paypal-cert-url"], config.cert_hosts)
    moment = now or datetime.now(UTC)
    if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
        raise reject("the signing certificate is outside its validity dates")
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise reject("the signing certificate's key is not RSA")
    message = signed_message(
        transmission_id=lowered["paypal-transmission-id"],
        transmission_time=lowered["paypal-transmission-time"],
        webhook_id=config.webhook_id,
        body=body,
    )
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise reject(
            "signature does not match the body, the webhook id or the certificate"
        ) from exc


def check_transmission_time(value: str, now: datetime) -> None:
    try:
        sent = from_iso(value)
    except ValueError as exc:
        raise reject(f"PAYPAL-TRANSMISSION-TIME={value!r} is not a date-time") from exc
    if sent < now - TRANSMISSION_TOLERANCE:
        raise reject(f"transmission time {value} is outside the tolerance window (replay?)")
    if sent > now + CLOCK_SKEW:
        raise reject(f"transmission time {value} is in the future")


def parse_webhook(
    body: bytes, headers: Mapping[str, str], *, now: datetime | None = None
) -> ProviderEvent:
    """Verify a delivery to ``/webhooks/paypal/`` and say what it means. ``body`` is the raw
    request body, ``headers`` its headers (any case)."""
    config = paypal_config()
    verify_signature(headers=headers, body=body, config=config, now=now)
    try:
        event = json.loads(body)
        return event_of(event)
    except ValueError as exc:
        raise reject(f"body is not a PayPal event: {exc}") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise reject(f"event without its {exc}") from exc


# --- Events --------------------------------------------------------------------------------

CAPTURE_KINDS = {
    "PAYMENT.CAPTURE.COMPLETED": EventKind.SUCCEEDED,
    "PAYMENT.CAPTURE.DENIED": EventKind.FAILED,
    "PAYMENT.CAPTURE.DECLINED": EventKind.FAILED,
    "PAYMENT.CAPTURE.REFUNDED": EventKind.REFUNDED,
    # PayPal took the money back (a dispute lost, a chargeback): money leaves like a refund.
    "PAYMENT.CAPTURE.REVERSED": EventKind.REFUNDED,
}
ORDER_KINDS = {
    "CHECKOUT.ORDER.APPROVED": EventKind.APPROVED,
    "CHECKOUT.ORDER.VOIDED": EventKind.CANCELLED,
    "CHECKOUT.PAYMENT-APPROVAL.REVERSED": EventKind.CANCELLED,
}


def event_of(event: dict[str, Any]) -> ProviderEvent:
    event_type = event["event_type"]
    resource = event.get("resource") or {}
    common = {
        "provider": Provider.PAYPAL,
        "event_id": event["id"],
        "event_type": event_type,
        "occurred_at": from_iso(event["create_time"]),
    }
    if event_type in CAPTURE_KINDS:
        return capture_event(CAPTURE_KINDS[event_type], resource, common)
    if event_type in ORDER_KINDS:
        return order_event(ORDER_KINDS[event_type], resource, common)
    return ProviderEvent(kind=EventKind.IGNORED, **common)


def amount_of(resource: dict[str, Any]) -> tuple[Decimal | None, str]:
    amount = resource.get("amount") or {}
    if not amount.get("value"):
        return None, CURRENCY
    return from_value(amount["value"]), amount.get("currency_code") or CURRENCY


def metadata_of(custom_id: str | None) -> dict[str, str]:
    link = PaymentLink.from_custom_id(custom_id)
    return link.metadata() if link else {}


def capture_event(kind: EventKind, resource: dict[str, Any], common: dict) -> ProviderEvent:
    amount, currency = amount_of(resource)
    details = resource.get("status_details") or {}
    if kind == EventKind.REFUNDED:
        # The resource is the refund; its "up" link is the capture refunded.
        links = {item.get("rel"): item.get("href", "") for item in resource.get("links") or []}
        up = links.get("up", "")
        references = {
            "refund_reference": resource["id"],
            "payment_reference": up.rstrip("/").rsplit("/", 1)[-1] if up else "",
        }
        reason = "reversed" if common["event_type"].endswith("REVERSED") else ""
    else:
        related = (resource.get("supplementary_data") or {}).get("related_ids") or {}
        references = {
            "payment_reference": resource["id"],
            "checkout_reference": related.get("order_id", ""),
        }
        reason = details.get("reason", "") if kind == EventKind.FAILED else ""
    return ProviderEvent(
        kind=kind,
        amount=amount,
        currency=currency,
        metadata=metadata_of(resource.get("custom_id")),
        reason=reason,
        **references,
        **common,
    )


def order_event(kind: EventKind, resource: dict[str, Any], common: dict) -> ProviderEvent:
    unit = (resource.get("purchase_units") or [{}])[0]
    amount, currency = amount_of(unit)
    return ProviderEvent(
        kind=kind,
        checkout_reference=resource["id"],
        amount=amount,
        currency=currency,
        metadata=metadata_of(unit.get("custom_id")),
        reason="" if kind == EventKind.APPROVED else common["event_type"].lower(),
        **common,
    )
