"""A meter's quantity over a period, from its usage events.

Pure: events come in as :class:`Event` (or any ``(timestamp, value, properties)`` tuple, or
any object with those attributes), the period is half-open, ``[start, end)``: an event at
``end`` belongs to the next period, so consecutive periods never count an event twice nor
miss one. Filters keep the events whose properties equal every filter's value.

The aggregations:

- ``sum``: the sum of the values;
- ``max``: the largest value (0 without events);
- ``count``: the number of events;
- ``unique_count``: the number of distinct values of one property (events without it are not
  counted);
- ``time_weighted``: a level integrated over time, in hours (instance-hours). Each event sets
  the level of its series to its value from its timestamp until the next event of the series:
  a gauge reports the level, a start event is a level of 1 (or the instance's size) and a stop
  event a level of 0. With ``property``, each value of that property is its own series (one per
  instance) and the series add up. The level at ``start`` is the one the last event before
  ``start`` set, so the events before the period are read too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.money import ZERO, decimal_arg
from clausier.rules.wording import Approx, words, words_plural

SUM: Final = "sum"
MAX: Final = "max"
COUNT: Final = "count"
UNIQUE_COUNT: Final = "unique_count"
TIME_WEIGHTED: Final = "time_weighted"
AGGREGATIONS: Final = (SUM, MAX, COUNT, UNIQUE_COUNT, TIME_WEIGHTED)

RULE: Final = "aggregate"
_MICROSECONDS_PER_HOUR: Final = Decimal(3_600_000_000)
_ONE_MICROSECOND: Final = timedelta(microseconds=1)
_SHOWN: Final = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Event:
    """One usage event: when (aware), how much, and its properties."""

    timestamp: datetime
    value: Decimal
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open period ``[start, end)`` of aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        aware(self.start, "start", RULE)
        aware(self.end, "end", RULE)
        if self.end <= self.start:
            raise RuleError("end", RULE, f"the period ends {self.end} at or before {self.start}")

    def holds(self, moment: datetime) -> bool:
        return self.start.astimezone(UTC) <= moment.astimezone(UTC) < self.end.astimezone(UTC)


def aware(value: Any, argument: str, rule: str) -> datetime:
    if not isinstance(value, datetime):
        raise RuleError(argument, rule, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleError(argument, rule, f"expected an aware datetime (with its zone), got {value}")
    return value


def _event(raw: Any, index: int) -> Event:
    if isinstance(raw, Event):
        timestamp, value, properties = raw.timestamp, raw.value, raw.properties
    elif isinstance(raw, tuple) and len(raw) in (2, 3):
        timestamp, value, properties = (*raw, {}) if len(raw) == 2 else raw
    else:
        try:
            timestamp, value = raw.timestamp, raw.value
        except AttributeError:
            raise RuleError(
                f"events[{index}]", RULE, f"expected (timestamp, value, properties), got {raw!r}"
            ) from None
        properties = getattr(raw, "properties", None)
    argument = f"events[{index}]"
    return Event(
        # In UTC: Python subtracts two datetimes of one zone on the wall clock, so a day of
        # Paris with a change of time would last 24 h instead of 23 or 25.
        timestamp=aware(timestamp, f"{argument}.timestamp", RULE).astimezone(UTC),
        value=decimal_arg(value, f"{argument}.value", RULE),
        properties=properties or {},
    )


def _matches(event: Event, filters: Mapping[str, Any]) -> bool:
    return all(
        name in event.properties and event.properties[name] == wanted
        for name, wanted in filters.items()
    )


def shown(quantity: Decimal) -> Decimal | Approx:
    """A quantity as a sentence shows it: exactly up to 4 decimals, else cut ("0,3333…")."""
    return quantity if quantity == quantity.quantize(_SHOWN) else Approx(quantity)


def _time_weighted(
    events: list[Event], period: Period, key: str | None
) -> tuple[Decimal, list[Step], int]:
    """Level × hours summed over the period, per series; the steps name each series."""
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    series: dict[Any, list[Event]] = {}
    for event in events:
        if event.timestamp < end:
            series.setdefault(event.properties.get(key) if key else None, []).append(event)
    total_units = ZERO  # value × microseconds, exact; divided once at the end
    steps: list[Step] = []
    used = 0
    for name, found in series.items():
        found.sort(key=lambda e: e.timestamp)
        before = [e for e in found if e.timestamp < start]
        inside = [e for e in found if start <= e.timestamp]
        used += len(inside)
        level = before[-1].value if before else ZERO
        moment = start
        units = ZERO
        for event in inside:
            units += level * Decimal((event.timestamp - moment) // _ONE_MICROSECOND)
            level, moment = event.value, event.timestamp
        units += level * Decimal((end - moment) // _ONE_MICROSECOND)
        total_units += units
        hours = units / _MICROSECONDS_PER_HOUR
        label = (
            words("série {key} = {name}", key=key, name=str(name)) if key else words("série unique")
        )
        steps.append(
            Step(
                words_plural(
                    "{series} : niveau au début {level}, {count} événement dans la période, "
                    "{hours} heures-unités",
                    "{series} : niveau au début {level}, {count} événements dans la période, "
                    "{hours} heures-unités",
                    len(inside),
                    series=label,
                    level=before[-1].value if before else ZERO,
                    hours=shown(hours),
                ),
                hours,
            )
        )
    return total_units / _MICROSECONDS_PER_HOUR, steps, used


def aggregate(
    *,
    aggregation: str,
    events: Iterable[Any],
    start: datetime,
    end: datetime,
    filters: Mapping[str, Any] | None = None,
    property: str | None = None,
) -> Explained:
    """The quantity of a meter over ``[start, end)``: see the module for each aggregation.

    ``property`` names the property counted by ``unique_count`` (required there) or the one
    telling the series of ``time_weighted`` apart (optional). ``value`` is a Decimal.
    """
    if aggregation not in AGGREGATIONS:
        raise RuleError(
            "aggregation", RULE, f"expected one of {', '.join(AGGREGATIONS)}, got {aggregation!r}"
        )
    if aggregation == UNIQUE_COUNT and not property:
        raise RuleError("property", RULE, "unique_count counts the values of a named property")
    period = Period(start, end)
    wanted = dict(filters or {})
    checked = [_event(raw, index) for index, raw in enumerate(events)]
    kept = [e for e in checked if _matches(e, wanted)]
    steps = [
        Step(words("période du {start} au {end} (fin exclue)", start=period.start, end=period.end))
    ]
    if wanted:
        listed = ", ".join(f"{name} = {value}" for name, value in sorted(wanted.items()))
        steps.append(Step(words("filtres : {filters}", filters=listed)))
    if aggregation == TIME_WEIGHTED:
        quantity, series_steps, used = _time_weighted(kept, period, property)
        steps.append(
            Step(
                words_plural(
                    "niveau tenu jusqu'à l'événement suivant, intégré sur la période en heures : "
                    "{count} événement dans la période",
                    "niveau tenu jusqu'à l'événement suivant, intégré sur la période en heures : "
                    "{count} événements dans la période",
                    used,
                ),
                used,
            )
        )
        steps.extend(series_steps)
    else:
        inside = [e for e in kept if period.holds(e.timestamp)]
        steps.append(
            Step(
                words_plural(
                    "{count} événement dans la période",
                    "{count} événements dans la période",
                    len(inside),
                ),
                len(inside),
            )
        )
        quantity, label = _simple(aggregation, inside, property)
        steps.append(Step(label, quantity))
    steps.append(Step(words("quantité = {quantity}", quantity=shown(quantity)), quantity))
    return Explained(
        value=quantity,
        rule=RULE,
        inputs={
            "aggregation": aggregation,
            "start": period.start,
            "end": period.end,
            "filters": wanted,
            "property": property,
        },
        steps=tuple(steps),
    )


def _simple(aggregation: str, inside: list[Event], property: str | None) -> tuple[Decimal, Any]:
    if aggregation == SUM:
        total = sum((e.value for e in inside), ZERO)
        return total, words("somme des valeurs = {total}", total=total)
    if aggregation == MAX:
        top = max((e.value for e in inside), default=ZERO)
        return top, words("valeur maximale = {top} (0 sans événement)", top=top)
    if aggregation == COUNT:
        return Decimal(len(inside)), words("nombre d'événements = {count}", count=len(inside))
    distinct = {e.properties[property] for e in inside if property in e.properties}
    return Decimal(len(distinct)), words(
        "valeurs distinctes de {property} = {count}", property=property, count=len(distinct)
    )
