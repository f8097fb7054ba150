"""A subscription's period rated: the quantity of each of its seller's priced meters over
``[start, end)`` and its HT amount under the meter's dated price versions (seed 000 art. 3).
Reads only; VAT is invoicing's business.

Where the quantities are computed:

- ``sum``, ``max`` and ``count`` by the database: one ``GROUP BY`` query for a whole batch of
  subscriptions (:func:`rate_subscriptions`), grouped by subscription, meter and the part of
  the period between two price revisions, so that each part of a split period has its own
  figure without another query;
- ``unique_count`` and ``time_weighted`` in Python by :func:`metering.domain.aggregate` on the
  rows (one more query for the batch; ``time_weighted`` reads the events before the period
  too, since the level at its start is the one the last earlier event set).

Which prices apply: the meter's versions for the subscription's offer if it has any, else its
seller-wide versions (``offer`` empty). A meter without a version in force during the period
is not rated; a meter whose first version takes effect inside the period is rated from that
day. A period straddling a revision is rated part by part by
:func:`metering.domain.rate_period`; ``max`` and ``unique_count`` are figures of the whole
period, not sums of its parts, so each part carries the period's figure weighted by its share
of the period's duration (like the minimum).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When

from clausier.metering.domain import (
    COUNT,
    MAX,
    PARIS,
    SUM,
    TIME_WEIGHTED,
    UNIQUE_COUNT,
    Period,
    PriceVersion,
    aggregate,
    rate_period,
)
from clausier.metering.domain.aggregation import shown
from clausier.metering.models import Meter, MeterPrice, Subscription, UsageEvent
from clausier.rules.explain import Explained, Step
from clausier.rules.money import ZERO
from clausier.rules.wording import words, words_plural

DATABASE_AGGREGATIONS = (SUM, MAX, COUNT)
# Figures of the whole period, not sums over its parts: spread over the parts by duration.
NOT_ADDITIVE = (MAX, UNIQUE_COUNT)


@dataclass(frozen=True, slots=True)
class RatedLine:
    """One meter of a rated period: its quantity (explained), the period rated under the
    price versions (``rated.value`` is a :class:`metering.domain.Rated`) and the HT amount."""

    meter: Meter
    quantity: Decimal
    quantity_explained: Explained
    rated: Explained
    amount: Decimal


@dataclass(frozen=True, slots=True)
class RatedPeriod:
    """A subscription's period ``[start, end)`` rated: one line per priced meter, total HT."""

    subscription: Subscription
    start: datetime
    end: datetime
    lines: tuple[RatedLine, ...]
    total: Decimal


def rate_subscription(*, subscription: Subscription, start: datetime, end: datetime) -> RatedPeriod:
    """``subscription``'s period ``[start, end)`` (aware datetimes) rated."""
    return rate_subscriptions(subscriptions=[subscription], start=start, end=end)[0]


def rate_subscriptions(
    *, subscriptions: Iterable[Subscription], start: datetime, end: datetime
) -> list[RatedPeriod]:
    """Each subscription's period ``[start, end)`` rated, in the order given: a few queries for
    the whole batch (meters, prices, one grouped query, the rows of the meters aggregated in
    Python), whatever its size."""
    subs = list(subscriptions)
    Period(start, end)  # aware, end after start
    if not subs:
        return []
    meters = _priced_meters({s.seller_id for s in subs})
    plans = {s.pk: _plan(s, meters.get(s.seller_id, []), start, end) for s in subs}
    cuts = sorted({cut for plan in plans.values() for p in plan for cut in p.cuts})
    totals = _database_totals(subs, plans, start, end, cuts)
    rows = _rows(subs, plans, start, end)
    return [_rated(s, plans[s.pk], start, end, cuts, totals, rows.get(s.pk, {})) for s in subs]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A meter to rate for one subscription: from when (``start``), under which versions, and
    the moments inside the period where a version takes effect."""

    meter: Meter
    start: datetime
    versions: tuple[PriceVersion, ...]
    cuts: tuple[datetime, ...]


def _priced_meters(seller_ids: set[int]) -> dict[int, list[Meter]]:
    """The sellers' meters with their prices (two queries)."""
    found: dict[int, list[Meter]] = defaultdict(list)
    prices: dict[int, list[MeterPrice]] = defaultdict(list)
    meters = list(Meter.objects.filter(seller_id__in=seller_ids).order_by("code", "id"))
    for price in MeterPrice.objects.filter(meter__in=meters).order_by("effective_from", "id"):
        prices[price.meter_id].append(price)
    for meter in meters:
        meter._rating_prices = prices.get(meter.pk, [])  # type: ignore[attr-defined]
        found[meter.seller_id].append(meter)
    return found


