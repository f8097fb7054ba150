"""Termination for a party's insolvency (seed 002 art. 7 al. 3): after a formal notice
(mise en demeure) sent to the administrator (or liquidator) and left unanswered more than a
month, the contract may be ended from the day after that month (C. com. L622-13 III 1°,
counted as the CPC counts). The mere opening of the proceedings never ends it (L622-13 I,
L641-11-1): the administrator's answer stops the termination."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.inputs import past_date
from clausier.contracts.models import Contract, InsolvencyNotice, Party, Procedure
from clausier.contracts.services.lifecycle import terminate
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.rules.contracts import insolvency_termination_from
from clausier.terms.schemas import ClauseKind
from clausier.terms.selectors import clause_of_kind


def _clause(contract: Contract) -> tuple[int, str]:
    """The months the formal notice must stay unanswered and the clause cited, from the
    terms' insolvency clause."""
    clause = clause_of_kind(
        version=contract.terms_version, kind=ClauseKind.CONTRACT_TERMINATION_INSOLVENCY
    )
    if clause is None:
        raise DomainError(
            _(
                "Les CGV de ce contrat (%(terms)s) ne prévoient pas de résiliation pour procédure "
                "collective."
            )
            % {"terms": contract.terms_label}
        )
    period = (clause.parameters or {}).get("formal_notice_unanswered") or {}
    months = int(period.get("n") or 0) if period.get("unit") == "mois" else 0
    if not months:
        raise DomainError(_("La clause de résiliation pour procédure collective n'a pas de délai."))
    return months, f"CGV {contract.terms_label} {clause.article}, {clause.clause_id}"


@transaction.atomic
def record_insolvency_notice(
    *,
    contract: Contract,
    insolvent_party: str,
    procedure: str,
    administrator: str,
    sent_on: date,
    tracking_number: str,
    by: Actor,
    now: datetime | None = None,
) -> InsolvencyNotice:
    """The formal notice sent on ``sent_on`` to ``administrator`` of the insolvent party:
    the first day of termination computed and frozen with its explanation."""
    today = timezone.localdate(aware_now(now))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status not in t.RUNNING:
        raise DomainError(
            _("Le %(contract)s n'est plus en cours (%(status)s).")
            % {"contract": contract, "status": contract.get_status_display()}
        )
    months, law = _clause(contract)
    if insolvent_party not in Party.values:
        raise ValidationError({"insolvent_party": _("« client » ou « seller » attendu")})
    if procedure not in Procedure.values:
        raise ValidationError({"procedure": _("procédure inconnue")})
    administrator = " ".join(str(administrator or "").split())
    if not administrator:
        raise ValidationError(
            {"administrator": _("nommez l'administrateur judiciaire ou le liquidateur")}
        )
    tracking_number = " ".join(str(tracking_number or "").split())
    if not tracking_number:
        raise ValidationError(
            {"tracking_number": _("le numéro de suivi du recommandé est obligatoire")}
        )
    sent_on = past_date(sent_on, "sent_on", today=today)
    if sent_on < contract.start_on:
        raise ValidationError(
            {"sent_on": _("la mise en demeure ne peut pas précéder le début du contrat")}
        )
    if contract.insolvency_notices.filter(answered_on__isnull=True).exists():
        raise Conflict(_("Une mise en demeure sans réponse est déjà enregistrée pour ce contrat."))
    counted = insolvency_termination_from(
        formal_notice_received_on=sent_on, calendar=domain.contract_calendar(), months=months
    )
    counted = replace(counted, law=f"{law}; {counted.law}")
    notice = InsolvencyNotice.objects.create(
        contract=contract,
        insolvent_party=insolvent_party,
        procedure=procedure,
        administrator=administrator,
        sent_on=sent_on,
        tracking_number=tracking_number,
        termination_from=counted.value,
        explanation=counted.as_dict(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.insolvency_notice_sent",
        after={
            "notice": notice.pk,
            "insolvent_party": insolvent_party,
            "procedure": procedure,
            "sent_on": sent_on.isoformat(),
            "termination_from": counted.value.isoformat(),
        },
    )
    return notice


def _locked_open(notice: InsolvencyNotice) -> InsolvencyNotice:
    notice = InsolvencyNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.answered_on is not None:
        raise Conflict(
            _(
                "L'administrateur a répondu le %(day)s : la mise en demeure ne permet plus de "
                "résilier."
            )
            % {"day": notice.answered_on.strftime("%d/%m/%Y")}
        )
    return notice


@transaction.atomic
def record_insolvency_answer(
    *,
    notice: InsolvencyNotice,
    answered_on: date,
    note: str = "",
    by: Actor,
    now: datetime | None = None,
) -> InsolvencyNotice:
    """The administrator answered on ``answered_on`` (to continue the contract): the notice
    no longer allows the termination."""
    today = timezone.localdate(aware_now(now))
    notice = _locked_open(notice)
    contract = Contract.objects.select_for_update().get(pk=notice.contract_id)
    answered_on = past_date(answered_on, "answered_on", today=today)
    if answered_on < notice.sent_on:
        raise ValidationError(
            {"answered_on": _("la réponse ne peut pas précéder la mise en demeure")}
        )
    if answered_on >= notice.termination_from:
        raise ValidationError(
            {
                "answered_on": _(
                    "trop tard : le mois de la mise en demeure a couru sans réponse, la "
                    "résiliation est possible depuis le %(day)s (C. com. L622-13 III 1°)"
                )
                % {"day": notice.termination_from.strftime("%d/%m/%Y")}
            }
        )
    notice.answered_on, notice.answer_note = answered_on, str(note or "").strip()
    notice.save(update_fields=["answered_on", "answer_note"])
    record_on(
        obj=contract,
        actor=by,
        verb="contract.insolvency_notice_answered",
        after={"notice": notice.pk, "answered_on": answered_on.isoformat()},
    )
    return notice


@transaction.atomic
def terminate_for_insolvency(
    *, notice: InsolvencyNotice, effective_on: date, by: Actor, now: datetime | None = None
) -> Contract:
    """Staff end the contract on ``effective_on``, the formal notice left unanswered: never
    before its ``termination_from``. The final sums and the fact are the termination's."""
    notice = _locked_open(notice)
    effective_on = past_date(effective_on, "effective_on", today=timezone.localdate(aware_now(now)))
    if effective_on < notice.termination_from:
        raise ValidationError(
            {
                "effective_on": _(
                    "trop tôt : la mise en demeure du %(sent)s doit rester plus d'un mois sans "
                    "réponse ; résiliation possible à partir du %(day)s"
                )
                % {
                    "sent": notice.sent_on.strftime("%d/%m/%Y"),
                    "day": notice.termination_from.strftime("%d/%m/%Y"),
                }
            }
        )
    return terminate(
        contract=notice.contract, effective_on=effective_on, reason=t.INSOLVENCY, by=by, now=now
    )
