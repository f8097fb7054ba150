"""Reads of contracts, scoped by seller or by client."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from clausier.contracts import transitions as t
from clausier.contracts.models import Contract, Nda
from clausier.sellers import confidentiality
from clausier.terms import selectors as terms_selectors


def running() -> QuerySet[Contract]:
    """Every contract still running (the daily job's)."""
    return (
        Contract.objects.filter(status__in=t.RUNNING)
        .select_related("client", "seller")
        .order_by("pk")
    )


def for_seller(*, seller, status: str = "") -> QuerySet[Contract]:
    contracts = (
        Contract.objects.filter(seller=seller)
        .select_related("client")
        .prefetch_related("renewal_letters")
    )
    if status:
        contracts = contracts.filter(status=status)
    return contracts.order_by("term_end", "id")


def visible_to(*, scope, status: str = "") -> QuerySet[Contract]:
    """The seller's contracts ``scope`` may read: a confidential contract (seed 002 art. 9)
    only for the staff named on it and the owner, never for an API token."""
    return confidentiality.visible_to(for_seller(seller=scope.seller, status=status), scope)


def contract_for_staff(*, scope, contract_id: int) -> Contract:
    """The contract as ``scope`` may read it: another seller's is a 404; a confidential one
    not naming the person a 403 saying who may grant access (404 for an API token)."""
    contract = contract_for_seller(seller=scope.seller, contract_id=contract_id)
    if not confidentiality.may_see(scope, contract):
        if scope.user is None:
            raise Http404
        clause = terms_selectors.clause_of_kind(
            version=contract.terms_version, kind="confidentiality"
        )
        raise confidentiality.refusal(seller=scope.seller, article=clause.article if clause else "")
    return contract


def renewals_coming(*, scope, until: date) -> QuerySet[Contract]:
    """Running contracts ``scope`` may read whose term ends by ``until``, the nearest first."""
    return visible_to(scope=scope).filter(status__in=t.RUNNING, term_end__lte=until)


def contract_for_seller(*, seller, contract_id: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("client", "order"), seller=seller, pk=contract_id
    )


def for_client(*, client) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(client=client)
        .select_related("seller")
        .prefetch_related("renewal_letters")
        .order_by("term_end", "id")
    )


def contract_for_client(*, client, contract_id: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("seller"), client=client, pk=contract_id
    )


def lines_of(*, contract: Contract):
    return contract.lines.order_by("position", "id")


def notices_of(*, contract: Contract):
    return contract.notices.order_by("-received_on", "-id")


def letters_of(*, contract: Contract):
    return contract.renewal_letters.order_by("-term_end", "-id")


def breaches_of(*, contract: Contract):
    return contract.breaches.order_by("-sent_on", "-id")


def open_breach_of(*, contract: Contract):
    """The breach notified and not yet remedied (one at a time), or None."""
    return contract.breaches.filter(remedied_on__isnull=True).order_by("-id").first()


def force_majeure_of(*, contract: Contract):
    return contract.force_majeure_events.order_by("-started_on", "-id")


def open_force_majeure_of(*, contract: Contract):
    """The force majeure event still lasting (one at a time), or None."""
    return contract.force_majeure_events.filter(ended_on__isnull=True).order_by("-id").first()


# --- confidentiality agreements (seed 002 art. 9) -------------------------------------------


def ndas_for_seller(*, seller, status: str = "") -> QuerySet[Nda]:
    ndas = Nda.objects.filter(seller=seller).select_related("client", "quote", "contract")
    return ndas.filter(status=status) if status else ndas


def nda_for_seller(*, seller, nda_id: int) -> Nda:
    return get_object_or_404(ndas_for_seller(seller=seller), pk=nda_id)


def ndas_for_client(*, client) -> QuerySet[Nda]:
    return Nda.objects.filter(client=client).select_related("seller")


def nda_for_client(*, client, nda_id: int) -> Nda:
    return get_object_or_404(ndas_for_client(client=client), pk=nda_id)


def confidentiality_clause(*, version):
    """The confidentiality clause of a terms version (``nda_on_request``,
    ``quotes_confidential``), or None."""
    if version is None:
        return None
    return terms_selectors.clause_of_kind(version=version, kind="confidentiality")
