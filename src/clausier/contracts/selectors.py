"""Reads of contracts, scoped by seller or by client."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.models import Contract, Domain, LineKind, RestoreRequest
from clausier.rules.money import CENT
from clausier.terms.selectors import clause_by_id


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


def renewals_coming(*, seller, until: date) -> QuerySet[Contract]:
    """Running contracts whose term ends by ``until``, the nearest first."""
    return for_seller(seller=seller).filter(status__in=t.RUNNING, term_end__lte=until)


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


def domains_held() -> QuerySet[Domain]:
    """Every domain name still on a register (the daily job's)."""
    return Domain.objects.filter(status__in=t.DOMAIN_HELD).order_by("pk")


def domains_for_seller(*, seller, status: str = "", expiring_by: date | None = None):
    domains = Domain.objects.filter(seller=seller).select_related("client", "contract")
    if status:
        domains = domains.filter(status=status)
    if expiring_by is not None:
        domains = domains.filter(status__in=t.DOMAIN_HELD, expires_on__lte=expiring_by)
    return domains.order_by("expires_on", "id")


def domain_for_seller(*, seller, domain_id: int) -> Domain:
    return get_object_or_404(
        Domain.objects.select_related("client", "contract", "line"), seller=seller, pk=domain_id
    )


def domains_for_client(*, client):
    return (
        Domain.objects.filter(client=client).select_related("contract").order_by("expires_on", "id")
    )


def domains_of(*, contract: Contract):
    return contract.domains.order_by("expires_on", "id")


def renewals_of(*, domain: Domain):
    return domain.renewals.order_by("-expires_on", "-id")


def restores_of(*, contract: Contract):
    return contract.restores.order_by("-requested_at", "-id")


def restores_for_seller(*, seller, status: str = ""):
    restores = RestoreRequest.objects.filter(contract__seller=seller).select_related(
        "contract__client"
    )
    if status:
        restores = restores.filter(status=status)
    return restores.order_by("-requested_at", "-id")


def restore_for_seller(*, seller, restore_id: int) -> RestoreRequest:
    return get_object_or_404(
        RestoreRequest.objects.select_related("contract__client"),
        contract__seller=seller,
        pk=restore_id,
    )


def has_backup_option(*, contract: Contract) -> bool:
    """Whether ``contract`` runs with the recurring backup option (a restore may be asked)."""
    return contract.status in t.RUNNING and contract.lines.filter(kind=LineKind.BACKUP).exists()


def restore_fee(*, contract: Contract) -> tuple[Decimal, str, str] | None:
    """The flat fee of a restore under ``contract``'s terms (seed 002 art. 11): amount HT,
    label and clause id, read from the clause ``hosting.restore_fee``; None when the terms
    set none."""
    clause = clause_by_id(version=contract.terms_version, clause_id=domain.RESTORE_FEE_CLAUSE)
    params = (clause.parameters or {}) if clause is not None else {}
    try:
        amount = Decimal(str(params["amount"])).quantize(CENT, rounding=ROUND_HALF_UP)
    except (KeyError, InvalidOperation):
        return None
    return amount, str(params.get("label") or clause.title), clause.clause_id


def renewal_days() -> int:
    """How many days before its expiry a domain is renewed: the seller's practice (the
    clause sets none), ``CLAUSIER_DOMAIN_RENEWAL_DAYS`` or its default."""
    return int(getattr(settings, "CLAUSIER_DOMAIN_RENEWAL_DAYS", domain.DOMAIN_RENEWAL_DAYS))
