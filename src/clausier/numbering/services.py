"""Taking the next number of a series, gapless and chronological (BOFiP TVA-DECLA-30-20-20)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

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
    return next_numbers(seller=seller, series=series, year=year, prefix=prefix, count=1)[0]


def next_numbers(*, seller, series: str, year: int, prefix: str, count: int) -> list[Number]:
    """The next ``count`` consecutive numbers of ``series`` for ``seller`` and ``year``, in
    order (a billing run takes one block for the documents it issues together).

    One statement creates the counter row or moves it on by ``count``: ``INSERT ... ON
    CONFLICT DO UPDATE`` locks the row it updates until the transaction ends (PostgreSQL
    waits for a concurrent holder to commit, then adds to the value it committed; SQLite has
    one writer at a time), so concurrent issuers never share or skip a number, and a
    rollback gives the whole block back. Must run inside the issuing transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the issuing transaction")
    if count < 1:
        raise ValueError("count must be at least 1")
    last = _move(seller=seller, series=series, year=year, by=count)
    return [
        Number(sequence=sequence, label=format_number(prefix=prefix, year=year, sequence=sequence))
        for sequence in range(last - count + 1, last + 1)
    ]


def lock_series(*, seller, series: str, year: int) -> int:
    """Lock the counter of ``series`` (created at 0 when missing) until the transaction
    ends and return its last number, taking none: a billing run locks the series once,
    numbers the documents that pass their checks, then takes exactly that many with
    :func:`next_numbers`. Must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_series() must run inside the issuing transaction")
    return _move(seller=seller, series=series, year=year, by=0)


def _move(*, seller, series: str, year: int, by: int) -> int:
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (seller_id, series, year, last_number) "
            "VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (seller_id, series, year) "
            f"DO UPDATE SET last_number = {table}.last_number + EXCLUDED.last_number "
            "RETURNING last_number",
            [getattr(seller, "pk", seller), series, year, by],
        )
        (last,) = cursor.fetchone()
    return last
