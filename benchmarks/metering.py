"""Usage events ingested and aggregated, against the database's raw paths, on PostgreSQL.

What runs, on a database of our own (``benchmarks.invoicing.bench_database``):

0. ``migrate``; the PaaS host of seed 000 with its catalog, one company client, one paid
   online order whose service started (its subscription, through the real services), then
   ``--subscriptions`` (1,000) subscriptions cloned from it in bulk (not timed), and a
   ``requests`` meter (``sum``).
1. ``events_ingest_raw``: ``--events`` (200,000) rows written into ``metering_usageevent``
   by the fastest path from Python: PostgreSQL ``COPY ... FROM STDIN`` (psycopg's
   ``cursor.copy``, binary rows built beforehand, one transaction), events per second.
2. ``events_ingest_service``: as many events, as the API receives them (JSON objects: id,
   subscription, meter, ISO timestamp, value, properties), through
   ``metering.services.ingest`` in batches of 1,000 (each event checked, dedup on
   ``(seller, id)``, one transaction and one audit event per batch): events per second,
   against (1).
3. ``events_ingest_http``: batches of 1,000 such events as JSON bodies posted to
   ``POST /api/v1/events`` with the seller's API token, served by the production server
   (gunicorn, 2 workers, ``benchmarks.http_load.production_server``), by the bounded
   open-loop load generator (``http_load.run_constant_rate``, at most 8 connections) at
   ``--http-batch-rate`` batches a second: events per second from the first request sent to
   the last answer, against (1); then at half the pace reached for about 20 s, where the
   p50/p99 per batch are the batches' own and not the queue's (both in ``details``).
4. ``aggregation`` of ``--aggregation-events`` (10,000,000) events spread over the
   subscriptions and one month, loaded with the raw path (1), then ``VACUUM ANALYZE``:
   each subscription's quantity for the month, as billing computes it, against
   ``aggregation_raw``, one ``GROUP BY subscription_id, meter_id`` over the same rows and
   period, fetched into Python. Subscriptions per second (the figure is the ratio).
   The subject is ``metering.rating.rate_subscriptions`` over all the subscriptions (what
   the billing run asks: one grouped query for ``sum`` meters, then the price versions and
   the explanations). Other designs, against the same baseline:
   ``aggregation_domain_per_subscription``, the pure ``metering.domain.aggregate`` over
   each subscription's events read through the ``(subscription, meter, timestamp)`` index;
   ``aggregation_sql_per_subscription``,
   one ``SUM`` query per subscription through the same index (the database adds up, Python
   reads one row), and ``aggregation_orm_grouped``, one ORM query grouped by subscription for
   the whole run.

Every ratio is against a baseline measured in the same run, minutes apart, on the same
shared 2-core machine: the absolute figures are noisy, the ratios less so. A pyinstrument
profile of the service path (2) is printed when pyinstrument is installed (the dev group).
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from invoicing import _setup_django, bench_database

BATCH = 1_000
SELLER = "clever-cloud"
METER = "requests"
# The month every event falls in: closed, in the past, inside the future margin's reach.
MONTH_START = datetime(2026, 10, 1, tzinfo=UTC) - timedelta(hours=2)  # Paris midnight
MONTH_END = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(hours=1)
MONTH_SECONDS = int((MONTH_END - MONTH_START).total_seconds())
COLUMNS = (
    "seller_id",
    "event_id",
    "subscription_id",
    "meter_id",
    "timestamp",
    "value",
    "properties",
    "received_at",
)


# --- the data ---------------------------------------------------------------------------------


def _seed(subscriptions: int):
    """The host, its ``requests`` meter, ``subscriptions`` active subscriptions and an API
    token: ``(seller, meter, [subscription ids], [external ids], token secret)``."""
    from clausier.api.services import create_token
    from clausier.catalog.seeding import install_catalog_seed
    from clausier.customers.services import create_client
    from clausier.demo.seeding import install_seed
    from clausier.metering import services as metering
    from clausier.metering.models import Subscription
    from clausier.orders import services as orders
    from clausier.orders.models import Order
    from clausier.payments import services as payments

    seller = install_seed(slug=SELLER, by=None)
    install_catalog_seed(seller=seller, by=None)
    client = create_client(
        seller=seller,
        fields={
            "kind": "company",
            "name": "Studio Graphique Loire SARL",
            "siren": "732829320",
            "email": "factures@studio-loire.example",
            "billing_line1": "3 quai de la Fosse",
            "billing_postal_code": "44000",
            "billing_city": "Nantes",
        },
        by=None,
    )
    ordered = datetime(2026, 9, 1, 10, tzinfo=UTC)
    order = orders.create_online_order(
        seller=seller,
        client=client,
        lines=[{"product_code": "instance-app", "quantity": "720"}],
        by=None,
        now=ordered,
    )
    order = orders.confirm_order(order=order, by=None, now=ordered + timedelta(minutes=5))
    payments.record_payment(
        order=order,
        received_at=ordered + timedelta(minutes=10),
        provider="stripe",
        reference="ch_bench_0000",
        amount=order.total_ttc,
        by=None,
        now=ordered + timedelta(minutes=11),
    )
    orders.activate_service(order=order, by=None, now=ordered + timedelta(hours=1))
    first = Subscription.objects.get(order=order)
    # The others cloned in bulk: the events and their aggregation are what is measured.
    template = Order.objects.get(pk=order.pk)
    clones = []
    for i in range(1, subscriptions):
        template.pk = None
        template.reference = f"{order.reference[:30]}-{i:05d}"
        template.payment_reference = f"ch_bench_{i:05d}"
        clones.append(
            Order(**{f.attname: getattr(template, f.attname) for f in Order._meta.fields})
        )
    Order.objects.bulk_create(clones, batch_size=500)
    base = {
        f.attname: getattr(first, f.attname)
        for f in Subscription._meta.fields
        if f.attname not in ("id", "order_id", "external_id")
    }
    Subscription.objects.bulk_create(
        [
            Subscription(**base, order_id=o.pk, external_id=f"sub-{i:05d}")
            for i, o in enumerate(clones, 1)
        ],
        batch_size=500,
    )
    meter = metering.create_meter(
        seller=seller, code=METER, name="Requêtes", unit="requête", aggregation="sum", by=None
    )
    metering.add_meter_price(
        meter=meter,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, Decimal("0.0001"))],
        by=None,
    )
    _, secret = create_token(seller=seller, name="benchmark", by=None)
    subs = list(
        Subscription.objects.filter(seller=seller).order_by("id").values_list("id", "external_id")
    )
    return seller, meter, [s for s, _ in subs], [e for _, e in subs], secret


def _moment(n: int, total: int) -> datetime:
    return MONTH_START + timedelta(seconds=(n * MONTH_SECONDS) // max(total, 1))


def api_events(prefix: str, start: int, count: int, externals: list[str], total: int) -> list:
    """``count`` events as the runtime sends them (JSON objects), ids ``prefix-<n>``."""
    return [
        {
            "id": f"{prefix}-{n:09d}",
            "subscription": externals[n % len(externals)],
            "meter": METER,
            "timestamp": _moment(n, total).isoformat().replace("+00:00", "Z"),
            "value": n % 50 + 1,
            "properties": {"region": "par"},
        }
        for n in range(start, start + count)
    ]


def raw_rows(prefix: str, start: int, count: int, *, seller_id, meter_id, subs, total):
    """The same events as the table's rows, ready for COPY (nothing left to convert)."""
    from psycopg.types.json import Jsonb

    received = datetime.now(UTC)
    properties = Jsonb({"region": "par"})
    for n in range(start, start + count):
        yield (
            seller_id,
            f"{prefix}-{n:09d}",
            subs[n % len(subs)],
            meter_id,
            _moment(n, total),
            Decimal(n % 50 + 1),
            properties,
            received,
        )


