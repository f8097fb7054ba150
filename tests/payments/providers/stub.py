"""A local stand-in for Stripe's and PayPal's APIs, for tests: a threading ``http.server`` on
127.0.0.1 (a free port), answering with objects shaped as the providers document them and
recording every request, plus the providers' webhook signing schemes.

Stripe (form-encoded bodies, ``Authorization: Bearer sk_...``, ``Idempotency-Key``):
``POST /v1/checkout/sessions``, ``GET /v1/checkout/sessions/{id}``,
``POST /v1/checkout/sessions/{id}/expire``, ``POST /v1/refunds``, ``POST /v1/payment_intents``
(a saved card charged off-session: Stripe's test payment methods decide the outcome, see
:data:`TEST_CARDS`), ``GET /v1/payment_intents/{id}`` (``expand[]=payment_method``),
``POST /v1/payment_methods/{id}/detach``. A session made with
``payment_intent_data[setup_future_usage]`` leaves, once paid, its customer (the one given,
or one created) and the card paid with attached to it.
PayPal (JSON, OAuth2 client credentials, ``PayPal-Request-Id``): ``POST /v1/oauth2/token``,
``POST /v2/checkout/orders``, ``GET /v2/checkout/orders/{id}``,
``POST /v2/checkout/orders/{id}/capture``, ``POST /v2/payments/captures/{id}/refund``, and the
webhook signing certificate at ``GET /certs/paypal-test.pem``.

The pages a client would see: ``/pay/{session}`` (Stripe's hosted page) and
``/paypal/approve/{order}`` (PayPal's approval page), each a form with a pay and a cancel
button; paying sends the provider's signed webhook to ``webhook_targets`` when set, then
redirects to the success or return URL, as the providers do. Tests may also call
:meth:`ProviderStub.pay_session` and :meth:`ProviderStub.approve_order` directly.

Fixture: ``provider_stub`` starts one and points the settings at it (test keys, the
certificate host allowed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

STRIPE_SECRET_KEY = "sk_test_clausier_stub"
STRIPE_WEBHOOK_SECRET = "whsec_clausier_stub_secret"
PAYPAL_CLIENT_ID = "clausier-sandbox-client"
PAYPAL_CLIENT_SECRET = "clausier-sandbox-secret"
PAYPAL_WEBHOOK_ID = "8PT597110X687430LKGECATA"
CERT_PATH = "/certs/paypal-test.pem"


# --- Signing, as the providers do ----------------------------------------------------------


def stripe_signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """``Stripe-Signature``: ``t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload">``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey
    certificate_pem: bytes


