"""Reads of the live consumption: a subscription's current period (the calendar month in
Europe/Paris, up to now) and its usage per Paris day and meter, for the portal's "Ma
consommation" and the subscription's back-office page.

The estimate of the period so far is ``metering.rating.rate_subscription`` over ``[start,
now)`` (the billing run's own rating), its TTC by ``rules.money.document_totals`` (the totals
an invoice carries: VAT per rate on its base, rounded once) at the offer's VAT rate from the
catalog under the seller's VAT regime.

Each day's quantity is the meter's own aggregation over that day (``metering.domain.
aggregate``, the same function the rating uses), so a ``sum`` meter's days add up to the
period's quantity. The events are read once per subscription and period (one query on the
``(subscription, meter, timestamp)`` index), plus, for a ``time_weighted`` meter, the last
event before the period (the level the period starts with)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from clausier.catalog.domain import default_vat_rate
from clausier.metering import chart
from clausier.metering.domain import PARIS, Event, aggregate
from clausier.metering.models import Aggregation, Meter, Subscription, UsageEvent
from clausier.metering.rating import RatedLine, rate_subscription, rate_subscriptions
from clausier.rules.explain import Explained
from clausier.rules.money import Line, document_totals


@dataclass(frozen=True)
class Period:
    """``[start, end)`` of the calendar month (Europe/Paris) holding ``now``; ``until`` is
    ``now``, where the period so far stops."""

    start: datetime
    end: datetime
    until: datetime

    @property
    def days(self) -> list[date]:
        first = self.start.astimezone(PARIS).date()
        last = (self.until - timedelta(microseconds=1)).astimezone(PARIS).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def month_of(now: datetime) -> Period:
    local = now.astimezone(PARIS)
    start = datetime(local.year, local.month, 1, tzinfo=PARIS)
    following = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=PARIS)
    return Period(start=start, end=following, until=min(now, following))


def _day_bounds(day: date, period: Period) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=PARIS)
    return max(start, period.start), min(end, period.until)


def subscription_meters(*, subscription: Subscription) -> list[Meter]:
    """The meters the live view shows: the seller's, by code."""
    return list(Meter.objects.filter(seller_id=subscription.seller_id).order_by("code"))


def period_events(
    *, subscription: Subscription, meters: list[Meter], period: Period
) -> dict[int, list[Event]]:
    """The subscription's events of ``[start, until)`` per meter id, with the last event
    before ``start`` of each time-weighted meter."""
    found: dict[int, list[Event]] = {meter.pk: [] for meter in meters}
    for meter in meters:
        if meter.aggregation != Aggregation.TIME_WEIGHTED:
            continue
        before = (
            UsageEvent.objects.filter(
                subscription=subscription, meter=meter, timestamp__lt=period.start
            )
            .order_by("-timestamp")
            .values_list("timestamp", "value", "properties")
            .first()
        )
        if before is not None:
            found[meter.pk].append(Event(*before))
    rows = (
        UsageEvent.objects.filter(
            subscription=subscription,
            meter_id__in=list(found),
            timestamp__gte=period.start,
            timestamp__lt=period.until,
        )
        .order_by("timestamp")
        .values_list("meter_id", "timestamp", "value", "properties")
    )
    for meter_id, timestamp, value, properties in rows:
        found[meter_id].append(Event(timestamp, value, properties or {}))
    return found


def _series_property(meter: Meter) -> str | None:
    return meter.unique_property or None


def daily(*, meter: Meter, events: list[Event], period: Period) -> list[tuple[date, Decimal]]:
    """``(day, quantity)`` for each Paris day of the period so far, by the meter's own
    aggregation over the day."""
    series = []
    for day in period.days:
        start, end = _day_bounds(day, period)
        quantity = aggregate(
            aggregation=meter.aggregation,
            events=[e for e in events if e.timestamp < end],
            start=start,
            end=end,
            filters=meter.filters,
            property=_series_property(meter),
        ).value
        series.append((day, quantity))
    return series