def _version(price: MeterPrice) -> PriceVersion:
    return PriceVersion(
        effective_from=price.effective_from,
        scheme=price.scheme,
        tiers=tuple(
            (None if up_to is None else Decimal(str(up_to)), Decimal(str(unit_price)))
            for up_to, unit_price in price.tiers
        ),
        package_size=price.package_size,
        free_allowance=price.free_allowance,
        minimum=price.minimum,
    )


def _midnight(price: PriceVersion) -> datetime:
    return datetime.combine(price.effective_from, time(0), tzinfo=PARIS)


def _plan(sub: Subscription, meters: list[Meter], start: datetime, end: datetime) -> list[_Plan]:
    plans = []
    for meter in meters:
        prices: list[MeterPrice] = meter._rating_prices  # type: ignore[attr-defined]
        own = [p for p in prices if p.offer_id is not None and p.offer_id == sub.offer_id]
        chosen = own or [p for p in prices if p.offer_id is None]
        versions = [_version(p) for p in chosen]
        if not versions or _midnight(versions[0]) >= end:
            continue
        begin = max(start, _midnight(versions[0]))
        # Where the parts of the period change; the first day of a price inside it too.
        cuts = tuple(m for m in map(_midnight, versions) if start < m < end)
        plans.append(_Plan(meter, begin, tuple(versions), cuts))
    return plans


def _bucket(cuts: Sequence[datetime]) -> Any:
    """The index of the part of the period between two cuts a row's timestamp falls in."""
    if not cuts:
        return Value(0, output_field=IntegerField())
    return Case(
        *(When(timestamp__lt=cut, then=Value(i)) for i, cut in enumerate(cuts)),
        default=Value(len(cuts)),
        output_field=IntegerField(),
    )


def _filtered(meter: Meter) -> Q:
    return Q(meter_id=meter.pk, **{f"properties__{k}": v for k, v in meter.filters.items()})


def _database_totals(
    subs: list[Subscription],
    plans: dict[int, list[_Plan]],
    start: datetime,
    end: datetime,
    cuts: Sequence[datetime],
) -> dict[tuple[int, int, int], tuple[Decimal, Decimal, int]]:
    """``(subscription, meter, bucket) -> (sum, max, count)`` for the meters the database
    aggregates, in one grouped query; rows of another seller are left out."""
    meters = {
        p.meter.pk: p.meter
        for plan in plans.values()
        for p in plan
        if p.meter.aggregation in DATABASE_AGGREGATIONS
    }
    if not meters:
        return {}
    which = Q()
    for meter in meters.values():
        which |= _filtered(meter)
    seller_of = {s.pk: s.seller_id for s in subs}
    grouped = (
        UsageEvent.objects.filter(which, subscription_id__in=list(seller_of), timestamp__lt=end)
        .filter(timestamp__gte=start)
        .annotate(bucket=_bucket(cuts))
        .values("subscription_id", "seller_id", "meter_id", "bucket")
        .annotate(total=Sum("value"), top=Max("value"), events=Count("id"))
        .order_by()
    )
    totals = {}
    for row in grouped:
        sub_id, meter_id = row["subscription_id"], row["meter_id"]
        if row["seller_id"] != seller_of[sub_id] or meters[meter_id].seller_id != seller_of[sub_id]:
            continue
        totals[(sub_id, meter_id, row["bucket"])] = (
            Decimal(row["total"] or 0),
            Decimal(row["top"] if row["top"] is not None else 0),
            row["events"],
        )
    return totals


def _rows(
    subs: list[Subscription], plans: dict[int, list[_Plan]], start: datetime, end: datetime
) -> dict[int, dict[int, list[tuple]]]:
    """``subscription -> meter -> [(timestamp, value, properties)]`` for the meters aggregated
    in Python; ``time_weighted`` rows from before the period too."""
    meters = {
        p.meter.pk: p.meter
        for plan in plans.values()
        for p in plan
        if p.meter.aggregation not in DATABASE_AGGREGATIONS
    }
    if not meters:
        return {}
    which = Q()
    for meter in meters.values():
        since = Q() if meter.aggregation == TIME_WEIGHTED else Q(timestamp__gte=start)
        which |= _filtered(meter) & since
    seller_of = {s.pk: s.seller_id for s in subs}
    found: dict[int, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        UsageEvent.objects.filter(which, subscription_id__in=list(seller_of), timestamp__lt=end)
        .values_list("subscription_id", "seller_id", "meter_id", "timestamp", "value", "properties")
        .order_by("timestamp", "id")
    )
    for sub_id, seller_id, meter_id, timestamp, value, properties in rows.iterator(chunk_size=5000):
        if seller_id != seller_of[sub_id] or meters[meter_id].seller_id != seller_id:
            continue
        found[sub_id][meter_id].append((timestamp, value, properties))
    return found


