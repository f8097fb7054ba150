"""Pure functions of support: the terms' service-level clauses turned into the policy of
:mod:`clausier.rules.sla`, the business hours they count in, and a ticket's clocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from clausier.rules import sla
from clausier.rules.explain import Explained
from clausier.rules.hours import BusinessHours
from clausier.terms.schemas import BusinessHoursParams, MaintenanceScope, SlaLevel

# A clause of kind ``sla.level`` names its severity in its id: ``sla.standard``,
# ``sla.critical`` (the seeds' convention, terms/seeds/*/cgv-*.json).
LEVEL_PREFIX: Final = "sla."


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)


def policy_from_levels(
    levels: Mapping[str, SlaLevel], *, clock: str = "continuous"
) -> dict[str, Any]:
    """The :func:`clausier.rules.sla.deadlines` policy of the terms' levels (severity ->
    :class:`SlaLevel`): the GTI in business hours, else outside them (``gti_outside``, the
    same when the clause draws no distinction), the GTR at any hour. ``clock``: seed 000
    reads as elapsed time (the on-call team covers the hours outside, art. 10.3)."""
    policy: dict[str, Any] = {"clock": clock}
    for severity in sla.SEVERITIES:
        level = levels.get(severity)
        if level is None:
            continue
        outside = level.gti_outside if level.gti_outside is not None else level.gti_business
        policy[severity] = {
            "intervention": {
                "in_hours": _minutes(level.gti_business),
                "out_of_hours": _minutes(outside),
            },
            "repair": {"in_hours": _minutes(level.gtr), "out_of_hours": _minutes(level.gtr)},
        }
    return policy


def penalty_rates(levels: Mapping[str, SlaLevel]) -> dict[str, str]:
    return {severity: str(level.penalty_rate) for severity, level in levels.items()}


def penalty_terms(levels: Mapping[str, SlaLevel]) -> dict[str, dict[str, Any]]:
    """Per severity, how many invoiced months the penalty's mean takes and its cap (HT, or
    None), as the ticket freezes them."""
    return {
        severity: {
            "months": level.penalty_months,
            "cap": None if level.penalty_cap is None else str(level.penalty_cap),
        }
        for severity, level in levels.items()
    }


# Art. 10.1.4 without a word on the months: the last three invoiced before the incident.
DEFAULT_PENALTY_MONTHS: Final = 3


def months_before(*, incident: date, count: int, first: date) -> list[date]:
    """The first days of the ``count`` calendar months before ``incident``'s month, the most
    recent first, none before ``first``'s month (the client was not invoiced then)."""
    floor = first.replace(day=1)
    month = incident.replace(day=1)
    found: list[date] = []
    while len(found) < count:
        month = (month - timedelta(days=1)).replace(day=1)
        if month < floor:
            break
        found.append(month)
    return found


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def hours_from_params(params: BusinessHoursParams | Mapping[str, Any]) -> BusinessHours:
    """The :class:`BusinessHours` of an ``sla.business_hours`` clause (or of its JSON)."""
    if isinstance(params, BusinessHoursParams):
        schedule, tz = params.schedule, params.tz
    else:
        schedule, tz = params["schedule"], params.get("tz", "Europe/Paris")
    return BusinessHours(
        {int(day): [tuple(w) for w in windows] for day, windows in schedule.items()}, tz=tz
    )


def hours_json(params: BusinessHoursParams) -> dict[str, Any]:
    return {
        "schedule": {
            str(day): [list(w) for w in windows] for day, windows in params.schedule.items()
        },
        "tz": params.tz,
    }


def exclusions(scope: MaintenanceScope | None) -> list[str]:
    """The cases the maintenance does not cover (seed 000 art. 9), as the clause lists them."""
    return list(scope.exclusions) if scope is not None else []


@dataclass(frozen=True)
class BillableLine:
    """One time entry of an excluded ticket, at the hourly rate in force on its day."""

    time_entry_id: int
    description: str
    started: datetime
    minutes: int
    hourly_rate_ht: Decimal
    amount_ht: Decimal
    rate_source: str


# --- a ticket's clocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """One target of a ticket: due at ``deadline``, met at ``met_at`` (or not yet), the share
    of its time used now (or when met), the highest warning reached."""

    target: str
    deadline: datetime
    met_at: datetime | None
    share: Decimal
    warning: int
    explanation: Explained

    @property
    def breached(self) -> bool:
        if self.met_at is not None:
            return self.met_at > self.deadline
        return self.share >= 1

    @property
    def running(self) -> bool:
        return self.met_at is None


@dataclass(frozen=True)
class Clocks:
    intervention: Clock
    repair: Clock
    deadlines: Explained

    @property
    def all(self) -> tuple[Clock, Clock]:
        return (self.intervention, self.repair)

    @property
    def urgency(self) -> tuple[int, Decimal]:
        """For the queue: breached first, then the larger share of a running clock."""
        running = [c for c in self.all if c.running] or list(self.all)
        breached = any(c.breached for c in running)
        return (0 if breached else 1, -max(c.share for c in running))


def clocks(
    *,
    opened_at: datetime,
    severity: str,
    policy: Mapping[str, Any],
    hours: BusinessHours,
    pauses: Sequence[tuple[datetime, datetime | None]],
    acknowledged_at: datetime | None,
    resolved_at: datetime | None,
    now: datetime,
) -> Clocks:
    """The GTI and GTR clocks of a ticket at ``now``: a running pause counts up to ``now``;
    a target met is measured at the moment it was met."""
    spans = [(start, end or now) for start, end in pauses]
    due = sla.deadlines(
        opened_at=opened_at, severity=severity, policy=policy, hours=hours, pauses=spans
    )
    met = {"intervention": acknowledged_at, "repair": resolved_at}
    built = {}
    for target in sla.TARGETS:
        at = met[target] or now
        share = sla.elapsed_share(
            opened_at=opened_at,
            at=max(at, opened_at),
            severity=severity,
            target=target,
            policy=policy,
            hours=hours,
            pauses=[(s, min(e, at)) for s, e in spans if s < at],
        )
        built[target] = Clock(
            target=target,
            deadline=due.value[target],
            met_at=met[target],
            share=share.value["share"],
            warning=share.value["warning"],
            explanation=share,
        )
    return Clocks(intervention=built["intervention"], repair=built["repair"], deadlines=due)
