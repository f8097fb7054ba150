"""Benchmarks of clausier, each reported as a ratio against a raw baseline of the same run.

Run with ``make bench``. The machine is shared and noisy, so every figure is the best of
several rounds, and what matters is the ratio to the baseline measured a moment before on
the same machine, not the absolute number. Results go to ``var/bench/latest.json``, a list
with one object per benchmark, so that runs can be compared.

Rules benchmarks (no database):
- ``deadline_jours_ouvres``: ``deadline(n=14, unit="jours_ouvres")`` with its explanation,
  against a bare loop that skips weekends only (no holidays, no explanation).
- ``late_interest``: ``late_interest()`` with two partial payments, against the one-line
  Decimal formula principal × rate × days / 365 for a single balance.
- ``business_hours_add``: ``BusinessHours.add()`` of 2 h on the Mon-Fri 9-18 Paris clock,
  against an aware ``datetime + timedelta``.

Invoicing benchmarks (PostgreSQL, see ``benchmarks/invoicing.py``):
- ``issue_invoice_no_pdf``: invoices of 5 lines issued per second (``--invoices``, 1000),
  against single-row INSERTs of rows as wide as an invoice.
- ``issue_invoices_billing_run``: the same N issued through the billing run
  (``issue_invoices``, chunks of one transaction), against the same baseline.
- ``issue_invoices_billing_run_<k>_processes``: the billing run in one process per core
  (``clausier issue-invoices --workers k``), against the same baseline.
- ``issue_invoice_pdf``: the same with each PDF rendered after the commit in a process pool
  of one worker per core (``--pdf-invoices``, 100; 0 skips it).

Printing benchmarks (no database, see ``benchmarks/printing.py``):
- ``typst_facturx_pdf_per_core``: Factur-X invoice PDFs per CPU second of one process,
  against the same template and data compiled by Typst without the Factur-X step.
- ``typst_facturx_pdf_<k>_processes``: the same in one process per core, per wall-clock
  second, against the same pool without the Factur-X step (``--pdfs``, 200 a process; 0
  skips both).

HTTP benchmark (PostgreSQL, see ``benchmarks/http_load.py``): the production server
(gunicorn, 2 workers) on the demo data, loaded at a constant rate (open loop) for
``--http-duration`` seconds (30) at each of ``--http-rates`` (50,100,200) requests/s:
- ``http_<page>_<rate>rps_p99``: the p99 latency (ms) of a staff user's invoice list,
  invoice page and quotes list, against the p99 of ``GET /healthz`` (the Django stack and one
  query) at the same rate; ``details`` holds p50/p90/p99, errors and the schedule's lag of both.

Metering benchmarks (PostgreSQL, see ``benchmarks/metering.py``), against the raw path
measured in the same run:
- ``events_ingest_raw``: ``--events`` (200,000) usage events by ``COPY FROM STDIN``;
- ``events_ingest_service``: the same through ``metering.services.ingest``, batches of 1,000;
- ``events_ingest_http``: the same posted to ``POST /api/v1/events`` (gunicorn, 2 workers) at
  ``--http-batch-rate`` batches/s (30), p50/p99 per batch in ``details``;
- ``aggregation``, ``aggregation_sql_per_subscription`` against ``aggregation_raw`` (a raw
  ``GROUP BY``): ``--aggregation-events`` (10,000,000) over ``--subscriptions`` (1,000);
- ``billing_run``: the usage billing run of that month for every subscription, end to end
  (aggregate, rate, draft, issue; no PDF), invoices/s against committed single-row INSERTs of
  the same invoice rows (``billing_run_vs_copy``: against a COPY of its invoice, line and
  usage rows); ``billing_run_pdf``: ``--pdf-subscriptions`` (100) with their PDFs
  (``benchmarks/usage_billing.py``; ``--no-billing-run`` skips them).
``--quick``: 20,000 events and 200,000 for the aggregation, for a fast smoke run;
``--metering-only`` runs these alone, ``--no-metering`` skips them.

Usage: ``python benchmarks/run.py [--invoices N] [--pdf-invoices M] [--pdfs P] [--no-database]
[--http-duration S] [--http-rates 50,100,200] [--no-http] [--http-only]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from clausier.rules.calendar import FrenchCalendar  # noqa: E402
from clausier.rules.deadlines import deadline  # noqa: E402
from clausier.rules.hours import BusinessHours  # noqa: E402
from clausier.rules.interest import late_interest  # noqa: E402

ROUNDS = 5


@dataclass(frozen=True)
class Result:
    name: str
    unit: str
    value: float
    baseline: str
    baseline_value: float
    ratio: float
    database: str
    date: str
    rows: int
    details: dict | None = None


def best_rate(fn: Callable[[int], None], n: int) -> float:
    """Operations per second: the best of ROUNDS runs of ``fn(i)`` for i in range(n)."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for i in range(n):
            fn(i)
        best = min(best, time.perf_counter() - started)
    return n / best


def measure(name: str, baseline: str, n: int, subject, raw) -> Result:
    baseline_value = best_rate(raw, n)
    value = best_rate(subject, n)
    return Result(
        name=name,
        unit="ops/s",
        value=round(value, 1),
        baseline=baseline,
        baseline_value=round(baseline_value, 1),
        ratio=round(value / baseline_value, 4),
        database="none",
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        rows=n,
    )


def bench_deadline(n: int) -> Result:
    calendar = FrenchCalendar()
    starts = [date(2026, 1, 1) + timedelta(days=i % 365) for i in range(n)]

    def raw(i: int) -> None:
        d, left = starts[i], 14
        while left:
            d += timedelta(days=1)
            if d.weekday() < 5:
                left -= 1

    def subject(i: int) -> None:
        deadline(start=starts[i], n=14, unit="jours_ouvres", calendar=calendar)

    return measure("deadline_jours_ouvres", "weekday-only loop", n, subject, raw)


