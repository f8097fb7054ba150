"""The monthly usage billing run end to end, against raw INSERTs of the rows it writes.

Run by :mod:`metering` (``run.py --metering-only``) on its database, after the aggregation
figures, so the month of October 2026 holds ``--aggregation-events`` events over the
``--subscriptions`` (1,000) subscriptions:

- ``billing_run``: ``invoicing.services.usage.bill_usage`` of October for every subscription,
  timed from the call to its return: the month aggregated and rated (one grouped query),
  one draft per subscription (its lines, its ``UsageBilling`` row, audit), each issued
  (numbering, snapshot, hash chain, Factur-X XML validated and stored, audit, the
  ``InvoiceIssued`` facts and their reactions, the delivery task queued), the outcomes
  recorded. No PDF: production prints them afterwards in the delivery tasks.
- ``billing_run_pdf``: the same run for ``--pdf-subscriptions`` (100) subscriptions of
  November (the others set aside for the run), then each invoice's PDF rendered and stored by
  ``invoicing.delivery.ensure_pdf`` (what the delivery task calls) in a pool of one process
  per core; the clock stops when the last PDF is stored.

Baseline (``benchmarks.invoicing._baseline``): the same number of committed single-row
``INSERT`` statements of the very invoice rows just issued (snapshot JSON included) into a
table ``LIKE invoicing_invoice``. A second figure, ``billing_run_raw_bulk``, is the bare
floor of the writes: the run's invoice, line and ``UsageBilling`` rows inserted again by
``COPY`` in one transaction (no check, no number, no audit): the ratio to it says how far
the run is from writing its rows and nothing else.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)
SEPTEMBER = date(2026, 9, 1)
SEPTEMBER_RUN_AT = datetime(2026, 10, 1, 4, 0, tzinfo=PARIS)
RUN_AT = datetime(2026, 11, 1, 4, 0, tzinfo=PARIS)
PDF_RUN_AT = datetime(2026, 12, 1, 4, 0, tzinfo=PARIS)


def _worker_init(url: str, media: str) -> None:
    from invoicing import _setup_django

    _setup_django(url, Path(media))


def _print(pk: int) -> int:
    from clausier.invoicing.delivery import ensure_pdf
    from clausier.invoicing.models import Invoice

    ensure_pdf(Invoice.objects.get(pk=pk))
    return pk


def _warm(_: int) -> int:
    from django.db import connection

    from clausier.invoicing import delivery  # noqa: F401

    connection.ensure_connection()
    time.sleep(0.2)
    return os.getpid()


def _set_aside(seller, keep: list[int]):
    """Every subscription of ``seller`` but ``keep`` suspended for a run; the undo."""
    from clausier.metering.models import Subscription, SubscriptionStatus

    others = list(
        Subscription.objects.filter(seller=seller, status=SubscriptionStatus.ACTIVE)
        .exclude(pk__in=keep)
        .values_list("pk", flat=True)
    )
    Subscription.objects.filter(pk__in=others).update(status=SubscriptionStatus.SUSPENDED)

    def undo():
        Subscription.objects.filter(pk__in=others).update(status=SubscriptionStatus.ACTIVE)

    return undo


def billing_run(*, seller, subs: list[int]) -> tuple[float, dict]:
    """Invoices per second of ``bill_usage`` of October over every subscription."""
    from clausier.invoicing.models import Invoice, InvoiceStatus, UsageBilling
    from clausier.invoicing.services.usage import bill_usage

    started = time.perf_counter()
    run = bill_usage(period=OCTOBER, seller=seller, by=None, now=RUN_AT)
    elapsed = time.perf_counter() - started
    invoices = list(
        UsageBilling.objects.filter(period_start=OCTOBER, invoice__isnull=False).values_list(
            "invoice_id", flat=True
        )
    )
    issued = Invoice.objects.filter(pk__in=invoices, status=InvoiceStatus.ISSUED).count()
    if issued != len(subs) or run.done != len(subs):
        raise SystemExit(
            f"benchmark: the billing run issued {issued} invoices for {len(subs)} subscriptions"
        )
    return issued / elapsed, {"seconds": round(elapsed, 2), "invoice_ids": invoices}


def raw_bulk(invoice_ids: list[int]) -> float:
    """Invoices per second: the run's invoice, line and usage billing rows copied again into
    tables of the same columns, by ``COPY`` in one transaction."""
    from django.db import connection, transaction
    from psycopg.types.json import Jsonb

    tables = {
        "invoicing_invoice": "id = ANY(%s)",
        "invoicing_invoiceline": "invoice_id = ANY(%s)",
        "invoicing_usagebilling": "invoice_id = ANY(%s)",
    }
    data = {}
    with connection.cursor() as cursor:
        for table, where in tables.items():
            cursor.execute(f"DROP TABLE IF EXISTS bench_raw_{table}")
            cursor.execute(f"CREATE TABLE bench_raw_{table} (LIKE {table})")
            cursor.execute(f"SELECT * FROM {table} WHERE {where}", [invoice_ids])
            columns = [c.name for c in cursor.description]
            types = [c.type_code for c in cursor.description]
            rows = [
                tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row)
                for row in cursor.fetchall()
            ]
            data[table] = (columns, types, rows)
    best = float("inf")
    for _ in range(3):
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"TRUNCATE bench_raw_{table}")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, _types, rows) in data.items():
                with cursor.cursor.copy(
                    f"COPY bench_raw_{table} ({', '.join(columns)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
        best = min(best, time.perf_counter() - started)
    return len(invoice_ids) / best


def load_month(seller_id: int, meter_id: int, subs: list[int], *, month: date, received) -> None:
    """20 events a subscription of ``subs`` in ``month`` (from its second day), received
    at ``received``, by COPY."""
    from psycopg.types.json import Jsonb

    from metering import copy_rows

    start = datetime(month.year, month.month, 2, tzinfo=PARIS)
    properties = Jsonb({"region": "par"})
    copy_rows(
        (
            seller_id,
            f"{month:%Y%m}-{n:07d}",
            subs[n % len(subs)],
            meter_id,
            start + timedelta(hours=n % 600),
            Decimal(n % 50 + 100),  # at least 0.20 EUR a month: every one invoiced
            properties,
            received,
        )
        for n in range(len(subs) * 20)
    )


def billing_run_pdf(*, seller, meter, subs: list[int], url: str, media: Path) -> float:
    """Invoices per second of ``bill_usage`` of November over ``subs`` then their PDFs
    printed by ``ensure_pdf`` in a pool of one process per core."""
    from django.db import connection

    from clausier.invoicing.models import UsageBilling
    from clausier.invoicing.services.usage import bill_usage

    load_month(seller.pk, meter.pk, subs, month=NOVEMBER, received=PDF_RUN_AT - timedelta(days=1))
    undo = _set_aside(seller, subs)
    workers = os.cpu_count() or 1
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(url, str(media)),
    )
    try:
        pids = set()
        while len(pids) < workers:
            pids |= set(pool.map(_warm, range(workers * 2)))
        started = time.perf_counter()
        run = bill_usage(period=NOVEMBER, seller=seller, by=None, now=PDF_RUN_AT)
        ids = list(
            UsageBilling.objects.filter(period_start=NOVEMBER, invoice__isnull=False).values_list(
                "invoice_id", flat=True
            )
        )
        printed = list(pool.map(_print, ids))
        elapsed = time.perf_counter() - started
    finally:
        pool.shutdown()
        undo()
        connection.close()
    if len(printed) != len(subs):
        from clausier.invoicing.models import UsageBillingOutcome

        outcomes = list(
            UsageBillingOutcome.objects.filter(run=run)
            .exclude(outcome="invoiced")
            .values_list("subscription_id", "outcome", "message")
        )
        raise SystemExit(f"benchmark: {len(printed)} PDFs for {len(subs)}: {outcomes[:5]}")
    return len(printed) / elapsed


def profile(*, seller, meter, subs: list[int]) -> int:
    """Where a run's time goes: pyinstrument over a run of September for ``subs`` alone
    (printed), and the queries of that run per invoice (returned)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clausier.invoicing.services.usage import bill_usage

    load_month(seller.pk, meter.pk, subs, month=SEPTEMBER, received=SEPTEMBER_RUN_AT)
    undo = _set_aside(seller, subs)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("usage billing: pyinstrument is not installed, no profile")
        Profiler = None
    try:
        profiler = Profiler(interval=0.0005) if Profiler else None
        with CaptureQueriesContext(connection) as queries:
            if profiler:
                profiler.start()
            run = bill_usage(period=SEPTEMBER, seller=seller, by=None, now=SEPTEMBER_RUN_AT)
            if profiler:
                profiler.stop()
    finally:
        undo()
    if profiler:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    per_invoice = len(queries) / max(run.done, 1)
    print(
        f"usage billing: {len(queries)} queries for {run.done} subscriptions "
        f"({per_invoice:.1f} each)"
    )
    return round(per_invoice, 1)
