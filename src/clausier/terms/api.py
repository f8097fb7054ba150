"""Terms through the API: the token's seller's versions, read-only (the API never writes
terms), and the acceptances of a client, two routers mounted at ``/terms`` and ``/clients``.

Acceptances are the evidence staff record (e-mail, signed quote, scan). Online acceptance
(``checkbox``) is the client's own act in the portal and is refused here. A ``version_id``
that is not one of the token's seller's versions is a 422 on ``version_id`` ("unknown
version"), like any other invalid field of the body: the client in the path is the resource,
the version is a value.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Status

from clausier.customers.selectors import client_for_scope
from clausier.sellers.access import api_scope
from clausier.terms import selectors
from clausier.terms.api_schemas import (
    AcceptanceIn,
    AcceptanceOut,
    ClauseOut,
    LintOut,
    TermsVersionDetailOut,
    TermsVersionOut,
)
from clausier.terms.services import record_acceptance
from clausier.web.api import Day, responses, today_in_paris, token_of

router = Router(tags=["terms"])  # mounted at /terms
acceptances_router = Router(tags=["acceptances"])  # mounted at /clients

# The service names the version ``version``; the API's body calls it ``version_id``.
SERVICE_TO_BODY = {"version": "version_id"}


# --- /terms ---------------------------------------------------------------------------------


@router.get("", response=responses({200: list[TermsVersionOut]}), summary="List terms versions")
def list_terms(request):
    return selectors.versions_for_seller(seller=token_of(request).seller)


@router.get(
    "/{version_id}",
    response=responses({200: TermsVersionDetailOut}, 404),
    summary="A terms version, text and clauses",
)
def get_terms(request, version_id: int):
    return selectors.version_for_seller(seller=token_of(request).seller, version_id=version_id)


@router.get(
    "/{version_id}/clauses",
    response=responses({200: list[ClauseOut]}, 404),
    summary="Clauses of a version",
)
def list_clauses(request, version_id: int):
    version = selectors.version_for_seller(seller=token_of(request).seller, version_id=version_id)
    return list(version.clauses.all())


@router.get(
    "/{version_id}/lint",
    response=responses({200: LintOut}, 404, 422),
    summary="Legal lint: what mandatory law overrides in a version, on a date",
    description="`on` defaults to today in Europe/Paris.",
)
def lint_terms(request, version_id: int, on: Day | None = None):
    version = selectors.version_for_seller(seller=token_of(request).seller, version_id=version_id)
    on = on or today_in_paris()
    return {
        "version_id": version.pk,
        "label": version.label,
        "on": on,
        "findings": selectors.lint_version(version=version, on=on),
    }


# --- /clients/{client_id}/acceptances -------------------------------------------------------


@acceptances_router.get(
    "/{client_id}/acceptances",
    response=responses({200: list[AcceptanceOut]}, 404),
    summary="Terms accepted by a client, latest first",
)
def list_acceptances(request, client_id: int):
    client = client_for_scope(scope=api_scope(request), client_id=client_id)
    return selectors.acceptances_for_client(client=client)


@acceptances_router.post(
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
        version = selectors.version_for_seller(seller=token.seller, version_id=payload.version_id)
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
