"""Acceptances of terms by a client: the evidence staff record (e-mail, signed quote, scan).

Online acceptance (``checkbox``) is the client's own act in the portal and is refused here.
A ``version_id`` that is not one of the token's seller's versions is a 422 on ``version_id``
("unknown version"), like any other invalid field of the body: the client in the path is the
resource, the version is a value.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Status

from clausier.api.schemas import AcceptanceIn, AcceptanceOut
from clausier.customers.selectors import client_for_scope
from clausier.sellers.access import api_scope
from clausier.terms import selectors as terms_selectors
from clausier.terms.services import record_acceptance
from clausier.web.api import responses, token_of

router = Router(tags=["acceptances"])

# The service names the version ``version``; the API's body calls it ``version_id``.
SERVICE_TO_BODY = {"version": "version_id"}


@router.get(
    "/{client_id}/acceptances",
    response=responses({200: list[AcceptanceOut]}, 404),
    summary="Terms accepted by a client, latest first",
)
def list_acceptances(request, client_id: int):
    client = client_for_scope(scope=api_scope(request), client_id=client_id)
    return terms_selectors.acceptances_for_client(client=client)


@router.post(
    "/{client_id}/acceptances",
    response=responses({201: AcceptanceOut}, 400, 404, 422),
    summary="Record that a client accepted a terms version",
)
def create_acceptance(request, client_id: int, payload: AcceptanceIn):
    token = token_of(request)
    client = client_for_scope(scope=api_scope(request), client_id=client_id)
    errors: dict[str, str] = {}
    version = None
    try:
        version = terms_selectors.version_for_seller(
            seller=token.seller, version_id=payload.version_id
        )
    except Http404:
        errors["version_id"] = "unknown version"
    if payload.accepted_at is not None and payload.accepted_at > timezone.now():
        errors["accepted_at"] = "an acceptance cannot be dated in the future"
    if errors:
        raise ValidationError(errors)
    try:
        acceptance = record_acceptance(
            client=client,
            version=version,
            method=payload.method,
            accepted_by_name=payload.accepted_by_name,
            accepted_at=payload.accepted_at,
            message_id=payload.message_id,
            by=token,
        )
    except ValidationError as exc:
        raise ValidationError(
            {SERVICE_TO_BODY.get(field, field): messages for field, messages in exc}
        ) from None
    return Status(201, acceptance)
