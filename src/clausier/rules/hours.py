"""Business-hours clocks (*heures ouvrées*) for response and resolution times.

A support contract promises, say, "a first answer within 4 business hours": the clock only
runs inside the seller's opening windows, never on weekends or jours fériés.
:class:`BusinessHours` adds such durations to an instant and measures them between two
instants.

Windows are local wall-clock times in the seller's time zone; each day's windows are turned
into absolute instants with :mod:`zoneinfo` and all arithmetic is done in UTC. So a window
still lasts what it lasts on the wall clock when the clocks change (9:00-18:00 is 9 hours on
the day of a DST change too), and an elapsed time is real time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clausier.rules.calendar import FrenchCalendar, holiday_words
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.wording import words

RULE: Final = "business hours"

_TIME: Final = re.compile(r"(\d{2}):(\d{2})")
_DAY_MINUTES: Final = 24 * 60

# However sparse the schedule, a weekly window reopens within days (a week plus the holidays
# around it); a year without any means the clock would never stop.
_MAX_CLOSED_DAYS: Final = 366

type Window = tuple[str, str]
type Span = tuple[datetime, datetime]


class BusinessHours:
    """Opening windows per weekday, closed on the jours fériés of ``calendar``.

    ``schedule`` maps a weekday (0 = Monday ... 6 = Sunday) to its windows, a list of
    ``("HH:MM", "HH:MM")`` local times, sorted and not overlapping; an end may be ``"24:00"``.
    Missing weekdays are closed. ``tz`` is an IANA zone name; ``calendar`` defaults to the
    national French calendar.
    """

    __slots__ = ("_minutes", "_zone", "calendar", "schedule", "tz")

    def __init__(
        self,
        schedule: Mapping[int, Sequence[Window]],
        tz: str = "Europe/Paris",
        calendar: FrenchCalendar | None = None,
    ) -> None:
        self._minutes = _parse_schedule(schedule)
        self.schedule: Mapping[int, tuple[Window, ...]] = MappingProxyType(
            {day: tuple(tuple(w) for w in schedule[day]) for day in sorted(schedule)}
        )
        self._zone = _zone(tz)
        self.tz = tz
        if calendar is None:
            calendar = FrenchCalendar()
        elif not isinstance(calendar, FrenchCalendar):
            raise RuleError(
                "calendar", RULE, f"expected a FrenchCalendar, got {type(calendar).__name__}"
            )
        self.calendar = calendar

    @classmethod
    def weekdays(
        cls,
        start: str = "09:00",
        end: str = "18:00",
        tz: str = "Europe/Paris",
        calendar: FrenchCalendar | None = None,
    ) -> BusinessHours:
        """Monday to Friday, one window from ``start`` to ``end``."""
        return cls({day: [(start, end)] for day in range(5)}, tz=tz, calendar=calendar)

    def __repr__(self) -> str:
        return f"BusinessHours({dict(self.schedule)!r}, tz={self.tz!r}, calendar={self.calendar!r})"

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of business time has run from ``start``.

        ``start`` must be aware; the result is in ``start``'s time zone. When ``start`` is
        outside the windows, the clock starts at the next opening. A zero duration returns
        ``start`` unchanged; a positive one may end exactly on a window's closing time.
        """
        return self._run(start, duration)[0]

    def explain_add(self, start: datetime, duration: timedelta) -> Explained:
        """:meth:`add`, with the windows consumed and the holidays passed over as steps."""
        end, used = self._run(start, duration)
        entries: list[tuple[date, int, Step]] = []
        for opened, closed in used:
            local_open, local_close = opened.astimezone(self._zone), closed.astimezone(self._zone)
            label = words(
                "ouvert {opens} -> {closes} ({zone})",
                # Local wall-clock times, in the schedule's own zone.
                opens=local_open.replace(tzinfo=None),
                closes=f"{local_close:%H:%M}",
                zone=self.tz,
            )
            entries.append((local_open.date(), 1, Step(label, closed - opened)))
        if used:
            # A holiday only matters on a weekday that would otherwise have been open.
            entries.extend(
                (
                    d,
                    0,
                    Step(
                        words(
                            "jour férié sans heures ouvrées : {day} {holiday}",
                            day=d,
                            holiday=holiday_words(name),
                        ),
                        d,
                    ),
                )
                for d, name in self.calendar.holidays_between(
                    start.astimezone(self._zone).date(), used[-1][1].astimezone(self._zone).date()
                )
                if self._minutes.get(d.weekday())
            )
        entries.sort(key=lambda entry: entry[:2])
        steps = (
            Step(words("départ"), start),
            *(step for _, _, step in entries),
            Step(words("échéance"), end),
        )
        return Explained(
            value=end,
            rule="business_hours",
            inputs={
                "start": start,
                "duration": duration,
                "tz": self.tz,
                "schedule": dict(self.schedule),
                "region": self.calendar.region,
            },
            steps=steps,
        )

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """The business time between ``a`` and ``b`` (both aware, ``b`` not before ``a``)."""
        start, end = _utc("a", a), _utc("b", b)
        if end < start:
            raise RuleError("b", RULE, f"end {b} is before start {a}")
        total = timedelta()
        for opened, closed in self._spans(start, "b", until=end):
            if opened >= end:
                break
            total += min(closed, end) - opened
        return total

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` (aware) falls inside a window; windows include their opening only."""
        instant = _utc("at", at)
        return any(opened == instant for opened, _ in self._spans(instant, "at", until=instant))

    def next_opening(self, at: datetime) -> datetime:
        """The first instant from ``at`` on when the clock runs: ``at`` itself when open."""
        instant = _utc("at", at)
        opened, _ = next(self._spans(instant, "at"))
        return opened.astimezone(at.tzinfo)

    def _run(self, start: datetime, duration: timedelta) -> tuple[datetime, list[Span]]:
        instant = _utc("start", start)
        if not isinstance(duration, timedelta):
            raise RuleError(
                "duration", RULE, f"expected a timedelta, got {type(duration).__name__}"
            )
        if duration < timedelta():
            raise RuleError("duration", RULE, f"must not be negative, got {duration}")
        if not duration:
            return start, []
        # Business time never runs faster than real time, so the end is at least this far.
        latest = datetime.max.replace(tzinfo=UTC)
        if latest - instant < duration:
            raise RuleError("duration", RULE, f"{duration} from {start} runs past {latest}")
        used: list[Span] = []
        remaining = duration
        spans = self._spans(instant, "duration")
        while True:
            opened, closed = next(spans)
            if remaining <= closed - opened:
                used.append((opened, opened + remaining))
                return (opened + remaining).astimezone(start.tzinfo), used
            used.append((opened, closed))
            remaining -= closed - opened

    def _spans(
        self, since: datetime, argument: str, until: datetime | None = None
    ) -> Iterator[Span]:
        """Business spans in UTC, in order, cut to start at ``since`` at the earliest.

        Without ``until`` the spans never run out (a closed year raises instead); with it,
        they stop after ``until``'s local day.
        """
        day = since.astimezone(self._zone).date()
        last_day = until.astimezone(self._zone).date() if until is not None else None
        floor = since
        closed_days = 0
        while last_day is None or day <= last_day:
            found = False
            for opened, closed in self._day_spans(day, argument):
                # Clipping to the previous span's end keeps spans disjoint even when a DST gap
                # folds two wall-clock windows onto the same instants.
                opened = max(opened, floor)
                if closed > opened:
                    found = True
                    floor = closed
                    yield opened, closed
            closed_days = 0 if found else closed_days + 1
            if until is None and closed_days > _MAX_CLOSED_DAYS:
                raise RuleError(
                    "schedule",
                    RULE,
                    f"no business hours in {_MAX_CLOSED_DAYS} days: the clock would never stop",
                )
            day = _next_day(day, argument)

    def _day_spans(self, day: date, argument: str) -> list[Span]:
        windows = self._minutes.get(day.weekday(), ())
        if not windows or self.calendar.is_holiday(day):
            return []
        midnight = datetime.combine(day, time(), tzinfo=self._zone)
        try:
            # Aware + timedelta is wall-clock arithmetic: exactly the local opening times.
            return [
                (
                    (midnight + timedelta(minutes=start)).astimezone(UTC),
                    (midnight + timedelta(minutes=end)).astimezone(UTC),
                )
                for start, end in windows
            ]
        except OverflowError:
            raise RuleError(argument, RULE, f"the clock runs past {date.max}") from None


def _parse_schedule(schedule: object) -> dict[int, tuple[tuple[int, int], ...]]:
    if not isinstance(schedule, Mapping):
        raise RuleError(
            "schedule", RULE, f"expected a mapping of weekday to windows, got {schedule!r}"
        )
    parsed: dict[int, tuple[tuple[int, int], ...]] = {}
    for day, windows in schedule.items():
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise RuleError("schedule", RULE, f"weekday must be 0 (Monday) to 6, got {day!r}")
        if isinstance(windows, str) or not isinstance(windows, Sequence):
            raise RuleError(
                "schedule", RULE, f"weekday {day}: expected a list of windows, got {windows!r}"
            )
        minutes: list[tuple[int, int]] = []
        for window in windows:
            if (
                isinstance(window, str)
                or not isinstance(window, Sequence)
                or len(window) != 2
                or not all(isinstance(bound, str) for bound in window)
            ):
                raise RuleError(
                    "schedule",
                    RULE,
                    f"weekday {day}: a window is a pair of 'HH:MM' strings, got {window!r}",
                )
            start, end = _minutes(day, window[0]), _minutes(day, window[1])
            if start >= end:
                raise RuleError(
                    "schedule", RULE, f"weekday {day}: window {window!r} ends before it starts"
                )
            if minutes and start < minutes[-1][1]:
                raise RuleError(
                    "schedule",
                    RULE,
                    f"weekday {day}: windows must be sorted and must not overlap, at {window!r}",
                )
            minutes.append((start, end))
        parsed[day] = tuple(minutes)
    return parsed


def _minutes(day: int, text: str) -> int:
    match = _TIME.fullmatch(text)
    if match is not None:
        hours, minutes = int(match[1]), int(match[2])
        value = hours * 60 + minutes
        if hours <= 24 and minutes < 60 and value <= _DAY_MINUTES:
            return value
    raise RuleError(
        "schedule", RULE, f"weekday {day}: {text!r} is not a time from '00:00' to '24:00'"
    )


def _zone(tz: object) -> ZoneInfo:
    if not isinstance(tz, str):
        raise RuleError("tz", RULE, f"expected an IANA time-zone name, got {tz!r}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError("tz", RULE, f"unknown time zone {tz!r}") from None


def _utc(argument: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise RuleError(argument, RULE, f"expected a datetime, got {type(value).__name__}")
    if value.utcoffset() is None:
        raise RuleError(argument, RULE, f"naive datetime {value}: give it a time zone")
    return value.astimezone(UTC)


def _next_day(day: date, argument: str) -> date:
    try:
        return day + timedelta(days=1)
    except OverflowError:
        raise RuleError(argument, RULE, f"the clock runs past {date.max}") from None
