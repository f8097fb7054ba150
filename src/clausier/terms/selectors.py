"""Reads of terms, scoped to a seller (staff) or a client (portal)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from clausier.customers.models import Client
from clausier.legal import selectors as legal_selectors
from clausier.sellers.models import Seller
from clausier.terms import domain
from clausier.terms.models import Acceptance, Clause, TermsStatus, TermsVersion


def versions_for_seller(*, seller: Seller) -> QuerySet[TermsVersion]:
    return TermsVersion.objects.filter(seller=seller)


def version_for_seller(*, seller: Seller, version_id: int) -> TermsVersion:
    return get_object_or_404(
        TermsVersion.objects.filter(seller=seller, pk=version_id)
        .select_related("copied_from")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("position", "id")))
    )


def current_version(*, seller: Seller) -> TermsVersion | None:
    """The version the seller offers now: its published one."""
    return (
        TermsVersion.objects.filter(seller=seller, status=TermsStatus.PUBLISHED)
        .order_by("-effective_date", "-id")
        .first()
    )


def default_source(*, seller: Seller) -> TermsVersion | None:
    """The version a new draft starts from unless another is chosen: the one in force (the
    published one), else the latest (by effective date)."""
    return (
        current_version(seller=seller)
        or TermsVersion.objects.filter(seller=seller).order_by("-effective_date", "-id").first()
    )


def clause_of_kind(*, version: TermsVersion, kind: str) -> Clause | None:
    """The first clause of ``kind`` in ``version`` (by position), or None."""
    return version.clauses.filter(kind=kind).order_by("position", "id").first()


def clause_by_id(*, version: TermsVersion, clause_id: str) -> Clause | None:
    """The clause ``clause_id`` of ``version`` (``hosting.restore_fee``), or None."""
    return version.clauses.filter(clause_id=clause_id).order_by("position", "id").first()


def acceptances_for_client(*, client: Client) -> QuerySet[Acceptance]:
    return client.acceptances.select_related("version", "accepted_by", "recorded_by")


def has_accepted(*, client_id: int, version_id: int) -> bool:
    """Whether the client has accepted that terms version at least once."""
    return Acceptance.objects.filter(client_id=client_id, version_id=version_id).exists()


def last_acceptance(*, client_id: int, version_id: int) -> Acceptance:
    """The client's latest acceptance of that version (the one just recorded, in the
    transaction that recorded it: the version stays locked until it commits)."""
    return Acceptance.objects.filter(client_id=client_id, version_id=version_id).latest("pk")


def version_in_force_for_client(*, client: Client) -> TermsVersion | None:
    """The terms that govern documents issued to ``client`` now: the last version it
    accepted (a newer version binds it only once accepted)."""
    # Only the version is read: every issued invoice asks, so no join of the evidence's users.
    latest = client.acceptances.select_related("version").order_by("-accepted_at", "-id").first()
    return latest.version if latest else None


def pending_version_for_client(*, client: Client) -> TermsVersion | None:
    """A published version newer than what the client accepted, to offer in the portal."""
    current = current_version(seller=client.seller)
    if current is None:
        return None
    if client.acceptances.filter(version=current).exists():
        return None
    return current


def lint_version(*, version: TermsVersion, on: date) -> list[domain.Finding]:
    clauses = [
        domain.ClauseFacts(
            clause_id=c.clause_id,
            kind=c.kind,
            article=c.article,
            excerpt=c.excerpt,
            parameters=c.parameters,
        )
        for c in version.clauses.all()
    ]
    seller = domain.SellerFacts(
        vat_regime=version.seller.vat_regime, mediator_name=version.seller.mediator_name
    )
    return domain.lint_terms(
        clauses=clauses, seller=seller, on=on, rate_table=legal_selectors.legal_rate_table()
    )