@dataclass(frozen=True)
class MeterUsage:
    meter: Meter
    days: list[tuple[date, Decimal]]
    chart: chart.Chart


def usage_by_day(*, subscription: Subscription, now: datetime) -> tuple[Period, list[MeterUsage]]:
    """The subscription's current period so far and, per meter, its quantity per day and
    its bar chart."""
    period = month_of(now)
    meters = subscription_meters(subscription=subscription)
    events = period_events(subscription=subscription, meters=meters, period=period)
    usages = []
    for meter in meters:
        days = daily(meter=meter, events=events[meter.pk], period=period)
        usages.append(MeterUsage(meter=meter, days=days, chart=chart.bar_chart(days)))
    return period, usages


@dataclass(frozen=True)
class MeterConsumption:
    """A meter of the period so far: its usage per day and chart, and, if priced, its rated
    line (quantity and HT amount explained) and its TTC (explained)."""

    usage: MeterUsage
    line: RatedLine | None
    ttc: Explained | None


@dataclass(frozen=True)
class Consumption:
    subscription: Subscription
    period: Period
    meters: list[MeterConsumption]
    total_ht: Decimal
    totals: Explained  # document_totals: HT, VAT per rate, TTC
    vat_rate: Decimal


def vat_rate_of(subscription: Subscription) -> Decimal:
    """The VAT rate the subscription's usage is invoiced at: its offer's, from the catalog;
    without an offer, the seller's default rate for its regime."""
    if subscription.offer is not None:
        return subscription.offer.vat_rate
    return default_vat_rate(subscription.seller.vat_regime)


def _totals(lines: list[tuple[str, Decimal]], *, rate: Decimal, regime: str) -> Explained:
    """HT, VAT and TTC as an invoice of ``lines`` would carry them (no priced meter: 0)."""
    lines = lines or [("-", Decimal(0))]
    return document_totals(
        lines=[
            Line(description=name, quantity=Decimal(1), unit_price=amount, vat_rate=rate)
            for name, amount in lines
        ],
        regime=regime,
    )


def current_consumption(*, subscription: Subscription, now: datetime) -> Consumption:
    """The subscription's current period (calendar month, Europe/Paris) so far: per meter
    its days, chart, rated quantity and amounts HT and TTC; the period's totals."""
    period, usages = usage_by_day(subscription=subscription, now=now)
    rated = rate_subscription(subscription=subscription, start=period.start, end=period.until)
    by_meter = {line.meter.pk: line for line in rated.lines}
    rate = vat_rate_of(subscription)
    regime = subscription.seller.vat_regime
    meters = []
    for usage in usages:
        line = by_meter.get(usage.meter.pk)
        ttc = None
        if line is not None:
            ttc = _totals([(usage.meter.name, line.amount)], rate=rate, regime=regime)
        meters.append(MeterConsumption(usage=usage, line=line, ttc=ttc))
    totals = _totals(
        [(line.meter.name, line.amount) for line in rated.lines], rate=rate, regime=regime
    )
    return Consumption(
        subscription=subscription,
        period=period,
        meters=meters,
        total_ht=rated.total,
        totals=totals,
        vat_rate=rate,
    )


@dataclass(frozen=True)
class Estimate:
    """A subscription's period so far in two figures: HT (the rating) and the totals."""

    total_ht: Decimal
    totals: Explained


def estimates(*, subscriptions: list[Subscription], now: datetime) -> dict[int, Estimate]:
    """Subscription id -> its current period's estimate so far, all rated in one batch (a
    few queries whatever their number)."""
    period = month_of(now)
    found = {}
    for rated in rate_subscriptions(
        subscriptions=subscriptions, start=period.start, end=period.until
    ):
        sub = rated.subscription
        totals = _totals(
            [(line.meter.name, line.amount) for line in rated.lines],
            rate=vat_rate_of(sub),
            regime=sub.seller.vat_regime,
        )
        found[sub.pk] = Estimate(total_ht=rated.total, totals=totals)
    return found
