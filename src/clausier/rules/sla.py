"""Support clocks (GTI, GTR) and the penalty of a breached service level.

A support clause promises an intervention (*garantie de temps d'intervention*, GTI) and a
repair (*garantie de temps de réparation*, GTR) within minutes that depend on the incident's
severity and on whether the ticket was opened inside business hours. The clause's
parameters are a ``policy``::

    {"clock": "continuous" | "business",
     "standard": {"intervention": {"in_hours": 120, "out_of_hours": 180},
                  "repair": {"in_hours": 240, "out_of_hours": 240}},
     "critical": {...}}

With a ``"continuous"`` clock the minutes are elapsed time; with ``"business"`` they only run
inside a :class:`~clausier.rules.hours.BusinessHours`. Pauses (waiting for the client, force
majeure) stop the clock and move the deadlines by the clock time they cover.

A breached level credits the client with a rate of the mean monthly consumption
(:func:`penalty`). The seed terms (000 art. 10) are :data:`SEED_POLICY` and
:data:`SEED_PENALTY_RATES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Final
from zoneinfo import ZoneInfo

from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.hours import BusinessHours
from clausier.rules.money import CENT, ZERO, fraction, non_negative
from clausier.rules.wording import Approx, Euros, Percent, words, words_plural

RULE: Final = "SLA"
CLOCKS: Final = ("continuous", "business")
SEVERITIES: Final = ("standard", "critical")
TARGETS: Final = ("intervention", "repair")

# Seed 000 art. 10.1.2-10.1.3: standard GTI "2 heures durant les heures ouvrées, 3 heures en
# dehors", GTR "4 heures"; critical GTI "30 minutes", GTR "1 heure". The clock is continuous:
# outside business hours the on-call team answers (art. 10.3).
SEED_POLICY: Final = LegalFact(
    MappingProxyType(
        {
            "clock": "continuous",
            "standard": MappingProxyType(
                {
                    "intervention": MappingProxyType({"in_hours": 120, "out_of_hours": 180}),
                    "repair": MappingProxyType({"in_hours": 240, "out_of_hours": 240}),
                }
            ),
            "critical": MappingProxyType(
                {
                    "intervention": MappingProxyType({"in_hours": 30, "out_of_hours": 30}),
                    "repair": MappingProxyType({"in_hours": 60, "out_of_hours": 60}),
                }
            ),
        }
    ),
    "CGV 000 art. 10.1.2, 10.1.3, 10.3",
)
# Seed 000 art. 10.1.4: "50% de la moyenne de consommation des applications" (standard),
# "75%" (critical).
SEED_PENALTY_RATES: Final = LegalFact(
    MappingProxyType({"standard": Decimal("0.50"), "critical": Decimal("0.75")}),
    "CGV 000 art. 10.1.4",
)
# Warnings as the clock runs: half the time used, four fifths, all of it (breached).
WARNING_SHARES: Final = (Decimal("0.5"), Decimal("0.8"), Decimal("1"))

type Pause = tuple[datetime, datetime]

_TARGET_WORDS: Final = {
    "intervention": words("intervention (GTI)"),
    "repair": words("réparation (GTR)"),
}
_SEVERITY_WORDS: Final = {"standard": words("standard"), "critical": words("critique")}


def deadlines(
    *,
    opened_at: datetime,
    severity: str,
    policy: Mapping[str, Any],
    hours: BusinessHours,
    pauses: Sequence[Pause] = (),
) -> Explained:
    """When the intervention and the repair are due for a ticket opened at ``opened_at``:
    ``{"intervention": datetime, "repair": datetime}``, aware, in UTC.

    The ``in_hours`` minutes apply when ``opened_at`` falls within ``hours``, the
    ``out_of_hours`` ones otherwise. ``pauses`` are ``(start, end)`` instants during which the
    clock stops (a pause still running is given with the current instant as its end); each
    deadline moves by the clock time of the pauses that begin before it is reached.
    """
    opened = _aware("opened_at", opened_at)
    clock, targets = _policy(policy, severity)
    _require_hours(hours)
    stops = _pauses(pauses, opened)
    in_hours = hours.is_open(opened)
    column = "in_hours" if in_hours else "out_of_hours"
    steps = [
        Step(words("ticket ouvert"), opened),
        Step(
            words(
                "gravité {severity}, ouvert {when}",
                severity=_SEVERITY_WORDS[severity],
                when=words("pendant les heures ouvrées")
                if in_hours
                else words("en dehors des heures ouvrées"),
            ),
            column,
        ),
        _clock_step(clock),
        *(_pause_step(start, end, hours) for start, end in stops),
    ]
    value: dict[str, datetime] = {}
    for target in TARGETS:
        minutes = targets[target][column]
        due = _run(opened, timedelta(minutes=minutes), stops, clock, hours)
        value[target] = due
        steps.append(
            Step(
                words_plural(
                    "{target} : {count} minute",
                    "{target} : {count} minutes",
                    minutes,
                    target=_TARGET_WORDS[target],
                ),
                due,
            )
        )
    return Explained(
        value=value,
        rule="sla_deadlines",
        law=_law(clock, hours),
        inputs={
            "opened_at": opened,
            "severity": severity,
            "clock": clock,
            "in_hours": in_hours,
            "pauses": [list(p) for p in stops],
            "tz": hours.tz,
            "region": hours.calendar.region,
        },
        steps=tuple(steps),
    )


def elapsed_share(
    *,
    opened_at: datetime,
    at: datetime,
    severity: str,
    target: str,
    policy: Mapping[str, Any],
    hours: BusinessHours,
    pauses: Sequence[Pause] = (),
) -> Explained:
    """How much of a target's time has run at ``at``: ``{"share": Decimal, "warning": int}``,
    the share of the clock used (1 at the deadline, more once breached) and the highest
    warning reached among 50, 80 and 100 (%), or 0 below half."""
    opened = _aware("opened_at", opened_at)
    now = _aware("at", at)
    clock, targets = _policy(policy, severity)
    if target not in TARGETS:
        raise RuleError("target", RULE, f"unknown target {target!r}; expected one of {TARGETS}")
    _require_hours(hours)
    stops = _pauses(pauses, opened)
    in_hours = hours.is_open(opened)
    minutes = targets[target]["in_hours" if in_hours else "out_of_hours"]
    _, measure = _clock(clock, hours)
    used = measure(opened, now) if now > opened else timedelta()
    paused = timedelta()
    for start, end in stops:
        start, end = max(start, opened), min(end, now)
        if end > start:
            paused += measure(start, end)
    used -= paused
    allowed = timedelta(minutes=minutes)
    if allowed:
        share = Decimal(int(used.total_seconds())) / Decimal(int(allowed.total_seconds()))
    else:
        share = Decimal(1)
    warning = max((int(w * 100) for w in WARNING_SHARES if share >= w), default=0)
    steps = [
        Step(words("ticket ouvert"), opened),
        _clock_step(clock),
        Step(
            words("temps écoulé au {at}", at=_local(now, hours)),
            measure(opened, now) if now > opened else timedelta(),
        ),
    ]
    if paused:
        steps.append(Step(words("dont en pause (non compté)"), paused))
    steps += [
        Step(
            words_plural(
                "{target} : {count} minute",
                "{target} : {count} minutes",
                minutes,
                target=_TARGET_WORDS[target],
            ),
            allowed,
        ),
        Step(words("part du délai consommée : {share}", share=Percent(share)), share),
    ]
    if warning:
        steps.append(Step(words("alerte à {level} %", level=warning), warning))
    return Explained(
        value={"share": share, "warning": warning},
        rule="sla_elapsed_share",
        law=_law(clock, hours),
        inputs={
            "opened_at": opened,
            "at": now,
            "severity": severity,
            "target": target,
            "clock": clock,
            "pauses": [list(p) for p in stops],
        },
        steps=tuple(steps),
    )


def penalty(
    *,
    severity: str,
    monthly_consumption_ht: Sequence[Decimal] | Mapping[str, Decimal],
    rates: Mapping[str, Decimal],
    cap: Decimal | None = None,
) -> Explained:
    """The credit owed for a breached service level: the ``severity``'s rate (``rates``, a
    fraction: 0.50 for 50 %) times the arithmetic mean of the monthly HT consumptions given,
    rounded once to the cent, half up; no more than ``cap`` when one is given. No month
    given: 0, explained.

    ``monthly_consumption_ht`` is a list of amounts, or a mapping of each month's name
    ("2026-03") to its amount, each then named in the explanation."""
    if severity not in SEVERITIES:
        raise RuleError(
            "severity", RULE, f"unknown severity {severity!r}; expected one of {SEVERITIES}"
        )
    if not isinstance(rates, Mapping) or severity not in rates:
        raise RuleError("rates", RULE, f"no penalty rate for the severity {severity!r}")
    rate = fraction(rates[severity], "rates", RULE)
    named = _named_months(monthly_consumption_ht)
    months = [amount for _, amount in named]
    ceiling = None if cap is None else non_negative(cap, "cap", RULE)
    inputs = {
        "severity": severity,
        "monthly_consumption_ht": (
            dict(named) if isinstance(monthly_consumption_ht, Mapping) else months
        ),
        "rate": rate,
        "cap": ceiling,
    }
    steps = [Step(words("taux {severity}", severity=_SEVERITY_WORDS[severity]), rate)]
    steps += [
        Step(words("consommation HT de {month}", month=month), amount)
        for month, amount in named
        if month is not None
    ]
    if not months:
        steps.append(Step(words("aucun mois de consommation : pas de base, pénalité nulle"), ZERO))
        return Explained(
            value=ZERO.quantize(CENT),
            rule="sla_penalty",
            inputs=inputs,
            steps=tuple(steps),
        )
    total = sum(months, ZERO)
    mean = total / len(months)
    exact = rate * total / len(months)
    amount = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    steps += [
        Step(
            words_plural(
                "{count} mois, total {total}",
                "{count} mois, total {total}",
                len(months),
                total=Euros(total),
            ),
            total,
        ),
        Step(
            words(
                "moyenne : {total} / {count} = {mean}",
                total=Euros(total),
                count=len(months),
                mean=Approx(mean),
            ),
            mean,
        ),
        Step(
            words(
                "{rate} × {mean} = {exact}",
                rate=Percent(rate),
                mean=Approx(mean),
                exact=Approx(exact),
            ),
            exact,
        ),
        Step(
            words("arrondi au centime, au demi supérieur : {amount}", amount=Euros(amount)), amount
        ),
    ]
    if ceiling is not None and amount > ceiling:
        amount = ceiling.quantize(CENT, rounding=ROUND_HALF_UP)
        steps.append(Step(words("plafond de la clause : {cap}", cap=Euros(amount)), amount))
    return Explained(value=amount, rule="sla_penalty", inputs=inputs, steps=tuple(steps))


def _named_months(months: object) -> list[tuple[str | None, Decimal]]:
    argument = "monthly_consumption_ht"
    if isinstance(months, Mapping):
        pairs = [(str(month), amount) for month, amount in months.items()]
    elif isinstance(months, Sequence) and not isinstance(months, str | bytes):
        pairs = [(None, amount) for amount in months]
    else:
        raise RuleError(argument, RULE, "expected a list of monthly HT amounts")
    return [(month, non_negative(amount, argument, RULE)) for month, amount in pairs]


# --- the clock ---------------------------------------------------------------------------------


def _run(
    opened: datetime,
    duration: timedelta,
    stops: Sequence[Pause],
    clock: str,
    hours: BusinessHours,
) -> datetime:
    """The instant at which ``duration`` of clock time has run from ``opened``, the clock
    stopped during ``stops`` (sorted, disjoint, none ending before ``opened``)."""
    add, measure = _clock(clock, hours)
    current, remaining = opened, duration
    for start, end in stops:
        start = max(start, current)
        if end <= current:
            continue
        if add(current, remaining) <= start:
            break
        remaining -= measure(current, start)
        current = end
    return add(current, remaining).astimezone(UTC)


def _clock(
    clock: str, hours: BusinessHours
) -> tuple[Callable[[datetime, timedelta], datetime], Callable[[datetime, datetime], timedelta]]:
    if clock == "business":
        return hours.add, hours.elapsed
    return (lambda start, duration: start + duration), (lambda a, b: b - a)


def _law(clock: str, hours: BusinessHours) -> str:
    """A clause fixes the clock, not the law: only the holidays a business clock skips are
    law (the engine cites the clause, :meth:`Explained.citing`)."""
    return hours.calendar.law if clock == "business" else ""


def _clock_step(clock: str) -> Step:
    if clock == "business":
        return Step(words("délais comptés en heures ouvrées"), clock)
    return Step(words("délais comptés en temps écoulé, jour et nuit (astreinte)"), clock)


def _pause_step(start: datetime, end: datetime, hours: BusinessHours) -> Step:
    return Step(
        words(
            "pause du {start} au {end} : horloge arrêtée",
            start=_local(start, hours),
            end=_local(end, hours),
        ),
        end - start,
    )


def _local(moment: datetime, hours: BusinessHours) -> datetime:
    """``moment`` on the schedule's wall clock, the way a sentence shows it."""
    return moment.astimezone(ZoneInfo(hours.tz))


