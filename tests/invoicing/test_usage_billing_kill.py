"""The usage billing run survives a ``kill -9``, on PostgreSQL.

``clausier billing-run`` runs in its own process on the test database (committed data,
``transaction=True``) for 200 subscriptions, in chunks of 10; once some invoices exist it is
killed with SIGKILL, then run again to the end. Whatever the moment of the kill (a chunk's
drafts half written, drafts written but not issued, a block of numbers being taken), the
database ends with exactly one invoice per subscription and month, issued, and a number
series without gap or duplicate.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection

from clausier.invoicing.models import (
    Invoice,
    InvoiceStatus,
    UsageBilling,
    UsageBillingOutcome,
    UsageBillingRun,
)
from clausier.metering import services as metering_services
from clausier.metering.domain import PARIS
from clausier.metering.models import UsageEvent
from tests.factories import make_client
from tests.factories.metering import active_subscription, meter
from tests.factories.orders import install_paas

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

SUBSCRIPTIONS = 200
OCTOBER = date(2026, 10, 1)


def database_url() -> str:
    """The test database, as the ``clausier`` process reads it (``DATABASE_URL``)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def billing_run(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clausier.manage",
            "billing-run",
            "--period",
            "2026-10",
            "--seller",
            env["SELLER"],
            "--chunk",
            "10",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def done_so_far(run_filter: dict) -> int:
    return UsageBillingRun.objects.filter(**run_filter).values_list("done", flat=True).first() or 0


def test_a_run_killed_in_the_middle_and_run_again_invoices_each_subscription_once(tmp_path):
    paas = install_paas()
    client = make_client(
        paas,
        kind="company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
    )
    requests = meter(paas, "requests", name="Requêtes")
    metering_services.add_meter_price(
        meter=requests,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("0.10"))],
        by=None,
    )
    subs = [
        active_subscription(paas, client, reference=f"ch_{n:03d}") for n in range(SUBSCRIPTIONS)
    ]
    UsageEvent.objects.bulk_create(
        UsageEvent(
            seller=paas,
            event_id=f"e-{sub.pk}-{k}",
            subscription=sub,
            meter=requests,
            timestamp=datetime(2026, 10, 2 + k, 12, tzinfo=PARIS),
            value=D(10 + k),
            received_at=datetime(2026, 10, 31, tzinfo=PARIS),
        )
        for sub in subs
        for k in range(3)
    )
    before = set(Invoice.objects.values_list("pk", flat=True))
    url = database_url()
    env = os.environ | {
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SELLER": paas.slug,
    }
    run_filter = {"seller": paas, "period_start": OCTOBER}

    first = billing_run(env)
    deadline = time.monotonic() + 600
    while done_so_far(run_filter) < 30 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=60)

    assert first.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    killed_at = UsageBilling.objects.count()
    assert 0 < killed_at < SUBSCRIPTIONS
    assert UsageBillingRun.objects.get(**run_filter).status == "running"

    second = billing_run(env)
    out, err = second.communicate(timeout=900)

    assert second.returncode == 0, out[-3000:] + err[-2000:]
    assert f"{SUBSCRIPTIONS} invoiced" in out
    billings = UsageBilling.objects.filter(period_start=OCTOBER)
    assert billings.count() == SUBSCRIPTIONS
    assert sorted(billings.values_list("subscription_id", flat=True)) == sorted(s.pk for s in subs)
    created = Invoice.objects.exclude(pk__in=before)
    # exactly one invoice per subscription and month: no draft left over, none twice
    assert created.count() == SUBSCRIPTIONS
    assert set(created.values_list("pk", flat=True)) == set(
        billings.values_list("invoice_id", flat=True)
    )
    assert set(created.values_list("status", flat=True)) == {InvoiceStatus.ISSUED}
    # one series, numbered 1..n without gap nor duplicate
    for year in (
        Invoice.objects.filter(seller=paas, status=InvoiceStatus.ISSUED)
        .values_list("year", flat=True)
        .distinct()
    ):
        sequences = sorted(
            Invoice.objects.filter(
                seller=paas, status=InvoiceStatus.ISSUED, series="invoice", year=year
            ).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))
    run = UsageBillingRun.objects.get(**run_filter)
    assert (run.status, run.done, run.total) == ("finished", SUBSCRIPTIONS, SUBSCRIPTIONS)
    assert UsageBillingOutcome.objects.filter(run=run, outcome="invoiced").count() == (
        SUBSCRIPTIONS
    )