def bench_late_interest(n: int) -> Result:
    principal, rate = Decimal("1234.56"), Decimal("0.0786")
    due = date(2026, 3, 2)
    payments = [(date(2026, 3, 20), Decimal("400.00")), (date(2026, 4, 15), Decimal("300.00"))]

    def raw(i: int) -> None:
        days = 30 + i % 60
        (principal * rate * days / 365).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def subject(i: int) -> None:
        late_interest(
            principal=principal,
            due=due,
            until=due + timedelta(days=30 + i % 60),
            annual_rate=rate,
            payments=payments,
        )

    return measure("late_interest", "single-balance Decimal formula", n, subject, raw)


def bench_business_hours(n: int) -> Result:
    clock = BusinessHours.weekdays()
    paris = ZoneInfo("Europe/Paris")
    starts = [datetime(2026, 1, 5, 8, tzinfo=paris) + timedelta(minutes=37 * i) for i in range(n)]
    two_hours = timedelta(hours=2)

    def raw(i: int) -> None:
        starts[i] + two_hours

    def subject(i: int) -> None:
        clock.add(starts[i], two_hours)

    return measure("business_hours_add", "aware datetime + timedelta", n, subject, raw)


def main() -> None:
    parser = argparse.ArgumentParser(description="clausier benchmarks -> var/bench/latest.json")
    parser.add_argument("--invoices", type=int, default=1000, help="invoices issued without PDF")
    parser.add_argument("--pdf-invoices", type=int, default=100, help="invoices with their PDF")
    parser.add_argument("--pdfs", type=int, default=200, help="PDFs printed by each process")
    parser.add_argument(
        "--no-database",
        action="store_true",
        help="the rules and printing benchmarks only (no PostgreSQL)",
    )
    parser.add_argument("--http-duration", type=float, default=30, help="seconds per HTTP run")
    parser.add_argument("--http-rates", default="50,100,200", help="requests/s, comma separated")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP benchmark")
    parser.add_argument("--http-only", action="store_true", help="the HTTP benchmark alone")
    parser.add_argument("--events", type=int, default=200_000, help="events ingested")
    parser.add_argument(
        "--aggregation-events", type=int, default=10_000_000, help="events aggregated"
    )
    parser.add_argument("--subscriptions", type=int, default=1_000, help="subscriptions")
    parser.add_argument(
        "--http-batch-rate", type=float, default=30, help="batches of 1,000 events/s posted"
    )
    parser.add_argument("--quick", action="store_true", help="metering at a smoke-test size")
    parser.add_argument("--no-metering", action="store_true", help="skip the metering benchmarks")
    parser.add_argument("--metering-only", action="store_true", help="the metering ones alone")
    parser.add_argument(
        "--no-billing-run", action="store_true", help="skip the usage billing run figures"
    )
    parser.add_argument(
        "--pdf-subscriptions", type=int, default=100, help="billing_run_pdf size (0 skips it)"
    )
    args = parser.parse_args()
    if args.quick:
        args.events, args.aggregation_events = 20_000, 200_000
    if args.metering_only:
        results = bench_metering(args)
    elif args.http_only:
        results = bench_http(args)
    else:
        results = other_benchmarks(args)
        if not (args.no_metering or args.no_database):
            results += bench_metering(args)
        if not (args.no_http or args.no_database):
            results += bench_http(args)
    write(results)


def bench_metering(args) -> list[Result]:
    import metering

    with tempfile.TemporaryDirectory(prefix="clausier-bench-metering-") as media:
        return metering.run(
            events=args.events,
            aggregation_events=args.aggregation_events,
            subscriptions=args.subscriptions,
            http_batch_rate=args.http_batch_rate,
            result_type=Result,
            media=Path(media),
            http=not args.no_http,
            billing_run=not args.no_billing_run,
            pdf_subscriptions=args.pdf_subscriptions,
        )


def bench_http(args) -> list[Result]:
    import http_load

    import invoicing

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clausier.settings")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rates = [float(r) for r in args.http_rates.split(",")]
    with invoicing.bench_database() as url:
        return http_load.run(
            rates=rates, duration=args.http_duration, result_type=Result, now=now, database_url=url
        )


def other_benchmarks(args) -> list[Result]:
    scale = int(os.environ.get("BENCH_SCALE", "1"))
    results = [
        bench_deadline(2_000 * scale),
        bench_late_interest(2_000 * scale),
        bench_business_hours(2_000 * scale),
    ]
    if args.pdfs > 0:
        import printing

        now = datetime.now(UTC).isoformat(timespec="seconds")
        results += printing.run(pdfs=args.pdfs, result_type=Result, now=now)
    if not args.no_database:
        import invoicing

        with tempfile.TemporaryDirectory(prefix="clausier-bench-media-") as media:
            results += invoicing.run(
                invoices=args.invoices,
                pdf_invoices=args.pdf_invoices,
                result_type=Result,
                media=Path(media),
            )
    return results


def write(results: list[Result]) -> None:
    out_dir = Path(os.environ.get("CLAUSIER_VAR_DIR", ROOT / "var")) / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    report = [asdict(r) | {"python": platform.python_version()} for r in results]
    (out_dir / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    width = max(len(r.name) for r in results)
    print(f"{'benchmark':<{width}}  {'value':>12}  {'unit':<10}  {'baseline':>12}  ratio")
    for r in results:
        print(
            f"{r.name:<{width}}  {r.value:>12,.1f}  {r.unit:<10}  {r.baseline_value:>12,.1f}  "
            f"{r.ratio:.4f}"
        )
    print(f"written to {out_dir / 'latest.json'}")


if __name__ == "__main__":
    main()
