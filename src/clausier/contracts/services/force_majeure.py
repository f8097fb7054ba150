"""Force majeure (seed 002 art. 8): an event notified within 5 jours ouvrés pauses the
obligations and the SLA clocks (:class:`ForceMajeureStarted` / :class:`ForceMajeureEnded`,
support pauses its tickets' clocks); lasting beyond 15 jours ouvrés from the notification's
receipt, either party may terminate without damages, effective on receipt of its registered
letter."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import domain
from clausier.contracts import transitions as t
from clausier.contracts.events import ForceMajeureEnded, ForceMajeureStarted
from clausier.contracts.inputs import past_date
from clausier.contracts.models import Contract, ForceMajeure, Party
from clausier.contracts.services.lifecycle import terminate
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.rules.contracts import force_majeure_notice_deadline, force_majeure_termination_from


@transaction.atomic
def record_force_majeure(
    *,
    contract: Contract,
    declared_by: str,
    description: str,
    started_on: date,
    notice_received_on: date,
    by: Actor,
    now: datetime | None = None,
) -> ForceMajeure:
    """A force majeure event that began on ``started_on``, notified (received) on
    ``notice_received_on``: judged against the 5 jours ouvrés, its termination date frozen,
    and :class:`ForceMajeureStarted` published."""
    at = aware_now(now)
    today = timezone.localdate(at)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status not in t.RUNNING:
        raise DomainError(
            _("Le %(contract)s n'est plus en cours (%(status)s).")
            % {"contract": contract, "status": contract.get_status_display()}
        )
    if declared_by not in Party.values:
        raise ValidationError({"declared_by": _("« client » ou « seller » attendu")})
    description = str(description or "").strip()
    if not description:
        raise ValidationError({"description": _("décrivez l'événement")})
    started_on = past_date(started_on, "started_on", today=today)
    notice_received_on = past_date(notice_received_on, "notice_received_on", today=today)
    if notice_received_on < started_on:
        raise ValidationError(
            {"notice_received_on": _("la notification ne peut pas précéder l'événement")}
        )
    if contract.force_majeure_events.filter(ended_on__isnull=True).exists():
        raise Conflict(_("Un cas de force majeure est déjà en cours pour ce contrat."))
    calendar = domain.contract_calendar()
    notice = force_majeure_notice_deadline(event_on=started_on, calendar=calendar)
    termination = force_majeure_termination_from(
        notice_received_on=notice_received_on, calendar=calendar
    )
    event = ForceMajeure.objects.create(
        contract=contract,
        declared_by=declared_by,
        description=description,
        started_on=started_on,
        notice_received_on=notice_received_on,
        notice_deadline=notice.value,
        notified_in_time=notice_received_on <= notice.value,
        termination_from=termination.value,
        explanation={"notice": notice.as_dict(), "termination": termination.as_dict()},
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.force_majeure_started",
        after={
            "event": event.pk,
            "started_on": started_on.isoformat(),
            "notice_received_on": notice_received_on.isoformat(),
            "notified_in_time": event.notified_in_time,
            "termination_from": event.termination_from.isoformat(),
        },
    )
    publish(
        ForceMajeureStarted(
            contract_id=contract.pk,
            event_id=event.pk,
            seller_id=contract.seller_id,
            client_id=contract.client_id,
            started_on=started_on,
            at=at,
            by=by,
        )
    )
    return event


def _locked_open(event: ForceMajeure) -> ForceMajeure:
    event = ForceMajeure.objects.select_for_update().get(pk=event.pk)
    if event.ended_on is not None:
        raise Conflict(_("Ce cas de force majeure a déjà pris fin."))
    return event


@transaction.atomic
def end_force_majeure(
    *, event: ForceMajeure, ended_on: date, by: Actor, now: datetime | None = None
) -> ForceMajeure:
    """The event ended on ``ended_on``: the obligations resume (:class:`ForceMajeureEnded`)."""
    at = aware_now(now)
    event = _locked_open(event)
    contract = Contract.objects.select_for_update().get(pk=event.contract_id)
    ended_on = past_date(ended_on, "ended_on", today=timezone.localdate(at))
    if ended_on < event.started_on:
        raise ValidationError({"ended_on": _("la fin ne peut pas précéder le début")})
    event.ended_on = ended_on
    event.save(update_fields=["ended_on"])
    record_on(
        obj=contract,
        actor=by,
        verb="contract.force_majeure_ended",
        after={"event": event.pk, "ended_on": ended_on.isoformat()},
    )
    publish(
        ForceMajeureEnded(
            contract_id=contract.pk,
            event_id=event.pk,
            seller_id=contract.seller_id,
            client_id=contract.client_id,
            ended_on=ended_on,
            at=at,
            by=by,
        )
    )
    return event


@transaction.atomic
def terminate_for_force_majeure(
    *, event: ForceMajeure, letter_received_on: date, by: Actor, now: datetime | None = None
) -> Contract:
    """Either party ends the contract, the event still lasting beyond 15 jours ouvrés from
    its notification: effective on ``letter_received_on`` (the registered letter's receipt),
    without damages. The event ends with the contract."""
    at = aware_now(now)
    event = _locked_open(event)
    received = past_date(letter_received_on, "letter_received_on", today=timezone.localdate(at))
    if received < event.termination_from:
        raise ValidationError(
            {
                "letter_received_on": _(
                    "trop tôt : la force majeure doit durer au-delà du délai des CGV après "
                    "sa notification ; résiliation possible à partir du %(day)s"
                )
                % {"day": event.termination_from.strftime("%d/%m/%Y")}
            }
        )
    contract = terminate(
        contract=event.contract, effective_on=received, reason=t.FORCE_MAJEURE, by=by, now=now
    )
    event.ended_on = received
    event.save(update_fields=["ended_on"])
    publish(
        ForceMajeureEnded(
            contract_id=contract.pk,
            event_id=event.pk,
            seller_id=contract.seller_id,
            client_id=contract.client_id,
            ended_on=received,
            at=at,
            by=by,
        )
    )
    return contract
