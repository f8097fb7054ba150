"""What both gateways speak: the neutral objects the payments domain receives, the link from a
provider's object back to clausier's, the amounts in cents, and the errors.

Nothing here knows Stripe or PayPal: the domain reads a :class:`ProviderEvent`, a
:class:`Checkout` or a :class:`Refund`, whichever provider produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from clausier.rules.money import quantize_cents

CURRENCY = "EUR"
# Cents of an amount in EUR: the amount is first quantized to the cent with ROUND_HALF_UP (the
# rounding every amount of clausier uses), then counted in cents, the "smallest currency unit"
# Stripe's API expects (docs.stripe.com/currencies, "Zero-decimal currencies": EUR is not one).
CENTS_ROUNDING = ROUND_HALF_UP


class Provider(StrEnum):
    STRIPE = "stripe"
    PAYPAL = "paypal"


class EventKind(StrEnum):
    """What a provider's event means for a payment, whatever the provider."""

    SUCCEEDED = "succeeded"  # the money is captured
    FAILED = "failed"  # the payment was refused (final)
    CANCELLED = "cancelled"  # the checkout was abandoned, expired or voided
    REFUNDED = "refunded"  # a refund (full or partial) went through: ``amount`` is this refund
    REFUND_FAILED = "refund_failed"  # a refund the provider could not carry out
    APPROVED = "approved"  # PayPal: the buyer approved the order, it waits to be captured
    IGNORED = "ignored"  # nothing for the payments domain (the raw type says what it was)


# --- The link from a provider's object back to clausier -----------------------------------

# Identifiers travel in provider fields of bounded length (Stripe's metadata values: 500
# characters; PayPal's custom_id: 127, its invoice_id: 127) and PayPal's custom_id carries the
# link as one string separated by "|": an identifier is letters, digits and . _ : - only.
LINK_IDENTIFIER = re.compile(r"[A-Za-z0-9._:-]{1,40}")
LINK_KEYS = ("seller", "payment", "invoice", "order")
PAYPAL_CUSTOM_ID_MAX = 127


@dataclass(frozen=True)
class PaymentLink:
    """Which seller, payment, invoice and/or order a provider's object belongs to.

    ``payment`` is the domain's own reference of this payment attempt (unique: PayPal refuses
    an invoice_id it has seen before, so it is sent as the order's invoice_id)."""

    seller: str
    payment: str
    invoice: str = ""
    order: str = ""

    def __post_init__(self) -> None:
        for name in LINK_KEYS:
            value = getattr(self, name)
            if not isinstance(value, str):
                raise ValueError(f"PaymentLink.{name}: expected a string, got {value!r}.")
            if name in ("seller", "payment") and not value:
                raise ValueError(f"PaymentLink.{name} is required.")
            if value and not LINK_IDENTIFIER.fullmatch(value):
                raise ValueError(
                    f"PaymentLink.{name}={value!r}: 1 to 40 letters, digits or . _ : - only."
                )
        if not (self.invoice or self.order):
            raise ValueError("PaymentLink: give the invoice or the order the payment is for.")
        if len(self.custom_id()) > PAYPAL_CUSTOM_ID_MAX:
            raise ValueError(
                f"PaymentLink: seller|payment|invoice|order is {len(self.custom_id())} "
                f"characters, PayPal's custom_id takes {PAYPAL_CUSTOM_ID_MAX} at most."
            )

    def metadata(self) -> dict[str, str]:
        """Stripe's metadata (and the ``metadata`` of every :class:`ProviderEvent`)."""
        return {name: getattr(self, name) for name in LINK_KEYS if getattr(self, name)}

    def custom_id(self) -> str:
        """PayPal's purchase unit ``custom_id``: ``seller|payment|invoice|order``."""
        return "|".join(getattr(self, name) for name in LINK_KEYS)

    @classmethod
    def from_metadata(cls, metadata: dict[str, str]) -> PaymentLink | None:
        """The link written by :meth:`metadata`, or None for an object clausier did not make."""
        try:
            return cls(**{name: str(metadata.get(name, "")) for name in LINK_KEYS})
        except ValueError:
            return None

    @classmethod
    def from_custom_id(cls, custom_id: str | None) -> PaymentLink | None:
        parts = (custom_id or "").split("|")
        if len(parts) != len(LINK_KEYS):
            return None
        return cls.from_metadata(dict(zip(LINK_KEYS, parts, strict=True)))


# --- Neutral results -----------------------------------------------------------------------


@dataclass(frozen=True)
class Checkout:
    """A provider's payment page for one amount: a Stripe Checkout Session or a PayPal order.

    ``reference`` is the session or order id; ``redirect_url`` the page the client is sent to
    (Stripe's hosted page, PayPal's approval page); ``payment_reference`` what a refund needs
    (Stripe's PaymentIntent id, PayPal's capture id), empty until the client has paid."""

    provider: Provider
    reference: str
    status: str  # the provider's own word: open / complete / expired, CREATED / COMPLETED...
    paid: bool
    amount: Decimal
    currency: str
    redirect_url: str = ""
    payment_reference: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def link(self) -> PaymentLink | None:
        return PaymentLink.from_metadata(self.metadata)


