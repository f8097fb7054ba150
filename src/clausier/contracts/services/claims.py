"""Liability claims (seed 002 art. 10): a claim received by registered letter is recorded on
its contract with the exclusions staff tick (clause ``liability.exclusions``); its cap is
the clause's ratio of the HT the client actually paid for the service by the claim date.
Payments (a later stage) measures that amount: :class:`LiabilityClaimReceived` is answered by
``ServicePaidMeasured``, which :func:`record_claim_cap` stores with its explanation.
"Recalculer" (:func:`remeasure_claim`) asks again, after a late-recorded payment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import transitions as t
from clausier.contracts.events import LiabilityClaimReceived
from clausier.contracts.inputs import past_date
from clausier.contracts.models import ClaimExclusion, Contract, LiabilityClaim
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.rules.contracts import liability_cap
from clausier.rules.money import CENT
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import clause_of_kind

CAP_CLAUSE = "liability.cap"
EXCLUSIONS_CLAUSE = "liability.exclusions"


def _amount(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("montant attendu")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("montant positif ou nul attendu")})
    return amount.quantize(CENT)


def _exclusions(values) -> list[str]:
    chosen = list(dict.fromkeys(values or []))
    unknown = [x for x in chosen if x not in ClaimExclusion.values]
    if unknown:
        raise ValidationError({"exclusions": _("exclusion inconnue : %(x)s") % {"x": unknown[0]}})
    return chosen


def _cap_clause(contract: Contract):
    clause = clause_of_kind(version=contract.terms_version, kind=ClauseKind.LIABILITY_CAP)
    if clause is None:
        raise DomainError(
            _("Les CGV %(terms)s du %(contract)s ne plafonnent pas la responsabilité.")
            % {"terms": contract.terms_label, "contract": contract}
        )
    return clause


def _ask_measure(claim: LiabilityClaim, contract: Contract, *, by: Actor, at: datetime) -> None:
    publish(
        LiabilityClaimReceived(
            claim_id=claim.pk,
            contract_id=contract.pk,
            seller_id=contract.seller_id,
            client_id=contract.client_id,
            order_id=contract.order_id,
            reference=contract.reference,
            claim_date=claim.received_on,
            at=at,
            by=by,
        )
    )


@transaction.atomic
def record_claim(
    *,
    contract: Contract,
    received_on: date,
    tracking_number: str,
    description: str,
    sent_on: date | None = None,
    amount_claimed: Any = None,
    exclusions=(),
    by: Actor,
    now: datetime | None = None,
) -> LiabilityClaim:
    """A claim received by registered letter on ``received_on`` (the claim date): recorded,
    audited, and its cap measured at once (payments answers in the same transaction)."""
    at = aware_now(now)
    today = timezone.localdate(at)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _cap_clause(contract)
    description = str(description or "").strip()
    if not description:
        raise ValidationError({"description": _("décrivez la réclamation")})
    tracking_number = " ".join(str(tracking_number or "").split())
    if not tracking_number:
        raise ValidationError(
            {"tracking_number": _("le numéro de suivi du recommandé est obligatoire")}
        )
    received_on = past_date(received_on, "received_on", today=today)
    if sent_on is not None:
        sent_on = past_date(sent_on, "sent_on", today=today)
        if sent_on > received_on:
            raise ValidationError({"sent_on": _("l'envoi ne peut pas suivre la réception")})
    if received_on < contract.start_on:
        raise ValidationError(
            {"received_on": _("la réclamation ne peut pas précéder le début du contrat")}
        )
    claim = LiabilityClaim.objects.create(
        contract=contract,
        received_on=received_on,
        sent_on=sent_on,
        tracking_number=tracking_number,
        description=description,
        amount_claimed=_amount(amount_claimed, "amount_claimed"),
        exclusions=_exclusions(exclusions),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.claim_received",
        after={
            "claim": claim.pk,
            "received_on": received_on.isoformat(),
            "amount_claimed": None if claim.amount_claimed is None else str(claim.amount_claimed),
            "exclusions": claim.exclusions,
        },
    )
    _ask_measure(claim, contract, by=by, at=at)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def record_claim_cap(
    *,
    claim_id: int,
    seller_id: int,
    paid_ht: Decimal,
    parts: list[dict[str, Any]],
    by: Actor,
    now: datetime | None = None,
) -> LiabilityClaim:
    """The HT paid for the service by the claim date, as payments measured it (``parts``:
    each payment counted, its invoice, date, TTC and HT): the cap computed by the clause's
    ratio of the contract's terms, frozen with its explanation, audited."""
    claim = LiabilityClaim.objects.select_for_update().get(
        pk=claim_id, contract__seller_id=seller_id
    )
    contract = Contract.objects.get(pk=claim.contract_id)
    clause = _cap_clause(contract)
    ratio = Fraction(str((clause.parameters or {}).get("ratio", "0")))
    cap = liability_cap(paid_ht=paid_ht, ratio=ratio, claim_date=claim.received_on).citing(
        clause=clause.clause_id, terms=contract.terms_label
    )
    before = None if claim.cap_ht is None else str(claim.cap_ht)
    claim.paid_ht, claim.cap_ht = cap.inputs["paid_ht"], cap.value
    claim.explanation = {"cap": cap.as_dict(), "article": clause.article, "parts": parts}
    claim.measured_at = aware_now(now)
    claim.save(update_fields=["paid_ht", "cap_ht", "explanation", "measured_at"])
    record_on(
        obj=contract,
        actor=by,
        verb="contract.claim_capped",
        before={"cap_ht": before},
        after={"claim": claim.pk, "paid_ht": str(claim.paid_ht), "cap_ht": str(claim.cap_ht)},
    )
    return claim


