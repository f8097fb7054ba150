"""The PaaS host's metered usage: its meters and their dated prices (one revision in the middle
of last month, seed 000 art. 3), the services of its paid online orders started (each a
subscription, through ``orders.services.activate_service`` and the reaction that starts
metering), and a month of usage events for last month and this month so far, ingested
through ``metering.services.ingest`` (the fast path) in a few batches.

The values are drawn from a seeded generator: loading the demo twice gives the same events
(the second time, the ingestion finds them all stored already)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from clausier.customers.models import Client
from clausier.invoicing.services.usage import bill_usage
from clausier.kernel.clock import PARIS
from clausier.metering import services as metering_services
from clausier.metering.models import CreditEntry, Meter, Subscription, UsageEvent
from clausier.orders import services as order_services
from clausier.orders.models import Order, OrderStatus
from clausier.sellers.models import Seller

# (code, name, unit, aggregation, series property)
METERS = [
    ("instance-hours", "Instances applicatives", "heure d'instance", "time_weighted", "instance"),
    ("bandwidth-gb", "Bande passante sortante", "Go", "sum", ""),
    ("build-minutes", "Minutes de build", "minute", "sum", ""),
]
# Per meter: the price from the first day of last month, and its revision from the 15th
# (a period straddling it is rated in two parts). (scheme, tiers, free allowance)
PRICES = {
    "instance-hours": [
        ("per_unit", [(None, "0.0350")], "0"),
        ("per_unit", [(None, "0.0380")], "0"),
    ],
    "bandwidth-gb": [
        ("graduated", [("100", "0"), ("1000", "0.05"), (None, "0.02")], "0"),
        ("graduated", [("100", "0"), ("1000", "0.045"), (None, "0.02")], "0"),
    ],
    "build-minutes": [
        ("per_unit", [(None, "0.01")], "500"),
        ("per_unit", [(None, "0.01")], "1000"),
    ],
}
REVISION_DAY = 15
# Per subscription (in the order the orders were paid): instances running, GB a day, builds.
PROFILES = [(2, 40, 12), (1, 8, 3), (3, 90, 25)]
BATCH = 5_000


def last_month_start(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _meters(seller: Seller, *, since: date) -> dict[str, Meter]:
    meters = {m.code: m for m in Meter.objects.filter(seller=seller)}
    for code, name, unit, aggregation, series in METERS:
        if code in meters:
            continue
        meter = metering_services.create_meter(
            seller=seller,
            code=code,
            name=name,
            unit=unit,
            aggregation=aggregation,
            unique_property=series,
            by=None,
        )
        for effective, (scheme, tiers, allowance) in zip(
            (since, since.replace(day=REVISION_DAY)), PRICES[code], strict=True
        ):
            metering_services.add_meter_price(
                meter=meter,
                effective_from=effective,
                scheme=scheme,
                tiers=tiers,
                free_allowance=Decimal(allowance),
                by=None,
            )
        meters[code] = meter
    return meters


def _subscriptions(seller: Seller) -> list[Subscription]:
    """The paid online orders' services started an hour after their payment (the runtime
    provisions them), each becoming a subscription."""
    paid = Order.objects.filter(seller=seller, status=OrderStatus.PAID).order_by("paid_at", "pk")
    for order in paid:
        order_services.activate_service(
            order=order, by=None, now=order.paid_at + timedelta(hours=1)
        )
    return list(
        Subscription.objects.filter(seller=seller, order__withdrawals__isnull=True)
        .order_by("started_at", "pk")
        .distinct()
    )


def _day_events(
    subscription: Subscription, profile: tuple[int, int, int], day: date, rng: random.Random
) -> list[dict]:
    instances, gigabytes, builds = profile
    ref = subscription.external_id
    midnight = datetime.combine(day, time(0, 5), tzinfo=PARIS)
    running = max(1, instances + rng.choice((-1, 0, 0, 1)))
    events = [
        {
            "id": f"{ref}-{day.isoformat()}-inst-{n}",
            "subscription": ref,
            "meter": "instance-hours",
            "timestamp": midnight.isoformat(),
            "value": "1" if n < running else "0",
            "properties": {"instance": f"app-{n}"},
        }
        for n in range(instances + 1)
    ]
    for hour in (9, 13, 17, 21):
        value = Decimal(gigabytes * rng.randint(50, 150)) / 400
        events.append(
            {
                "id": f"{ref}-{day.isoformat()}-bw-{hour}",
                "subscription": ref,
                "meter": "bandwidth-gb",
                "timestamp": datetime.combine(day, time(hour), tzinfo=PARIS).isoformat(),
                "value": str(value.quantize(Decimal("0.001"))),
            }
        )
    for n in range(rng.randint(max(builds - 3, 0), builds + 3)):
        events.append(
            {
                "id": f"{ref}-{day.isoformat()}-build-{n}",
                "subscription": ref,
                "meter": "build-minutes",
                "timestamp": datetime.combine(
                    day, time(8 + n % 12, 3 * n % 60), tzinfo=PARIS
                ).isoformat(),
                "value": str(rng.randint(2, 9)),
            }
        )
    return events


def paas_usage(seller: Seller) -> list[Subscription]:
    """Meters, prices, subscriptions and their usage events from the first day of last month
    (or the subscription's start) to now. Returns the subscriptions."""
    now = timezone.now()
    today = timezone.localdate(now)
    since = last_month_start(today)
    _meters(seller, since=since)
    subscriptions = _subscriptions(seller)
    if UsageEvent.objects.filter(seller=seller).exists():
        return subscriptions  # loaded already: the events are stored
    events: list[dict] = []
    for subscription, profile in zip(subscriptions, PROFILES, strict=False):
        rng = random.Random(subscription.external_id)
        day = max(since, timezone.localdate(subscription.started_at) + timedelta(days=1))
        while day <= today:
            events += [
                e
                for e in _day_events(subscription, profile, day, rng)
                if datetime.fromisoformat(e["timestamp"]) < now
            ]
            day += timedelta(days=1)
    for start in range(0, len(events), BATCH):
        metering_services.ingest(
            seller=seller, events=events[start : start + BATCH], by=None, now=now
        )
    return subscriptions


# The association pays its usage in advance: prepaid credits, and a warning threshold.
DEMO_CREDITS = {"kind": "association", "amount": "60.00", "threshold": "20.00"}


def paas_credits(seller: Seller) -> None:
    """The association bought prepaid credits at the start of last month (once)."""
    client = Client.objects.get(seller=seller, kind=DEMO_CREDITS["kind"])
    if CreditEntry.objects.filter(account__client=client).exists():
        return
    since = last_month_start(timezone.localdate())
    metering_services.grant_credit(
        client=client,
        amount=Decimal(DEMO_CREDITS["amount"]),
        reason="Achat de crédits prépayés",
        kind="purchase",
        by=None,
        now=datetime.combine(since, time(10), tzinfo=PARIS),
    )
    metering_services.set_low_balance_threshold(
        client=client, threshold=Decimal(DEMO_CREDITS["threshold"]), by=None
    )


def invoice_last_month(seller: Seller, *, subscriptions: list[Subscription]) -> None:
    """Last month's usage of ``seller``'s subscriptions invoiced by invoicing's usage billing
    run, as the scheduler does on the 1st (one invoice per subscription and month, issued;
    a demo loaded again bills nothing twice). Metering itself writes no invoice."""
    bill_usage(period=last_month_start(timezone.localdate()), seller=seller, by=None)
