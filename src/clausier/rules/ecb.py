"""The ECB refinancing rate behind the default late-payment rate between professionals.

Where the terms are silent, C. com. L441-10 II sets the late-penalty rate at the rate the
European Central Bank applied to its most recent main refinancing operation, plus 10
percentage points. The rate is read per semester, as the Banque de France publishes it for
this use: the rate in force on 1 January for January to June, on 1 July for July to
December. The rates are data (``data/ecb_rates.csv``), each row with the decision that set
it; a semester the table does not cover raises :class:`MissingRateError`, never a guess.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Final

from clausier.rules.errors import MissingRateError, RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.wording import Percent, words

ECB_RATE_LAW: Final = "C. com. L441-10 II"
# The points added to the ECB rate when the terms fix no late-penalty rate.
DEFAULT_PLUS_POINTS: Final = LegalFact(Decimal("10"), "C. com. L441-10 II")


@dataclass(frozen=True, slots=True)
class EcbRatePeriod:
    """One semester of the table: ``rate`` a fraction, ``start`` and ``end`` inclusive."""

    start: date
    end: date
    rate: Decimal
    source: str

    @property
    def label(self) -> str:
        return f"{self.start.year} S{1 if self.start.month <= 6 else 2}"


class EcbRateTable:
    """The ECB main refinancing rate per semester, contiguous periods."""

    def __init__(self, periods: list[EcbRatePeriod]) -> None:
        rows = sorted(periods, key=lambda row: row.start)
        for before, after in pairwise(rows):
            if (after.start - before.end).days != 1:
                raise RuleError(
                    "periods", "ecb rate table", f"{before.label} and {after.label} must follow"
                )
        self._periods = tuple(rows)
        self._starts = [row.start for row in rows]

    @classmethod
    def from_csv(cls, text: str) -> EcbRateTable:
        """A table from CSV text with columns start,end,rate,source (rate in percent)."""
        periods = []
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                periods.append(
                    EcbRatePeriod(
                        start=date.fromisoformat(row["start"]),
                        end=date.fromisoformat(row["end"]),
                        rate=Decimal(row["rate"]) / 100,
                        source=row["source"].strip(),
                    )
                )
            except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
                raise RuleError(f"line {number}", "ecb rate table", str(exc)) from exc
            if not periods[-1].source:
                raise RuleError(f"line {number}", "ecb rate table", "every rate needs a source")
        return cls(periods)

    @classmethod
    def default(cls) -> EcbRateTable:
        """The table shipped with clausier (``clausier/rules/data/ecb_rates.csv``)."""
        return _packaged()

    @property
    def periods(self) -> tuple[EcbRatePeriod, ...]:
        return self._periods

    def period_on(self, on: date) -> EcbRatePeriod:
        index = bisect_right(self._starts, on) - 1
        if index >= 0 and on <= self._periods[index].end:
            return self._periods[index]
        semester = f"{on.year} S{1 if on.month <= 6 else 2}"
        raise MissingRateError(
            "on",
            ECB_RATE_LAW,
            f"no ECB refinancing rate for {semester} (needed on {on}): the rate in force on "
            "the semester's first day must be added to the table; it is never guessed",
            period=semester,
            on=on,
        )


@cache
def _packaged() -> EcbRateTable:
    text = files("clausier.rules.data").joinpath("ecb_rates.csv").read_text(encoding="utf-8")
    return EcbRateTable.from_csv(text)


def default_late_rate(
    *, on: date, plus_points: Decimal | None = None, table: EcbRateTable | None = None
) -> Explained:
    """The late-penalty rate where the terms fix none (or fix "the ECB rate + n points"):
    the ECB rate of the semester of ``on`` plus ``plus_points`` (10 by law)."""
    if not isinstance(on, date) or isinstance(on, datetime):
        raise RuleError("on", "default_late_rate", f"expected a date, got {on!r}")
    points = DEFAULT_PLUS_POINTS.value if plus_points is None else Decimal(plus_points)
    period = (table or EcbRateTable.default()).period_on(on)
    value = period.rate + points / 100
    return Explained(
        value=value,
        rule="default_late_rate",
        law=ECB_RATE_LAW,
        inputs={"on": on, "plus_points": points},
        steps=(
            Step(
                words(
                    "taux de refinancement de la BCE, semestre {period} : {rate}",
                    period=period.label,
                    rate=Percent(period.rate),
                ),
                period.rate,
            ),
            Step(words("source : {source}", source=period.source)),
            Step(
                words(
                    "{rate} + {points} points = {result}",
                    rate=Percent(period.rate),
                    points=points,
                    result=Percent(value),
                ),
                value,
            ),
        ),
    )
