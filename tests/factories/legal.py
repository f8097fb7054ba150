"""Fictitious rates for the tests. The real 2026 S2 legal rate is whatever the Journal
officiel publishes: it is never written in clausier's code, data or demo. These values are
deliberately absurd (9.99 % / 19.99 %) so that nobody mistakes them for the real one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from clausier.legal import services

FICTITIOUS = {"professional": "9.99", "consumer": "19.99"}
FICTITIOUS_SOURCE = "Arrêté fictif du 1er janvier 2099 (JO fictif), valeur de test"


def add_fictitious_rate(period: str = "2026-S2", *, by=None, **overrides):
    values = FICTITIOUS | {"source": FICTITIOUS_SOURCE} | overrides
    return services.record_legal_rate(period=period, by=by, **values)


def periods_until(day: date) -> list[str]:
    """Every semester from 2026 S2 (the first the packaged table lacks) to ``day``'s."""
    periods, year, semester = [], 2026, 2
    while (year, semester) <= (day.year, 1 if day.month <= 6 else 2):
        periods.append(f"{year}-S{semester}")
        year, semester = (year, 2) if semester == 1 else (year + 1, 1)
    return periods


def add_fictitious_rates_until_today() -> None:
    for period in periods_until(timezone.localdate()):
        add_fictitious_rate(period)


# 3 × 9.99 % (the agency's clause, seed 002 art. 6)
FICTITIOUS_AGENCY_PENALTY = Decimal("29.97")