# --- checks --------------------------------------------------------------------------------------


def _aware(argument: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise RuleError(argument, RULE, f"expected a datetime, got {type(value).__name__}")
    if value.utcoffset() is None:
        raise RuleError(argument, RULE, f"naive datetime {value}: give it a time zone")
    return value.astimezone(UTC)


def _require_hours(hours: object) -> None:
    if not isinstance(hours, BusinessHours):
        raise RuleError("hours", RULE, f"expected BusinessHours, got {type(hours).__name__}")


def _policy(policy: object, severity: object) -> tuple[str, Mapping[str, Mapping[str, int]]]:
    if not isinstance(policy, Mapping):
        raise RuleError("policy", RULE, f"expected a mapping, got {type(policy).__name__}")
    clock = policy.get("clock")
    if clock not in CLOCKS:
        raise RuleError("policy", RULE, f"clock must be one of {CLOCKS}, got {clock!r}")
    if severity not in SEVERITIES:
        raise RuleError(
            "severity", RULE, f"unknown severity {severity!r}; expected one of {SEVERITIES}"
        )
    targets = policy.get(severity)
    if not isinstance(targets, Mapping):
        raise RuleError("policy", RULE, f"no targets for the severity {severity!r}")
    for target in TARGETS:
        columns = targets.get(target)
        if not isinstance(columns, Mapping):
            raise RuleError("policy", RULE, f"{severity}: no {target!r} target")
        for column in ("in_hours", "out_of_hours"):
            minutes = columns.get(column)
            if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
                raise RuleError(
                    "policy",
                    RULE,
                    f"{severity}.{target}.{column} must be a number of minutes >= 0, "
                    f"got {minutes!r}",
                )
    return str(clock), targets


def _pauses(pauses: object, opened: datetime) -> list[Pause]:
    if isinstance(pauses, str | bytes) or not isinstance(pauses, Sequence):
        raise RuleError("pauses", RULE, "expected a list of (start, end) instants")
    spans: list[Pause] = []
    for pause in pauses:
        if isinstance(pause, str | bytes) or not isinstance(pause, Sequence) or len(pause) != 2:
            raise RuleError("pauses", RULE, f"a pause is a (start, end) pair, got {pause!r}")
        start, end = _aware("pauses", pause[0]), _aware("pauses", pause[1])
        if end < start:
            raise RuleError("pauses", RULE, f"a pause ends at {end}, before it starts at {start}")
        start = max(start, opened)
        if end > start:
            spans.append((start, end))
    spans.sort()
    merged: list[Pause] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
