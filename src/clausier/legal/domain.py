"""Pure decisions on the legal-rate table: naming a period, and laying the rows staff
entered over the table shipped with clausier (``rules/data/legal_rates.csv``).

A legal rate is published by the State (décret until 2014, one rate a year; arrêté each
semester since 2015, C. mon. fin. L313-2). The packaged CSV holds every period published
when clausier was released; staff add a period the CSV lacks (the 2026 S2 arrêté, say)
without waiting for a release. A staff row never overrides the CSV: a row for a period the
CSV covers must say exactly what the CSV says, otherwise it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from clausier.rules.errors import MissingRateError
from clausier.rules.interest import SEMESTER_RATES_SINCE, LegalRatePeriod, LegalRateTable

_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*[-/ ]\s*S([12]))?\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period that cannot be a period of the legal-rate table; the message says why."""


@dataclass(frozen=True, slots=True)
class Period:
    """A year (``semester`` None, until 2014) or a semester (since 2015)."""

    year: int
    semester: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2026-S2"``, ``"2026 S2"``, ``"2026S2"`` or ``"2014"``."""
        match = _PERIOD.match(str(text or ""))
        if match is None:
            raise PeriodError(
                _("période « %(text)s » illisible : écrivez 2026-S2 (semestre) ou 2014 (année)")
                % {"text": text}
            )
        year, semester = int(match[1]), match[2]
        return cls(year, int(semester) if semester else None).checked()

    def checked(self) -> Period:
        """This period, or :class:`PeriodError` when the law of its time had no such period."""
        if not 1900 <= self.year <= 2999:
            raise PeriodError(
                _("année %(year)s hors du tableau du taux légal") % {"year": self.year}
            )
        semesters_since = SEMESTER_RATES_SINCE.value.year
        if self.semester is None and self.year >= semesters_since:
            raise PeriodError(
                _(
                    "depuis %(since)s le taux légal est fixé par semestre (%(source)s) : "
                    "indiquez %(year)s-S1 ou %(year)s-S2"
                )
                % {
                    "since": semesters_since,
                    "source": SEMESTER_RATES_SINCE.source,
                    "year": self.year,
                }
            )
        if self.semester is not None and self.year < semesters_since:
            raise PeriodError(
                _("avant %(since)s le taux légal est annuel : indiquez %(year)s")
                % {"since": semesters_since, "year": self.year}
            )
        if self.semester not in (None, 1, 2):
            raise PeriodError(_("semestre %(semester)s : 1 ou 2") % {"semester": self.semester})
        return self

    @property
    def start(self) -> date:
        return date(self.year, 7 if self.semester == 2 else 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.semester == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        """``"2026 S2"`` or ``"2014"``, as the rules core names periods."""
        return f"{self.year} S{self.semester}" if self.semester else str(self.year)

    @property
    def code(self) -> str:
        """``"2026-S2"`` or ``"2014"``, as the command line takes them."""
        return f"{self.year}-S{self.semester}" if self.semester else str(self.year)

    @property
    def long_label(self) -> str:
        """ "1er semestre 2027", "2d semestre 2026" or "2014", in the page's language."""
        if self.semester == 1:
            return _("1er semestre %(year)s") % {"year": self.year}
        if self.semester == 2:
            return _("2d semestre %(year)s") % {"year": self.year}
        return str(self.year)

    @property
    def next(self) -> Period:
        """The period after this one: the next semester (a year before 2015 is followed by
        the year after, and 2014 by 2015 S1)."""
        if self.semester is None:
            following = self.year + 1
            return Period(following, 1 if following >= SEMESTER_RATES_SINCE.value.year else None)
        return Period(self.year, 2) if self.semester == 1 else Period(self.year + 1, 1)


def period_on(day: date) -> Period:
    """The period of the table that holds ``day``: its semester (its year before 2015)."""
    if day < SEMESTER_RATES_SINCE.value:
        return Period(day.year)
    return Period(day.year, 1 if day.month <= 6 else 2)


def missing_rate_message(period: Period) -> str:
    """What a screen says when a computation needs a rate the table lacks, in the page's
    language: the legal rate is never guessed."""
    return _(
        "Le taux d'intérêt légal du %(period)s n'est pas encore saisi : ce montant sera "
        "calculé dès que le taux publié au Journal officiel aura été saisi."
    ) % {"period": period.long_label}


def missing_period_of(error: MissingRateError) -> Period:
    """The period a :class:`MissingRateError` names."""
    if isinstance(error.on, date):
        return period_on(error.on)
    return Period.parse(error.period.replace(" ", "-"))


@dataclass(frozen=True, slots=True)
class StaffRate:
    """A rate staff entered: percents as published (``Decimal("2.62")`` for 2.62 %)."""

    period: Period
    professional: Decimal
    consumer: Decimal
    source: str

    def as_period(self) -> LegalRatePeriod:
        return LegalRatePeriod.from_percent(
            start=self.period.start,
            end=self.period.end,
            professionnel=self.professional,
            particulier=self.consumer,
            source=self.source,
        )


def _percent(rate: Decimal) -> Decimal:
    return (rate * 100).normalize()


def contradiction(packaged: LegalRateTable, rate: StaffRate) -> str:
    """Why ``rate`` contradicts the packaged table ("" when it does not).

    A period the table covers must carry the same span and the same two rates: the shipped
    table is the published text, reviewed with clausier's code; a staff row only adds what
    it lacks."""
    period = rate.period
    covering = [p for p in packaged.periods if p.start <= period.end and period.start <= p.end]
    if not covering:
        return ""
    [shipped] = covering if len(covering) == 1 else (None,)
    if shipped is None or (shipped.start, shipped.end) != (period.start, period.end):
        labels = ", ".join(p.label for p in covering)
        return _(
            "la période %(period)s chevauche %(labels)s du tableau livré avec clausier "
            "(rules/data/legal_rates.csv), qui fait foi"
        ) % {"period": period.label, "labels": labels}
    ours = (_percent(shipped.professionnel), _percent(shipped.particulier))
    if ours != (rate.professional.normalize(), rate.consumer.normalize()):
        return _(
            "%(period)s figure déjà dans le tableau livré avec clausier "
            "(rules/data/legal_rates.csv) : %(professional)s %% (créancier professionnel) / "
            "%(consumer)s %% (créancier particulier), source « %(source)s » ; le tableau "
            "livré fait foi"
        ) % {
            "period": period.label,
            "professional": ours[0],
            "consumer": ours[1],
            "source": shipped.source,
        }
    return ""


def gap(table: LegalRateTable, period: Period) -> str:
    """Why ``period`` cannot join ``table`` ("" when it follows or precedes it directly):
    the table has no hole, so periods are entered in the order they are published."""
    periods = table.periods
    if not periods:
        return ""
    first, last = periods[0], periods[-1]
    if period.end < first.start and (first.start - period.end).days != 1:
        return _(
            "la période %(period)s laisse un trou avant %(first)s : saisissez d'abord "
            "les périodes intermédiaires"
        ) % {"period": period.label, "first": first.label}
    if period.start > last.end and (period.start - last.end).days != 1:
        return _(
            "le tableau s'arrête à %(last)s : saisissez d'abord la période qui suit "
            "%(last)s, un taux n'est jamais deviné pour l'intervalle"
        ) % {"last": last.label}
    return ""


def overlay(packaged: LegalRateTable, rates: Iterable[StaffRate]) -> LegalRateTable:
    """The packaged table with the staff periods it lacks.

    A staff row the packaged table covers adds nothing (it says the same, see
    :func:`contradiction`; a later release may ship it). Rows are taken in date order and
    only while they join the table without a hole, so the table stays contiguous even if a
    row in the middle went missing: a date beyond the hole raises ``MissingRateError`` as
    any date the table lacks."""
    rates = list(rates)
    added: list[LegalRatePeriod] = []
    table = packaged

    # Periods after the packaged table are joined in date order, then the periods before it
    # in reverse date order.
    def start(rate: StaffRate) -> date:
        return rate.period.start

    for rate in [*sorted(rates, key=start), *sorted(rates, key=start, reverse=True)]:
        covered = any(
            p.start <= rate.period.end and rate.period.start <= p.end for p in table.periods
        )
        if covered or gap(table, rate.period):
            continue
        added.append(rate.as_period())
        table = LegalRateTable([*packaged.periods, *added])
    return table
