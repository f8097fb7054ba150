"""A ticket's GTI and GTR clocks at the service and selector level, under seed 000's terms
(elapsed time, 2 h in business hours / 3 h outside for a standard incident, 4 h repair;
critical 30 min / 1 h): across nights, weekends, jours fériés and both DST changes, paused
while waiting for the client or under force majeure."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clausier.support import selectors, services
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def _clocks(ticket, now):
    return selectors.clocks_of(
        selectors.ticket_for_seller(seller=ticket.seller, pk=ticket.pk), now=now
    )


def _due(ticket):
    clocks = _clocks(ticket, ticket.opened_at)
    return clocks.intervention.deadline, clocks.repair.deadline


def test_standard_in_business_hours_two_hours_then_four(open_ticket):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))  # a Wednesday
    assert _due(ticket) == (paris(2026, 6, 3, 12, 0), paris(2026, 6, 3, 14, 0))


def test_friday_evening_runs_through_the_night(open_ticket):
    # Friday 17:30 is inside the hours: 2 h, counted in elapsed time, past 18:00 (on-call).
    ticket = open_ticket(paris(2026, 6, 5, 17, 30))
    assert _due(ticket) == (paris(2026, 6, 5, 19, 30), paris(2026, 6, 5, 21, 30))


def test_night_and_weekend_take_the_outside_hours_gti(open_ticket):
    night = open_ticket(paris(2026, 6, 3, 23, 0))
    assert _due(night) == (paris(2026, 6, 4, 2, 0), paris(2026, 6, 4, 3, 0))
    saturday = open_ticket(paris(2026, 6, 6, 10, 0))
    assert _due(saturday) == (paris(2026, 6, 6, 13, 0), paris(2026, 6, 6, 14, 0))


def test_a_jour_ferie_is_outside_business_hours(open_ticket):
    # Tuesday 14 July 2026, fête nationale, 10:00: 3 h, not 2.
    ticket = open_ticket(paris(2026, 7, 14, 10, 0))
    assert _due(ticket)[0] == paris(2026, 7, 14, 13, 0)


def test_critical_thirty_minutes_and_an_hour_at_any_time(open_ticket):
    ticket = open_ticket(paris(2026, 6, 6, 3, 0), severity="critical")
    assert _due(ticket) == (paris(2026, 6, 6, 3, 30), paris(2026, 6, 6, 4, 0))


def test_spring_forward_counts_real_time(open_ticket):
    # Sunday 29 March 2026, 01:30 CET; at 02:00 the clocks jump to 03:00. 3 h of real
    # time later it is 05:30 CEST on the wall (03:30 UTC).
    ticket = open_ticket(paris(2026, 3, 29, 1, 30))
    gti, gtr = _due(ticket)
    assert gti == datetime(2026, 3, 29, 3, 30, tzinfo=UTC)
    assert gti.astimezone(paris(2026, 3, 29).tzinfo).hour == 5
    assert gtr == datetime(2026, 3, 29, 4, 30, tzinfo=UTC)


def test_fall_back_counts_real_time(open_ticket):
    # Sunday 25 October 2026, 01:30 CEST (23:30 UTC the day before); at 03:00 the clocks go
    # back to 02:00. 3 h later: 02:30 UTC, 03:30 CET on the wall.
    ticket = open_ticket(paris(2026, 10, 25, 1, 30))
    gti, _ = _due(ticket)
    assert gti == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert gti.astimezone(paris(2026, 10, 25).tzinfo).hour == 3


def test_a_business_clock_skips_nights_weekends_and_holidays(open_ticket):
    # A seller whose clause counts business time: Friday 17:00 + 2 business hours is
    # Monday 10:00; with Monday 25 May 2026 (Pentecost Monday) a holiday, Tuesday 10:00.
    ticket = open_ticket(paris(2026, 5, 22, 17, 0))
    ticket.sla["policy"]["clock"] = "business"
    clocks = selectors.clocks_of(ticket, now=ticket.opened_at)
    assert clocks.intervention.deadline == paris(2026, 5, 26, 10, 0)


def test_waiting_for_the_client_moves_the_deadlines(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    services.apply_action(
        ticket=ticket, action="acknowledge", by=agent, at=paris(2026, 6, 3, 10, 20)
    )
    services.apply_action(
        ticket=ticket, action="wait_client", by=agent, at=paris(2026, 6, 3, 11, 0)
    )
    # While the pause runs, the repair moves with it.
    running = _clocks(ticket, paris(2026, 6, 3, 12, 0))
    assert running.repair.deadline == paris(2026, 6, 3, 15, 0)
    services.post_message(
        ticket=ticket,
        author="client",
        body="Voici les journaux.",
        by=None,
        at=paris(2026, 6, 3, 12, 30),
    )
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    clocks = _clocks(ticket, paris(2026, 6, 3, 13, 0))
    # 1 h 30 paused: the 14:00 repair is due at 15:30; the intervention was met at 10:20.
    assert clocks.repair.deadline == paris(2026, 6, 3, 15, 30)
    assert clocks.intervention.met_at == paris(2026, 6, 3, 10, 20)
    assert not clocks.intervention.breached
    # 10:00-13:00 less 1 h 30 paused: 1 h 30 of 4 h.
    assert clocks.repair.share == Decimal("0.375")


def test_force_majeure_pauses_the_clock(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    services.start_force_majeure(ticket=ticket, by=agent, at=paris(2026, 6, 3, 10, 30))
    services.end_force_majeure(ticket=ticket, by=agent, at=paris(2026, 6, 3, 11, 30))
    assert _due(ticket) == (paris(2026, 6, 3, 13, 0), paris(2026, 6, 3, 15, 0))


def test_breach_and_the_queue_order(open_ticket, paas):
    late = open_ticket(paris(2026, 6, 3, 8, 0), subject="Ancien")  # out of hours: 3 h
    half = open_ticket(paris(2026, 6, 3, 10, 0), subject="Récent")
    critical = open_ticket(paris(2026, 6, 3, 11, 50), severity="critical", subject="Critique")
    at = paris(2026, 6, 3, 12, 5)
    rows = selectors.queue(seller=paas, now=at)
    # Critical: 15 of 30 min (50 %); 08:00: 4 h 05 of 3 h, breached; 10:00: 2 h 05 of 2 h.
    order = [row.ticket.subject for row in rows]
    assert order == ["Ancien", "Récent", "Critique"]
    assert rows[0].clocks.intervention.breached
    assert rows[2].clocks.intervention.warning == 50
    assert [row.ticket.pk for row in rows] == [late.pk, half.pk, critical.pk]


def test_an_excluded_ticket_has_no_clock(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    services.classify_excluded(ticket=ticket, exclusion=7, by=agent)
    assert _clocks(ticket, paris(2026, 6, 3, 20, 0)) is None


def test_the_intervention_met_late_stays_breached(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    services.apply_action(
        ticket=ticket, action="acknowledge", by=agent, at=paris(2026, 6, 3, 12, 1)
    )
    clocks = _clocks(ticket, paris(2026, 6, 3, 12, 30))
    assert clocks.intervention.breached
    assert not clocks.intervention.running
    assert clocks.intervention.share > 1
    assert clocks.deadlines.value["intervention"] == paris(2026, 6, 3, 12, 0)
    assert timedelta(minutes=1) == clocks.intervention.met_at - clocks.intervention.deadline
