"""The token's seller's terms versions, read-only: the API never writes terms."""

from __future__ import annotations

from datetime import date

from ninja import Router

from clausier.api.schemas import ClauseOut, LintOut, TermsVersionDetailOut, TermsVersionOut
from clausier.terms import selectors
from clausier.web.api import responses, today_in_paris, token_of

router = Router(tags=["terms"])


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
def lint_terms(request, version_id: int, on: date | None = None):
    version = selectors.version_for_seller(seller=token_of(request).seller, version_id=version_id)
    on = on or today_in_paris()
    return {
        "version_id": version.pk,
        "label": version.label,
        "on": on,
        "findings": selectors.lint_version(version=version, on=on),
    }
