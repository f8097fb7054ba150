"""Price revision at term (seed 002 art. 12b): staff propose a higher price for the
infrastructure's growth (traffic, size of the site) before the current term's end; the tacit
renewal of that term is then void. The client accepts (the contract renews at term with the
new amounts, a new version of the contract) or refuses (the contract ends at term, obligations
running to it, prepaid services not yet performed refunded pro rata temporis); unanswered at
term, it ends too. The term itself is handled by the daily job
(:func:`clausier.contracts.services.lifecycle.advance`)."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.delivery import (
    acknowledge_revision_after_commit,
    send_revision_after_commit,
)
from clausier.contracts.models import (
    AnswerChannel,
    Contract,
    PriceRevision,
    RevisionReason,
)
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.rules.contracts import revised_price
from clausier.rules.errors import RuleError
from clausier.rules.money import CENT
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import clause_of_kind


def _revision_clause_law(contract: Contract) -> str | None:
    """The citation of the price revision clause of ``contract``'s terms ("CGV v3.0 art.
    12b, maintenance.price_revision"), None when its terms have none."""
    clause = clause_of_kind(
        version=contract.terms_version, kind=ClauseKind.MAINTENANCE_PRICE_REVISION
    )
    if clause is None:
        return None
    return f"CGV {contract.terms_label} {clause.article}, {clause.clause_id}"


def _new_amounts(contract: Contract, amounts: dict[Any, Any]) -> list[tuple[Any, Decimal]]:
    """Each line of ``contract`` with its proposed amount (unchanged when not given)."""
    wanted = {str(k): v for k, v in (amounts or {}).items()}
    lines = list(contract.lines.order_by("position", "id"))
    known = {str(line.pk) for line in lines}
    if unknown := sorted(set(wanted) - known):
        raise ValidationError(
            {"amounts": _("ligne inconnue du contrat : %(lines)s") % {"lines": ", ".join(unknown)}}
        )
    result = []
    for line in lines:
        raw = wanted.get(str(line.pk), line.amount_ht)
        try:
            amount = Decimal(str(raw).replace(",", ".").strip())
        except (ArithmeticError, ValueError):
            raise ValidationError({"amounts": _("montant attendu")}) from None
        if not amount.is_finite():
            raise ValidationError({"amounts": _("montant attendu")})
        result.append((line, amount))
    return result


def _last_day_to_propose(contract: Contract):
    """A revision voids the tacit renewal, and a refusal or no answer ends the contract at the
    term: the proposal reaches the client no later than the contract's notice deadline (art.
    7's notice, counted by :func:`clausier.rules.contracts.notice_deadline`), so that the
    client keeps the time art. 7 gives before a term that will not renew."""
    if not contract.notice_months:
        return contract.term_end
    return domain.deadline_of(
        term_end=contract.term_end,
        months=contract.notice_months,
        calendar=domain.contract_calendar(),
    ).value


def _check_can_propose(contract: Contract, *, today) -> str:
    law = _revision_clause_law(contract)
    if law is None:
        raise DomainError(
            _("Les CGV de ce contrat (%(terms)s) ne prévoient pas de révision du tarif à échéance.")
            % {"terms": contract.terms_label}
        )
    if contract.status not in t.NOTICE_OPEN:
        raise DomainError(
            _("Le %(contract)s ne sera pas reconduit (%(status)s) : pas de révision du tarif.")
            % {"contract": contract, "status": contract.get_status_display()}
        )
    last_day = _last_day_to_propose(contract)
    if today > last_day:
        raise ValidationError(
            {
                "proposed_on": _(
                    "trop tard : une révision du tarif à l'échéance du %(term)s met fin à la "
                    "tacite reconduction ; elle se propose au plus tard le %(day)s, dans le "
                    "délai de préavis du contrat (art. 7 et 12b)"
                )
                % {
                    "term": contract.term_end.strftime("%d/%m/%Y"),
                    "day": last_day.strftime("%d/%m/%Y"),
                }
            }
        )
    if contract.price_revisions.filter(term_end=contract.term_end).exists():
        raise Conflict(
            _("Une révision du tarif est déjà proposée pour l'échéance du %(day)s.")
            % {"day": contract.term_end.strftime("%d/%m/%Y")}
        )
    return law


