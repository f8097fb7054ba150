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
    require_count,
    require_date,
    weekday_fr,
)
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step

LAW: Final = "CPC art. 640-642"

UNITS: Final = ("jours_francs", "jours_calendaires", "jours_ouvres", "jours_ouvrables", "mois")

# Singular and plural French labels; French takes the singular for 0 and 1.
_LABELS: Final = {
    "jours_francs": ("jour franc", "jours francs"),
    "jours_calendaires": ("jour calendaire", "jours calendaires"),
    "jours_ouvres": ("jour ouvré", "jours ouvrés"),
    "jours_ouvrables": ("jour ouvrable", "jours ouvrables"),
    "mois": ("mois", "mois"),
}

# The calendar kind each working-day unit counts.
_KIND: Final = {"jours_ouvres": "ouvre", "jours_ouvrables": "ouvrable"}


def unit_label(n: int, unit: str) -> str:
    """The French wording of a period: ``"1 jour ouvré"``, ``"14 jours ouvrés"``, ``"2 mois"``."""
    require_count("n", n, LAW)
    _check_unit(unit)
    singular, plural = _LABELS[unit]
    return f"{n} {singular if n <= 1 else plural}"


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

    steps = [Step("jour de départ non compté", start)]
    skipped: list[tuple[date, str]] = []
    if unit == "jours_calendaires":
        raw = _plus_days(start, n)
        steps.append(Step(f"dernier jour brut: {start} + {n} (jours calendaires)", raw))
    elif unit == "jours_francs":
        last = _plus_days(start, n)
        raw = _plus_days(last, 1)
        steps.append(Step(f"{start} + {unit_label(n, 'jours_calendaires')}", last))
        steps.append(Step(f"dernier jour brut: {last} + 1 (jours francs)", raw))
    elif unit == "mois":
        raw = _plus_months(start, n)
        label = f"dernier jour brut: {start} + {unit_label(n, unit)}"
        if raw.day != start.day:
            label += f" (pas de {start.day} ce mois-là: dernier jour du mois, CPC 641)"
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
        steps.extend(Step(f"jour férié sauté: {d} {name}", d) for d, name in skipped)
        steps.append(Step(f"dernier jour brut: {start} + {unit_label(n, unit)}", raw))

    # CPC 642 carries every period, whatever its unit: a count in jours ouvrables may end on a
    # Saturday, and one of 0 days ends on the starting day, which may be a Sunday.
    final = calendar.next_working_day(raw, "ouvre")
    if final != raw:
        carried = calendar.holidays_between(raw, final - timedelta(days=1))
        steps.extend(Step(f"jour férié sauté: {d} {name}", d) for d, name in carried)
        skipped.extend(carried)
        steps.append(
            Step(
                f"report: {weekday_fr(raw)} {raw} -> {weekday_fr(final)} {final} (CPC 642)",
                final,
            )
        )
    steps.append(Step("dernier jour pour agir, jusqu'à 24 h", final))

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
            Step("jour de l'événement non compté", start),
            Step(f"{start} + {unit_label(n, 'jours_calendaires')}", value),
            Step(f"date fixée par la loi ({law}), non reportée au jour ouvré suivant", value),
        ),
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