def _rated(
    sub: Subscription,
    plans: list[_Plan],
    start: datetime,
    end: datetime,
    cuts: Sequence[datetime],
    totals: dict[tuple[int, int, int], tuple[Decimal, Decimal, int]],
    rows: dict[int, list[tuple]],
) -> RatedPeriod:
    lines = []
    for plan in plans:
        meter = plan.meter
        if meter.aggregation in DATABASE_AGGREGATIONS:
            quantity_of = _database_quantity(sub.pk, meter, start, end, cuts, totals)
            explained = _explained_totals(meter, plan.start, end, quantity_of)
        else:
            quantity_of = _python_quantity(meter, rows.get(meter.pk, []))
            explained = quantity_of(plan.start, end)
        quantity = explained.value
        if meter.aggregation in NOT_ADDITIVE:
            whole = _duration(plan.start, end)

            def part_quantity(a, b, quantity=quantity, whole=whole):
                return quantity * _duration(a, b) / whole
        else:

            def part_quantity(a, b, quantity_of=quantity_of):
                return quantity_of(a, b).value

        rated = rate_period(
            start=plan.start, end=end, versions=list(plan.versions), quantity_of=part_quantity
        )
        lines.append(RatedLine(meter, quantity, explained, rated, rated.value.total))
    total = sum((line.amount for line in lines), ZERO)
    return RatedPeriod(sub, start, end, tuple(lines), total)


def _duration(a: datetime, b: datetime) -> Decimal:
    return Decimal((b.astimezone(UTC) - a.astimezone(UTC)) // timedelta(microseconds=1))


def _database_quantity(sub_id, meter, start, end, cuts, totals):
    """The quantity of ``[a, b)`` from the buckets it covers (``a`` and ``b`` are cuts or the
    period's bounds), as an Explained (only its value is read for a part)."""
    bounds = [start, *cuts, end]

    def quantity_of(a: datetime, b: datetime) -> Explained:
        covered = [
            totals.get((sub_id, meter.pk, i), (ZERO, ZERO, 0))
            for i in range(len(bounds) - 1)
            if bounds[i] >= a and bounds[i + 1] <= b
        ]
        events = sum(c[2] for c in covered)
        if meter.aggregation == SUM:
            value = sum((c[0] for c in covered), ZERO)
        elif meter.aggregation == MAX:
            value = max((c[1] for c in covered if c[2]), default=ZERO)
        else:
            value = Decimal(events)
        return Explained(value=value, rule="aggregate", inputs={"events": events})

    return quantity_of


def _python_quantity(meter: Meter, rows: list[tuple]):
    def quantity_of(a: datetime, b: datetime) -> Explained:
        return aggregate(
            aggregation=meter.aggregation,
            events=rows,
            start=a,
            end=b,
            filters=meter.filters,
            property=meter.unique_property or None,
        )

    return quantity_of


def _explained_totals(meter: Meter, start: datetime, end: datetime, quantity_of) -> Explained:
    """The quantity the database computed, explained as :func:`metering.domain.aggregate`
    explains its own."""
    figure = quantity_of(start, end)
    quantity, events = figure.value, figure.inputs["events"]
    steps = [Step(words("période du {start} au {end} (fin exclue)", start=start, end=end))]
    if meter.filters:
        listed = ", ".join(f"{name} = {value}" for name, value in sorted(meter.filters.items()))
        steps.append(Step(words("filtres : {filters}", filters=listed)))
    steps.append(
        Step(
            words_plural(
                "{count} événement dans la période", "{count} événements dans la période", events
            ),
            events,
        )
    )
    if meter.aggregation == SUM:
        steps.append(Step(words("somme des valeurs = {total}", total=quantity), quantity))
    elif meter.aggregation == MAX:
        steps.append(
            Step(words("valeur maximale = {top} (0 sans événement)", top=quantity), quantity)
        )
    else:
        steps.append(Step(words("nombre d'événements = {count}", count=events), quantity))
    steps.append(Step(words("quantité = {quantity}", quantity=shown(quantity)), quantity))
    return Explained(
        value=quantity,
        rule="aggregate",
        inputs={
            "aggregation": meter.aggregation,
            "start": start,
            "end": end,
            "filters": dict(meter.filters),
            "property": None,
        },
        steps=tuple(steps),
    )


__all__ = ["RatedLine", "RatedPeriod", "rate_subscription", "rate_subscriptions"]
