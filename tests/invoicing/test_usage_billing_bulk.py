"""The usage billing run writes a chunk's drafts in bulk: the same invoices, lines, audit
events and usage rows as one by one, for a number of queries that does not grow with the
subscriptions of the chunk; a client with prepaid credits still draws them in order."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clausier.audit.models import Event
from clausier.invoicing import usage_periods as months
from clausier.invoicing.models import Invoice, InvoiceStatus, UsageBilling
from clausier.invoicing.services import usage
from clausier.metering import services as metering_services
from clausier.metering.domain import PARIS
from clausier.metering.models import UsageEvent
from tests.factories.metering import active_subscription, meter

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)
RUN_AT = datetime(2026, 11, 1, 4, 0, tzinfo=PARIS)


@pytest.fixture
def priced(paas):
    requests = meter(paas, "requests", name="Requêtes")
    metering_services.add_meter_price(
        meter=requests,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("0.10"))],
        by=None,
    )
    return requests


def subscriptions(paas, client, requests, n, *, prefix="ch"):
    found = [active_subscription(paas, client, reference=f"{prefix}_{i}") for i in range(n)]
    UsageEvent.objects.bulk_create(
        UsageEvent(
            seller_id=sub.seller_id,
            event_id=f"{prefix}-{sub.pk}",
            subscription=sub,
            meter=requests,
            timestamp=datetime(2026, 10, 3, 12, tzinfo=PARIS),
            value=D(100 + i),
            properties={},
            received_at=datetime(2026, 11, 1, tzinfo=PARIS),
        )
        for i, sub in enumerate(found)
    )
    return found


def run_queries(paas) -> int:
    with CaptureQueriesContext(connection) as queries:
        usage.bill_usage(period=OCTOBER, seller=paas, by=None, now=RUN_AT, chunk=100)
    return len(queries)


def test_the_queries_of_a_run_do_not_grow_with_its_subscriptions(paas, paas_company, priced):
    subscriptions(paas, paas_company, priced, 2, prefix="a")
    few = run_queries(paas)
    UsageBilling.objects.all().delete()  # the same months billed again, for more subscriptions
    subscriptions(paas, paas_company, priced, 12, prefix="b")

    many = run_queries(paas)

    assert UsageBilling.objects.filter(invoice__status=InvoiceStatus.ISSUED).count() == 14
    assert many - few <= 6, (few, many)


def test_a_draft_written_in_bulk_is_the_draft_written_alone(paas, paas_company, priced):
    alone, bulk = subscriptions(paas, paas_company, priced, 2)
    start, end = months.month_bounds(OCTOBER)
    for sub in (alone, bulk):
        UsageEvent.objects.filter(subscription=sub).update(value=D(250))
    rated = {
        sub.pk: usage.rate_subscription(subscription=sub, start=start, end=end)
        for sub in (alone, bulk)
    }

    one = usage.bill_subscription(
        sub=alone, rated=rated[alone.pk], adjustments=[], period=OCTOBER, by=None, now=RUN_AT
    )
    many = usage.bill_subscriptions(
        items=[(bulk, rated[bulk.pk], [])], period=OCTOBER, by=None, now=RUN_AT
    )[bulk.pk]

    first = Invoice.objects.get(pk=one.invoice_id)
    second = Invoice.objects.get(pk=many.invoice_id)

    def content(invoice):
        return (
            invoice.status,
            invoice.kind,
            invoice.client_id,
            invoice.terms_version_id,
            invoice.terms_label,
            invoice.service_date,
            invoice.total_ht,
            invoice.total_vat,
            invoice.total_ttc,
            invoice.amount_due,
            [
                (line.description, line.quantity, line.unit, line.unit_price, line.vat_rate)
                for line in invoice.lines.order_by("position")
            ],
        )

    assert content(first) == content(second)
    assert second.status == InvoiceStatus.DRAFT
    assert second.total_ttc == D("30.00")
    assert second.notes == (
        f"Consommation d'octobre 2026 de l'abonnement {bulk.external_id} "
        f"(commande {bulk.order.reference})"
    )
    assert (many.billed, many.explanation) == (one.billed, one.explanation)
    created = {
        e.object_id: e.summary["after"]
        for e in Event.objects.filter(
            verb="invoice.created", object_id__in=[str(first.pk), str(second.pk)]
        )
    }
    assert created[str(first.pk)] == created[str(second.pk)]
    assert created[str(second.pk)]["total_ttc"] == "30.00"
