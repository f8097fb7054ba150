"""Taking the next number of a series, gapless and chronological (BOFiP TVA-DECLA-30-20-20)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from clausier.numbering.models import Counter

WIDTH = 6


@dataclass(frozen=True)
class Number:
    sequence: int
    label: str


def format_number(*, prefix: str, year: int, sequence: int) -> str:
    """``F2026-000123``: prefix, year, dash, the sequence on six digits."""
    return f"{prefix}{year}-{sequence:0{WIDTH}d}"


def next_number(*, seller, series: str, year: int, prefix: str) -> Number:
    """The next number of ``series`` for ``seller`` and ``year``.

    Must run inside the transaction that issues the document: the counter row stays locked
    until it commits, and a rollback gives the number back, so the series has no gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the issuing transaction")
    # Create the row once (a concurrent creator makes this a no-op), then lock it.
    Counter.objects.bulk_create(
        [Counter(seller=seller, series=series, year=year)], ignore_conflicts=True
    )
    counter = Counter.objects.select_for_update().get(seller=seller, series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return Number(
        sequence=counter.last_number,
        label=format_number(prefix=prefix, year=year, sequence=counter.last_number),
    )
