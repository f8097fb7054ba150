"""The contracts' daily job (``ops.schedule``): each running contract brought to the day
(renewed by tacit renewal, ended after a notice, expired), and the consumer's renewal
information sent inside its window (C. conso. L215-1), once per term. Idempotent."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.tasks import task
from django.utils import timezone

from clausier.audit.services import record_on
from clausier.contracts import delivery, domain, selectors
from clausier.contracts import transitions as t
from clausier.contracts.models import Contract
from clausier.contracts.services import (
    advance,
    record_renewal_letter,
    release_if_expired,
    renew_if_due,
)

logger = logging.getLogger(__name__)


def inform_if_due(contract: Contract, *, today: date) -> bool:
    """Send ``contract``'s renewal information when today lies in its window and it has not
    left for the current term; True if it left."""
    if not (contract.consumer and contract.tacit_renewal and contract.status == t.ACTIVE):
        return False
    if selectors.revision_of_term(contract=contract) is not None:
        # A revised price proposed for this term voids its tacit renewal (seed 002 art. 12b):
        # there is no renewal to inform of; the proposal's own e-mail tells the client.
        return False
    letter = contract.renewal_letters.filter(term_end=contract.term_end).first()
    if letter is not None:
        # Written but its sending failed once: the next run tries again, once.
        if letter.sent or letter.send_attempts != 1:
            return False
        delivery.send_renewal_letter_after_commit(letter=letter, on=today)
        return True
    deadline = domain.deadline_of(
        term_end=contract.term_end,
        months=contract.notice_months,
        calendar=domain.contract_calendar(),
    ).value
    if not domain.renewal_letter_due(notice_deadline_on=deadline, today=today):
        return False
    record_renewal_letter(contract=contract, sent_on=today)
    return True


def run_day(*, today: date, now: datetime | None = None) -> int:
    """Every running contract brought to ``today``; returns how many letters left. A
    contract that fails is logged and recorded in its trail, and the others go on."""
    sent = 0
    for contract in selectors.running():
        try:
            contract = advance(contract=contract, today=today)
            sent += inform_if_due(contract, today=today)
        except Exception as exc:  # one contract never stops the others' day
            logger.exception("contracts day %s failed for contract %s", today, contract.pk)
            record_on(
                obj=contract,
                actor=None,
                verb="contract.day_failed",
                after={"today": today.isoformat(), "error": type(exc).__name__},
            )
    run_domains(today=today, now=now)
    return sent


def run_domains(*, today: date, now: datetime | None = None) -> int:
    """Every domain name on the register brought to ``today`` (seed 002 art. 11): renewed
    ahead of its expiry while its contract runs (once per expiry), released at its expiry
    once the contract has ended. Returns how many renewals were recorded; a domain that
    fails is logged and recorded, and the others go on."""
    renewed = 0
    for record in selectors.domains_held():
        try:
            renewed += renew_if_due(domain=record, today=today, now=now) is not None
            release_if_expired(domain=record, today=today)
        except Exception as exc:  # one domain never stops the others' day
            logger.exception("domains day %s failed for domain %s", today, record.pk)
            record_on(
                obj=record,
                actor=None,
                verb="domain.day_failed",
                after={"today": today.isoformat(), "error": type(exc).__name__},
            )
    return renewed


@task
def contracts_day(now: str | None = None) -> int:
    """Daily: :func:`run_day` for today in Paris."""
    at = datetime.fromisoformat(now) if now else timezone.now()
    return run_day(today=timezone.localdate(at), now=at)
