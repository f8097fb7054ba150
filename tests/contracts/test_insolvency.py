"""Seed 002 art. 7 al. 3: termination for a party's insolvency after a formal notice to the
administrator (or liquidator) "restée plus d'un mois sans réponse" (C. com. L622-13 III 1°).

Worked calendar: sent on Monday 31 January 2028, one month ends on the month's last day,
Tuesday 29 February 2028 (CPC 641, leap year): termination possible from 1 March 2028. Sent
on Saturday 31 January 2026, the month ends on Saturday 28 February, carried to Monday 2 March
(CPC 642): termination possible from 3 March 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.contracts import services
from clausier.kernel.errors import Conflict, DomainError
from tests.contracts.conftest import open_yearly
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

SENT = date(2028, 1, 31)
FROM = date(2028, 3, 1)


def _notice(contract, sent_on=SENT, *, now=None):
    return services.record_insolvency_notice(
        contract=contract,
        insolvent_party="client",
        procedure="reorganisation",
        administrator="Me Durand, administrateur judiciaire",
        sent_on=sent_on,
        tracking_number="1A00000000077",
        by=None,
        now=now or paris(sent_on.year, sent_on.month, sent_on.day, 18),
    )


def test_one_month_from_31_january_ends_on_29_february_termination_from_the_next_day(
    agency, bakery
):
    contract = open_yearly(agency, bakery, start_on=date(2027, 7, 1))
    notice = _notice(contract)
    assert notice.termination_from == FROM
    assert notice.explanation["law"].startswith("CGV v3.0 art. 7, contract.termination_insolvency")
    assert "L622-13" in notice.explanation["law"]
    values = [step["value"] for step in notice.explanation["steps"]]
    assert "2028-02-29" in values
    assert Event.objects.filter(verb="contract.insolvency_notice_sent").count() == 1


def test_a_month_ending_on_a_saturday_is_carried_to_monday(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2025, 7, 1))
    assert _notice(contract, date(2026, 1, 31)).termination_from == date(2026, 3, 3)


def test_termination_is_refused_the_day_before_and_allowed_from_that_day(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2027, 7, 1))
    notice = _notice(contract)
    with pytest.raises(ValidationError) as error:
        services.terminate_for_insolvency(
            notice=notice, effective_on=date(2028, 2, 29), by=None, now=paris(2028, 2, 29, 12)
        )
    assert "01/03/2028" in str(error.value)
    contract.refresh_from_db()
    assert contract.status == "active"

    ended = services.terminate_for_insolvency(
        notice=notice, effective_on=FROM, by=None, now=paris(2028, 3, 1, 12)
    )
    assert (ended.status, ended.end_reason, ended.ended_on) == ("terminated", "insolvency", FROM)
    # The termination's own sums: hosting 1 200 € not paid, served 1 July 2027 - 1 March
    # 2028 (245 of 366 days): 1200 x 245 / 366 = 803.28 owed.
    assert ended.final_amount_ht == Decimal("803.28")
    assert Event.objects.filter(verb="contract.terminated").count() == 1


def test_an_answered_notice_blocks_the_termination(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2027, 7, 1))
    notice = _notice(contract)
    services.record_insolvency_answer(
        notice=notice,
        answered_on=date(2028, 2, 15),
        note="L'administrateur exige la poursuite du contrat",
        by=None,
        now=paris(2028, 2, 15, 12),
    )
    with pytest.raises(Conflict) as error:
        services.terminate_for_insolvency(
            notice=notice, effective_on=date(2028, 3, 2), by=None, now=paris(2028, 3, 2, 12)
        )
    assert "15/02/2028" in str(error.value)
    contract.refresh_from_db()
    assert contract.status == "active"
    assert Event.objects.filter(verb="contract.insolvency_notice_answered").count() == 1


def test_the_notice_needs_an_administrator_and_a_tracking_number(agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2027, 7, 1))
    with pytest.raises(ValidationError) as error:
        services.record_insolvency_notice(
            contract=contract,
            insolvent_party="client",
            procedure="liquidation",
            administrator=" ",
            sent_on=SENT,
            tracking_number="",
            by=None,
            now=paris(2028, 2, 1, 9),
        )
    assert "administrator" in error.value.message_dict


def test_terms_without_the_clause_allow_no_insolvency_termination(paas, paas_company):
    contract = open_yearly(paas, paas_company, start_on=date(2027, 7, 1))
    with pytest.raises(DomainError):
        _notice(contract)


def test_an_answer_after_the_month_has_run_is_refused_naming_the_day(agency, bakery):
    """The month ran out without an answer: from 1 March 2028 the contract may be ended, and a
    later answer no longer keeps it (C. com. L622-13 III 1°)."""
    contract = open_yearly(agency, bakery, start_on=date(2027, 7, 1))
    notice = _notice(contract)
    with pytest.raises(ValidationError) as error:
        services.record_insolvency_answer(
            notice=notice, answered_on=FROM, note="", by=None, now=paris(2028, 3, 2, 12)
        )
    assert "01/03/2028" in str(error.value)
    notice.refresh_from_db()
    assert notice.answered_on is None
