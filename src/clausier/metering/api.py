"""The metering REST routers: ``POST /events`` (a batch of usage events, each checked on its
own and stored once per id) and the subscriptions, read-only. Every POST takes an
``Idempotency-Key`` (the API shell); the events need none: their ids deduplicate them."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from ninja import Query, Router, Status

from clausier.metering import presenters, selectors, services
from clausier.metering.models import SubscriptionStatus
from clausier.metering.schemas import EVENTS_BODY, IngestOut, SubscriptionOut, SubscriptionPage
from clausier.sellers.access import api_scope
from clausier.web.api import Paging, responses, token_of

router = Router(tags=["events"])
subscriptions_router = Router(tags=["subscriptions"])

NOT_A_LIST = 'the body is a JSON list of event objects: [{"id": ..., "meter": ...}, ...]'


@router.post(
    "",
    response=responses({200: IngestOut}, 400, 413, 422),
    summary="Send a batch of usage events (at most 10,000)",
    description="Each event is checked on its own: the valid ones are stored, once per "
    "(seller, `id`) — a retried batch never counts twice — and each rejected one is listed "
    "with its index, id and reason. `accepted`: events stored now; `duplicates`: ids already "
    "stored. An event names its `subscription` (its id, or its `external_id`: the order's "
    "reference) or its `client` (id, with one active subscription). A body that is not a "
    "JSON list, or a list of more than 10,000 events, is a 422 naming the rule.",
    openapi_extra=EVENTS_BODY,
)
def send_events(request):
    try:
        events = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Status(400, {"detail": "Invalid JSON body."})
    if not isinstance(events, list):
        raise ValidationError({"body": NOT_A_LIST})
    result = services.ingest(seller=api_scope(request).seller, events=events, by=token_of(request))
    return result.as_dict()


@subscriptions_router.get(
    "",
    response=responses({200: SubscriptionPage}, 422),
    summary="List subscriptions (paginated), latest started first",
)
def list_subscriptions(
    request,
    paging: Query[Paging],
    status: SubscriptionStatus | None = None,
    client_id: int | None = None,
):
    filters = selectors.SubscriptionFilters(status=status or "", client_id=client_id)
    page = paging.page(
        selectors.subscription_list(seller=api_scope(request).seller, filters=filters)
    )
    page["items"] = [presenters.as_api(s) for s in page["items"]]
    return page


@subscriptions_router.get(
    "/{subscription_id}",
    response=responses({200: SubscriptionOut}, 404),
    summary="A subscription: its order, offer, start, billing period and status",
)
def get_subscription(request, subscription_id: int):
    found = selectors.subscription_for_seller(
        seller=api_scope(request).seller, subscription_id=subscription_id
    )
    return presenters.as_api(found)