@transaction.atomic
def propose_price_revision(
    *,
    contract: Contract,
    amounts: dict[Any, Any],
    reason: str,
    reason_note: str = "",
    by: Actor,
    now: datetime | None = None,
) -> PriceRevision:
    """A higher price for ``contract``'s lines (``amounts``: line id -> new amount HT per
    period) proposed today for the current term's end: the tacit renewal of that term is
    void; the client's contacts are e-mailed the old and new prices and the portal link."""
    today = timezone.localdate(aware_now(now))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    law = _check_can_propose(contract, today=today)
    if reason not in RevisionReason.values:
        raise ValidationError({"reason": _("motif inconnu (fréquentation, taille ou autre)")})
    proposed = _new_amounts(contract, amounts)
    try:
        counted = revised_price(
            lines=tuple((line.description, line.amount_ht, amount) for line, amount in proposed),
            law=law,
        )
    except RuleError as exc:
        raise ValidationError({"amounts": exc.described()}) from None
    current_total, new_total = counted.value
    revision = PriceRevision.objects.create(
        contract=contract,
        term_end=contract.term_end,
        reason=reason,
        reason_note=str(reason_note or "").strip(),
        lines=[
            {
                "line": line.pk,
                "description": line.description,
                "current": str(line.amount_ht),
                "new": str(amount.quantize(CENT, rounding=ROUND_HALF_UP)),
            }
            for line, amount in proposed
        ],
        current_total_ht=current_total,
        new_total_ht=new_total,
        proposed_on=today,
        version_before=contract.version,
        explanation=counted.as_dict(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.price_revision_proposed",
        after={
            "revision": revision.pk,
            "term_end": contract.term_end.isoformat(),
            "current_total_ht": str(current_total),
            "new_total_ht": str(new_total),
            "reason": reason,
        },
    )
    send_revision_after_commit(revision=revision)
    return revision


@transaction.atomic
def answer_price_revision(
    *,
    revision: PriceRevision,
    accept: bool,
    channel: str = AnswerChannel.PORTAL,
    by: Actor,
    now: datetime | None = None,
) -> PriceRevision:
    """The client's answer, by the term's end: accepted, the contract renews at term with the
    new amounts; refused, it ends at term (its obligations run to it). From the portal, or a
    written answer staff record."""
    today = timezone.localdate(aware_now(now))
    # The contract first, then its revision: the daily job's order (no deadlock at the term).
    contract = Contract.objects.select_for_update().get(pk=revision.contract_id)
    revision = PriceRevision.objects.select_for_update().get(pk=revision.pk)
    if channel not in AnswerChannel.values:
        raise ValidationError({"channel": _("« portal » ou « written » attendu")})
    if not revision.is_open:
        raise Conflict(
            _("Cette révision du tarif a déjà reçu sa réponse (%(status)s).")
            % {"status": revision.get_status_display()}
        )
    if today > revision.term_end or contract.status not in t.RUNNING:
        raise DomainError(
            _("L'échéance du %(day)s est passée : la proposition n'est plus ouverte.")
            % {"day": revision.term_end.strftime("%d/%m/%Y")}
        )
    target = t.REVISION_ACCEPTED if accept else t.REVISION_REFUSED
    t.check_revision(label=str(revision), current=revision.status, target=target)
    revision.status, revision.decided_on, revision.decided_via = target, today, channel
    revision.decided_by = by if getattr(by, "is_authenticated", False) else None
    revision.save(update_fields=["status", "decided_on", "decided_via", "decided_by"])
    record_on(
        obj=contract,
        actor=by,
        verb="contract.price_revision_accepted" if accept else "contract.price_revision_refused",
        after={
            "revision": revision.pk,
            "status": target,
            "channel": channel,
            "term_end": revision.term_end.isoformat(),
        },
    )
    acknowledge_revision_after_commit(revision=revision)
    return revision
