"""Reads of the legal-rate table. The rates are the State's, the same for every seller: no
seller scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache

from clausier.legal import domain
from clausier.legal.models import EcbRate, LegalRate
from clausier.rules.ecb import EcbRatePeriod, EcbRateTable
from clausier.rules.errors import MissingRateError
from clausier.rules.interest import LegalRatePeriod, LegalRateTable


def staff_rates() -> list[domain.StaffRate]:
    return [
        domain.StaffRate(
            period=domain.Period(year, semester),
            professional=Decimal(professional),
            consumer=Decimal(consumer),
            source=source,
        )
        for year, semester, professional, consumer, source in LegalRate.objects.order_by(
            "year", "semester"
        ).values_list("year", "semester", "professional", "consumer", "source")
    ]


def _overlaid() -> LegalRateTable:
    rates = staff_rates()
    packaged = LegalRateTable.default()
    if not rates:
        return packaged
    return domain.overlay(packaged, rates)


class _TableInForce(LegalRateTable):
    """The packaged table, reading the staff rows only for a date it lacks.

    Where the packaged table has a period, a staff row can only repeat it (a contradiction
    is refused at save and left out by :func:`domain.overlay`), so the database is asked
    only for a date beyond the packaged table: issuing an invoice dated in a packaged
    semester costs no query."""

    def __init__(self) -> None:
        super().__init__(LegalRateTable.default().periods)
        self._in_force: LegalRateTable | None = None

    def _full(self) -> LegalRateTable:
        if self._in_force is None:
            self._in_force = _overlaid()
        return self._in_force

    @property
    def periods(self) -> tuple[LegalRatePeriod, ...]:
        return self._full().periods

    def period_on(self, on: date, *, argument: str = "on") -> LegalRatePeriod:
        try:
            return super().period_on(on, argument=argument)
        except MissingRateError:
            return self._full().period_on(on, argument=argument)


def legal_rate_table() -> LegalRateTable:
    """The legal-rate table in force: the packaged CSV with the periods staff added. Pass
    it as ``table=`` to every ``rules.interest`` function. The staff rows are read (one
    query, once per table) only when a date the packaged table lacks is asked for."""
    return _TableInForce()


# Where the table in force stops, for the back-office banner: read once, kept a few minutes,
# forgotten when staff record a rate (``services.record_legal_rate``).
TABLE_END_CACHE_KEY = "clausier.legal.table_end"
TABLE_END_CACHE_SECONDS = 300


def forget_table_end() -> None:
    cache.delete(TABLE_END_CACHE_KEY)


def missing_period(*, on: date) -> domain.Period | None:
    """The first period the table lacks when it does not cover ``on`` (the semester to enter
    next), else None. No query while the packaged table covers ``on``; beyond it, one query
    (the staff rows), cached for :data:`TABLE_END_CACHE_SECONDS`."""
    packaged_end = LegalRateTable.default().periods[-1].end
    if on <= packaged_end:
        return None
    end = cache.get(TABLE_END_CACHE_KEY)
    if end is None:
        end = legal_rate_table().periods[-1].end
        cache.set(TABLE_END_CACHE_KEY, end, TABLE_END_CACHE_SECONDS)
    if on <= end:
        return None
    return domain.period_on(end + timedelta(days=1))


@dataclass(frozen=True, slots=True)
class RateRow:
    """One period of the table in force, as the platform screen lists it."""

    period: domain.Period
    professional: Decimal  # percent
    consumer: Decimal  # percent
    source: str
    decree_date: date | None
    journal_reference: str
    shipped: bool  # in the table shipped with clausier
    recorded_by: str
    recorded_at: datetime | None


def rate_rows() -> list[RateRow]:
    """Every period of the table in force, latest first: the shipped ones and those staff
    added, with their source. Two queries, whatever the number of rows."""
    entered = {(row.year, row.semester): row for row in LegalRate.objects.all()}
    shipped = {(p.start, p.end) for p in LegalRateTable.default().periods}
    rows = []
    for period in reversed(legal_rate_table().periods):
        named = domain.period_on(period.start)
        row = entered.get((named.year, named.semester))
        rows.append(
            RateRow(
                period=named,
                professional=(period.professionnel * 100).quantize(Decimal("0.01")),
                consumer=(period.particulier * 100).quantize(Decimal("0.01")),
                source=period.source,
                decree_date=row.decree_date if row else None,
                journal_reference=row.journal_reference if row else "",
                shipped=(period.start, period.end) in shipped,
                recorded_by=row.recorded_by_label if row else "",
                recorded_at=row.updated_at if row else None,
            )
        )
    return rows


# --- the ECB refinancing rate ----------------------------------------------------------------


def semester_span(year: int, semester: int) -> tuple[date, date]:
    if semester == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def staff_ecb_periods() -> list[EcbRatePeriod]:
    """The semesters staff added after the shipped table, oldest first."""
    return [
        EcbRatePeriod(*semester_span(year, semester), rate=Decimal(rate) / 100, source=source)
        for year, semester, rate, source in EcbRate.objects.order_by(
            "year", "semester"
        ).values_list("year", "semester", "rate", "source")
    ]


def _ecb_overlaid() -> EcbRateTable:
    packaged = EcbRateTable.default()
    shipped = {period.start for period in packaged.periods}
    added = [period for period in staff_ecb_periods() if period.start not in shipped]
    return EcbRateTable([*packaged.periods, *added]) if added else packaged


class _EcbTableInForce(EcbRateTable):
    """The shipped ECB table, reading the staff rows only for a date it lacks (so a date in
    a shipped semester costs no query)."""

    def __init__(self) -> None:
        super().__init__(list(EcbRateTable.default().periods))
        self._in_force: EcbRateTable | None = None

    def _full(self) -> EcbRateTable:
        if self._in_force is None:
            self._in_force = _ecb_overlaid()
        return self._in_force

    @property
    def periods(self) -> tuple[EcbRatePeriod, ...]:
        return self._full().periods

    def period_on(self, on: date) -> EcbRatePeriod:
        try:
            return super().period_on(on)
        except MissingRateError:
            return self._full().period_on(on)


def ecb_rate_table() -> EcbRateTable:
    """The ECB refinancing rate table in force: the shipped CSV (the seed data) with the
    semesters staff added. Pass it as ``ecb_table=`` to the late-penalty rate."""
    return _EcbTableInForce()
