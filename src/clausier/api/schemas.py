"""Request and response bodies of the REST API (pydantic, through django-ninja).

Input schemas forbid unknown fields (a typo is a 422 naming it, never silently dropped) and
check types only: the business rules (SIREN key, VAT number, lengths...) stay in the models
and services, which answer with a field -> message map the API returns as is.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from clausier.customers.domain import client_warnings
from clausier.customers.models import ClientKind
from clausier.terms.models import AcceptanceMethod

PARIS = ZoneInfo("Europe/Paris")


def today_in_paris() -> date:
    """Legal dates are French dates: "today" is today in Europe/Paris."""
    return timezone.localdate(timezone=PARIS)


ClientKindName = Literal[tuple(ClientKind.values)]  # type: ignore[valid-type]
LanguageCode = Literal[tuple(code for code, _ in settings.LANGUAGES)]  # type: ignore[valid-type]
# Staff record these; ``checkbox`` is the client's own online acceptance, made in the portal.
STAFF_METHODS = (
    AcceptanceMethod.EMAIL_CONSENT.value,
    AcceptanceMethod.SIGNED_QUOTE.value,
    AcceptanceMethod.POSTAL_SCAN.value,
)
StaffMethod = Literal[STAFF_METHODS]  # type: ignore[valid-type]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- errors ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, str]


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """``ok`` plus the documented error bodies of an operation (401 is always possible)."""
    return ok | {code: ERROR_SCHEMAS[code] for code in (401, *errors)}


# --- sellers --------------------------------------------------------------------------------


class SellerOut(Schema):
    id: int
    slug: str
    display_name: str
    legal_name: str
    trade_name: str
    legal_form: str
    share_capital: Decimal | None
    siren: str
    siret: str
    rcs_city: str
    vat_number: str
    vat_regime: str
    address_line1: str
    address_line2: str
    postal_code: str
    city: str
    country: str
    phone: str
    support_phone: str
    email_sales: str
    email_support: str
    email_accounting: str
    jurisdiction: str
    mediator_name: str
    mediator_url: str


# --- clients --------------------------------------------------------------------------------


class WarningOut(Schema):
    field: str
    message: str
    law: str


class ClientOut(Schema):
    id: int
    kind: str
    name: str
    siren: str
    vat_number: str
    email: str
    phone: str
    billing_line1: str
    billing_line2: str
    billing_postal_code: str
    billing_city: str
    billing_country: str
    delivery_line1: str
    delivery_line2: str
    delivery_postal_code: str
    delivery_city: str
    delivery_country: str
    preferred_language: str
    is_professional: bool
    warnings: list[WarningOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_warnings(obj) -> list[Any]:
        return client_warnings(kind=obj.kind, siren=obj.siren, on=today_in_paris())


class ClientPage(Schema):
    count: int
    items: list[ClientOut]


class ClientIn(Input):
    kind: ClientKindName
    name: str
    email: str
    billing_line1: str
    billing_postal_code: str
    billing_city: str
    siren: str = ""
    vat_number: str = ""
    phone: str = ""
    billing_line2: str = ""
    billing_country: str = "FR"
    delivery_line1: str = ""
    delivery_line2: str = ""
    delivery_postal_code: str = ""
    delivery_city: str = ""
    delivery_country: str = ""
    preferred_language: LanguageCode = "fr"


class ClientPatch(Input):
    """Only the fields sent change; ``null`` is refused (send ``""`` to clear a field)."""

    kind: ClientKindName = None
    name: str = None
    email: str = None
    billing_line1: str = None
    billing_postal_code: str = None
    billing_city: str = None
    siren: str = None
    vat_number: str = None
    phone: str = None
    billing_line2: str = None
    billing_country: str = None
    delivery_line1: str = None
    delivery_line2: str = None
    delivery_postal_code: str = None
    delivery_city: str = None
    delivery_country: str = None
    preferred_language: LanguageCode = None


# --- terms ----------------------------------------------------------------------------------


class ClauseOut(Schema):
    clause_id: str
    kind: str
    article: str
    title: str
    excerpt: str
    parameters: dict[str, Any]


class TermsVersionOut(Schema):
    id: int
    label: str
    title: str
    effective_date: date
    status: str
    text_sha256: str
    published_at: datetime | None


class TermsVersionDetailOut(TermsVersionOut):
    text: str
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_clauses(obj) -> list[Any]:
        return list(obj.clauses.all())


class FindingOut(Schema):
    """One finding of the legal lint (``terms.domain.Finding``): what the law overrides in a
    clause (``clause_id`` and ``article`` empty when a mandatory clause is missing), the legal
    source and its text, and what clausier applies instead."""

    code: str
    severity: str
    clause_id: str
    article: str
    law: str
    law_text: str
    message: str
    applied: str


class LintOut(Schema):
    version_id: int
    label: str
    on: date
    findings: list[FindingOut]


# --- acceptances ----------------------------------------------------------------------------


class AcceptanceIn(Input):
    version_id: int
    method: StaffMethod
    accepted_by_name: str
    accepted_at: AwareDatetime | None = None
    message_id: str = ""

    @field_validator("method", mode="before")
    @classmethod
    def _not_online(cls, value: Any) -> Any:
        if value == AcceptanceMethod.CHECKBOX:
            raise PydanticCustomError(
                "portal_only",
                "checkbox acceptance is made online by the client in the portal; the API "
                "records email_consent, signed_quote or postal_scan",
            )
        return value


class AcceptanceOut(Schema):
    id: int
    client_id: int
    version_id: int
    version: str
    text_sha256: str
    accepted_at: datetime
    method: str
    accepted_by_name: str
    message_id: str
    recorded_at: datetime

    @staticmethod
    def resolve_version(obj) -> str:
        return obj.version.label

    @staticmethod
    def resolve_recorded_at(obj) -> datetime:
        return obj.created_at


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
