"""A small client of PayPal's REST API over ``httpx``: an OAuth2 client-credentials token,
kept until shortly before it expires, and JSON calls that turn PayPal's errors into the
gateway's.

Why not PayPal's own ``paypal-server-sdk``: its address is one of two constants (sandbox,
production) chosen by an enum, with no setting for another base URL, so it cannot be pointed at
the local stub the tests run against without patching its internals; it also brings a code
generator's runtime (apimatic-core, jsonpickle, python-dotenv...). The three calls clausier
needs (create, capture, refund) are a few lines each over ``httpx``.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from typing import Any

import httpx

from clausier.payments.providers.base import (
    Provider,
    ProviderRefused,
    ProviderUnavailable,
)
from clausier.payments.providers.config import PayPalConfig, paypal_config

TIMEOUT_SECONDS = 20.0
# A token is renewed this long before PayPal says it expires (a call under way keeps it valid).
TOKEN_MARGIN_SECONDS = 60


class PayPalClient:
    def __init__(
        self,
        *,
        api_base: str,
        client_id: str,
        client_secret: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = httpx.Client(
            base_url=self.api_base, timeout=TIMEOUT_SECONDS, transport=transport
        )
        self._lock = threading.Lock()
        self._token = ""
        self._token_expires = 0.0  # time.monotonic()

    def token(self) -> str:
        """The access token, asked for once and reused until it nearly expires."""
        with self._lock:
            if self._token and time.monotonic() < self._token_expires:
                return self._token
            answer = self.send(
                "POST",
                "/v1/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
            )
            self._token = answer["access_token"]
            lifetime = int(answer.get("expires_in") or 0)
            self._token_expires = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 0)
            return self._token

    def forget_token(self) -> None:
        with self._lock:
            self._token = ""

    def request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        request_id: str = "",
    ) -> dict[str, Any]:
        """A JSON call with the bearer token; a token PayPal no longer accepts (401) is renewed
        once. ``request_id`` is PayPal-Request-Id: the same id repeated does the work once."""
        for attempt in (1, 2):
            headers = {
                "Authorization": f"Bearer {self.token()}",
                "Prefer": "return=representation",
            }
            if request_id:
                headers["PayPal-Request-Id"] = request_id
            try:
                return self.send(method, path, json=json, headers=headers)
            except ProviderRefused as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                self.forget_token()
        raise AssertionError("unreachable")

    def send(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(
                method,
                path,
                headers={"Accept": "application/json"} | kwargs.pop("headers", {}),
                **kwargs,
            )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(Provider.PAYPAL, f"PayPal unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(
                Provider.PAYPAL, f"PayPal failed ({response.status_code}): {response.text[:200]}"
            )
        body = parsed(response)
        if response.status_code >= 400:
            code, message = error_of(body, response)
            raise ProviderRefused(Provider.PAYPAL, message, status=response.status_code, code=code)
        return body


def parsed(response: httpx.Response) -> dict[str, Any]:
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        return {"message": response.text[:200]}
    return body if isinstance(body, dict) else {"items": body}


def error_of(body: dict[str, Any], response: httpx.Response) -> tuple[str, str]:
    """PayPal's error: ``{"name", "message", "details": [{"issue", "description"}]}``, or
    OAuth's ``{"error", "error_description"}``. The most precise code wins (the issue)."""
    details = body.get("details") or []
    issue = details[0] if details and isinstance(details[0], dict) else {}
    code = issue.get("issue") or body.get("name") or body.get("error") or ""
    message = (
        issue.get("description")
        or body.get("message")
        or body.get("error_description")
        or f"HTTP {response.status_code}"
    )
    return str(code), str(message)


@lru_cache(maxsize=8)
def client_for(api_base: str, client_id: str, client_secret: str) -> PayPalClient:
    """One client per configuration: its token is shared by every request of the process."""
    return PayPalClient(api_base=api_base, client_id=client_id, client_secret=client_secret)


def paypal_client(config: PayPalConfig | None = None) -> PayPalClient:
    config = config or paypal_config()
    return client_for(config.api_base, config.client_id, config.client_secret)
