"""Notices not to renew and the consumer's renewal information.

A notice is decided when recorded (:func:`clausier.contracts.domain.decide_notice`) and
frozen with its deadline's explanation: staff record a registered letter with its evidence
(tracking number, sent and received dates); a client gives notice online from the portal
(received that day; for a consumer the three-click termination of C. conso. L215-1-1),
acknowledged by e-mail after the commit. The renewal information (C. conso. L215-1) is
recorded once per term by the daily job that sends it."""

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
from clausier.contracts.delivery import acknowledge_after_commit, send_renewal_letter_after_commit
from clausier.contracts.models import Contract, Notice, NoticeChannel, Party, RenewalLetter
from clausier.contracts.services.lifecycle import advance
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.inputs import check_date_window


def _a_date(value, field: str, *, today: date) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError({field: _("date attendue (AAAA-MM-JJ)")})
    if value > today:
        raise ValidationError({field: _("cette date ne peut pas être dans le futur")})
    check_date_window(value, field)
    return value


def _check_open(contract: Contract) -> None:
    if contract.status == t.NOTICE_GIVEN:
        raise Conflict(
            _("Un préavis a déjà été reçu pour le %(contract)s.") % {"contract": contract}
        )
    if contract.status not in t.NOTICE_OPEN:
        raise DomainError(
            _("Le %(contract)s n'est plus en cours (%(status)s).")
            % {"contract": contract, "status": contract.get_status_display()}
        )


@transaction.atomic
def record_notice(
    *,
    contract: Contract,
    given_by: str,
    channel: str,
    received_on: date,
    sent_on: date | None = None,
    tracking_number: str = "",
    by: Actor,
    now: datetime | None = None,
) -> Notice:
    """A notice not to renew ``contract`` received on ``received_on``, decided and frozen;
    the contract is then ``notice_given`` until its effective date (the daily job ends it).
    A registered letter needs its tracking number and the day it was sent."""
    today = timezone.localdate(aware_now(now))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_open(contract)
    if given_by not in Party.values:
        raise ValidationError({"given_by": _("« client » ou « seller » attendu")})
    if channel not in NoticeChannel.values:
        raise ValidationError({"channel": _("canal inconnu")})
    received_on = _a_date(received_on, "received_on", today=today)
    tracking_number = " ".join(str(tracking_number or "").split())
    if channel == NoticeChannel.REGISTERED_LETTER:
        if not tracking_number:
            raise ValidationError(
                {"tracking_number": _("le numéro de suivi du recommandé est obligatoire")}
            )
        sent_on = _a_date(sent_on, "sent_on", today=today)
        if sent_on > received_on:
            raise ValidationError(
                {"sent_on": _("un recommandé ne peut pas être envoyé après sa réception")}
            )
    elif sent_on is not None:
        sent_on = _a_date(sent_on, "sent_on", today=today)
    if received_on < contract.start_on:
        raise ValidationError(
            {"received_on": _("le préavis ne peut pas précéder le début du contrat")}
        )
    facts = domain.ContractFacts.of(contract)
    if received_on < contract.term_start:
        # Recorded late (after the daily job renewed): judged against the term that
        # contained the day it was received, as if recorded that day.
        first, last = domain.term_containing(
            start_on=contract.start_on, period_months=contract.period_months, day=received_on
        )
        facts = replace(facts, term_start=first, term_end=last)
    decision = domain.decide_notice(
        contract=facts,
        received_on=received_on,
        sent_on=sent_on,
        calendar=domain.contract_calendar(),
        by_seller=given_by == Party.SELLER,
    )
    notice = Notice.objects.create(
        contract=contract,
        given_by=given_by,
        channel=channel,
        term_end=decision.term_end,
        deadline=decision.deadline.value,
        sent_on=sent_on,
        received_on=received_on,
        tracking_number=tracking_number,
        in_time=decision.in_time,
        effective_on=decision.effective_on,
        explanation=decision.deadline.as_dict(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    before = contract.status
    t.check(label=str(contract), current=before, target=t.NOTICE_GIVEN)
    contract.status = t.NOTICE_GIVEN
    contract.save(update_fields=["status", "updated_at"])
    record_on(
        obj=contract,
        actor=by,
        verb="contract.notice_received",
        before={"status": before},
        after={
            "status": t.NOTICE_GIVEN,
            "channel": channel,
            "received_on": received_on.isoformat(),
            "deadline": decision.deadline.value.isoformat(),
            "effective_on": decision.effective_on.isoformat(),
            "reason": decision.reason,
        },
    )
    if given_by == Party.CLIENT:
        acknowledge_after_commit(notice=notice)
    if decision.effective_on < min(today, contract.term_start):
        # Received in an earlier term and effective before the current one (a letter
        # recorded after the renewal): the contract ends at it now, with that term's sums.
        advance(contract=contract, today=today, by=by)
    return notice


def give_notice_online(*, contract: Contract, by: Actor, now: datetime | None = None) -> Notice:
    """The client ends ``contract`` from the portal (C. conso. L215-1-1 for a consumer):
    received today, acknowledged by e-mail."""
    today = timezone.localdate(aware_now(now))
    return record_notice(
        contract=contract,
        given_by=Party.CLIENT,
        channel=NoticeChannel.PORTAL,
        received_on=today,
        sent_on=today,
        by=by,
        now=now,
    )


@transaction.atomic
def record_renewal_letter(*, contract: Contract, sent_on: date) -> RenewalLetter:
    """The renewal information of ``contract``'s current term written on ``sent_on`` (once
    per term: a second call returns the first), judged against the Chatel window, and sent
    from a task once the row is committed (its Message-ID stamped then; a failed send leaves
    it unsent, retried once by the next daily run)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    existing = contract.renewal_letters.filter(term_end=contract.term_end).first()
    if existing is not None:
        return existing
    deadline = domain.deadline_of(
        term_end=contract.term_end,
        months=contract.notice_months,
        calendar=domain.contract_calendar(),
    ).value
    judged = domain.letter_in_time(notice_deadline_on=deadline, sent_on=sent_on)
    letter = RenewalLetter.objects.create(
        contract=contract,
        term_end=contract.term_end,
        notice_deadline=deadline,
        sent_on=sent_on,
        in_time=judged.value,
        explanation=judged.as_dict(),
    )
    send_renewal_letter_after_commit(letter=letter, on=sent_on)
    return letter