@dataclass(frozen=True)
class SavedCard:
    """A card kept at the provider for later charges: the provider's customer and payment
    method, and what the client recognises it by (no card data)."""

    provider: Provider
    customer_reference: str
    method_reference: str
    label: str  # "Visa •••• 4242"
    exp_month: int | None = None
    exp_year: int | None = None


@dataclass(frozen=True)
class Charge:
    """A merchant-initiated charge of a saved card (Stripe: a PaymentIntent confirmed
    off-session). ``code``: the provider's reason when it did not succeed
    (``card_declined``, ``authentication_required``...); ``reference`` the PaymentIntent, when
    the provider made one."""

    provider: Provider
    reference: str
    status: str  # the provider's word: succeeded, requires_payment_method, processing...
    succeeded: bool
    amount: Decimal
    code: str = ""
    message: str = ""

    @property
    def needs_client(self) -> bool:
        """The issuer asks the client to authenticate (SCA): only the client can pay now."""
        return self.code == "authentication_required"


@dataclass(frozen=True)
class Refund:
    provider: Provider
    reference: str  # Stripe's re_..., PayPal's refund id
    payment_reference: str  # the PaymentIntent or capture refunded
    amount: Decimal
    currency: str
    status: str  # the provider's word: succeeded / pending / failed, COMPLETED / PENDING...
    succeeded: bool


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook event, in clausier's words.

    ``event_id`` is the provider's id of the event: the same event delivered again carries the
    same id (deduplicating it is the domain's job). ``checkout_reference`` is the Checkout
    Session or PayPal order, ``payment_reference`` the PaymentIntent or capture,
    ``refund_reference`` the refund of a ``refunded`` event (a refund may be announced by more
    than one event: key refunds on it). ``amount`` is the payment's amount, or this refund's
    for ``refunded``; None when the event carries none. ``metadata`` is the
    :class:`PaymentLink` written at creation (empty for an object clausier did not make)."""

    provider: Provider
    event_id: str
    event_type: str  # the provider's own name: checkout.session.completed, PAYMENT.CAPTURE...
    kind: EventKind
    occurred_at: datetime
    checkout_reference: str = ""
    payment_reference: str = ""
    refund_reference: str = ""
    amount: Decimal | None = None
    currency: str = CURRENCY
    metadata: dict[str, str] = field(default_factory=dict)
    reason: str = ""  # why it failed, was cancelled or ignored, as the provider said it

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None:
            raise ValueError("ProviderEvent.occurred_at must be an aware datetime (UTC).")

    @property
    def link(self) -> PaymentLink | None:
        return PaymentLink.from_metadata(self.metadata)


# --- Amounts -------------------------------------------------------------------------------


def to_cents(amount: Decimal) -> int:
    """EUR to cents: quantized to the cent with :data:`CENTS_ROUNDING`, then times 100."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount: expected a Decimal, got {type(amount).__name__}.")
    if not amount.is_finite():
        raise ValueError(f"amount={amount}: not a finite number.")
    return int(quantize_cents(amount, CENTS_ROUNDING) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def to_value(amount: Decimal) -> str:
    """PayPal's ``value``: the amount as a string with two decimals (``"12.50"``)."""
    return f"{quantize_cents(amount, CENTS_ROUNDING):.2f}"


def from_value(value: str) -> Decimal:
    return quantize_cents(Decimal(value), CENTS_ROUNDING)


def from_timestamp(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def from_iso(value: str) -> datetime:
    """An RFC 3339 date-time (PayPal's ``create_time``, ``PAYPAL-TRANSMISSION-TIME``) in UTC."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r}: a date-time without its offset.")
    return moment.astimezone(UTC)


# --- Errors --------------------------------------------------------------------------------


class ProviderError(Exception):
    """A gateway could not do what was asked. ``provider`` names it."""

    def __init__(self, provider: Provider, message: str) -> None:
        super().__init__(message)
        self.provider = provider
        self.message = message


class ProviderNotConfigured(ProviderError):
    """The provider's keys are not set (see ``available_methods()``)."""


class ProviderRefused(ProviderError):
    """The provider answered with an error about the request (4xx): ``status`` and ``code`` are
    its HTTP status and error code (``amount_too_large``, ``ORDER_NOT_APPROVED``...)."""

    def __init__(self, provider: Provider, message: str, *, status: int, code: str = "") -> None:
        super().__init__(provider, message)
        self.status = status
        self.code = code


class ProviderUnavailable(ProviderError):
    """The provider could not be reached or failed (network error, 5xx): try again later."""


class WebhookRejected(ProviderError):
    """A webhook delivery that is not provably the provider's: bad or missing signature,
    timestamp outside the tolerance window, certificate from a host not allowed, malformed
    body. The receiving view answers 400 and logs ``reason``."""

    def __init__(self, provider: Provider, reason: str) -> None:
        super().__init__(provider, f"{provider} webhook refused: {reason}")
        self.reason = reason
