"""Typed parameters of clauses, one schema per clause kind.

A clause's ``kind`` picks its schema; :func:`validate_parameters` checks a parameter dict
against it and returns the normalised dict, or raises :class:`ClauseParametersError` naming
each invalid field (``parameters.n``) and the rule it breaks. Engines read these parameters,
never constants, so every value that drives a computation is here.

Pure: no ORM. Periods use the units of :func:`clausier.rules.deadlines.deadline`; durations
are ISO 8601 (``PT2H``); rates are fractions (``0.5`` = 50 %); amounts are decimal strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    ValidationError,
)

from clausier.rules.deadlines import UNITS

Unit = Literal[UNITS]  # type: ignore[valid-type]
Fraction = Annotated[Decimal, Field(ge=0, le=1)]
Amount = Annotated[Decimal, Field(ge=0, decimal_places=2)]
Multiplier = Annotated[Decimal, Field(gt=0)]


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NoParams(Params):
    """A clause that only states something: no parameter drives a computation."""


class Period(Params):
    """``n`` ``unit`` counted from an event (the rules core's deadline units)."""

    n: NonNegativeInt
    unit: Unit
    from_: str = Field(alias="from", min_length=1)


# --- prices, orders, payments -------------------------------------------------------------


class Pricing(Params):
    shown: list[Literal["HT", "TTC"]] = Field(min_length=1)
    revisable: bool
    billing: Literal["consumption", "quote", "catalog"]
    units: list[Literal["flat", "hour", "day", "month", "metered"]] = []
    fees_mentioned: bool = False


class OrderFlow(Params):
    recap: bool
    client_can_edit: bool
    auto_validate: bool
    invoice_after_payment: bool
    invoice_channels: list[Literal["client_space", "email"]] = []


class QuoteRules(Params):
    free: bool
    specification_for_complex: bool
    mockups_contractual: bool
    copies: NonNegativeInt
    contents: list[str]
    acceptance_methods: list[Literal["postal_signed", "email_consent", "online"]] = Field(
        min_length=1
    )
    postal_mentions: list[str] = []
    # None: the terms leave the validity open, each quote must state it (art. 3 of the agency).
    validity_days: NonNegativeInt | None = None
    unaccepted_or_expired: Literal["void"] = "void"


class VatRegimeParams(Params):
    regime: Literal["normal", "franchise_293b"]
    mention: str = ""


class PaymentMethods(Params):
    methods: list[Literal["card", "paypal", "cheque", "transfer", "direct_debit"]] = Field(
        min_length=1
    )
    on_failure: Literal["cancel_order", "none"] = "none"


# What a payment term may count from: the invoice date, or the execution of the service
# (the invoice's service date), as C. com. L441-10 I counts the legal term.
PAYMENT_DUE_STARTS = ("invoice_date", "invoice_issue", "service_date", "execution")


class PaymentDue(Period):
    """Payment term: ``payment.due`` (e.g. 14 jours ouvrés from the invoice date, or 30
    jours calendaires from the execution of the service)."""

    from_: Literal[PAYMENT_DUE_STARTS] = Field(alias="from")  # type: ignore[valid-type]


class EarlyPaymentDiscount(Params):
    rate: Fraction


class PaymentDeposit(Params):
    rate: Fraction
    base: Literal["quote_total_ht"]
    required_when: Literal["quote_says", "always"]
    work_starts_after: Literal["deposit_cashed", "deposit_invoiced"]
    balance: Literal["end_of_service"]


class PaymentAcceptance(Params):
    full_payment_is_acceptance: bool


class LatePenalty(Params):
    multiplier: Multiplier
    of: Literal["legal_rate", "ecb_rate"]
    rate_date: Literal["invoice_date", "due_date"]
    base: Literal["ht_remaining", "ttc_remaining"]
    start: Literal["day_after_due"] = "day_after_due"
    prorata_temporis: bool = True
    plus_points: Decimal = Decimal("0")


class LateIndemnity(Params):
    # None: the terms mention the indemnity without its amount (the law fixes 40 €).
    amount: Amount | None


class LateConsequences(Params):
    all_sums_due: bool = False
    suspend_work: bool = False
    refuse_new_orders: bool = False


# --- consumers ------------------------------------------------------------------------------


class WithdrawalPeriod(Period):
    channel: Literal["email", "form", "letter", "any"] = "any"
    address: str = ""


class WithdrawalRefund(Period):
    refused_if_service_used: bool = False


class ExecutionDeadline(Period):
    """``execution.deadline``: the service starts at the latest n units after the event."""


class Mediator(Params):
    name: str = Field(min_length=1)
    url: str = ""


# --- contracts ------------------------------------------------------------------------------


class Renewal(Params):
    tacit: bool
    notice: Period | None
    notice_form: Literal["registered_letter", "any_written", "online"]
    chatel_information: bool = False


class TerminationForBreach(Params):
    cure: Period
    notice_form: Literal["registered_letter", "any_written"]
    immediate_if_cannot_cure: bool = False


class TerminationForInsolvency(Params):
    immediate: bool
    formal_notice_unanswered: Period | None = None


class ContractEnd(Params):
    sums_for_work_done_due: bool
    site_archive_on_written_request: bool = False


class ForceMajeure(Params):
    notify: Period
    termination_after: Period
    notice_form: Literal["registered_letter", "any_written"]


class Confidentiality(Params):
    nda_on_request: bool
    quotes_confidential: bool


class LiabilityCap(Params):
    ratio: Fraction
    base: Literal["ht_paid_for_service"]
    at: Literal["claim_date"]


class FlatFee(Params):
    amount: Amount
    label: str = Field(min_length=1)


class DomainRegistration(Params):
    registrant: Literal["seller", "client"]
    term: timedelta
    sums_due_after_termination: bool


class Guarantees(Params):
    items: list[str] = Field(min_length=1)


# --- maintenance and support ---------------------------------------------------------------


class MaintenanceScope(Params):
    severity_qualified_by: Literal["provider", "client"]
    email_confirmation_required: bool
    exclusions: list[str]
    excluded_handling: Literal["billable_at_current_rate", "refused"]


class BusinessHoursParams(Params):
    schedule: dict[Literal["0", "1", "2", "3", "4", "5", "6"], list[tuple[str, str]]]
    tz: str = "Europe/Paris"


class SlaLevel(Params):
    """GTI/GTR of an incident level; ``gti_outside`` when outside business hours differs."""

    gti_business: timedelta
    gti_outside: timedelta | None = None
    gtr: timedelta
    penalty_rate: Fraction
    penalty_base: Literal["average_consumption"] = "average_consumption"
    # Which months the mean takes (art. 10.1.4): the last ``penalty_months`` months invoiced
    # before the incident's month; ``penalty_cap`` (HT), when set, bounds one penalty.
    penalty_months: int = Field(default=3, ge=1, le=24)
    penalty_cap: Decimal | None = Field(default=None, ge=0)


class SupportContacts(Params):
    phone: str = ""
    email: str = ""
    email_to_ticket: bool = False
    outside_hours: Literal["on_call", "none"] = "none"


class MaintenanceVersions(Params):
    build_on: Literal["latest_stable"]
    keep_branch_updated: bool
    may_test_first: bool
    report_new_majors: bool
    majors_quoted_separately: bool
    unsupported_branch: Literal["security_fixes_only", "none"] = "security_fixes_only"


class PriceRevision(Params):
    at: Literal["term"]
    voids_tacit_renewal: bool
    refusal_ends_contract: bool
    refund: Literal["prorata_temporis", "none"]


class Jurisdiction(Params):
    law: Literal["FR"]
    court: str = Field(min_length=1)


class ClientKinds(Params):
    kinds: list[Literal["company", "association", "independent", "consumer"]] = Field(min_length=1)


class ClauseKind(StrEnum):
    """The kinds of clause: one per parameter schema of :data:`SCHEMAS`. A member is the
    string stored in ``Clause.kind`` and in the seeds' JSON (``"payment.due"``)."""

    TEXT = "text"
    CLIENTS_KINDS = "clients.kinds"
    PRICING = "pricing"
    ORDER_FLOW = "order.flow"
    QUOTE_RULES = "quote.rules"
    VAT_REGIME = "vat.regime"
    PAYMENT_METHODS = "payment.methods"
    PAYMENT_DUE = "payment.due"
    PAYMENT_EARLY_DISCOUNT = "payment.early_discount"
    PAYMENT_DEPOSIT = "payment.deposit"
    PAYMENT_ACCEPTANCE = "payment.acceptance"
    LATE_PENALTY = "late.penalty"
    LATE_INDEMNITY = "late.indemnity"
    LATE_CONSEQUENCES = "late.consequences"
    WITHDRAWAL_PERIOD = "withdrawal.period"
    WITHDRAWAL_REFUND = "withdrawal.refund"
    EXECUTION_DEADLINE = "execution.deadline"
    CONSUMER_MEDIATOR = "consumer.mediator"
    CONTRACT_RENEWAL = "contract.renewal"
    CONTRACT_TERMINATION_BREACH = "contract.termination_breach"
    CONTRACT_TERMINATION_INSOLVENCY = "contract.termination_insolvency"
    CONTRACT_END = "contract.end"
    FORCE_MAJEURE = "force_majeure"
    CONFIDENTIALITY = "confidentiality"
    LIABILITY_CAP = "liability.cap"
    FEE_FLAT = "fee.flat"
    DOMAINS_REGISTRATION = "domains.registration"
    GUARANTEES = "guarantees"
    MAINTENANCE_SCOPE = "maintenance.scope"
    SLA_BUSINESS_HOURS = "sla.business_hours"
    SLA_LEVEL = "sla.level"
    SUPPORT_CONTACTS = "support.contacts"
    MAINTENANCE_VERSIONS = "maintenance.versions"
    MAINTENANCE_PRICE_REVISION = "maintenance.price_revision"
    LAW_JURISDICTION = "law.jurisdiction"


SCHEMAS: dict[str, type[Params]] = {
    ClauseKind.TEXT: NoParams,
    ClauseKind.CLIENTS_KINDS: ClientKinds,
    ClauseKind.PRICING: Pricing,
    ClauseKind.ORDER_FLOW: OrderFlow,
    ClauseKind.QUOTE_RULES: QuoteRules,
    ClauseKind.VAT_REGIME: VatRegimeParams,
    ClauseKind.PAYMENT_METHODS: PaymentMethods,
    ClauseKind.PAYMENT_DUE: PaymentDue,
    ClauseKind.PAYMENT_EARLY_DISCOUNT: EarlyPaymentDiscount,
    ClauseKind.PAYMENT_DEPOSIT: PaymentDeposit,
    ClauseKind.PAYMENT_ACCEPTANCE: PaymentAcceptance,
    ClauseKind.LATE_PENALTY: LatePenalty,
    ClauseKind.LATE_INDEMNITY: LateIndemnity,
    ClauseKind.LATE_CONSEQUENCES: LateConsequences,
    ClauseKind.WITHDRAWAL_PERIOD: WithdrawalPeriod,
    ClauseKind.WITHDRAWAL_REFUND: WithdrawalRefund,
    ClauseKind.EXECUTION_DEADLINE: ExecutionDeadline,
    ClauseKind.CONSUMER_MEDIATOR: Mediator,
    ClauseKind.CONTRACT_RENEWAL: Renewal,
    ClauseKind.CONTRACT_TERMINATION_BREACH: TerminationForBreach,
    ClauseKind.CONTRACT_TERMINATION_INSOLVENCY: TerminationForInsolvency,
    ClauseKind.CONTRACT_END: ContractEnd,
    ClauseKind.FORCE_MAJEURE: ForceMajeure,
    ClauseKind.CONFIDENTIALITY: Confidentiality,
    ClauseKind.LIABILITY_CAP: LiabilityCap,
    ClauseKind.FEE_FLAT: FlatFee,
    ClauseKind.DOMAINS_REGISTRATION: DomainRegistration,
    ClauseKind.GUARANTEES: Guarantees,
    ClauseKind.MAINTENANCE_SCOPE: MaintenanceScope,
    ClauseKind.SLA_BUSINESS_HOURS: BusinessHoursParams,
    ClauseKind.SLA_LEVEL: SlaLevel,
    ClauseKind.SUPPORT_CONTACTS: SupportContacts,
    ClauseKind.MAINTENANCE_VERSIONS: MaintenanceVersions,
    ClauseKind.MAINTENANCE_PRICE_REVISION: PriceRevision,
    ClauseKind.LAW_JURISDICTION: Jurisdiction,
}

KINDS = tuple(SCHEMAS)


@dataclass(frozen=True)
class Problem:
    """One refusal of the schema, as data a screen words in its language: where (``loc``,
    the keys down to the value: ``("notice", "n")``), what rule (pydantic's error ``type``,
    ``"greater_than_equal"``) and its figures (``ctx``, ``{"ge": 0}``)."""

    loc: tuple[str | int, ...]
    type: str
    ctx: dict[str, Any]


class ClauseParametersError(ValueError):
    """Invalid clause parameters; ``errors`` maps ``parameters.<field>`` to a message (the
    API's words), ``problems`` the same refusals as :class:`Problem` (a form's words)."""

    def __init__(
        self, kind: str, errors: dict[str, str], problems: tuple[Problem, ...] = ()
    ) -> None:
        kind = str(kind)  # a ClauseKind reads as its value
        self.kind = kind
        self.errors = errors
        self.problems = problems
        detail = "; ".join(f"{field}: {msg}" for field, msg in errors.items())
        super().__init__(f"clause parameters of kind {kind!r} are invalid: {detail}")


def validate_parameters(kind: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The normalised parameters (JSON-ready) of a clause of ``kind``, or raise."""
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise ClauseParametersError(
            kind, {"kind": f"unknown clause kind; expected one of {', '.join(KINDS)}"}
        )
    if not isinstance(parameters, dict):
        raise ClauseParametersError(kind, {"parameters": "expected a JSON object"})
    try:
        model = schema.model_validate(parameters)
    except ValidationError as exc:
        found = exc.errors()
        errors = {"parameters." + ".".join(str(p) for p in err["loc"]): err["msg"] for err in found}
        problems = tuple(
            Problem(loc=tuple(err["loc"]), type=err["type"], ctx=dict(err.get("ctx") or {}))
            for err in found
        )
        raise ClauseParametersError(kind, errors, problems) from None
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=False)


def parse_parameters(kind: str, parameters: dict[str, Any]) -> Params:
    """The typed parameters of a clause (for engines): Decimals, timedeltas, periods."""
    validate_parameters(kind, parameters)
    return SCHEMAS[kind].model_validate(parameters)
