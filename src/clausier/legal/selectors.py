"""Reads of the legal-rate table. The rates are the State's, the same for every seller: no
seller scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clausier.legal import domain
from clausier.legal.models import LegalRate
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
