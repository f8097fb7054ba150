"""Seed 002 art. 7: a contract is renewed by tacit renewal unless a notice is received at
least one month before its term. The deadline is the same day number a month earlier, or
that month's last day, and never moved past a weekend or a holiday (Cass. 3e civ., 8 mars
2018): a notice received on the deadline ends the contract at the term; the day after, it
ends it at the next term."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.contracts import services
from clausier.contracts.models import Contract
from tests.contracts.conftest import open_yearly
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def _letter(contract, received_on, *, sent_on=None):
    return services.record_notice(
        contract=contract,
        given_by="client",
        channel="registered_letter",
        received_on=received_on,
        sent_on=sent_on or received_on,
        tracking_number="1A 234 567 8901 2",
        by=None,
        now=paris(2028, 12, 1, 12, 0),
    )


def test_the_agency_contract_runs_by_the_terms_renewal_clause(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2025, 4, 1))

    assert (contract.term_start, contract.term_end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert contract.tacit_renewal
    assert contract.notice_months == 1
    assert contract.notice_source == "CGV v3.0 art. 7"
    assert contract.status == "active"
    assert not contract.consumer


@pytest.mark.parametrize(
    ("start_on", "term_end", "deadline"),
    [
        # A term ending on the 31st: the 31st of the month before does not exist (30 April).
        (date(2025, 6, 1), date(2026, 5, 31), date(2026, 4, 30)),
        # A term ending on 31 March: 28 February 2026 (a Saturday, not carried to Monday).
        (date(2025, 4, 1), date(2026, 3, 31), date(2026, 2, 28)),
        # The same in a leap year: 29 February 2028.
        (date(2027, 4, 1), date(2028, 3, 31), date(2028, 2, 29)),
        # A term ending on 30 March 2028: 29 February, not the 30th.
        (date(2027, 3, 31), date(2028, 3, 30), date(2028, 2, 29)),
    ],
)
def test_a_notice_on_the_deadline_ends_the_contract_at_the_term_and_a_day_later_at_the_next(
    agency, bakery, start_on, term_end, deadline
):
    in_time = open_yearly(agency, bakery, start_on=start_on, reference="C-in")
    late = open_yearly(agency, bakery, start_on=start_on, reference="C-late")
    assert in_time.term_end == term_end

    notice = _letter(in_time, deadline)
    assert (notice.deadline, notice.in_time, notice.effective_on) == (deadline, True, term_end)
    assert Contract.objects.get(pk=in_time.pk).status == "notice_given"

    notice = _letter(late, date.fromordinal(deadline.toordinal() + 1))
    assert not notice.in_time
    # Renewed once: it ends at the next term, a year later.
    assert notice.effective_on == date(term_end.year + 1, term_end.month, term_end.day)


def test_a_deadline_on_a_holiday_is_not_carried_and_the_explanation_says_to_send_earlier(
    agency, bakery
):
    # Term ending 14 June 2026: the deadline is 14 May 2026, Ascension Thursday.
    contract = open_yearly(agency, bakery, start_on=date(2025, 6, 15), reference="C-asc")
    other = open_yearly(agency, bakery, start_on=date(2025, 6, 15), reference="C-asc2")
    assert contract.term_end == date(2026, 6, 14)

    notice = _letter(contract, date(2026, 5, 14))
    assert (notice.deadline, notice.in_time) == (date(2026, 5, 14), True)
    said = " ".join(
        step["label"]["text"] if isinstance(step["label"], dict) else str(step["label"])
        for step in notice.explanation["steps"]
    )
    assert "CPC 642 inapplicable" in said
    assert "13" in said  # the previous working day, Wednesday 13 May, recommended

    # Received on Friday 15 May: not carried over, the contract is renewed for a year.
    late = _letter(other, date(2026, 5, 15))
    assert not late.in_time
    assert late.effective_on == date(2027, 6, 14)


def test_a_registered_letter_needs_its_tracking_number_and_is_not_sent_after_receipt(
    agency, bakery
):
    from django.core.exceptions import ValidationError

    contract = open_yearly(agency, bakery, start_on=date(2025, 4, 1))
    with pytest.raises(ValidationError) as error:
        services.record_notice(
            contract=contract,
            given_by="client",
            channel="registered_letter",
            received_on=date(2026, 2, 2),
            sent_on=date(2026, 1, 30),
            tracking_number="",
            by=None,
            now=paris(2026, 2, 3, 9, 0),
        )
    assert "tracking_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _letter(contract, date(2026, 2, 2), sent_on=date(2026, 2, 3))
    assert "sent_on" in error.value.message_dict
    assert Contract.objects.get(pk=contract.pk).status == "active"


def test_without_notice_the_daily_job_renews_each_term_once(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2024, 4, 1))

    contract = services.advance(contract=contract, today=date(2026, 4, 2))
    assert (contract.term_start, contract.term_end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert services.advance(contract=contract, today=date(2026, 4, 2)).term_end == date(2027, 3, 31)
    assert contract.status == "active"


def test_a_backdated_letter_recorded_after_the_renewal_ends_the_term_it_was_received_in(
    agency, bakery
):
    """Received 10/11/2026 (in time for 31/12/2026), recorded on 05/01/2027 after the daily
    job renewed: the contract ends on 31/12/2026 with that term's sums, not a year later."""
    from decimal import Decimal

    from clausier.contracts import tasks

    contract = open_yearly(
        agency,
        bakery,
        start_on=date(2026, 1, 1),
        lines=[
            {
                "kind": "maintenance",
                "description": "Maintenance (MCO)",
                "amount_ht": "1200.00",
                "paid_through": date(2026, 5, 31),
            }
        ],
    )
    tasks.run_day(today=date(2027, 1, 1))
    contract.refresh_from_db()
    assert contract.term_end == date(2027, 12, 31)

    notice = services.record_notice(
        contract=contract,
        given_by="client",
        channel="registered_letter",
        sent_on=date(2026, 11, 8),
        received_on=date(2026, 11, 10),
        tracking_number="1A00000000077",
        by=None,
        now=paris(2027, 1, 5, 10),
    )
    assert (notice.term_end, notice.in_time) == (date(2026, 12, 31), True)
    assert notice.effective_on == date(2026, 12, 31)
    contract.refresh_from_db()
    assert (contract.status, contract.ended_on) == ("terminated", date(2026, 12, 31))
    # 1 200,00 € × 214 days (1 June - 31 December 2026) / 365: the 2026 term's unpaid work.
    assert contract.final_amount_ht == Decimal("703.56")


def test_a_seller_without_a_renewal_clause_never_takes_the_agencys_notice(paas, paas_company):
    """The PaaS seller's terms have no renewal clause: no notice period (not the agency's
    'CGV 002 art. 7'); a notice received on a monthly period's last day ends it that day,
    and the decision says why."""
    contract = open_yearly(paas, paas_company, start_on=date(2026, 1, 1), period_months=1)
    assert contract.notice_months == 0
    assert "002" not in contract.notice_source

    notice = _letter(contract, date(2026, 1, 30))
    assert (notice.in_time, notice.effective_on) == (True, date(2026, 1, 31))
    assert any("aucun préavis" in step["label"] for step in notice.explanation["steps"])
