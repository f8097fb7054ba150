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
    agency, agency_consumer, django_capture_on_commit_callbacks
):
    contract = open_yearly(agency, agency_consumer, start_on=START)

    with django_capture_on_commit_callbacks(execute=True):
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


def _registered(contract, *, sent_on, received_on, now, given_by="client"):
    return services.record_notice(
        contract=contract,
        given_by=given_by,
        channel="registered_letter",
        sent_on=sent_on,
        received_on=received_on,
        tracking_number="1A00000000123",
        by=None,
        now=now,
    )


def test_a_late_notice_pending_at_the_renewal_is_re_decided_when_the_consumer_is_freed(
    agency, agency_consumer
):
    """Never told of the renewal, the consumer whose late notice would have ended the next
    term is freed by the renewal (L215-1 al. 2): the contract ends from the renewal date."""
    contract = open_yearly(agency, agency_consumer, start_on=START)
    notice = _registered(
        contract,
        sent_on=date(2026, 12, 10),
        received_on=date(2026, 12, 12),
        now=paris(2026, 12, 12, 12),
    )
    assert (notice.in_time, notice.effective_on) == (False, date(2027, 12, 31))

    tasks.run_day(today=date(2027, 1, 2))
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.free_termination_from == date(2027, 1, 1)
    assert (contract.status, contract.ended_on) == ("terminated", date(2027, 1, 1))
    assert contract.end_reason == "chatel_any_time"


def test_a_consumers_notice_sent_before_the_renewal_ends_the_contract_no_earlier_than_it(
    agency, agency_consumer
):
    """Sent 20/12/2026, received 04/01/2027 after the renewal freed the consumer: it ends on
    01/01/2027 (not 21/12/2026, before the current term), and the daily job runs on."""
    contract = open_yearly(agency, agency_consumer, start_on=START)
    other = open_yearly(agency, agency_consumer, start_on=START, reference="C-2")
    tasks.run_day(today=date(2027, 1, 1))
    notice = _registered(
        contract,
        sent_on=date(2026, 12, 20),
        received_on=date(2027, 1, 4),
        now=paris(2027, 1, 4, 12),
    )
    assert notice.effective_on == date(2027, 1, 1)

    tasks.run_day(today=date(2027, 1, 5))
    contract = Contract.objects.get(pk=contract.pk)
    assert (contract.status, contract.ended_on) == ("terminated", date(2027, 1, 1))
    assert Contract.objects.get(pk=other.pk).status == "active"


def test_the_sellers_notice_never_has_the_consumers_any_time_effect(agency, agency_consumer):
    contract = open_yearly(agency, agency_consumer, start_on=START)
    tasks.run_day(today=date(2027, 1, 1))
    assert Contract.objects.get(pk=contract.pk).free_termination_from == date(2027, 1, 1)

    notice = _registered(
        contract,
        given_by="seller",
        sent_on=date(2027, 1, 4),
        received_on=date(2027, 1, 6),
        now=paris(2027, 1, 6, 12),
    )
    assert (notice.in_time, notice.effective_on) == (True, date(2027, 12, 31))


def test_one_failing_contract_does_not_stop_the_daily_job_for_the_others(
    agency, agency_consumer, bakery
):
    from clausier.contracts.models import Notice

    broken = open_yearly(agency, bakery, start_on=START)
    other = open_yearly(agency, agency_consumer, start_on=START, reference="C-2")
    _registered(
        broken, sent_on=date(2026, 11, 2), received_on=date(2026, 11, 3), now=paris(2026, 11, 3)
    )
    # A notice whose effective date lies before the contract's start cannot be applied.
    Notice.objects.filter(contract=broken).update(effective_on=date(2025, 6, 30))

    tasks.run_day(today=date(2027, 1, 2))
    assert Contract.objects.get(pk=broken.pk).status == "notice_given"
    assert Contract.objects.get(pk=other.pk).term_end == date(2027, 12, 31)
    failed = Event.objects.get(verb="contract.day_failed", object_id=str(broken.pk))
    assert failed.summary["after"] == {"today": "2027-01-02", "error": "ValidationError"}


def test_a_renewal_letter_is_written_before_it_is_sent_and_a_failed_send_is_retried_once(
    agency, agency_consumer, django_capture_on_commit_callbacks, settings
):
    """The letter row is written first and sent after the commit; the mail server down, it
    stays unsent (never counted as told) and the next run sends it, once, stamped."""
    import socket

    contract = open_yearly(agency, agency_consumer, start_on=START)
    with socket.socket() as probe:  # a port nobody listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_day(today=date(2026, 9, 1)) == 1
    letter = RenewalLetter.objects.get(contract=contract)
    assert (letter.message_id, letter.send_attempts) == ("", 1)
    failed = Event.objects.get(verb="contract.renewal_letter_failed", object_id=str(contract.pk))
    assert failed.summary["after"]["attempt"] == 1

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_day(today=date(2026, 9, 2)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_day(today=date(2026, 9, 3)) == 0
    letter.refresh_from_db()
    [message] = mail.outbox
    assert letter.message_id
    assert message.message()["Message-ID"] == letter.message_id
    assert (letter.sent_on, letter.in_time, letter.send_attempts) == (date(2026, 9, 2), True, 2)
