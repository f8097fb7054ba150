"""Deadlines (*délais*) counted the way the Code de procédure civile counts them.

CPC 640-642, applied to every period a seller's terms or the law express in days or months:

- the day of the act or event that starts the period never counts (CPC 641);
- a period in days ends on its last day at 24:00, i.e. on ``start + n``; a period in
  *jours francs* excludes the last day too, so the act may still be done on ``start + n + 1``;
- a period in months ends on the same day number of the last month, or on that month's last
  day when the number does not exist (CPC 641);
- a period that would end on a Saturday, a Sunday or a jour férié is carried to the next day
  that is none of these (CPC 642).

Periods in *jours ouvrés* / *jours ouvrables* count only those days after the start.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import Final

from clausier.rules.calendar import (
    LAST_WEEKDAY,
    FrenchCalendar,
    holiday_words,
    require_count,
    require_date,
    weekday_words,
)
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.wording import Words, words, words_plural

LAW: Final = "CPC art. 640-642"

UNITS: Final = ("jours_francs", "jours_calendaires", "jours_ouvres", "jours_ouvrables", "mois")

# The calendar kind each working-day unit counts.
_KIND: Final = {"jours_ouvres": "ouvre", "jours_ouvrables": "ouvrable"}


def period(n: int, unit: str) -> Words:
    """A period in words: ``"1 jour ouvré"``, ``"14 jours ouvrés"``, ``"2 mois"`` (and in
    English, "14 working days")."""
    require_count("n", n, LAW)
    _check_unit(unit)
    return _PERIODS[unit](n)


_PERIODS: Final = {
    "jours_francs": lambda n: words_plural("{count} jour franc", "{count} jours francs", n),
    "jours_calendaires": lambda n: words_plural(
        "{count} jour calendaire", "{count} jours calendaires", n
    ),
    "jours_ouvres": lambda n: words_plural("{count} jour ouvré", "{count} jours ouvrés", n),
    "jours_ouvrables": lambda n: words_plural(
        "{count} jour ouvrable", "{count} jours ouvrables", n
    ),
    "mois": lambda n: words_plural("{count} mois", "{count} mois", n),
}


def unit_label(n: int, unit: str) -> str:
    """The French wording of a period: ``"1 jour ouvré"``, ``"14 jours ouvrés"``, ``"2 mois"``."""
    return str(period(n, unit))


def deadline(*, start: date, n: int, unit: str, calendar: FrenchCalendar) -> Explained:
    """The last day on which an act may still be done, ``n`` ``unit`` after ``start``.

    ``unit`` is one of :data:`UNITS`. The value is a ``date``: the period runs until 24:00 on
    that day. ``calendar`` supplies the jours fériés (national, or Alsace-Moselle).
    """
    require_date("start", start, LAW)
    require_count("n", n, LAW)
    _check_unit(unit)
    if not isinstance(calendar, FrenchCalendar):
        raise RuleError(
            "calendar", LAW, f"expected a FrenchCalendar, got {type(calendar).__name__}"
        )

    steps = [Step(words("jour de départ non compté"), start)]
    skipped: list[tuple[date, str]] = []
    if unit == "jours_calendaires":
        raw = _plus_days(start, n)
        steps.append(
            Step(
                words(
                    "dernier jour brut : {start} + {period}", start=start, period=period(n, unit)
                ),
                raw,
            )
        )
    elif unit == "jours_francs":
        last = _plus_days(start, n)
        raw = _plus_days(last, 1)
        steps.append(
            Step(
                words("{start} + {period}", start=start, period=period(n, "jours_calendaires")),
                last,
            )
        )
        steps.append(Step(words("dernier jour brut : {last} + 1 (jours francs)", last=last), raw))
    elif unit == "mois":
        raw = _plus_months(start, n)
        if raw.day == start.day:
            label = words(
                "dernier jour brut : {start} + {period}", start=start, period=period(n, unit)
            )
        else:
            label = words(
                "dernier jour brut : {start} + {period} (pas de {day} ce mois-là : dernier jour "
                "du mois, CPC 641)",
                start=start,
                period=period(n, unit),
                day=start.day,
            )
        steps.append(Step(label, raw))
    else:
        kind = _KIND[unit]
        raw = calendar.add_working_days(start, n, kind)
        if raw > start:
            # Only a holiday that would otherwise have counted was skipped: a holiday falling
            # on a Sunday changes nothing.
            skipped = [
                (d, name)
                for d, name in calendar.holidays_between(start + timedelta(days=1), raw)
                if d.weekday() <= LAST_WEEKDAY[kind]
            ]
        steps.extend(_holiday_step(d, name) for d, name in skipped)
        steps.append(
            Step(
                words(
                    "dernier jour brut : {start} + {period}", start=start, period=period(n, unit)
                ),
                raw,
            )
        )

    # CPC 642 carries every period, whatever its unit: a count in jours ouvrables may end on a
    # Saturday, and one of 0 days ends on the starting day, which may be a Sunday.
    final = calendar.next_working_day(raw, "ouvre")
    if final != raw:
        carried = calendar.holidays_between(raw, final - timedelta(days=1))
        steps.extend(_holiday_step(d, name) for d, name in carried)
        skipped.extend(carried)
        steps.append(
            Step(
                words(
                    "report : {from_weekday} {from_day} -> {to_weekday} {to_day} (CPC 642)",
                    from_weekday=weekday_words(raw),
                    from_day=raw,
                    to_weekday=weekday_words(final),
                    to_day=final,
                ),
                final,
            )
        )
    steps.append(Step(words("dernier jour pour agir, jusqu'à 24 h"), final))

    return Explained(
        value=final,
        rule="deadline",
        law=f"{LAW}; {calendar.law}" if skipped else LAW,
        inputs={"start": start, "n": n, "unit": unit, "region": calendar.region},
        steps=tuple(steps),
    )


def day_after(*, start: date, n: int, law: str) -> Explained:
    """The ``n``-th calendar day after ``start``, a date the law fixes itself.

    C. com. L441-10 I, al. 1 sets the payment date "au trentième jour suivant" the receipt of
    the goods or the execution of the service: the day of the event does not count (as in
    CPC 641), and the date is the day itself, never carried to the next working day, unlike
    a period to act (:func:`deadline`, CPC 642). ``law`` names the text that fixes ``n``.
    """
    require_date("start", start, law)
    require_count("n", n, law)
    value = _plus_days(start, n)
    return Explained(
        value=value,
        rule="day_after",
        law=law,
        inputs={"start": start, "n": n},
        steps=(
            Step(words("jour de l'événement non compté"), start),
            Step(
                words("{start} + {period}", start=start, period=period(n, "jours_calendaires")),
                value,
            ),
            Step(
                words("date fixée par la loi ({law}), non reportée au jour ouvré suivant", law=law),
                value,
            ),
        ),
    )


def _holiday_step(day: date, name: str) -> Step:
    return Step(
        words("jour férié sauté : {day} {holiday}", day=day, holiday=holiday_words(name)), day
    )


def _check_unit(unit: object) -> None:
    if unit not in UNITS:
        raise RuleError("unit", LAW, f"unknown unit {unit!r}; expected one of {UNITS}")


def _plus_days(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise RuleError("n", LAW, f"the period runs past {date.max}") from None


def _plus_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    if year > date.max.year:
        raise RuleError("n", LAW, f"the period runs past {date.max}")
    return date(year, month, min(d.day, monthrange(year, month)[1]))
