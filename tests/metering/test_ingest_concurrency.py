"""Exactly once under concurrent retries, on PostgreSQL.

A runtime that times out retries its batch while the first attempt is still running: here 8
processes, each with its own connection, send the same batch of 2,000 events at once. The
unique index on (seller, event_id) and ``INSERT ... ON CONFLICT DO NOTHING`` make the
second writer of an id wait for the first to commit, then insert nothing: every event is
stored once, the accepted counts add up to the batch, and every other answer counts the
rest as duplicates.

The processes are new ones, started once the data is committed (``transaction=True``), as
in ``tests/invoicing/test_numbering_concurrency.py``.
"""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connections

from clausier.kernel.processes import django_pool
from clausier.metering.models import UsageEvent
from tests.factories.metering import active_subscription, meter
from tests.factories.orders import install_paas
from tests.factories.quotes import paris

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

PROCESSES = 8
EVENTS = 2_000
NOW = paris(2026, 6, 1, 12, 0)


def _send(seller_id: int, batch: list[dict], barrier, results) -> None:
    """Run in a child process: send ``batch`` once, report the answer's counts."""
    from clausier.metering import services
    from clausier.sellers.models import Seller

    seller = Seller.objects.get(pk=seller_id)
    barrier.wait(timeout=120)
    result = services.ingest(seller=seller, events=batch, by=None, now=NOW)
    connections.close_all()
    results.put((result.accepted, result.duplicates, len(result.rejected)))


def test_the_same_batch_sent_by_eight_processes_at_once_is_stored_once():
    from tests.factories import make_client

    paas = install_paas()
    client = make_client(paas, kind="company", name="Studio Graphique Loire SARL")
    subscription = active_subscription(paas, client)
    meter(paas, "requests")
    batch = [
        {
            "id": f"evt-{n:05d}",
            "subscription": subscription.pk,
            "meter": "requests",
            "timestamp": "2026-06-01T09:00:00Z",
            "value": n % 7,
        }
        for n in range(EVENTS)
    ]

    with django_pool(PROCESSES) as pool, multiprocessing.get_context("spawn").Manager() as sync:
        barrier, results = sync.Barrier(PROCESSES), sync.Queue()
        workers = [
            pool.apply_async(_send, (paas.pk, batch, barrier, results)) for _ in range(PROCESSES)
        ]
        answers = [results.get(timeout=300) for _ in workers]
        for worker in workers:
            worker.get(timeout=30)

    assert sum(accepted for accepted, _, _ in answers) == EVENTS
    assert all(accepted + duplicates == EVENTS for accepted, duplicates, _ in answers)
    assert all(rejected == 0 for _, _, rejected in answers)
    assert UsageEvent.objects.count() == EVENTS
    assert sorted(UsageEvent.objects.values_list("event_id", flat=True)) == [
        f"evt-{n:05d}" for n in range(EVENTS)
    ]
    assert sum(UsageEvent.objects.values_list("value", flat=True)) == sum(
        n % 7 for n in range(EVENTS)
    )
