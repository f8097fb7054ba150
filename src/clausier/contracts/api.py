"""The contracts' REST router at ``/contracts``: list (with each next term and notice
deadline), one contract, and a notice received by the seller recorded (decided at once).
Every POST takes an ``Idempotency-Key`` (the API shell)."""

from __future__ import annotations

from ninja import Query, Router, Status

from clausier.contracts import presenters, selectors, services
from clausier.contracts.models import ContractStatus
from clausier.contracts.schemas import ContractOut, ContractPage, NoticeIn, NoticeOut
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
