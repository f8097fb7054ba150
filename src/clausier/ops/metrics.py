"""Prometheus metrics: requests by route and status, their latency, the task queue and the
issued documents.

prometheus_client is imported only when a metric is first needed (in a served process, once
the application is loaded in a worker): ``clausier serve`` sets ``PROMETHEUS_MULTIPROC_DIR``
before that, so that the workers' counters are added up on every scrape.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from clausier.invoicing.models import Invoice, InvoiceStatus

access_log = logging.getLogger("clausier.access")

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@cache
def instruments() -> SimpleNamespace:
    from prometheus_client import Counter, Histogram

    return SimpleNamespace(
        requests=Counter(
            "clausier_http_requests",
            "HTTP requests answered, by route (URL name), method and status",
            ["route", "method", "status"],
        ),
        latency=Histogram(
            "clausier_http_request_duration_seconds",
            "Time to answer an HTTP request, by route (URL name) and method",
            ["route", "method"],
        ),
    )


def route_of(request: HttpRequest) -> str:
    """The URL's name (``backoffice:quote``), not its path: a bounded set of labels."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unmatched"


class MetricsMiddleware:
    """Counts and times every answer, and writes its access log line (with the request id)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.instruments = instruments()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        method = request.method if request.method in METHODS else "other"
        status = str(response.status_code)
        self.instruments.requests.labels(route=route, method=method, status=status).inc()
        self.instruments.latency.labels(route=route, method=method).observe(elapsed)
        access_log.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            status,
            elapsed * 1000,
            extra={"route": route, "status": response.status_code, "duration_ms": elapsed * 1000},
        )
        return response


class DatabaseCollector:
    """Figures read from the database at each scrape, whichever worker answers it."""

    def describe(self):
        return []

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        queued = GaugeMetricFamily(
            "clausier_task_queue_depth", "Tasks waiting to be run, by task", labels=["task"]
        )
        failed = GaugeMetricFamily(
            "clausier_task_failures", "Failed tasks kept in the queue, by task", labels=["task"]
        )
        tasks = DBTaskResult.objects.values("status", "task_path").annotate(count=Count("pk"))
        for row in tasks.order_by():
            if row["status"] == TaskResultStatus.READY:
                queued.add_metric([row["task_path"]], row["count"])
            elif row["status"] == TaskResultStatus.FAILED:
                failed.add_metric([row["task_path"]], row["count"])
        issued = GaugeMetricFamily(
            "clausier_documents_issued",
            "Issued invoices and credit notes, by kind",
            labels=["kind"],
        )
        documents = Invoice.objects.filter(status=InvoiceStatus.ISSUED).values("kind")
        for row in documents.annotate(count=Count("pk")).order_by():
            issued.add_metric([row["kind"]], row["count"])
        yield from (queued, failed, issued)


def exposition() -> tuple[bytes, str]:
    """The text format of every metric: the processes' own (added up across the workers in
    multiprocess mode), then the database's."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
    from prometheus_client.exposition import CONTENT_TYPE_LATEST

    instruments()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    return generate_latest(processes) + generate_latest(database), CONTENT_TYPE_LATEST


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False