def make_signing_key(*, valid_days: int = 30, expired: bool = False) -> SigningKey:
    """An RSA key and its self-signed certificate, standing for PayPal's signing certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts.test")])
    now = datetime.now(UTC)
    start, end = (
        (now - timedelta(days=60), now - timedelta(days=1))
        if expired
        else (now - timedelta(days=1), now + timedelta(days=valid_days))
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    return SigningKey(key, cert.public_bytes(serialization.Encoding.PEM))


def paypal_signed_headers(
    body: bytes,
    *,
    key: rsa.RSAPrivateKey,
    cert_url: str,
    webhook_id: str = PAYPAL_WEBHOOK_ID,
    transmission_id: str | None = None,
    transmission_time: datetime | None = None,
) -> dict[str, str]:
    """The headers PayPal sends with a webhook: the signature is SHA256withRSA of
    ``transmission id|transmission time|webhook id|CRC32 of the body``."""
    transmission_id = transmission_id or str(uuid.uuid4())
    moment = (transmission_time or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    message = f"{transmission_id}|{moment}|{webhook_id}|{zlib.crc32(body) & 0xFFFFFFFF}"
    signature = key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return {
        "PAYPAL-TRANSMISSION-ID": transmission_id,
        "PAYPAL-TRANSMISSION-TIME": moment,
        "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode(),
        "PAYPAL-CERT-URL": cert_url,
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
    }


def stripe_event(
    event_type: str, obj: dict[str, Any], *, event_id: str = "", created: int | None = None
) -> bytes:
    """A Stripe event as delivered to a webhook endpoint."""
    return json.dumps(
        {
            "id": event_id or f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": "2025-09-30.clover",
            "created": int(time.time()) if created is None else created,
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
    ).encode()


def resource_type(event_type: str) -> str:
    if event_type.startswith("CHECKOUT."):
        return "checkout-order"
    return "refund" if event_type.endswith(("REFUNDED", "REVERSED")) else "capture"


def paypal_event(event_type: str, resource: dict[str, Any], *, event_id: str = "") -> bytes:
    """A PayPal webhook event as delivered (``resource`` is the capture, refund or order)."""
    return json.dumps(
        {
            "id": event_id or f"WH-{secrets.token_hex(8).upper()}",
            "event_version": "1.0",
            "create_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "resource_type": resource_type(event_type),
            "resource_version": "2.0",
            "event_type": event_type,
            "summary": event_type.replace(".", " ").lower(),
            "resource": resource,
        }
    ).encode()


def signed_stripe_delivery(
    event_type: str, obj: dict[str, Any], *, event_id: str = ""
) -> tuple[bytes, dict[str, str]]:
    """A body and its headers, as Stripe posts them to ``/webhooks/stripe/``."""
    body = stripe_event(event_type, obj, event_id=event_id)
    return body, {
        "Content-Type": "application/json",
        "Stripe-Signature": stripe_signature_header(body, STRIPE_WEBHOOK_SECRET),
    }


def signed_paypal_delivery(
    stub: ProviderStub, event_type: str, resource: dict[str, Any], *, event_id: str = ""
) -> tuple[bytes, dict[str, str]]:
    """A body and its headers, as PayPal posts them to ``/webhooks/paypal/`` (signed with the
    stub's key, whose certificate the stub serves)."""
    body = paypal_event(event_type, resource, event_id=event_id)
    headers = paypal_signed_headers(body, key=stub.signing_key.private_key, cert_url=stub.cert_url)
    return body, headers | {"Content-Type": "application/json"}


# --- Stripe's form encoding ----------------------------------------------------------------


def decode_form(body: str) -> dict[str, Any]:
    """``a[b][0][c]=1`` -> ``{"a": {"b": [{"c": "1"}]}}`` (how Stripe's libraries encode)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return listify(root)


def listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [listify(node[key]) for key in sorted(node, key=int)]
    return {key: listify(value) for key, value in node.items()}


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, Any]:
        return decode_form(self.body.decode())

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class StubError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def stripe_error(status: int, message: str, code: str = "", param: str = "") -> StubError:
    error = {"type": "invalid_request_error", "message": message, "code": code, "param": param}
    return StubError(status, {"error": {k: v for k, v in error.items() if v}})


def paypal_error(status: int, name: str, issue: str, description: str) -> StubError:
    return StubError(
        status,
        {
            "name": name,
            "message": "The requested action could not be performed.",
            "debug_id": secrets.token_hex(6),
            "details": [{"issue": issue, "description": description}],
        },
    )


# Stripe's test payment methods (docs.stripe.com/testing): what a merchant-initiated charge
# of each does, and the card it stands for.
TEST_CARDS: dict[str, dict[str, Any]] = {
    "pm_card_visa": {"brand": "visa", "last4": "4242", "outcome": "succeeded"},
    "pm_card_chargeDeclined": {"brand": "visa", "last4": "0002", "outcome": "card_declined"},
    "pm_card_authenticationRequired": {
        "brand": "visa",
        "last4": "3184",
        "outcome": "authentication_required",
    },
}
CARD_ERRORS = {
    "card_declined": ("Your card was declined.", "generic_decline"),
    "authentication_required": (
        "Your card was declined. This transaction requires authentication.",
        "authentication_required",
    ),
}


def cents_of(value: str) -> int:
    return int(Decimal(value) * 100)


class ProviderStub:
    def __init__(self, signing_key: SigningKey | None = None) -> None:
        self.requests: list[Received] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self.payment_methods: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.captures: dict[str, dict[str, Any]] = {}
        self.tokens: set[str] = set()
        self.token_lifetime = 32400
        self.signing_key = signing_key or make_signing_key()
        # Queued answers given instead of the next API calls: (status, JSON body).
        self.failures: list[tuple[int, dict[str, Any]]] = []
        # The next Stripe API calls carried out (a charge made, its answer kept for the
        # idempotency key) but answered 500, as when the answer is lost on the way back.
        self.lost_answers = 0
        # Where the pay pages send their webhook: {"stripe": url, "paypal": url}.
        self.webhook_targets: dict[str, str] = {}
        self._idempotent: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self._lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def cert_url(self) -> str:
        return self.url + CERT_PATH

    def __enter__(self) -> ProviderStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def calls(self, method: str, prefix: str) -> list[Received]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    # --- HTTP plumbing ---------------------------------------------------------------------

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                stub.serve(self, "GET")

            def do_POST(self) -> None:
                stub.serve(self, "POST")

            def log_message(self, format, *args) -> None:
                pass

        return Handler

    def serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        received = Received(
            method=method,
            path=handler.path,
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=handler.rfile.read(length),
        )
        with self._lock:
            self.requests.append(received)
            try:
                status, body, content_type, extra = self.route(received)
            except StubError as exc:
                status, body, content_type, extra = exc.status, exc.body, "application/json", {}
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(raw)))
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(raw)

    def route(self, r: Received) -> tuple[int, Any, str, dict[str, str]]:
        path = urlsplit(r.path).path
        if path == CERT_PATH:
            return 200, self.signing_key.certificate_pem, "application/x-pem-file", {}
        if path.startswith(("/pay/", "/paypal/approve/")):
            return self.page(r, path)
        if self.failures and path.startswith(("/v1/", "/v2/")):
            status, body = self.failures.pop(0)
            return status, body, "application/json", {}
        if path.startswith("/v1/oauth2/"):
            return 200, self.paypal_token(r), "application/json", {}
        if path.startswith(("/v1/checkout/", "/v1/refunds", "/v1/payment_")):
            self.check_stripe_key(r)
            answer = self.idempotent(r, "idempotency-key", lambda: self.stripe_api(r, path))
            if self.lost_answers:
                self.lost_answers -= 1
                return (
                    500,
                    {"error": {"type": "api_error", "message": "lost"}},
                    "application/json",
                    {},
                )
            return answer
        if path.startswith("/v2/"):
            self.check_paypal_token(r)
            return self.idempotent(r, "paypal-request-id", lambda: self.paypal_api(r, path))
        raise StubError(404, {"error": {"message": f"no route {r.method} {path}"}})

    def idempotent(self, r: Received, header: str, work) -> tuple[int, Any, str, dict]:
        key = r.headers.get(header, "")
        if key and (header, key) in self._idempotent:
            status, body = self._idempotent[(header, key)]
            return status, body, "application/json", {"Idempotent-Replayed": "true"}
        status, body = work()
        if key and status < 500:
            self._idempotent[(header, key)] = (status, body)
        return status, body, "application/json", {}

    # --- Stripe ----------------------------------------------------------------------------

    def check_stripe_key(self, r: Received) -> None:
        if r.headers.get("authorization") != f"Bearer {STRIPE_SECRET_KEY}":
            raise StubError(
                401,
                {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}},
            )

    def stripe_api(self, r: Received, path: str) -> tuple[int, dict[str, Any]]:
        parts = path.strip("/").split("/")
        if path == "/v1/checkout/sessions" and r.method == "POST":
            return 200, self.create_session(r.form())
        if path == "/v1/refunds" and r.method == "POST":
            return 200, self.create_refund(r.form())
        if path == "/v1/payment_intents" and r.method == "POST":
            return self.create_payment_intent(r.form())
        if parts[:2] == ["v1", "payment_intents"] and len(parts) == 3 and r.method == "GET":
            return 200, self.get_payment_intent(parts[2], decode_form(urlsplit(r.path).query))
        if parts[:2] == ["v1", "payment_methods"] and len(parts) == 4 and parts[3] == "detach":
            return 200, self.detach(parts[2])
        if len(parts) >= 4 and parts[:3] == ["v1", "checkout", "sessions"]:
            session = self.sessions.get(parts[3])
            if session is None:
                raise stripe_error(
                    404, f"No such checkout.session: '{parts[3]}'", "resource_missing"
                )
            if len(parts) == 5 and parts[4] == "expire" and r.method == "POST":
                if session["status"] != "open":
                    raise stripe_error(400, "Only open sessions can be expired.")
                session.update(status="expired")
            return 200, self.public(session)
        raise stripe_error(404, f"Unrecognized request URL ({r.method}: {path})")

    def create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        item = params["line_items"][0]
        amount = int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
        session_id = f"cs_test_{secrets.token_hex(16)}"
        now = int(time.time())
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": amount,
            "amount_total": amount,
            "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"),
            "created": now,
            "currency": item["price_data"]["currency"],
            "customer_email": params.get("customer_email"),
            "expires_at": now + 86400,
            "livemode": False,
            "locale": params.get("locale"),
            "metadata": params.get("metadata", {}),
            "customer": params.get("customer"),
            "customer_creation": params.get("customer_creation"),
            "_setup_future_usage": (params.get("payment_intent_data") or {}).get(
                "setup_future_usage"
            ),
            "mode": params["mode"],
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params.get("success_url"),
            "url": f"{self.url}/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return self.public(session)

    def pay_session(self, session_id: str, card: str = "pm_card_visa") -> dict[str, Any]:
        """The client paid on Stripe's page (with ``card``, one of :data:`TEST_CARDS`): the
        session is complete, its PaymentIntent succeeded; a session asked to keep the card
        leaves it attached to the session's customer. Returns the session (for a
        ``checkout.session.completed`` event)."""
        with self._lock:
            session = self.sessions[session_id]
            intent_id = f"pi_{secrets.token_hex(12)}"
            future = session.get("_setup_future_usage")
            customer = session.get("customer")
            if future and not customer and session.get("customer_creation") == "always":
                customer = f"cus_{secrets.token_hex(7)}"
                self.customers[customer] = {"id": customer, "object": "customer"}
            method = self.new_payment_method(card, customer if future else None)
            self.payment_intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": session["amount_total"],
                "amount_refunded": 0,
                "currency": session["currency"],
                "customer": customer,
                "payment_method": method["id"],
                "setup_future_usage": future,
                "status": "succeeded",
                "metadata": session["metadata"],
            }
            session.update(
                status="complete",
                payment_status="paid",
                payment_intent=intent_id,
                customer=customer,
            )
            return self.public(session)

    def new_payment_method(self, card: str, customer: str | None) -> dict[str, Any]:
        """A card PaymentMethod of the test card ``card``, attached to ``customer``."""
        test = TEST_CARDS[card]
        method = {
            "id": f"{card}_{secrets.token_hex(6)}",
            "object": "payment_method",
            "type": "card",
            "customer": customer,
            "card": {
                "brand": test["brand"],
                "display_brand": test["brand"],
                "last4": test["last4"],
                "exp_month": 12,
                "exp_year": 2034,
                "funding": "credit",
                "country": "FR",
            },
            "_outcome": test["outcome"],
        }
        self.payment_methods[method["id"]] = method
        return method

    def create_payment_intent(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A PaymentIntent created and confirmed: off-session with a saved card, whose test
        payment method decides the outcome (Stripe answers 402 with the intent in the error
        when the card is declined or its issuer asks for authentication)."""
        method = self.payment_methods.get(params.get("payment_method", ""))
        if method is None:
            raise stripe_error(
                400, f"No such PaymentMethod: '{params.get('payment_method')}'", "resource_missing"
            )
        if method["customer"] is None or method["customer"] != params.get("customer"):
            raise stripe_error(
                400,
                "The provided PaymentMethod does not belong to the customer.",
                "payment_method_invalid_parameter",
                "payment_method",
            )
        intent_id = f"pi_{secrets.token_hex(12)}"
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(params["amount"]),
            "amount_refunded": 0,
            "currency": params["currency"],
            "customer": params["customer"],
            "payment_method": method["id"],
            "description": params.get("description"),
            "metadata": params.get("metadata", {}),
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "livemode": False,
            "last_payment_error": None,
            "status": "succeeded",
            "_off_session": params.get("off_session") == "true",
        }
        outcome = method["_outcome"]
        self.payment_intents[intent_id] = intent
        if outcome == "succeeded":
            return 200, self.public(intent)
        message, decline_code = CARD_ERRORS[outcome]
        error = {
            "type": "card_error",
            "code": outcome,
            "decline_code": decline_code,
            "message": message,
            "doc_url": f"https://stripe.com/docs/error-codes/{outcome.replace('_', '-')}",
            "payment_method": self.public(method),
        }
        intent.update(
            status="requires_payment_method",
            last_payment_error={k: v for k, v in error.items() if k != "payment_method"},
        )
        return 402, {"error": error | {"payment_intent": self.public(intent)}}

    def get_payment_intent(self, intent_id: str, query: dict[str, Any]) -> dict[str, Any]:
        intent = self.payment_intents.get(intent_id)
        if intent is None:
            raise stripe_error(404, f"No such payment_intent: '{intent_id}'", "resource_missing")
        shown = self.public(intent)
        expand = query.get("expand") or []
        if "payment_method" in expand and intent.get("payment_method"):
            shown["payment_method"] = self.public(self.payment_methods[intent["payment_method"]])
        return shown

    def detach(self, method_id: str) -> dict[str, Any]:
        method = self.payment_methods.get(method_id)
        if method is None:
            raise stripe_error(404, f"No such PaymentMethod: '{method_id}'", "resource_missing")
        if method["customer"] is None:
            raise stripe_error(
                400, "The payment method you provided is not attached to a customer."
            )
        method["customer"] = None
        return self.public(method)

    def create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        intent = self.payment_intents.get(params.get("payment_intent", ""))
        if intent is None:
            raise stripe_error(
                404, f"No such payment_intent: '{params.get('payment_intent')}'", "resource_missing"
            )
        left = intent["amount"] - intent["amount_refunded"]
        if left <= 0:
            raise stripe_error(400, "Charge has already been refunded.", "charge_already_refunded")
        amount = int(params.get("amount", left))
        if amount > left:
            raise stripe_error(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                "amount_too_large",
                "amount",
            )
        intent["amount_refunded"] += amount
        refund = {
            "id": f"re_{secrets.token_hex(12)}",
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "created": int(time.time()),
            "metadata": params.get("metadata", {}),
            "payment_intent": intent["id"],
            "reason": params.get("reason"),
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        return refund

    # --- PayPal ----------------------------------------------------------------------------

    def paypal_token(self, r: Received) -> dict[str, Any]:
        expected = base64.b64encode(f"{PAYPAL_CLIENT_ID}:{PAYPAL_CLIENT_SECRET}".encode())
        if r.headers.get("authorization") != f"Basic {expected.decode()}":
            raise StubError(
                401,
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
            )
        if dict(parse_qsl(r.body.decode())).get("grant_type") != "client_credentials":
            raise StubError(400, {"error": "unsupported_grant_type"})
        token = f"A21AA{secrets.token_hex(20)}"
        self.tokens.add(token)
        return {
            "scope": "https://uri.paypal.com/services/payments/payment",
            "access_token": token,
            "token_type": "Bearer",
            "app_id": "APP-80W284485P519543T",
            "expires_in": self.token_lifetime,
            "nonce": secrets.token_hex(8),
        }

    def revoke_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def check_paypal_token(self, r: Received) -> None:
        auth = r.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.tokens:
            raise StubError(
                401,
                {
                    "error": "invalid_token",
                    "error_description": "Token signature verification failed",
                },
            )

    def paypal_api(self, r: Received, path: str) -> tuple[int, dict[str, Any]]:
        parts = path.strip("/").split("/")
        if path == "/v2/checkout/orders" and r.method == "POST":
            return 201, self.create_order(r.json())
        if parts[:3] == ["v2", "checkout", "orders"] and len(parts) >= 4:
            order = self.orders.get(parts[3])
            if order is None:
                raise paypal_error(
                    404,
                    "RESOURCE_NOT_FOUND",
                    "INVALID_RESOURCE_ID",
                    "Specified resource ID does not exist.",
                )
            if len(parts) == 5 and parts[4] == "capture" and r.method == "POST":
                return 201, self.capture(order)
            return 200, order
        if parts[:3] == ["v2", "payments", "captures"] and len(parts) == 5 and r.method == "POST":
            return 201, self.refund_capture(parts[3], r.json() or {})
        raise paypal_error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", f"no {path}")

    def create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        unit = body["purchase_units"][0]
        for seen in self.orders.values():
            if seen["purchase_units"][0].get("invoice_id") == unit.get("invoice_id"):
                raise paypal_error(
                    422,
                    "UNPROCESSABLE_ENTITY",
                    "DUPLICATE_INVOICE_ID",
                    "Duplicate Invoice ID detected.",
                )
        order_id = secrets.token_hex(9).upper()
        context = body["payment_source"]["paypal"]["experience_context"]
        order = {
            "id": order_id,
            "intent": body["intent"],
            "status": "PAYER_ACTION_REQUIRED",
            "payment_source": {"paypal": {}},
            "purchase_units": [dict(unit, payee={"merchant_id": "STUBMERCHANT"})],
            "create_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "links": [
                {
                    "href": f"{self.url}/v2/checkout/orders/{order_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"{self.url}/paypal/approve/{order_id}",
                    "rel": "payer-action",
                    "method": "GET",
                },
            ],
            "_experience": context,
        }
        self.orders[order_id] = order
        return self.public(order)

    @staticmethod
    def public(order: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in order.items() if not k.startswith("_")}

    def approve_order(self, order_id: str) -> dict[str, Any]:
        """The buyer approved on PayPal's page. Returns the order (for CHECKOUT.ORDER.APPROVED)."""
        with self._lock:
            order = self.orders[order_id]
            order["status"] = "APPROVED"
            order["payer"] = {"payer_id": "STUBPAYER01", "email_address": "buyer@example.com"}
            return self.public(order)

    def capture(self, order: dict[str, Any]) -> dict[str, Any]:
        if order["status"] == "COMPLETED":
            raise paypal_error(
                422, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED", "Order already captured."
            )
        if order["status"] != "APPROVED":
            raise paypal_error(
                422,
                "UNPROCESSABLE_ENTITY",
                "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            )
        unit = order["purchase_units"][0]
        capture = {
            "id": secrets.token_hex(9).upper(),
            "status": "COMPLETED",
            "amount": unit["amount"],
            "final_capture": True,
            "custom_id": unit.get("custom_id"),
            "invoice_id": unit.get("invoice_id"),
            "seller_protection": {"status": "ELIGIBLE"},
            "create_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
            "_refunded": 0,
        }
        self.captures[capture["id"]] = capture
        unit["payments"] = {"captures": [self.public(capture)]}
        order["status"] = "COMPLETED"
        return self.public(order)

    def refund_capture(self, capture_id: str, body: dict[str, Any]) -> dict[str, Any]:
        capture = self.captures.get(capture_id)
        if capture is None:
            raise paypal_error(
                404,
                "RESOURCE_NOT_FOUND",
                "INVALID_RESOURCE_ID",
                "Specified resource ID does not exist.",
            )
        total = cents_of(capture["amount"]["value"])
        left = total - capture["_refunded"]
        if left <= 0:
            raise paypal_error(
                422,
                "UNPROCESSABLE_ENTITY",
                "CAPTURE_FULLY_REFUNDED",
                "The capture has already been fully refunded.",
            )
        cents = cents_of(body["amount"]["value"]) if "amount" in body else left
        if cents > left:
            raise paypal_error(
                422,
                "UNPROCESSABLE_ENTITY",
                "REFUND_AMOUNT_EXCEEDED",
                "The refund amount exceeds the capture's unrefunded amount.",
            )
        capture["_refunded"] += cents
        refund_id = secrets.token_hex(9).upper()
        return {
            "id": refund_id,
            "status": "COMPLETED",
            "amount": {
                "currency_code": capture["amount"]["currency_code"],
                "value": f"{Decimal(cents) / 100:.2f}",
            },
            "custom_id": body.get("custom_id") or capture.get("custom_id"),
            "invoice_id": capture.get("invoice_id"),
            "create_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "links": [
                {
                    "href": f"{self.url}/v2/payments/refunds/{refund_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"{self.url}/v2/payments/captures/{capture_id}",
                    "rel": "up",
                    "method": "GET",
                },
            ],
        }

    # --- The pages a client sees -----------------------------------------------------------

    def page(self, r: Received, path: str) -> tuple[int, Any, str, dict[str, str]]:
        reference = path.rstrip("/").rsplit("/", 1)[-1]
        stripe = path.startswith("/pay/")
        known = self.sessions if stripe else self.orders
        if reference not in known:
            return 404, b"unknown", "text/plain", {}
        if r.method == "GET":
            title = "Stripe Checkout (stub)" if stripe else "PayPal (stub)"
            html = (
                f"<!doctype html><title>{title}</title><h1>{title}</h1>"
                f'<form method="post"><button name="action" value="pay">Payer</button>'
                f'<button name="action" value="cancel">Annuler</button></form>'
            ).encode()
            return 200, html, "text/html; charset=utf-8", {}
        action = dict(parse_qsl(r.body.decode())).get("action")
        location = (self.stripe_page if stripe else self.paypal_page)(reference, action == "pay")
        return 303, b"", "text/plain", {"Location": location}

    def stripe_page(self, session_id: str, pay: bool) -> str:
        session = self.sessions[session_id]
        if not pay:
            return session["cancel_url"]
        paid = self.pay_session(session_id)
        self.deliver("stripe", stripe_event("checkout.session.completed", paid))
        return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)

    def paypal_page(self, order_id: str, pay: bool) -> str:
        context = self.orders[order_id]["_experience"]
        if not pay:
            return f"{context['cancel_url']}?{urlencode({'token': order_id})}"
        approved = self.approve_order(order_id)
        self.deliver("paypal", paypal_event("CHECKOUT.ORDER.APPROVED", approved))
        separator = "&" if "?" in context["return_url"] else "?"
        query = urlencode({"token": order_id, "PayerID": "STUBPAYER01"})
        return f"{context['return_url']}{separator}{query}"

    def deliver(self, provider: str, body: bytes) -> None:
        """Send a signed webhook to the target set for ``provider`` (nothing when unset)."""
        target = self.webhook_targets.get(provider)
        if not target:
            return
        headers = {"Content-Type": "application/json"}
        if provider == "stripe":
            headers["Stripe-Signature"] = stripe_signature_header(body, STRIPE_WEBHOOK_SECRET)
        else:
            key = self.signing_key.private_key
            headers |= paypal_signed_headers(body, key=key, cert_url=self.cert_url)
        threading.Thread(
            target=lambda: httpx.post(target, content=body, headers=headers, timeout=10),
            daemon=True,
        ).start()


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def paypal_signing_key() -> SigningKey:
    return make_signing_key()