@transaction.atomic
def remeasure_claim(
    *, claim: LiabilityClaim, by: Actor, now: datetime | None = None
) -> LiabilityClaim:
    """« Recalculer » : the HT paid by the claim date measured again (a payment recorded
    late), while the claim is open."""
    at = aware_now(now)
    claim = LiabilityClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in t.CLAIM_OPEN:
        raise Conflict(_("Cette réclamation est close : son plafond ne change plus."))
    contract = Contract.objects.get(pk=claim.contract_id)
    record_on(
        obj=contract,
        actor=by,
        verb="contract.claim_remeasured",
        after={"claim": claim.pk, "claim_date": claim.received_on.isoformat()},
    )
    _ask_measure(claim, contract, by=by, at=at)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def decide_claim(
    *,
    claim: LiabilityClaim,
    status: str,
    decided_amount: Any = None,
    exclusions=None,
    by: Actor,
) -> LiabilityClaim:
    """The claim moved along its state table (``contracts.transitions.CLAIM_TRANSITIONS``);
    accepted, its amount is decided, never above the cap; the exclusions ticked may be
    updated meanwhile."""
    claim = LiabilityClaim.objects.select_for_update().get(pk=claim.pk)
    t.check_claim(current=claim.status, target=status)
    amount = _amount(decided_amount, "decided_amount")
    if status == t.ACCEPTED:
        if amount is None:
            raise ValidationError({"decided_amount": _("indiquez le montant retenu")})
        if claim.cap_ht is None:
            raise Conflict(_("Le plafond n'est pas encore calculé : « Recalculer » d'abord."))
        if amount > claim.cap_ht:
            raise ValidationError(
                {
                    "decided_amount": _(
                        "le montant retenu dépasse le plafond de responsabilité (%(cap)s €, "
                        "CGV art. 10)"
                    )
                    % {"cap": claim.cap_ht}
                }
            )
        claim.decided_amount = amount
    before = {"status": claim.status}
    claim.status = status
    if exclusions is not None:
        claim.exclusions = _exclusions(exclusions)
    claim.save(update_fields=["status", "decided_amount", "exclusions"])
    record_on(
        obj=Contract.objects.get(pk=claim.contract_id),
        actor=by,
        verb="contract.claim_decided",
        before=before,
        after={
            "claim": claim.pk,
            "status": status,
            "decided_amount": None if claim.decided_amount is None else str(claim.decided_amount),
        },
    )
    return claim