def copy_rows(rows) -> int:
    """PostgreSQL ``COPY ... FROM STDIN`` of ``rows`` in one transaction; how many."""
    from django.db import connection, transaction

    count = 0
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY metering_usageevent ({', '.join(COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE metering_usageevent")
        cursor.execute("VACUUM ANALYZE metering_usageevent")


# --- 1-3: ingest ------------------------------------------------------------------------------


def _ingest_raw(n: int, *, seller, meter, subs) -> float:
    rows = list(raw_rows("raw", 0, n, seller_id=seller.pk, meter_id=meter.pk, subs=subs, total=n))
    started = time.perf_counter()
    copied = copy_rows(rows)
    elapsed = time.perf_counter() - started
    assert copied == n
    return n / elapsed


def _ingest_service(n: int, *, seller, externals) -> float:
    from clausier.metering.services import ingest

    batches = [api_events("svc", s, min(BATCH, n - s), externals, n) for s in range(0, n, BATCH)]
    ingest(seller=seller, events=api_events("warm", 0, BATCH, externals, BATCH), by=None)
    started = time.perf_counter()
    accepted = sum(ingest(seller=seller, events=b, by=None).accepted for b in batches)
    elapsed = time.perf_counter() - started
    if accepted != n:
        raise SystemExit(f"benchmark: {accepted} of {n} events accepted by the service")
    return n / elapsed


def profile_service(n: int, *, seller, externals) -> None:
    """Where the service path's time goes: pyinstrument over ``n`` events, printed."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("metering: pyinstrument is not installed, no profile")
        return
    from clausier.metering.services import ingest

    batches = [api_events("prof", s, min(BATCH, n - s), externals, n) for s in range(0, n, BATCH)]
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for batch in batches:
        ingest(seller=seller, events=batch, by=None)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=True, short_mode=True))


def _ingest_http(n: int, *, url: str, externals, secret: str, rate: float, media: Path):
    """Events per second posted to the production server, and the per-batch summary."""
    import http_load

    bodies = [
        json.dumps(api_events("http", s, min(BATCH, n - s), externals, n)).encode()
        for s in range(0, n, BATCH)
    ]
    warm = [
        json.dumps(api_events(f"warm{w}", 0, BATCH, externals, BATCH)).encode() for w in range(8)
    ]
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CLAUSIER_VAR_DIR": str(media / "var"),
        "MEDIA_ROOT": str(media / "files"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    headers = {
        "Authorization": f"Bearer {secret}",
        "Content-Type": "application/json",
        "X-Forwarded-Proto": "https",
    }
    with http_load.production_server(env, http_load.free_port()) as base:
        target = f"{base}/api/v1/events"
        warmed = http_load.load(
            target, rate=4, duration=2, method="POST", bodies=warm, headers=headers, timeout=120
        )
        http_load._print(warmed)
        if warmed.errors:
            raise SystemExit(f"benchmark: POST /api/v1/events answered {warmed.error_kinds}")
        started = time.perf_counter()
        result = http_load.load(
            target,
            rate=rate,
            duration=(len(bodies) + 0.5) / rate,
            method="POST",
            bodies=bodies,
            headers=headers,
            timeout=120,
            max_connections=8,
        )
        elapsed = time.perf_counter() - started
        http_load._print(result)
        # Past capacity the latency is the queue's: the batches' own, at half the pace.
        paced = max(result.ok / elapsed / 2, 0.5)
        count = max(int(paced * 20), 4)  # about 20 s
        lat_bodies = [
            json.dumps(api_events("lat", s, BATCH, externals, count * BATCH)).encode()
            for s in range(0, count * BATCH, BATCH)
        ]
        latency = http_load.load(
            target,
            rate=paced,
            duration=(count + 0.5) / paced,
            method="POST",
            bodies=lat_bodies,
            headers=headers,
            timeout=120,
            max_connections=8,
        )
        http_load._print(latency)
    return result.ok * BATCH / elapsed, {
        "at_capacity": result.summary(),
        "at_half_capacity": latency.summary(),
    }


# --- 4: aggregation ---------------------------------------------------------------------------


def _aggregation_raw(seller, rounds: int = 3) -> tuple[float, dict]:
    from django.db import connection

    sql = (
        "SELECT subscription_id, meter_id, SUM(value), COUNT(*) FROM metering_usageevent "
        "WHERE seller_id = %s AND timestamp >= %s AND timestamp < %s "
        "GROUP BY subscription_id, meter_id"
    )
    best, totals = float("inf"), {}
    for _ in range(rounds):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [seller.pk, MONTH_START, MONTH_END])
            totals = {row[0]: row[2] for row in cursor.fetchall()}
        best = min(best, time.perf_counter() - started)
    return len(totals) / best, totals


def _aggregation_domain(seller, meter, subs) -> tuple[float, dict]:
    """Each subscription's quantity as metering can compute it today: its events of the
    month read through the scan index, added up by the pure ``domain.aggregate``."""
    from clausier.metering.domain import aggregate
    from clausier.metering.models import UsageEvent

    started = time.perf_counter()
    totals = {}
    for sub in subs:
        events = UsageEvent.objects.filter(
            subscription_id=sub,
            meter_id=meter.pk,
            timestamp__gte=MONTH_START,
            timestamp__lt=MONTH_END,
        ).values_list("timestamp", "value", "properties")
        totals[sub] = aggregate(
            aggregation=meter.aggregation,
            events=events.iterator(chunk_size=10_000),
            start=MONTH_START,
            end=MONTH_END,
            filters=meter.filters,
        ).value
    return len(subs) / (time.perf_counter() - started), totals


def _aggregation_sql_per_subscription(seller, meter, subs) -> tuple[float, dict]:
    from django.db.models import Sum

    from clausier.metering.models import UsageEvent

    started = time.perf_counter()
    totals = {
        sub: UsageEvent.objects.filter(
            subscription_id=sub,
            meter_id=meter.pk,
            timestamp__gte=MONTH_START,
            timestamp__lt=MONTH_END,
        ).aggregate(total=Sum("value"))["total"]
        for sub in subs
    }
    return len(subs) / (time.perf_counter() - started), totals


def _aggregation_orm_grouped(seller, meter, subs) -> tuple[float, dict]:
    """The ORM's one grouped query for every subscription of the run (what a billing run
    over all subscriptions can ask for the ``sum``, ``max`` and ``count`` meters)."""
    from django.db.models import Sum

    from clausier.metering.models import UsageEvent

    started = time.perf_counter()
    totals = dict(
        UsageEvent.objects.filter(
            seller=seller, meter=meter, timestamp__gte=MONTH_START, timestamp__lt=MONTH_END
        )
        .values("subscription_id")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("subscription_id", "total")
    )
    return len(totals) / (time.perf_counter() - started), totals


def _aggregation_rating(seller, meter, subs) -> tuple[float, dict]:
    """``metering.rating.rate_subscriptions`` over every subscription of the run: what the
    billing run asks (quantities and HT amounts, explained)."""
    from clausier.metering.models import Subscription
    from clausier.metering.rating import rate_subscriptions

    started = time.perf_counter()
    rated = rate_subscriptions(
        subscriptions=Subscription.objects.filter(seller=seller).order_by("id"),
        start=MONTH_START,
        end=MONTH_END,
    )
    elapsed = time.perf_counter() - started
    totals = {
        r.subscription.pk: line.quantity
        for r in rated
        for line in r.lines
        if line.meter.pk == meter.pk
    }
    return len(rated) / elapsed, totals


def _load_for_aggregation(n: int, *, seller, meter, subs) -> float:
    _truncate()
    started = time.perf_counter()
    chunk = 500_000
    for s in range(0, n, chunk):
        copy_rows(
            raw_rows(
                "agg",
                s,
                min(chunk, n - s),
                seller_id=seller.pk,
                meter_id=meter.pk,
                subs=subs,
                total=n,
            )
        )
    loaded = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE metering_usageevent")
    print(f"metering: {n:,} events loaded by COPY in {loaded:.1f} s ({n / loaded:,.0f}/s)")
    return loaded


# --- the run ----------------------------------------------------------------------------------


def run(
    *,
    events: int,
    aggregation_events: int,
    subscriptions: int,
    http_batch_rate: float,
    result_type,
    media: Path,
    http: bool = True,
    profile: bool = True,
    billing_run: bool = True,
    pdf_subscriptions: int = 100,
) -> list:
    """The metering figures as ``result_type`` rows (``run.Result``)."""
    with bench_database() as url:
        _setup_django(url, media / "files")
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seller, meter, subs, externals, secret = _seed(subscriptions)
        print(f"metering: {len(subs)} subscriptions in {time.perf_counter() - started:.1f} s")

        _truncate()
        raw = _ingest_raw(events, seller=seller, meter=meter, subs=subs)
        _truncate()
        service = _ingest_service(events, seller=seller, externals=externals)
        print(f"metering: ingest raw {raw:,.0f}/s, service {service:,.0f}/s")
        if profile:
            profile_service(min(events, 20 * BATCH), seller=seller, externals=externals)
        http_value = None
        if http:
            _truncate()
            connection.close()
            http_value, http_details = _ingest_http(
                events,
                url=url,
                externals=externals,
                secret=secret,
                rate=http_batch_rate,
                media=media,
            )
        _load_for_aggregation(aggregation_events, seller=seller, meter=meter, subs=subs)
        agg_raw, raw_totals = _aggregation_raw(seller)
        agg_sql, sql_totals = _aggregation_sql_per_subscription(seller, meter, subs)
        agg_orm, orm_totals = _aggregation_orm_grouped(seller, meter, subs)
        agg_value, totals = _aggregation_rating(seller, meter, subs)
        agg_domain, domain_totals = _aggregation_domain(seller, meter, subs)
        for name, found in (
            ("aggregation", totals),
            ("domain per subscription", domain_totals),
            ("sql per subscription", sql_totals),
            ("orm grouped", orm_totals),
        ):
            if {k: v for k, v in found.items() if v} != raw_totals:
                raise SystemExit(f"benchmark: the {name} totals differ from the GROUP BY's")
        billing = None
        if billing_run:
            billing = _billing_figures(
                seller=seller, meter=meter, subs=subs, url=url, media=media, pdf=pdf_subscriptions
            )
        version = connection.cursor().connection.info.server_version
        database = f"postgresql {version // 10000}.{version % 10000}"
        connection.close()

    now = datetime.now(UTC).isoformat(timespec="seconds")

    def result(name, unit, value, baseline, baseline_value, rows, details=None):
        return result_type(
            name=name,
            unit=unit,
            value=round(value, 1),
            baseline=baseline,
            baseline_value=round(baseline_value, 1),
            ratio=round(value / baseline_value, 4),
            database=database,
            date=now,
            rows=rows,
            details=details,
        )

    copy = "COPY FROM STDIN (psycopg), one transaction"
    group_by = "raw GROUP BY subscription_id, meter_id over the same rows and month"
    results = [
        result("events_ingest_raw", "events/s", raw, copy, raw, events),
        result("events_ingest_service", "events/s", service, copy, raw, events, {"batch": BATCH}),
    ]
    if http_value is not None:
        results.append(
            result(
                "events_ingest_http",
                "events/s",
                http_value,
                copy,
                raw,
                events,
                {"batch": BATCH, "server": "gunicorn, 2 workers", "per_batch": http_details},
            )
        )
    results += [
        result(
            "aggregation_raw", "subscriptions/s", agg_raw, group_by, agg_raw, aggregation_events
        ),
        result(
            "aggregation",
            "subscriptions/s",
            agg_value,
            group_by,
            agg_raw,
            aggregation_events,
            {
                "subject": "metering.rating.rate_subscriptions (quantities and HT amounts)",
                "subscriptions": len(subs),
            },
        ),
        result(
            "aggregation_domain_per_subscription",
            "subscriptions/s",
            agg_domain,
            group_by,
            agg_raw,
            aggregation_events,
            {"subscriptions": len(subs)},
        ),
        result(
            "aggregation_sql_per_subscription",
            "subscriptions/s",
            agg_sql,
            group_by,
            agg_raw,
            aggregation_events,
            {"subscriptions": len(subs)},
        ),
        result(
            "aggregation_orm_grouped",
            "subscriptions/s",
            agg_orm,
            group_by,
            agg_raw,
            aggregation_events,
            {"subscriptions": len(subs)},
        ),
    ]
    if billing is not None:
        results += _billing_results(billing, result, subscriptions=len(subs))
    return results


def _billing_figures(*, seller, meter, subs, url, media, pdf) -> dict:
    """The usage billing run's figures (``benchmarks.usage_billing``)."""
    import usage_billing

    from invoicing import _baseline

    figures = {"queries": usage_billing.profile(seller=seller, meter=meter, subs=subs[:200])}
    figures["run"], details = usage_billing.billing_run(seller=seller, subs=subs)
    ids = details.pop("invoice_ids")
    figures["details"] = details
    figures["single_row"] = _baseline(ids)
    figures["bulk"] = usage_billing.raw_bulk(ids)
    print(
        f"usage billing: {figures['run']:,.0f} invoices/s, raw single-row INSERTs "
        f"{figures['single_row']:,.0f}/s, raw COPY {figures['bulk']:,.0f}/s"
    )
    if pdf > 0:
        figures["pdf"] = usage_billing.billing_run_pdf(
            seller=seller, meter=meter, subs=subs[:pdf], url=url, media=media / "files"
        )
        figures["pdf_subscriptions"] = pdf
        print(f"usage billing: {figures['pdf']:,.1f} invoices/s with their PDFs")
    return figures


def _billing_results(billing: dict, result, *, subscriptions: int) -> list:
    single = "raw single-row INSERT of the same invoice rows, each committed"
    details = {
        **billing["details"],
        "subscriptions": subscriptions,
        "queries_per_invoice": billing["queries"],
        "subject": "invoicing.services.usage.bill_usage: aggregate, rate, draft, issue",
    }
    rows = [
        result(
            "billing_run",
            "invoices/s",
            billing["run"],
            single,
            billing["single_row"],
            subscriptions,
            details,
        ),
        result(
            "billing_run_vs_copy",
            "invoices/s",
            billing["run"],
            "raw COPY of the run's invoice, line and UsageBilling rows, one transaction",
            billing["bulk"],
            subscriptions,
        ),
    ]
    if "pdf" in billing:
        rows.append(
            result(
                "billing_run_pdf",
                "invoices/s",
                billing["pdf"],
                single,
                billing["single_row"],
                billing["pdf_subscriptions"],
                {"pdf": "invoicing.delivery.ensure_pdf, one process per core"},
            )
        )
    return rows
