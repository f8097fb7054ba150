"""Invoice issue throughput on PostgreSQL, against a raw INSERT of rows as wide as an invoice.

What runs, on a database of our own (``clausier_bench_<pid>``, created on the server of
``BENCH_POSTGRES_URL``, default ``postgres://postgres@127.0.0.1:5432``, and dropped at the
end; when it cannot be created, the database of ``DATABASE_URL`` is used as given):

1. ``migrate``; the agency of seed 002 (CGV v3.0: 14 jours ouvrés, 3 × the legal rate) with
   an example identity, and 20 company clients; 3N + M drafts of 5 lines each (not timed).
2. ``issue_invoice_no_pdf``: N drafts issued one after the other, each in its own
   transaction, through ``invoicing.services.issue_invoice`` (mentions checked, document
   computed, number taken under the series lock, snapshot hashed and chained, Factur-X XML
   validated and stored, audit event, delivery task queued): invoices per second.
3. ``issue_invoice_no_pdf_<k>_processes``: N more, issued by one process per core (k),
   each in its own transaction, sharing the seller's series counter.
4. ``issue_invoices_billing_run``: N more through ``invoicing.services.issue_invoices`` (the
   billing run: chunks of 200 drafts, one transaction and one block of numbers per chunk,
   each document checked, frozen, chained and its XML validated and stored as above, the
   chunk written in bulk): invoices per second, against the same single-row baseline.
4b. ``issue_invoices_billing_run_<k>_processes``: N more through the same billing run in one
   process per core (``invoicing.billing.issue_invoices(workers=k)``, what
   ``clausier issue-invoices --workers k`` runs): the chunks overlap but for the short
   numbering tail under the series lock.
5. ``issue_invoice_pdf`` (only with ``--pdf-invoices`` at least 1): M more, each one's PDF
   rendered after its commit, as production does, by ``invoicing.printing.render_invoice``
   in a process pool of one worker per core (started and warmed before the clock starts),
   then stored with its SHA-256; the clock stops when the last PDF is stored.

Baseline, measured in the same run: the same number of single-row ``INSERT`` statements,
each committed, into a table created ``LIKE invoicing_invoice`` (the same columns and
types) with the very rows just issued (snapshot JSON included). ratio = value / baseline.

Issue dates are 22 May 2026: the legal rate of 2026 S1 is in the packaged table, so the
benchmark needs no rate entered by staff (and invents none).
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

CLIENTS = 20
LINES = [
    ("Audit de performance du site", "1", "flat", "480.00"),
    ("Développement spécifique", "6", "hour", "55.00"),
    ("Intégration des maquettes", "2", "day", "420.00"),
    ("Hébergement mensuel", "12", "month", "19.90"),
    ("Nom de domaine .fr", "1", "year", "12.00"),
]
AGENCY_IDENTITY = {  # example values, as in the tests and the demo
    "siren": "443061841",
    "address_line1": "12 rue de Strasbourg",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPPXXX",
}
ISSUED_ON = datetime(2026, 5, 22, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


def _siren(n: int) -> str:
    """A SIREN that passes the Luhn check: 8 digits from ``n`` and the key."""
    body = f"{700000000 + n * 10:09d}"[:8]
    for key in range(10):
        digits = [int(c) for c in body + str(key)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
        )
        if total % 10 == 0:
            return body + str(key)
    raise AssertionError(n)


@contextmanager
def bench_database():
    """The URL of a PostgreSQL database for the run: our own, dropped on exit."""
    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER)
    name = f"clausier_bench_{os.getpid()}"
    parts = urlsplit(server)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        given = os.environ.get("DATABASE_URL", "")
        if not given.startswith(("postgres://", "postgresql://")):
            raise SystemExit(
                f"benchmark: cannot create {name} on {server} ({exc}); set "
                "BENCH_POSTGRES_URL or DATABASE_URL=postgres://..."
            ) from exc
        print(f"benchmark: cannot create {name} ({exc}); using DATABASE_URL as given")
        yield given
        return
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup_django(url: str, media: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(media)
    # As in production: no query log, no debug toolbar of any kind.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + os.urandom(16).hex())
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clausier.settings")
    import django

    django.setup()


# --- the PDF workers --------------------------------------------------------------------------


def _worker_init(url: str, media: str) -> None:
    _setup_django(url, Path(media))


def _render(pk: int, snapshot: dict, brand_color: str) -> tuple[int, bytes]:
    from clausier.invoicing.document import InvoiceDocument
    from clausier.invoicing.printing import render_invoice

    rendered = render_invoice(InvoiceDocument.from_dict(snapshot), brand_color=brand_color or None)
    return pk, rendered.pdf


def _warm(_: int) -> int:
    from django.db import connection

    from clausier.invoicing import services  # noqa: F401

    connection.ensure_connection()
    time.sleep(0.2)  # long enough for every worker to take one
    return os.getpid()


def _issue_slice(pks: list[int]) -> int:
    from clausier.invoicing.models import Invoice
    from clausier.invoicing.services import issue_invoice

    for draft in Invoice.objects.filter(pk__in=pks).order_by("id"):
        issue_invoice(invoice=draft, by=None, now=ISSUED_ON)
    return len(pks)


# --- the run ----------------------------------------------------------------------------------


def _seed(n_drafts: int):
    from clausier.customers.services import create_client
    from clausier.demo.seeding import install_seed
    from clausier.invoicing.services import create_draft
    from clausier.sellers.services import upsert_seller

    seller = install_seed(slug="neo7-studio-web", by=None)
    seller = upsert_seller(slug=seller.slug, fields=AGENCY_IDENTITY, by=None)
    clients = [
        create_client(
            seller=seller,
            fields={
                "kind": "company",
                "name": f"Client de test {i:02d} SAS",
                "siren": _siren(i),
                "email": f"factures{i}@client.example",
                "billing_line1": f"{i} rue de la Paix",
                "billing_postal_code": "44000",
                "billing_city": "Nantes",
            },
            by=None,
        )
        for i in range(1, CLIENTS + 1)
    ]
    lines = [
        {
            "description": d,
            "quantity": Decimal(q),
            "unit": u,
            "unit_price": Decimal(p),
        }
        for d, q, u, p in LINES
    ]
    return seller, [
        create_draft(
            seller=seller, client=clients[i % CLIENTS], lines=lines, by=None, now=ISSUED_ON
        )
        for i in range(n_drafts)
    ]


def _baseline(pks: list[int]) -> float:
    """Rows per second: one committed single-row INSERT per invoice row, into a table of
    the same columns and types, with the rows just issued."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_invoice")
        cursor.execute("CREATE TABLE bench_raw_invoice (LIKE invoicing_invoice)")
        cursor.execute(
            "SELECT * FROM invoicing_invoice WHERE id = ANY(%s) ORDER BY id", [list(pks)]
        )
        columns = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    from psycopg.types.json import Jsonb

    json_columns = {"snapshot", "explanations", "prepayment", "email_to"}
    rows = [
        tuple(Jsonb(v) if c in json_columns else v for c, v in zip(columns, row, strict=True))
        for row in rows
    ]
    sql = (
        f"INSERT INTO bench_raw_invoice ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    best = float("inf")
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_raw_invoice")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for row in rows:  # autocommit: each INSERT its own transaction, as each issue
                cursor.execute(sql, row)
        best = min(best, time.perf_counter() - started)
    return len(rows) / best


def _issue_without_pdf(drafts) -> tuple[float, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clausier.invoicing.services import issue_invoice

    with CaptureQueriesContext(connection) as queries:
        issue_invoice(invoice=drafts[0], by=None, now=ISSUED_ON)
    started = time.perf_counter()
    for draft in drafts[1:]:
        issue_invoice(invoice=draft, by=None, now=ISSUED_ON)
    elapsed = time.perf_counter() - started
    return (len(drafts) - 1) / elapsed, len(queries)


def _issue_with_pdf(drafts, url: str, media: Path) -> float:
    import multiprocessing

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    from clausier.invoicing.models import Invoice
    from clausier.invoicing.services import issue_invoice

    workers = os.cpu_count() or 1
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(url, str(media)),
    )
    try:
        # Warm the workers (Django, the Typst compiler, fonts) with the first invoice, untimed.
        first = issue_invoice(invoice=drafts[0], by=None, now=ISSUED_ON)
        color = first.seller.brand_color
        warm = [pool.submit(_render, first.pk, first.snapshot, color) for _ in range(workers)]
        for future in warm:
            future.result()

        futures = []
        started = time.perf_counter()
        for draft in drafts[1:]:
            with transaction.atomic():
                invoice = issue_invoice(invoice=draft, by=None, now=ISSUED_ON)
                transaction.on_commit(
                    lambda i=invoice: futures.append(pool.submit(_render, i.pk, i.snapshot, color))
                )
        for future in futures:
            pk, pdf = future.result()
            sha256 = hashlib.sha256(pdf).hexdigest()
            name = default_storage.save(f"invoices/bench/{pk}-{sha256[:16]}.pdf", ContentFile(pdf))
            Invoice.objects.filter(pk=pk, pdf_sha256="").update(pdf=name, pdf_sha256=sha256)
        elapsed = time.perf_counter() - started
    finally:
        pool.shutdown()
    return (len(drafts) - 1) / elapsed


def _issue_in_parallel(drafts, url: str, media: Path) -> tuple[float, int]:
    """Invoices per second with one issuing process per core, as several workers of one
    seller would: they share the series counter, whose row lock serializes the numbering
    tail of each issue while the rest (reads, computing the document) overlaps."""
    import multiprocessing

    workers = os.cpu_count() or 1
    pks = [d.pk for d in drafts]
    slices = [pks[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(url, str(media)),
    ) as pool:
        pids = set()
        while len(pids) < workers:  # every worker started, Django loaded, connected
            pids |= set(pool.map(_warm, range(workers * 2)))
        started = time.perf_counter()
        done = sum(pool.map(_issue_slice, slices))
        elapsed = time.perf_counter() - started
    return done / elapsed, workers


def _issue_billing_run(drafts) -> float:
    """Invoices per second through ``issue_invoices`` (the billing run): the drafts of one
    seller issued by chunks, each chunk one transaction taking one block of numbers."""
    from clausier.invoicing.services import issue_invoices

    started = time.perf_counter()
    run = issue_invoices(invoices=drafts, by=None, now=ISSUED_ON)
    elapsed = time.perf_counter() - started
    if run.blocked:
        raise SystemExit(f"benchmark: the billing run left drafts blocked: {run.blocked[:3]}")
    return len(run.issued) / elapsed


def _issue_billing_run_in_processes(drafts) -> tuple[float, int]:
    """Invoices per second through the billing run in one process per core
    (``invoicing.billing.issue_invoices`` with ``workers``): chunks of the same seller issued
    at once, overlapping everywhere but under the series lock."""
    from clausier.invoicing.billing import issue_invoices

    workers = os.cpu_count() or 1
    started = time.perf_counter()
    run = issue_invoices(invoices=drafts, by=None, now=ISSUED_ON, workers=workers)
    elapsed = time.perf_counter() - started
    if run.blocked:
        raise SystemExit(f"benchmark: the billing run left drafts blocked: {run.blocked[:3]}")
    return len(run.issued) / elapsed, workers


def run(*, invoices: int, pdf_invoices: int, result_type, media: Path) -> list:
    """The invoicing figures as ``result_type`` rows (``run.Result``); the PDF figure only
    when ``pdf_invoices`` is at least 1."""
    from_pdf = pdf_invoices + 1 if pdf_invoices > 0 else 0
    with bench_database() as url:
        _setup_django(url, media)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        _, drafts = _seed(invoices + 1 + 3 * invoices + from_pdf)
        seeded = time.perf_counter() - started
        plain, rest = drafts[: invoices + 1], drafts[invoices + 1 :]
        parallel, batch, batch_parallel, with_pdf = (
            rest[:invoices],
            rest[invoices : 2 * invoices],
            rest[2 * invoices : 3 * invoices],
            rest[3 * invoices :],
        )
        print(f"invoicing: {len(drafts)} drafts of {len(LINES)} lines in {seeded:.1f} s")

        value, queries = _issue_without_pdf(plain)
        print(f"invoicing: {queries} queries to issue one invoice")
        baseline = _baseline([d.pk for d in plain[1:]])
        batch_value = _issue_billing_run(batch)
        batch_parallel_value, _ = _issue_billing_run_in_processes(batch_parallel)
        connection.close()  # the workers fork nothing of ours: they open their own
        parallel_value, workers = _issue_in_parallel(parallel, url, media)
        if with_pdf:
            pdf_value = _issue_with_pdf(with_pdf, url, media)
            pdf_baseline = _baseline([d.pk for d in with_pdf[1:]])
        version = connection.cursor().connection.info.server_version
        database = f"postgresql {version // 10000}.{version % 10000}"
        connection.close()

    now = datetime.now(UTC).isoformat(timespec="seconds")

    def result(name: str, value: float, baseline: float, rows: int):
        return result_type(
            name=name,
            unit="invoices/s",
            value=round(value, 1),
            baseline="raw single-row INSERT, same width as invoicing_invoice",
            baseline_value=round(baseline, 1),
            ratio=round(value / baseline, 4),
            database=database,
            date=now,
            rows=rows,
        )

    results = [
        result("issue_invoice_no_pdf", value, baseline, invoices),
        result(f"issue_invoice_no_pdf_{workers}_processes", parallel_value, baseline, invoices),
        result("issue_invoices_billing_run", batch_value, baseline, invoices),
        result(
            f"issue_invoices_billing_run_{workers}_processes",
            batch_parallel_value,
            baseline,
            invoices,
        ),
    ]
    if with_pdf:
        results.append(result("issue_invoice_pdf", pdf_value, pdf_baseline, pdf_invoices))
    return results