@pytest.fixture
def provider_stub(settings, paypal_signing_key):
    """A running stub, with the settings pointing both providers at it."""
    from clausier.payments.providers import paypal_client, paypal_webhook, stripe_gateway

    with ProviderStub(paypal_signing_key) as stub:
        settings.STRIPE_SECRET_KEY = STRIPE_SECRET_KEY
        settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
        settings.STRIPE_API_BASE = stub.url
        settings.PAYPAL_CLIENT_ID = PAYPAL_CLIENT_ID
        settings.PAYPAL_CLIENT_SECRET = PAYPAL_CLIENT_SECRET
        settings.PAYPAL_WEBHOOK_ID = PAYPAL_WEBHOOK_ID
        settings.PAYPAL_API_BASE = stub.url
        settings.PAYPAL_CERT_HOSTS = ["127.0.0.1"]
        stripe_gateway.client_for.cache_clear()
        paypal_client.client_for.cache_clear()
        paypal_webhook.forget_certificates()
        yield stub
        paypal_webhook.forget_certificates()


@pytest.fixture
def no_provider_keys(settings):
    """Neither provider configured (the development default)."""
    for name in (
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "PAYPAL_CLIENT_ID",
        "PAYPAL_CLIENT_SECRET",
        "PAYPAL_WEBHOOK_ID",
    ):
        setattr(settings, name, "")
    return settings
