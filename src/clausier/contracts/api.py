"""The contracts' REST router at ``/contracts``: list (with each next term and notice
deadline), one contract (with its pending price revision), a notice received by the seller
recorded (decided at once), a price revision proposed at term (seed 002 art. 12b), and the
liability claims register with each cap (art. 10); the domains register at ``/domains``
(list, a domain recorded).
Every POST takes an ``Idempotency-Key`` (the API shell)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status

from clausier.contracts import presenters, selectors, services
from clausier.contracts.models import ClaimStatus, ContractStatus, DomainStatus
from clausier.contracts.schemas import (
    ClaimPage,
    ContractOut,
    ContractPage,
    DomainIn,
    DomainOut,
    DomainPage,
    NoticeIn,
    NoticeOut,
    PriceRevisionIn,
    PriceRevisionOut,
)
from clausier.sellers.access import api_scope
from clausier.web.api import Paging, responses, token_of

router = Router(tags=["contracts"])


@router.get(
    "",
    response=responses({200: ContractPage}, 422),
    summary="List contracts (paginated), the nearest term first",
)
def list_contracts(request, paging: Query[Paging], status: ContractStatus | None = None):
    contracts = selectors.visible_to(scope=api_scope(request), status=status or "")
    page = paging.page(contracts.prefetch_related("lines"))
    page["items"] = [presenters.as_api(c) for c in page["items"]]
    return page


@router.get(
    "/claims",
    response=responses({200: ClaimPage}, 422),
    summary="List liability claims (paginated), the latest received first",
    description="Each with its cap (seed 002 art. 10): the `liability.cap` clause's ratio of "
    "the HT the client actually paid for the service by the claim date, null until measured.",
)
def list_claims(request, paging: Query[Paging], status: ClaimStatus | None = None):
    claims = selectors.claims_for_seller(scope=api_scope(request), status=status or "")
    page = paging.page(claims)
    page["items"] = [presenters.claim_as_api(c) for c in page["items"]]
    return page


@router.get(
    "/{contract_id}",
    response=responses({200: ContractOut}, 404),
    summary="A contract: its lines, current term, notice deadline and final sums",
)
def get_contract(request, contract_id: int):
    found = selectors.contract_for_staff(scope=api_scope(request), contract_id=contract_id)
    return presenters.as_api(found)


@router.post(
    "/{contract_id}/notices",
    response=responses({201: NoticeOut}, 400, 404, 409, 422),
    summary="Record a notice not to renew received by the seller",
    description="Decided at once as of `received_on`: by the notice deadline (the terms' "
    "months before the term, never carried past a weekend or holiday), the contract ends at "
    "its term; later, at the next one. A registered letter needs `tracking_number` and "
    "`sent_on`; a contract already under notice or ended is a 409.",
)
def create_notice(request, contract_id: int, payload: NoticeIn):
    found = selectors.contract_for_staff(scope=api_scope(request), contract_id=contract_id)
    notice = services.record_notice(
        contract=found,
        given_by=payload.given_by,
        channel=payload.channel,
        received_on=payload.received_on,
        sent_on=payload.sent_on,
        tracking_number=payload.tracking_number,
        by=token_of(request),
    )
    return Status(201, presenters.notice_as_api(notice))


@router.post(
    "/{contract_id}/price-revisions",
    response=responses({201: PriceRevisionOut}, 400, 404, 409, 422),
    summary="Propose a higher price at the current term (seed 002 art. 12b)",
    description="Only when the contract's terms have the `maintenance.price_revision` "
    "clause, before the current term's end, one per term, amounts raised only. The term's "
    "tacit renewal is then void: accepted by the client, the contract renews at the new "
    "price; refused or unanswered at term, it ends there. The client's contacts are e-mailed. "
    "Another proposal for the term is a 409.",
)
def create_price_revision(request, contract_id: int, payload: PriceRevisionIn):
    found = selectors.contract_for_staff(scope=api_scope(request), contract_id=contract_id)
    revision = services.propose_price_revision(
        contract=found,
        amounts={line.line_id: line.amount_ht for line in payload.lines},
        reason=payload.reason,
        reason_note=payload.reason_note,
        by=token_of(request),
    )
    return Status(201, presenters.revision_as_api(revision))


# The domains register (seed 002 art. 11) at ``/domains``.
domains_router = Router(tags=["contracts"])


@domains_router.get(
    "",
    response=responses({200: DomainPage}, 422),
    summary="List domain names (paginated), the nearest expiry first",
)
def list_domains(request, paging: Query[Paging], status: DomainStatus | None = None):
    domains = selectors.domains_for_seller(scope=api_scope(request), status=status or "")
    page = paging.page(domains)
    page["items"] = [presenters.domain_as_api(d) for d in page["items"]]
    return page


@domains_router.post(
    "",
    response=responses({201: DomainOut}, 400, 409, 422),
    summary="Record a domain name registered for a contract's client",
    description="Registered in the name the terms' `domains.registration` clause says (seed "
    "002: the seller's), it expires one clause term after `registered_on` (a 29 February "
    "on the 28th) and is renewed with the contract's domain line while the contract runs. "
    "A name that is no domain name, or already on the register, or an unknown contract, is a "
    "422; a contract ended or whose terms have no such clause, a 409.",
)
def create_domain(request, payload: DomainIn):
    scope = api_scope(request)
    try:
        found = selectors.contract_for_staff(scope=scope, contract_id=payload.contract_id)
    except Http404:
        raise ValidationError({"contract_id": "unknown contract"}) from None
    domain = services.register_domain(
        contract=found,
        name=payload.name,
        registrar=payload.registrar,
        registered_on=payload.registered_on,
        by=token_of(request),
    )
    return Status(201, presenters.domain_as_api(domain))
