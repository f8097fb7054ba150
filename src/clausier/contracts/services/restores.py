"""Restores of a client's site from a backup (seed 002 art. 11, clause
``hosting.restore_fee``): asked by the client from the portal or recorded by staff from a
written request, open only to a contract with a running backup option; done, the clause's
flat fee is billed by invoicing (:class:`~clausier.contracts.events.RestoreBillable`);
refused, with its reason."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import selectors
from clausier.contracts import transitions as t
from clausier.contracts.events import RestoreBillable
from clausier.contracts.inputs import past_date
from clausier.contracts.models import Contract, RestoreRequest
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import DomainError
from clausier.kernel.events import publish


@transaction.atomic
def request_restore(
    *,
    contract: Contract,
    backup_on: date,
    note: str = "",
    from_portal: bool,
    by: Actor,
    now: datetime | None = None,
) -> RestoreRequest:
    """A restore of ``contract``'s site from the backup of ``backup_on``, at the clause's
    flat fee (frozen now); refused without a running backup option (art. 11)."""
    at = aware_now(now)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not selectors.has_backup_option(contract=contract):
        raise DomainError(
            _(
                "Restauration impossible : le %(contract)s n'a pas d'option de sauvegarde "
                "récurrente en cours ; le forfait de restauration (CGV %(terms)s art. 11) ne "
                "s'applique qu'à cette option."
            )
            % {"contract": contract, "terms": contract.terms_label}
        )
    backup_on = past_date(backup_on, "backup_on", today=timezone.localdate(at))
    fee = selectors.restore_fee(contract=contract)
    if fee is None:
        raise DomainError(
            _("Les CGV %(terms)s du contrat ne fixent pas le prix d'une restauration.")
            % {"terms": contract.terms_label}
        )
    amount, label, clause_id = fee
    request = RestoreRequest.objects.create(
        contract=contract,
        requested_at=at,
        from_portal=bool(from_portal),
        backup_on=backup_on,
        note=str(note or "").strip()[:2000],
        amount_ht=amount,
        fee_label=label[:200],
        clause_id=clause_id,
        terms_label=contract.terms_label,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.restore_requested",
        after={
            "restore": request.pk,
            "backup_on": backup_on.isoformat(),
            "amount_ht": str(amount),
            "clause": clause_id,
            "portal": request.from_portal,
        },
    )
    return request


def _locked(request: RestoreRequest) -> RestoreRequest:
    return (
        RestoreRequest.objects.select_for_update(of=("self",))
        .select_related("contract")
        .get(pk=request.pk)
    )


@transaction.atomic
def finish_restore(
    *, request: RestoreRequest, by: Actor, now: datetime | None = None
) -> RestoreRequest:
    """The restore done: its flat fee billed (``RestoreBillable``), at the amount frozen
    when it was asked."""
    at = aware_now(now)
    request = _locked(request)
    t.check_restore(label=str(request), current=request.status, target=t.DONE)
    request.status = t.DONE
    request.done_at = at
    request.closed_by = by if getattr(by, "is_authenticated", False) else None
    request.save(update_fields=["status", "done_at", "closed_by"])
    contract = request.contract
    record_on(
        obj=contract,
        actor=by,
        verb="contract.restore_done",
        after={"restore": request.pk, "amount_ht": str(request.amount_ht)},
    )
    publish(
        RestoreBillable(
            request_id=request.pk,
            contract_reference=contract.reference,
            seller_id=contract.seller_id,
            client_id=contract.client_id,
            terms_version_id=contract.terms_version_id,
            backup_on=request.backup_on,
            done_on=timezone.localdate(at),
            amount_ht=request.amount_ht,
            label=request.fee_label,
            clause_id=request.clause_id,
            terms_label=request.terms_label,
            at=at,
            by=by,
        )
    )
    return request


@transaction.atomic
def refuse_restore(
    *, request: RestoreRequest, reason: str, by: Actor, now: datetime | None = None
) -> RestoreRequest:
    """The restore refused for ``reason`` (no backup of that day...): nothing billed."""
    request = _locked(request)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("le motif du refus est obligatoire")})
    t.check_restore(label=str(request), current=request.status, target=t.REFUSED)
    request.status = t.REFUSED
    request.refusal = reason[:2000]
    request.closed_by = by if getattr(by, "is_authenticated", False) else None
    request.save(update_fields=["status", "refusal", "closed_by"])
    record_on(
        obj=request.contract,
        actor=by,
        verb="contract.restore_refused",
        after={"restore": request.pk},
    )
    return request
