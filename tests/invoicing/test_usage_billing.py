"""The monthly usage billing run: one invoice per active subscription and month, issued with
numbers, the run's progress and each subscription's outcome recorded; a rerun bills nothing
twice; one subscription's error does not stop the others; late events billed on the next
month's invoice as an explained adjustment."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from clausier.invoicing import selectors
from clausier.invoicing import usage_periods as months
from clausier.invoicing.models import (
    Invoice,
    InvoiceStatus,
    UsageBilling,
    UsageBillingOutcome,
    UsageBillingRun,
)
from clausier.invoicing.services import usage
from clausier.metering import services as metering_services
from clausier.metering.domain import PARIS
from clausier.metering.models import UsageEvent
from tests.factories.metering import active_subscription, meter

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)
RUN_AT = datetime(2026, 11, 1, 4, 0, tzinfo=PARIS)


def at(day, hour=12, month=10):
    return datetime(2026, month, day, hour, 0, tzinfo=PARIS)


RECEIVED = datetime(2026, 11, 1, 0, 0, tzinfo=PARIS)


def store(sub, meter_, rows, *, received_at=RECEIVED, prefix="e"):
    UsageEvent.objects.bulk_create(
        UsageEvent(
            seller_id=sub.seller_id,
            event_id=f"{prefix}-{sub.pk}-{meter_.code}-{n}",
            subscription=sub,
            meter=meter_,
            timestamp=when,
            value=D(str(value)),
            properties={},
            received_at=received_at,
        )
        for n, (when, value) in enumerate(rows)
    )


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


@pytest.fixture
def subs(paas, paas_company, priced):
    found = [active_subscription(paas, paas_company, reference=f"ch_{n}") for n in range(3)]
    for n, sub in enumerate(found):
        store(sub, priced, [(at(3), 100 * (n + 1)), (at(20), 10)])
    return found


def bill(paas, period=OCTOBER, now=RUN_AT, **kwargs):
    return usage.bill_usage(period=period, seller=paas, by=None, now=now, **kwargs)


def test_each_subscription_gets_one_issued_invoice_of_its_month(paas, subs, priced):
    seen = []
    run = bill(paas, chunk=2, progress=lambda done, total: seen.append((done, total)))

    assert (run.status, run.done, run.total) == ("finished", 3, 3)
    assert seen == [(2, 3), (3, 3)]
    billings = UsageBilling.objects.filter(period_start=OCTOBER).order_by("subscription_id")
    assert [b.subscription_id for b in billings] == [s.pk for s in subs]
    invoices = [b.invoice for b in billings]
    assert all(i.status == InvoiceStatus.ISSUED and i.number for i in invoices)
    assert [i.total_ht for i in invoices] == [D("11.00"), D("21.00"), D("31.00")]
    line = invoices[0].lines.get()
    assert line.description == "Requêtes : consommation d'octobre 2026, 110 requête"
    assert (line.quantity, line.unit, line.unit_label, line.unit_price) == (
        D(110),
        "metered",
        "requête",
        D("0.1000"),
    )
    assert line.vat_rate == D("0.2000")
    assert invoices[0].total_ttc == D("13.20")
    assert invoices[0].service_date == date(2026, 10, 31)
    assert "octobre 2026" in invoices[0].notes
    assert invoices[0].snapshot
    assert invoices[0].xml
    explained = billings[0].explanation["meters"]["requests"]
    assert explained["quantity"]["value"] == "110"
    assert explained["amount"]["rule"] == "rate_period"
    outcomes = UsageBillingOutcome.objects.filter(run=run).order_by("subscription_id")
    assert [(o.outcome, o.invoice_id) for o in outcomes] == [("invoiced", i.pk) for i in invoices]
    assert selectors.usage_run_summary(run=run) == {"invoiced": 3, "nothing": 0, "error": 0}


def test_a_rerun_bills_nothing_twice_and_numbers_stay_gapless(paas, subs):
    bill(paas)
    numbers = sorted(
        Invoice.objects.filter(usage_billing__isnull=False).values_list("sequence", flat=True)
    )

    again = bill(paas)

    assert UsageBilling.objects.count() == 3
    assert (
        sorted(
            Invoice.objects.filter(usage_billing__isnull=False).values_list("sequence", flat=True)
        )
        == numbers
    )
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert UsageBillingRun.objects.count() == 1
    assert (again.status, again.done, again.total) == ("finished", 3, 3)


def test_a_draft_left_by_a_crash_is_issued_by_the_rerun(paas, subs):
    start, end = months.month_bounds(OCTOBER)
    sub = subs[0]
    rated = usage.rate_subscription(subscription=sub, start=start, end=end)
    usage.bill_subscription(
        sub=sub, rated=rated, adjustments=[], period=OCTOBER, by=None, now=RUN_AT
    )
    assert (
        Invoice.objects.filter(status=InvoiceStatus.DRAFT, usage_billing__isnull=False).count() == 1
    )

    bill(paas)

    assert UsageBilling.objects.count() == 3
    assert not Invoice.objects.filter(
        status=InvoiceStatus.DRAFT, usage_billing__isnull=False
    ).exists()


def test_nothing_to_bill_and_an_error_are_outcomes_the_others_go_on(
    paas, paas_company, subs, priced
):
    quiet = active_subscription(paas, paas_company, reference="ch_quiet")
    broken = active_subscription(paas, paas_company, reference="ch_broken")
    store(broken, priced, [(at(4), 10)])
    # a meter name no Factur-X can carry: this invoice waits, the others are issued
    broken_meter = meter(paas, "broken", name="Cassé\u0007", unit="x")
    metering_services.add_meter_price(
        meter=broken_meter,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("1"))],
        by=None,
    )
    store(broken, broken_meter, [(at(4), 1)])

    run = bill(paas)

    outcomes = {o.subscription_id: o for o in UsageBillingOutcome.objects.filter(run=run)}
    assert outcomes[quiet.pk].outcome == "nothing"
    assert outcomes[broken.pk].outcome == "error"
    assert outcomes[broken.pk].message
    assert [outcomes[s.pk].outcome for s in subs] == ["invoiced"] * 3
    assert run.status == "finished"
    assert UsageBilling.objects.get(subscription=quiet).invoice is None
    # the draft waits with its reason, to be corrected and issued by a rerun
    assert "U+0007" in outcomes[broken.pk].message
    waiting = UsageBilling.objects.get(subscription=broken).invoice
    assert waiting.status == InvoiceStatus.DRAFT
    assert outcomes[broken.pk].invoice_id == waiting.pk


def test_a_subscription_that_cannot_be_rated_is_an_error_the_others_are_billed(
    paas, paas_company, subs
):
    credit = meter(paas, "credit", name="Crédit", unit="EUR", allow_negative=True)
    metering_services.add_meter_price(
        meter=credit,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("1"))],
        by=None,
    )
    negative = active_subscription(paas, paas_company, reference="ch_negative")
    store(negative, credit, [(at(4), -5)])

    run = bill(paas)

    outcome = UsageBillingOutcome.objects.get(run=run, subscription=negative)
    assert outcome.outcome == "error"
    assert "quantity_of" in outcome.message
    assert not UsageBilling.objects.filter(subscription=negative).exists()
    assert UsageBilling.objects.filter(invoice__status=InvoiceStatus.ISSUED).count() == 3


def test_late_events_are_billed_on_the_next_invoice_as_an_explained_adjustment(paas, subs, priced):
    bill(paas)
    sub = subs[0]
    # received on 5 November, dated in October: October was billed on 1 November
    store(sub, priced, [(at(30), 40)], received_at=at(5, month=11), prefix="late")
    store(sub, priced, [(at(10, month=11), 7)], received_at=at(10, month=11), prefix="nov")

    bill(paas, period=NOVEMBER, now=datetime(2026, 12, 1, 4, 0, tzinfo=PARIS))

    invoice = UsageBilling.objects.get(subscription=sub, period_start=NOVEMBER).invoice
    lines = list(invoice.lines.order_by("position"))
    assert [line.amount_ht for line in lines] == [D("0.70"), D("4.00")]
    assert lines[1].description.startswith(
        "Régularisation de consommation d'octobre 2026 reçue après facturation : Requêtes, "
        "150 requête au lieu de 110 facturés, 15,00\u00a0€ HT au lieu de 11,00\u00a0€ HT"
    )
    october = UsageBilling.objects.get(subscription=sub, period_start=OCTOBER)
    assert october.billed[str(priced.pk)] == {"quantity": "150", "amount": "15.00"}
    # the adjustment is billed once: December finds nothing late
    bill(paas, period=date(2026, 12, 1), now=datetime(2027, 1, 1, 4, 0, tzinfo=PARIS))
    december = UsageBilling.objects.get(subscription=sub, period_start=date(2026, 12, 1))
    assert december.invoice is None


def test_periods_and_months():
    assert months.parse_period("2026-10") == OCTOBER
    with pytest.raises(ValueError, match="YYYY-MM"):
        months.parse_period("octobre")
    assert months.month_bounds(OCTOBER) == (at(1, 0), datetime(2026, 11, 1, tzinfo=PARIS))
    assert months.previous_month(datetime(2026, 11, 1, 3, 0, tzinfo=PARIS)) == OCTOBER
    assert months.month_phrase(date(2026, 3, 1)) == "de mars 2026"
    assert months.month_phrase(date(2026, 8, 1)) == "d'août 2026"


def test_the_command_bills_a_month_and_lists_its_errors(paas, subs, priced):
    out = io.StringIO()
    call_command(
        "billing_run", period="2026-10", seller=paas.slug, stdout=out, stderr=io.StringIO()
    )

    assert "2026-10: 3 subscription(s), 3 invoiced, 0 with nothing to bill, 0 in error" in (
        out.getvalue()
    )
    assert UsageBilling.objects.filter(invoice__status=InvoiceStatus.ISSUED).count() == 3
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("billing_run", period="10/2026", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such seller"):
        call_command("billing_run", period="2026-10", seller="nobody", stdout=io.StringIO())


def test_the_command_fails_listing_the_subscriptions_in_error(paas, paas_company, subs):
    credit = meter(paas, "credit", name="Crédit", unit="EUR", allow_negative=True)
    metering_services.add_meter_price(
        meter=credit,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("1"))],
        by=None,
    )
    negative = active_subscription(paas, paas_company, reference="ch_negative")
    store(negative, credit, [(at(4), -5)])
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 subscription"):
        call_command("billing_run", period="2026-10", stdout=out, stderr=io.StringIO())

    assert f"{negative.external_id}: " in out.getvalue()
    assert "3 invoiced" in out.getvalue()


def test_the_monthly_task_bills_the_month_before_once(paas, subs, priced):
    from clausier.invoicing.tasks import bill_last_month

    last = months.previous_month(datetime.now(tz=PARIS))
    # consumption in the month before today
    start, _end = months.month_bounds(last)
    store(
        subs[0], priced, [(start.replace(day=2), 5)], received_at=start.replace(day=3), prefix="t"
    )

    first = bill_last_month.call()
    again = bill_last_month.call()

    assert first == again == {"invoiced": 1, "nothing": 2, "error": 0}
    assert UsageBilling.objects.filter(period_start=last).count() == 3
    assert UsageBillingRun.objects.get(seller=None, period_start=last).status == "finished"


def test_the_run_pages_show_the_progress_while_running_then_the_outcomes(
    client, paas, paas_staff, subs
):
    from django.urls import reverse

    client.force_login(paas_staff)
    seen = []

    def look(done, total):
        run = UsageBillingRun.objects.get(seller=paas, period_start=OCTOBER)
        url = reverse("backoffice:usage_run_progress", args=[paas.slug, run.pk])
        seen.append(client.get(url).content.decode())

    run = bill(paas, chunk=2, progress=look)

    # polled while it runs (the partial asks for itself again), then the summary alone
    assert 'hx-trigger="every 2s"' in seen[0]
    assert f"2 / {run.total}" in seen[0]
    page = client.get(reverse("backoffice:usage_run", args=[paas.slug, run.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "hx-trigger" not in text
    assert "3 facturé(s), 0 sans rien à facturer, 0 en erreur." in text
    for sub in subs:
        assert sub.external_id in text
    listing = client.get(reverse("backoffice:usage_runs", args=[paas.slug]))
    assert reverse("backoffice:usage_run", args=[paas.slug, run.pk]) in listing.content.decode()
