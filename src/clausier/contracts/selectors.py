"""Reads of contracts, scoped by seller or by client."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.domain import ARCHIVED_LINE_KINDS
from clausier.contracts.models import (
    ArchiveRequest,
    Contract,
    Domain,
    LiabilityClaim,
    LineKind,
    Nda,
    RestoreRequest,
)
from clausier.rules.money import CENT
from clausier.sellers import confidentiality
from clausier.terms import selectors as terms_selectors
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import clause_by_id, clause_of_kind


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
        .prefetch_related("renewal_letters", "price_revisions")
    )
    if status:
        contracts = contracts.filter(status=status)
    return contracts.order_by("term_end", "id")


def visible_to(*, scope, status: str = "") -> QuerySet[Contract]:
    """The seller's contracts ``scope`` may read: a confidential contract (seed 002 art. 9)
    only for the staff named on it and the owner, never for an API token."""
    return confidentiality.visible_to(for_seller(seller=scope.seller, status=status), scope)


def confidential_hidden_from(*, scope) -> QuerySet[Contract]:
    """The seller's confidential contracts ``scope`` may not read (art. 9)."""
    return confidentiality.hidden_from(Contract.objects.filter(seller=scope.seller), scope)


def _readable(scope) -> QuerySet[Contract]:
    """The ids of the seller's contracts ``scope`` may read (a subquery for the registers
    hanging off contracts: claims, archives, domains, restores)."""
    return confidentiality.visible_to(Contract.objects.filter(seller=scope.seller), scope).values(
        "pk"
    )


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
        .prefetch_related("renewal_letters", "price_revisions")
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


def revisions_of(*, contract: Contract):
    return contract.price_revisions.order_by("-term_end", "-id")


def pending_revision_of(*, contract: Contract):
    """The revised price proposed for the current term, not yet answered, or None."""
    return (
        contract.price_revisions.filter(term_end=contract.term_end, status=t.REVISION_PROPOSED)
        .order_by("-id")
        .first()
    )


def revision_of_term(*, contract: Contract):
    """The revised price proposed for the current term, whatever its answer, or None: the
    contract will not renew silently at that term (seed 002 art. 12b)."""
    return contract.price_revisions.filter(term_end=contract.term_end).order_by("-id").first()


def revision_for_client(*, client, revision_id: int):
    from clausier.contracts.models import PriceRevision

    return get_object_or_404(
        PriceRevision.objects.select_related("contract"), contract__client=client, pk=revision_id
    )


def insolvency_notices_of(*, contract: Contract):
    return contract.insolvency_notices.order_by("-sent_on", "-id")


def open_insolvency_notice_of(*, contract: Contract):
    """The formal notice to the administrator not yet answered (one at a time), or None."""
    return contract.insolvency_notices.filter(answered_on__isnull=True).order_by("-id").first()


def has_clause(*, contract: Contract, kind: str) -> bool:
    """Whether the contract's terms version has a clause of ``kind``."""
    return contract.terms_version.clauses.filter(kind=kind).exists()


# --- liability claims and archive requests --------------------------------------------------


def claims_for_seller(*, scope, status: str = "") -> QuerySet[LiabilityClaim]:
    """The seller's claims register, the latest received first: those of the contracts
    ``scope`` may read (a confidential contract's claims stay with its named staff, art. 9)."""
    claims = LiabilityClaim.objects.filter(contract__in=_readable(scope)).select_related(
        "contract__client"
    )
    if status:
        claims = claims.filter(status=status)
    return claims.order_by("-received_on", "-id")


def claim_for_seller(*, scope, claim_id: int) -> LiabilityClaim:
    return get_object_or_404(
        LiabilityClaim.objects.select_related("contract__client"),
        contract__in=_readable(scope),
        pk=claim_id,
    )


def claims_of(*, contract: Contract):
    return contract.claims.order_by("-received_on", "-id")


def archives_to_deliver(*, scope) -> QuerySet[ArchiveRequest]:
    """The archives asked and not yet delivered, the nearest deadline first (of the
    contracts ``scope`` may read)."""
    return (
        ArchiveRequest.objects.filter(contract__in=_readable(scope), status=t.REQUESTED)
        .select_related("contract__client")
        .order_by("deadline", "id")
    )


def archive_for_seller(*, scope, request_id: int) -> ArchiveRequest:
    return get_object_or_404(
        ArchiveRequest.objects.select_related("contract"),
        contract__in=_readable(scope),
        pk=request_id,
    )


def archives_of(*, contract: Contract):
    return contract.archive_requests.order_by("-received_on", "-id")


def archive_refusal(contract: Contract) -> str:
    """Why ``contract``'s site archive may not be asked now (seed 002 art. 7), or ``""``."""
    clause = clause_of_kind(version=contract.terms_version, kind=ClauseKind.CONTRACT_END)
    if clause is None or not (clause.parameters or {}).get("site_archive_on_written_request"):
        return _("Les CGV %(terms)s ne prévoient pas la restitution du site.") % {
            "terms": contract.terms_label
        }
    kinds = {line.kind for line in contract.lines.all()}
    if not kinds & ARCHIVED_LINE_KINDS:
        return _(
            "Le %(contract)s ne comprend ni maintenance ni hébergement : pas d'archive du "
            "site à restituer (CGV art. 7)."
        ) % {"contract": contract}
    if contract.status not in t.ARCHIVE_OPEN:
        return _(
            "Le %(contract)s est %(status)s : l'archive du site se demande à la fin du contrat "
            "(résilié, arrivé à terme ou sous préavis, CGV art. 7)."
        ) % {"contract": contract, "status": contract.get_status_display()}
    return ""


def open_archive_of(*, contract: Contract) -> ArchiveRequest | None:
    return contract.archive_requests.filter(status=t.REQUESTED).order_by("-id").first()


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


def domains_held() -> QuerySet[Domain]:
    """Every domain name still on a register (the daily job's)."""
    return Domain.objects.filter(status__in=t.DOMAIN_HELD).order_by("pk")


def domains_for_seller(*, scope, status: str = "", expiring_by: date | None = None):
    """The seller's domains register, of the contracts ``scope`` may read."""
    domains = Domain.objects.filter(
        seller=scope.seller, contract__in=_readable(scope)
    ).select_related("client", "contract")
    if status:
        domains = domains.filter(status=status)
    if expiring_by is not None:
        domains = domains.filter(status__in=t.DOMAIN_HELD, expires_on__lte=expiring_by)
    return domains.order_by("expires_on", "id")


def domain_for_seller(*, scope, domain_id: int) -> Domain:
    return get_object_or_404(
        Domain.objects.select_related("client", "contract", "line"),
        seller=scope.seller,
        contract__in=_readable(scope),
        pk=domain_id,
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


def restores_for_seller(*, scope, status: str = ""):
    restores = RestoreRequest.objects.filter(contract__in=_readable(scope)).select_related(
        "contract__client"
    )
    if status:
        restores = restores.filter(status=status)
    return restores.order_by("-requested_at", "-id")


def restore_for_seller(*, scope, restore_id: int) -> RestoreRequest:
    return get_object_or_404(
        RestoreRequest.objects.select_related("contract__client"),
        contract__in=_readable(scope),
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
