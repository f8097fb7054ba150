"""The bodies of the contracts API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Schema

from clausier.web.api import Input


class ContractLineOut(Schema):
    id: int
    kind: str
    description: str
    amount_ht: Decimal
    vat_rate: Decimal
    paid_through: date | None


class NoticeOut(Schema):
    id: int
    given_by: str
    channel: str
    sent_on: date | None
    received_on: date
    tracking_number: str
    term_end: date
    deadline: date
    in_time: bool
    effective_on: date


class PriceRevisionLineOut(Schema):
    line: int
    description: str
    current: Decimal
    new: Decimal


class PriceRevisionOut(Schema):
    id: int
    term_end: date
    status: str
    reason: str
    proposed_on: date
    decided_on: date | None
    current_total_ht: Decimal
    new_total_ht: Decimal
    lines: list[PriceRevisionLineOut]


class ContractOut(Schema):
    id: int
    reference: str
    client_id: int
    order_id: int | None
    consumer: bool
    status: str
    start_on: date
    period_months: int
    term_start: date
    term_end: date
    tacit_renewal: bool
    notice_deadline: date
    notice_source: str
    free_termination_from: date | None
    ended_on: date | None
    end_reason: str
    final_amount_ht: Decimal
    refund_amount_ht: Decimal
    terms_version: str
    version: int
    price_revision: PriceRevisionOut | None
    lines: list[ContractLineOut]
    allowed_actions: list[str]


class ContractPage(Schema):
    count: int
    items: list[ContractOut]


class NoticeIn(Input):
    """A notice not to renew received by the seller: by registered letter (its tracking
    number and the day it was sent required) or by e-mail."""

    given_by: Literal["client", "seller"]
    channel: Literal["registered_letter", "email"]
    received_on: date
    sent_on: date | None = None
    tracking_number: str = ""


class NewAmountIn(Input):
    line_id: int
    amount_ht: Decimal


class PriceRevisionIn(Input):
    """A higher price proposed at term (seed 002 art. 12b): the new amount HT per period of
    each line to raise (``line_id`` from the contract's ``lines``; the others keep theirs)."""

    reason: Literal["traffic", "size", "other"]
    reason_note: str = ""
    lines: list[NewAmountIn]


class ClaimOut(Schema):
    """A liability claim (seed 002 art. 10) and its cap: the clause's ratio of the HT the
    client actually paid for the service by the claim date (null until measured)."""

    id: int
    contract_id: int
    client_id: int
    received_on: date
    sent_on: date | None
    tracking_number: str
    amount_claimed: Decimal | None
    status: str
    decided_amount: Decimal | None
    exclusions: list[str]
    paid_ht: Decimal | None
    cap_ht: Decimal | None
    cap_clause: str
    terms_version: str


class ClaimPage(Schema):
    count: int
    items: list[ClaimOut]


class DomainOut(Schema):
    id: int
    name: str
    client_id: int
    contract_id: int
    registrar: str
    registrant: str
    status: str
    registered_on: date
    expires_on: date
    term: str
    clause: str
    terms_version: str
    ended_on: date | None


class DomainPage(Schema):
    count: int
    items: list[DomainOut]


class DomainIn(Input):
    """A domain name registered for a running contract's client (seed 002 art. 11): it
    expires one clause term after ``registered_on``."""

    contract_id: int
    name: str
    registrar: str
    registered_on: date
