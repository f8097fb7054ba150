"""Seed 002 art. 7 (breach: the contract ends 10 jours ouvrés after the registered letter
unless remedied by then) and art. 8 (force majeure: lasting beyond 15 jours ouvrés from the
notification's receipt, either party may terminate, effective on receipt of its letter).

Worked calendar (2026): the letter sent / the notification received on Thursday 30 April;
1 May and 8 May (Fridays), Ascension (Thursday 14 May) and Whit Monday (25 May) are holidays.
Jours ouvrés after 30 April: 4, 5, 6, 7 May (4), 11, 12, 13 (7), 15 (8), 18, 19 (10: the
breach deadline), 20, 21, 22 (13), 26, 27 May (15), 28 May (16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.contracts import services, tasks
from clausier.contracts.models import Contract
from clausier.kernel.errors import Conflict
from clausier.support.models import ClockPause
from tests.contracts.conftest import open_yearly
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

LETTER_SENT = date(2026, 4, 30)
DAY_10 = date(2026, 5, 19)
DAY_11 = date(2026, 5, 20)


def _breach(contract, **kw):
    return services.record_breach(
        contract=contract,
        given_by="client",
        description=kw.pop("description", "Site indisponible depuis trois jours"),
        sent_on=LETTER_SENT,
        tracking_number="1A00000000042",
        by=None,
        now=paris(2026, 4, 30, 17),
        **kw,
    )


def _bakery_contract(agency, bakery):
    return open_yearly(agency, bakery, start_on=date(2026, 1, 1))


def test_the_breach_deadline_is_the_tenth_jour_ouvre_holidays_skipped(agency, bakery):
    breach = _breach(_bakery_contract(agency, bakery))
    assert breach.ends_on == DAY_10
    assert breach.explanation["law"].startswith("CGV 002 art. 7")
    assert Event.objects.filter(verb="contract.breach_notified").count() == 1


def test_a_breach_remedied_on_the_tenth_day_keeps_the_contract(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    breach = _breach(contract)
    services.record_remedy(
        breach=breach, remedied_on=DAY_10, note="Site rétabli", by=None, now=paris(2026, 5, 19, 18)
    )
    tasks.run_day(today=DAY_11)
    tasks.run_day(today=date(2026, 6, 30))
    contract.refresh_from_db()
    assert (contract.status, contract.ended_on) == ("active", None)


def test_a_remedy_on_the_eleventh_day_is_too_late_and_the_contract_has_ended(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    breach = _breach(contract)
    with pytest.raises(ValidationError) as error:
        services.record_remedy(
            breach=breach, remedied_on=DAY_11, by=None, now=paris(2026, 5, 20, 9)
        )
    assert "remedied_on" in error.value.message_dict
    # Still running on the tenth day; from the eleventh it has ended, its last day the tenth.
    assert services.advance(contract=contract, today=DAY_10).status == "active"
    tasks.run_day(today=DAY_11)
    contract = Contract.objects.get(pk=contract.pk)
    assert (contract.status, contract.end_reason, contract.ended_on) == (
        "terminated",
        "breach",
        DAY_10,
    )


def test_a_breach_no_remedy_can_cure_ends_the_contract_at_once(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    breach = _breach(contract, remedy_possible=False)
    contract.refresh_from_db()
    assert (contract.status, contract.ended_on, breach.ends_on) == (
        "terminated",
        LETTER_SENT,
        LETTER_SENT,
    )


def test_a_breach_letter_needs_its_tracking_number_and_names_the_breach(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    with pytest.raises(ValidationError) as error:
        _breach(contract, description="  ")
    assert "description" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_breach(
            contract=contract,
            given_by="client",
            description="x",
            sent_on=LETTER_SENT,
            tracking_number="",
            by=None,
            now=paris(2026, 4, 30, 17),
        )
    assert "tracking_number" in error.value.message_dict
    assert not contract.breaches.exists()


NOTIFIED = date(2026, 4, 30)
BUSINESS_DAY_15 = date(2026, 5, 27)
BUSINESS_DAY_16 = date(2026, 5, 28)


def _force_majeure(contract, *, started_on=date(2026, 4, 28), now=None):
    return services.record_force_majeure(
        contract=contract,
        declared_by="seller",
        description="Incendie du centre de données",
        started_on=started_on,
        notice_received_on=NOTIFIED,
        by=None,
        now=now or paris(2026, 4, 30, 10),
    )


def test_force_majeure_notified_within_five_jours_ouvres(agency, bakery):
    event = _force_majeure(_bakery_contract(agency, bakery))
    # 28 April + 5 jours ouvrés (1 May a holiday): 29, 30 April, 4, 5, 6 May.
    assert (event.notice_deadline, event.notified_in_time) == (date(2026, 5, 6), True)
    assert event.termination_from == BUSINESS_DAY_16
    late = _force_majeure(
        open_yearly(agency, bakery, start_on=date(2026, 1, 1), reference="C-2"),
        started_on=date(2026, 4, 20),
    )
    assert (late.notice_deadline, late.notified_in_time) == (date(2026, 4, 27), False)


def test_force_majeure_termination_refused_on_the_fifteenth_business_day(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    event = _force_majeure(contract)
    with pytest.raises(ValidationError) as error:
        services.terminate_for_force_majeure(
            event=event, letter_received_on=BUSINESS_DAY_15, by=None, now=paris(2026, 5, 27, 12)
        )
    assert "letter_received_on" in error.value.message_dict
    contract.refresh_from_db()
    assert contract.status == "active"


def test_force_majeure_termination_on_the_sixteenth_business_day_ends_it_on_receipt(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    event = _force_majeure(contract)
    contract = services.terminate_for_force_majeure(
        event=event, letter_received_on=BUSINESS_DAY_16, by=None, now=paris(2026, 5, 28, 12)
    )
    event.refresh_from_db()
    assert (contract.status, contract.end_reason, contract.ended_on) == (
        "terminated",
        "force_majeure",
        BUSINESS_DAY_16,
    )
    assert event.ended_on == BUSINESS_DAY_16


def test_one_force_majeure_at_a_time_and_it_ends_once(agency, bakery):
    contract = _bakery_contract(agency, bakery)
    event = _force_majeure(contract)
    with pytest.raises(Conflict):
        _force_majeure(contract)
    services.end_force_majeure(
        event=event, ended_on=date(2026, 5, 4), by=None, now=paris(2026, 5, 4, 9)
    )
    with pytest.raises(Conflict):
        services.terminate_for_force_majeure(
            event=event, letter_received_on=BUSINESS_DAY_16, by=None, now=paris(2026, 5, 28, 12)
        )


def test_force_majeure_pauses_the_clients_open_tickets_clocks_until_it_ends(paas, paas_company):
    from clausier.support import services as support

    contract = open_yearly(paas, paas_company, start_on=date(2026, 1, 1))
    ticket = support.open_ticket(
        seller=paas,
        client=paas_company,
        subject="Application en erreur 502",
        description="Depuis ce matin, erreur 502.",
        channel="portal",
        severity="standard",
        opened_at=paris(2026, 4, 29, 10),
        by=None,
    )
    event = _force_majeure(contract, now=paris(2026, 4, 30, 10))
    [pause] = ClockPause.objects.filter(ticket=ticket)
    assert (pause.reason, pause.start, pause.end) == ("force_majeure", paris(2026, 4, 30, 10), None)
    services.end_force_majeure(
        event=event, ended_on=date(2026, 5, 4), by=None, now=paris(2026, 5, 4, 9)
    )
    pause.refresh_from_db()
    assert pause.end == paris(2026, 5, 4, 9)
