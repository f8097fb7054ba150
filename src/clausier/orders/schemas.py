"""The API's bodies for orders (django-ninja schemas): what an order shows, and the online
order's recap, declared data and confirmation (seed 000, art. 4-8)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from clausier.kernel.wording import worded_explanation
from clausier.orders import selectors
from clausier.orders.models import OrderStatus
from clausier.quotes.schemas import AgreedLineOut
from clausier.web.api import ClientNamed, Input

OrderStatusName = Literal[tuple(OrderStatus.values)]  # type: ignore[valid-type]


# --- online orders (seed 000, art. 4-8) ------------------------------------------------------


class OnlineLineIn(Input):
    """An offer of the seller's catalog (its product ``code``) and how many: the line is
    priced from the catalog on the day (unit price HT and TTC, VAT rate, price version)."""

    product_code: str
    quantity: Decimal


class DeclaredIn(Input):
    """What the client declares in the recap (billing identity, address, VAT number; art. 4
    of the PaaS host's terms: the client checks them and corrects them). It changes the order
    only, never the client record. Only the fields sent change; ``null`` is refused (send
    ``""`` to clear a field). The client's kind is not declared: it decides the law."""

    name: str = None
    siren: str = None
    vat_number: str = None
    email: str = None
    phone: str = None
    billing_line1: str = None
    billing_line2: str = None
    billing_postal_code: str = None
    billing_city: str = None
    billing_country: str = None


class OnlineOrderIn(Input):
    client_id: int
    lines: list[OnlineLineIn]


class RecapPatch(Input):
    """``lines``, when sent, replaces every line of the recap (priced again on the day);
    ``declared`` changes the fields it names. Both are written together or not at all; the
    recap also moves to the seller's terms in force if newer ones were published."""

    lines: list[OnlineLineIn] = None
    declared: DeclaredIn = None


class ConfirmIn(Input):
    """The client's confirmation, relayed by the seller's system: ``terms_accepted`` must be
    ``true`` (the client ticked its acceptance of the terms the recap names). A consumer may
    ask the service to start before its withdrawal period ends: ``express_start`` with the
    text it accepted (``express_start_text``, kept as evidence; C. conso. L221-25)."""

    terms_accepted: bool
    express_start: bool = False
    express_start_text: str = ""

    @field_validator("terms_accepted")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if value is not True:
            raise PydanticCustomError(
                "terms_not_accepted",
                "the client confirms its order by accepting the terms the recap names: true "
                "expected",
            )
        return value


class OnlineOrderOut(Schema):
    """What an online order adds (null for an order born from a quote): the client's
    ``declared`` data, the SHA-256 of the terms named, the clauses frozen at confirmation (by
    clause id), the conclusion of the contract (``concluded_at``, when the order was
    validated), the consumer's express start, the payment, and the execution deadline with its
    arithmetic (``execution_deadline_explanation``: the rule, the clause, the steps, ``why``)."""

    declared: dict[str, Any]
    terms_sha256: str
    clauses: dict[str, Any]
    confirmed_at: datetime | None
    concluded_at: datetime | None
    express_start: bool
    express_start_text: str
    express_start_at: datetime | None
    paid_at: datetime | None
    payment_provider: str
    payment_reference: str
    payment_amount: Decimal | None
    payment_failed_at: datetime | None
    execution_deadline: date | None
    execution_deadline_explanation: dict[str, Any]

    @staticmethod
    def resolve_execution_deadline_explanation(obj) -> dict[str, Any]:
        return worded_explanation(obj.execution_deadline_explanation or {})


# --- orders ---------------------------------------------------------------------------------


class OrderLineOut(AgreedLineOut):
    amount_ht: Decimal
    unit_label: str
    unit_price_ttc: Decimal | None  # online orders: the catalog's TTC price of the day
    price_version_id: int | None


class OrderOut(ClientNamed):
    id: int
    reference: str
    status: str
    client_id: int
    client_name: str
    quote_id: int | None
    nature: str
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    ordered_at: datetime
    created_at: datetime


class OrderPage(Schema):
    count: int
    items: list[OrderOut]


class OrderDepositOut(Schema):
    """The deposit the order waits for (frozen at acceptance from the terms' clause)."""

    status: str
    rate: Decimal
    base_ht: Decimal
    amount: Decimal
    clause_id: str
    article: str
    terms_label: str
    work_starts_after: str
    cashed_on: date | None


class WaitingReasonOut(Schema):
    """``waiting``: the order waits for something from the client; ``why`` says what, citing
    ``clause`` and ``article`` of the ``terms`` version; ``inputs``: the figures used."""

    status: str
    waiting: bool
    why: str
    clause: str
    article: str
    terms: str
    inputs: dict[str, Any]


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]
    terms_version_id: int
    terms_label: str
    payment_terms: dict[str, Any]
    vat_regime: str
    vat_mention: str
    totals_explanation: dict[str, Any]
    started_at: datetime | None
    closed_at: datetime | None
    cancellation_reason: str
    deposit: OrderDepositOut | None
    waiting_reason: WaitingReasonOut
    online: OnlineOrderOut | None

    @staticmethod
    def resolve_lines(obj) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_deposit(obj) -> Any:
        return getattr(obj, "deposit", None)

    @staticmethod
    def resolve_totals_explanation(obj) -> dict[str, Any]:
        return worded_explanation(obj.totals_explanation or {})

    @staticmethod
    def resolve_waiting_reason(obj) -> dict[str, Any]:
        return selectors.waiting_reason(order=obj).as_dict()

    @staticmethod
    def resolve_online(obj) -> Any:
        return obj if obj.quote_id is None else None
