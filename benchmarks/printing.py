"""Invoice PDFs through Typst, per core and for a pool of one process per core, each figure
next to its baseline measured in the same run (no database).

- ``typst_facturx_pdf_per_core``: Factur-X PDFs per CPU second of one process
  (``invoicing.printing.render_facturx_pdf``: print data, French typography, JSON, Typst
  compile with the XML attached, the Factur-X XMP update), the median CPU time
  (``time.process_time``, every thread of the process) after a warm-up. Baseline:
  ``typst_pdf_no_facturx``, the same template and data compiled without the XML and without
  the update.
- ``typst_facturx_pdf_<k>_processes``: PDFs per wall-clock second of k processes (one per
  core), each with its compiler warmed before the clock starts; baseline: the same pool
  compiling without the Factur-X step.

Every PDF prints another document (number, first line), as in real use: with the same inputs
every time, Typst's memoization would replay the cached layout and the figure would mean
nothing. The documents are the standard invoice of the tests (two lines, 20 % and 10 %).
Run in a process of its own (spawned), so that its Django settings touch nothing else.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 20


def _setup() -> None:
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clausier.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()


def _documents(n: int, offset: int = 0) -> list:
    """``n`` standard invoices, each with its own number and first line, and their XML."""
    from clausier.invoicing import facturx
    from tests.invoicing import documents

    base = documents.standard()
    out = []
    for i in range(offset, offset + n):
        first = dataclasses.replace(
            base.lines[0], description=f"Hébergement PaaS, instance M{i}\nprojet n° {i}"
        )
        doc = dataclasses.replace(base, number=f"F2026-{i:06d}", lines=(first, base.lines[1]))
        out.append((doc, facturx.cii_xml(doc)))
    return out


def _facturx(doc, xml) -> bytes:
    from clausier.invoicing.printing import render_facturx_pdf

    return render_facturx_pdf(doc, xml)


def _plain(doc, _xml) -> bytes:
    from clausier.documents.typst import compile_pdf
    from clausier.invoicing import facturx, printing
    from clausier.invoicing.print_data import print_data

    return compile_pdf(
        printing.TEMPLATE,
        print_data(doc),
        metadata=facturx.pdf_metadata(doc),
        timestamp=printing.print_time(doc),
    )


def _cpu_median(render, docs) -> float:
    """Median CPU seconds of one PDF, after the warm-up."""
    for doc, xml in docs[:WARMUP]:
        render(doc, xml)
    times = []
    for doc, xml in docs[WARMUP:]:
        started = time.process_time()
        render(doc, xml)
        times.append(time.process_time() - started)
    return statistics.median(times)


def per_core(n: int) -> dict[str, float]:
    """In a process of its own: PDFs per CPU second, Factur-X and baseline alternated in
    three rounds (the best median of each kept: the machine is shared)."""
    _setup()
    facturx_best, plain_best = float("inf"), float("inf")
    for round_ in range(3):
        docs = _documents(n + WARMUP, offset=round_ * 100_000)
        plain_best = min(plain_best, _cpu_median(_plain, docs))
        docs = _documents(n + WARMUP, offset=round_ * 100_000 + 50_000)
        facturx_best = min(facturx_best, _cpu_median(_facturx, docs))
    return {"facturx": 1 / facturx_best, "plain": 1 / plain_best}


def _pool_init() -> None:
    _setup()
    for doc, xml in _documents(WARMUP, offset=900_000 + os.getpid() % 1000 * 100):
        _facturx(doc, xml)
        _plain(doc, xml)


def _pool_job(kind: str, offset: int, n: int) -> int:
    render = _facturx if kind == "facturx" else _plain
    for doc, xml in _documents(n, offset=offset):
        render(doc, xml)
    return n


def pool(n: int, workers: int) -> dict[str, float]:
    """PDFs per wall-clock second of ``workers`` processes, each warmed before the clock."""
    context = multiprocessing.get_context("spawn")
    rates = {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_pool_init) as executor:
        list(executor.map(_pool_job, ["plain"] * workers, range(workers), [1] * workers))
        for kind in ("plain", "facturx"):
            share = n // workers
            offsets = [
                2_000_000 + (kind == "facturx") * 500_000 + w * 10_000 for w in range(workers)
            ]
            started = time.perf_counter()
            done = sum(executor.map(_pool_job, [kind] * workers, offsets, [share] * workers))
            rates[kind] = done / (time.perf_counter() - started)
    return rates


def run(*, pdfs: int, result_type, now: str) -> list:
    """The printing figures as ``result_type`` rows (``run.Result``)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as executor:
        core = executor.submit(per_core, pdfs).result()
    workers = os.cpu_count() or 1
    many = pool(pdfs * workers, workers)

    def result(name: str, value: float, baseline: str, baseline_value: float, rows: int):
        return result_type(
            name=name,
            unit="PDF/s",
            value=round(value, 1),
            baseline=baseline,
            baseline_value=round(baseline_value, 1),
            ratio=round(value / baseline_value, 4),
            database="none",
            date=now,
            rows=rows,
        )

    return [
        result(
            "typst_facturx_pdf_per_core",
            core["facturx"],
            "typst_pdf_no_facturx (per CPU second)",
            core["plain"],
            pdfs,
        ),
        result(
            f"typst_facturx_pdf_{workers}_processes",
            many["facturx"],
            f"typst_pdf_no_facturx ({workers} processes)",
            many["plain"],
            pdfs * workers,
        ),
    ]
