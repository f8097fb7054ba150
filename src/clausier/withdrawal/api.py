"""The withdrawals' REST router at ``/withdrawals``: list (with the refund clocks), a
withdrawal received by e-mail or post registered (decided at once), one withdrawal. Every
POST takes an ``Idempotency-Key`` (the API shell)."""

from __future__ import annotations

from ninja import Query, Router, Status

from clausier.sellers.access import api_scope
from clausier.web.api import Paging, responses, today_in_paris, token_of
from clausier.withdrawal import presenters, selectors, services
from clausier.withdrawal.models import RefundStatus, WithdrawalStatus
from clausier.withdrawal.schemas import WithdrawalIn, WithdrawalOut, WithdrawalPage

router = Router(tags=["withdrawals"])


@router.get(
    "",
    response=responses({200: WithdrawalPage}, 422),
    summary="List withdrawals (paginated), latest received first",
    description="`overdue=true`: refunds still owed after their deadline (C. conso. L221-24).",
)
def list_withdrawals(
    request,
    paging: Query[Paging],
    status: WithdrawalStatus | None = None,
    refund_status: RefundStatus | None = None,
    overdue: bool = False,
    client_id: int | None = None,
):
    today = today_in_paris()
    filters = selectors.WithdrawalFilters(
        status=status or "",
        refund_status=refund_status or "",
        overdue_on=today if overdue else None,
        client_id=client_id,
    )
    page = paging.page(selectors.withdrawal_list(seller=api_scope(request).seller, filters=filters))
    page["items"] = [presenters.as_api(w, today=today) for w in page["items"]]
    return page


@router.post(
    "",
    response=responses({201: WithdrawalOut}, 400, 404, 409, 422),
    summary="Register a withdrawal received by e-mail or by post",
    description="Decided at once as of `received_on`: accepted in time (the terms' period, "
    "never less than the law's 14 days, L221-18), refused late or after a service fully "
    "performed with the consumer's consent (L221-28 1°); a professional client is a 409, "
    "a `received_on` in the future or before the contract's conclusion a 422 naming it.",
)
def create_withdrawal(request, payload: WithdrawalIn):
    scope = api_scope(request)
    order = selectors.order_named(seller=scope.seller, order_id=payload.order_id)
    withdrawal = services.register_withdrawal(
        seller=scope.seller,
        order=order,
        channel=payload.channel,
        received_on=payload.received_on,
        statement=payload.statement,
        consumer_name=payload.consumer_name,
        consumer_address=payload.consumer_address,
        by=token_of(request),
    )
    return Status(201, presenters.as_api(withdrawal))


@router.get(
    "/{withdrawal_id}",
    response=responses({200: WithdrawalOut}, 404),
    summary="A withdrawal: its decision, clocks and explanations",
)
def get_withdrawal(request, withdrawal_id: int):
    found = selectors.withdrawal_for_seller(
        seller=api_scope(request).seller, withdrawal_id=withdrawal_id
    )
    return presenters.as_api(found)
