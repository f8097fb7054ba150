"""C. conso. L215-1: a consumer is told of the tacit renewal no earlier than three months and
no later than one month before the last day to refuse it, by the daily job, once per term.
Not told in time, the consumer may end the contract at any time from the renewal date, free
of charge: shown on the contract and applied to a notice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from clausier.audit.models import Event
from clausier.contracts import services, tasks
from clausier.contracts.models import Contract, RenewalLetter
from tests.contracts.conftest import DOMAIN, HOSTING, open_yearly
from tests.factories.quotes import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_and_tasks")]

# A yearly contract from 1 January 2026: term 31 December 2026, notice deadline Monday
# 30 November 2026, Chatel window 30 August to 30 October 2026.
START = date(2026, 1, 1)


def test_the_letter_leaves_when_the_window_opens_once_with_the_deadline_and_how_to_terminate(
    agency, agency_consumer
):
    contract = open_yearly(agency, agency_consumer, start_on=START)

    assert tasks.run_day(today=date(2026, 8, 29)) == 0
    assert tasks.run_day(today=date(2026, 8, 30)) == 1
    assert tasks.run_day(today=date(2026, 8, 31)) == 0

    letter = RenewalLetter.objects.get(contract=contract)
    assert (letter.term_end, letter.notice_deadline) == (date(2026, 12, 31), date(2026, 11, 30))
    assert (letter.sent_on, letter.in_time) == (date(2026, 8, 30), True)
    [message] = mail.outbox
    assert message.to == ["lucie.moreau@example.test"]
    assert "30 novembre 2026" in message.body
    assert "trois clics" in message.body
    assert f"/contracts/{contract.pk}/" in message.body

    # Told in time and no notice: renewed for a year, with no free termination.
    tasks.run_day(today=date(2027, 1, 1))
    contract.refresh_from_db()
    assert (contract.term_end, contract.free_termination_from) == (date(2027, 12, 31), None)


def test_a_professional_gets_no_letter(agency, bakery):
    open_yearly(agency, bakery, start_on=START)
    assert tasks.run_day(today=date(2026, 9, 15)) == 0
    assert mail.outbox == []


def test_a_letter_sent_after_the_window_frees_the_consumer_from_the_renewal_date(
    agency, agency_consumer
):
    contract = open_yearly(agency, agency_consumer, start_on=START)

    # The job first runs on 15 November: past the window, still before the deadline.
    assert tasks.run_day(today=date(2026, 11, 15)) == 1
    assert not RenewalLetter.objects.get(contract=contract).in_time

    tasks.run_day(today=date(2027, 1, 1))
    contract.refresh_from_db()
    assert contract.term_start == date(2027, 1, 1)
    assert contract.free_termination_from == date(2027, 1, 1)
    renewed = Event.objects.get(verb="contract.renewed", object_id=str(contract.pk))
    assert renewed.summary["after"]["free_termination_from"] == "2027-01-01"


def test_never_told_the_consumer_terminates_at_any_time_and_is_refunded_pro_rata(
    agency, agency_consumer, django_capture_on_commit_callbacks
):
    lines = [
        dict(HOSTING, paid_through=date(2027, 12, 31)),
        dict(DOMAIN, paid_through=date(2027, 12, 31)),
    ]
    contract = open_yearly(agency, agency_consumer, start_on=START, lines=lines)
    # The job did not run in the window: renewed on 1 January 2027 without information.
    services.advance(contract=contract, today=date(2027, 1, 2))
    contract.refresh_from_db()
    assert contract.free_termination_from == date(2027, 1, 1)
    # The lines were paid for the new year in advance.
    contract.lines.update(paid_through=date(2027, 12, 31))

    with django_capture_on_commit_callbacks(execute=True):
        notice = services.give_notice_online(contract=contract, by=None, now=paris(2027, 3, 15, 10))
    # L215-1 al. 2: effective the day after it was sent, long before the term.
    assert notice.effective_on == date(2027, 3, 16)
    assert notice.in_time
    [ack] = mail.outbox
    assert "16 mars 2027" in ack.body

    tasks.run_day(today=date(2027, 3, 17))
    contract = Contract.objects.get(pk=contract.pk)
    assert (contract.status, contract.end_reason) == ("terminated", "chatel_any_time")
    assert contract.ended_on == date(2027, 3, 16)
    # Hosting: 1 200,00 € × 290 days left (17 March - 31 December) / 365 = 953,42 €.
    # The domain name stays payable to the end of its year (seed 002 art. 11): nothing back.
    assert contract.refund_amount_ht == Decimal("953.42")
    assert contract.final_amount_ht == Decimal("0.00")
    hosting, domain = contract.end_explanation["lines"]
    assert (hosting["refund"], domain["refund"]) == ("953.42", "0.00")
    assert domain["served_through"] == "2027-12-31"
