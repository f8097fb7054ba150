"""Reads of the legal-rate table. The rates are the State's, the same for every seller: no
seller scope."""

from __future__ import annotations

from decimal import Decimal

from clausier.legal import domain
from clausier.legal.models import LegalRate
from clausier.rules.interest import LegalRateTable


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


def legal_rate_table() -> LegalRateTable:
    """The legal-rate table in force: the packaged CSV with the periods staff added (one
    query). Pass it as ``table=`` to every ``rules.interest`` function."""
    rates = staff_rates()
    packaged = LegalRateTable.default()
    if not rates:
        return packaged
    return domain.overlay(packaged, rates)
