"""Termination for breach (seed 002 art. 7): a registered letter naming the breach ends the
contract 10 jours ouvrés after it was sent (:func:`clausier.rules.contracts.breach_end`)
unless staff record the remedy by then, or at once when no remedy is possible. The daily job
(:func:`clausier.contracts.services.lifecycle.advance`) ends a contract whose breach was not
remedied in time, effective on the deadline (its last day served)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.inputs import past_date
from clausier.contracts.models import Breach, Contract, Party
from clausier.contracts.services.lifecycle import terminate
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.rules.contracts import breach_end


def _running(contract: Contract) -> None:
    if contract.status not in t.RUNNING:
        raise DomainError(
            _("Le %(contract)s n'est plus en cours (%(status)s).")
            % {"contract": contract, "status": contract.get_status_display()}
        )


@transaction.atomic
def record_breach(
    *,
    contract: Contract,
    given_by: str,
    description: str,
    sent_on: date,
    tracking_number: str,
    remedy_possible: bool = True,
    by: Actor,
    now: datetime | None = None,
) -> Breach:
    """The registered letter naming a breach of ``contract``, sent on ``sent_on``: the
    contract ends on the 10th jour ouvré after it unless remedied by then, or on ``sent_on``
    itself when ``remedy_possible`` is false."""
    today = timezone.localdate(aware_now(now))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _running(contract)
    if given_by not in Party.values:
        raise ValidationError({"given_by": _("« client » ou « seller » attendu")})
    description = str(description or "").strip()
    if not description:
        raise ValidationError({"description": _("la lettre doit nommer le manquement")})
    tracking_number = " ".join(str(tracking_number or "").split())
    if not tracking_number:
        raise ValidationError(
            {"tracking_number": _("le numéro de suivi du recommandé est obligatoire")}
        )
    sent_on = past_date(sent_on, "sent_on", today=today)
    if sent_on < contract.start_on:
        raise ValidationError({"sent_on": _("la lettre ne peut pas précéder le début du contrat")})
    if contract.breaches.filter(remedied_on__isnull=True).exists():
        raise Conflict(_("Un manquement non réparé est déjà notifié pour ce contrat."))
    counted = breach_end(sent_on=sent_on, calendar=domain.contract_calendar())
    breach = Breach.objects.create(
        contract=contract,
        given_by=given_by,
        description=description,
        sent_on=sent_on,
        tracking_number=tracking_number,
        remedy_possible=bool(remedy_possible),
        ends_on=counted.value if remedy_possible else sent_on,
        explanation=counted.as_dict() if remedy_possible else {},
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.breach_notified",
        after={
            "breach": breach.pk,
            "given_by": given_by,
            "sent_on": sent_on.isoformat(),
            "ends_on": breach.ends_on.isoformat(),
            "remedy_possible": breach.remedy_possible,
        },
    )
    if not remedy_possible:
        terminate(contract=contract, effective_on=sent_on, reason=t.BREACH, by=by, now=now)
    return breach


@transaction.atomic
def record_remedy(
    *,
    breach: Breach,
    remedied_on: date,
    note: str = "",
    by: Actor,
    now: datetime | None = None,
) -> Breach:
    """The breach remedied on ``remedied_on``: no later than its deadline, the contract goes
    on; from the next day it has ended and a remedy no longer keeps it."""
    today = timezone.localdate(aware_now(now))
    breach = Breach.objects.select_for_update().select_related("contract").get(pk=breach.pk)
    contract = Contract.objects.select_for_update().get(pk=breach.contract_id)
    if breach.remedied_on is not None:
        raise Conflict(_("Ce manquement est déjà réparé."))
    if not breach.remedy_possible:
        raise DomainError(_("Ce manquement était irrémédiable : le contrat a pris fin."))
    remedied_on = past_date(remedied_on, "remedied_on", today=today)
    if remedied_on < breach.sent_on:
        raise ValidationError(
            {"remedied_on": _("le remède ne peut pas précéder la lettre de manquement")}
        )
    if remedied_on > breach.ends_on:
        raise ValidationError(
            {
                "remedied_on": _(
                    "trop tard : le délai de remède finissait le %(day)s, le contrat a pris fin"
                )
                % {"day": breach.ends_on.strftime("%d/%m/%Y")}
            }
        )
    _running(contract)
    breach.remedied_on = remedied_on
    breach.remedy_note = str(note or "").strip()
    breach.save(update_fields=["remedied_on", "remedy_note"])
    record_on(
        obj=contract,
        actor=by,
        verb="contract.breach_remedied",
        after={"breach": breach.pk, "remedied_on": remedied_on.isoformat()},
    )
    return breach
