"""A meter's quantity over a half-open period: each aggregation, filters, the events' forms,
bad input, and the properties (``sum`` additive over disjoint periods, and ``time_weighted``
too, an event at a bound counted once)."""

from collections import namedtuple
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.metering.domain import Event, aggregate
from clausier.rules.errors import RuleError

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)


def at(days=0, hours=0, minutes=0):
    return START + timedelta(days=days, hours=hours, minutes=minutes)


EVENTS = [
    Event(at(-1), D(7), {"region": "fr", "user": "a"}),  # before the period
    Event(at(0), D(2), {"region": "fr", "user": "a"}),  # on start: in
    Event(at(1), D(5), {"region": "de", "user": "b"}),
    Event(at(2), D("1.5"), {"region": "fr", "user": "b"}),
    Event(at(3), D(4), {"user": "c"}),  # no region
    Event(END, D(100), {"region": "fr", "user": "d"}),  # on end: next period's
]


@pytest.mark.parametrize(
    ("aggregation", "filters", "property", "expected"),
    [
        ("sum", None, None, D("12.5")),  # 2 + 5 + 1.5 + 4
        ("sum", {"region": "fr"}, None, D("3.5")),  # 2 + 1.5
        ("max", None, None, D(5)),
        ("max", {"region": "fr"}, None, D(2)),
        ("count", None, None, D(4)),
        ("count", {"region": "de"}, None, D(1)),
        ("unique_count", None, "user", D(3)),  # a, b, c
        ("unique_count", {"region": "fr"}, "user", D(2)),  # a, b
        ("unique_count", None, "region", D(2)),  # fr, de; the event without region not counted
    ],
)
def test_each_aggregation_over_the_half_open_period(aggregation, filters, property, expected):
    result = aggregate(
        aggregation=aggregation,
        events=EVENTS,
        start=START,
        end=END,
        filters=filters,
        property=property,
    )
    assert result.value == expected
    assert result.rule == "aggregate"
    assert str(result.steps[-1].label).startswith("quantité = ")


def test_no_event_gives_zero_for_every_aggregation():
    for aggregation in ("sum", "max", "count"):
        assert aggregate(aggregation=aggregation, events=[], start=START, end=END).value == 0
    assert aggregate(
        aggregation="unique_count", events=[], start=START, end=END, property="user"
    ).value == (0)


def test_explanation_says_the_period_the_filters_and_the_count():
    result = aggregate(
        aggregation="sum", events=EVENTS, start=START, end=END, filters={"region": "fr"}
    )
    labels = [str(s.label) for s in result.steps]
    assert labels[0] == "période du 01/10/2026 à 00:00 au 01/11/2026 à 00:00 (fin exclue)"
    assert labels[1] == "filtres : region = fr"
    assert labels[2] == "2 événements dans la période"
    assert labels[3] == "somme des valeurs = 3,5"
    assert result.as_dict()["value"] == "3.5"


def test_events_as_tuples_or_objects():
    Row = namedtuple("Row", "timestamp value properties")
    events = [(at(1), D(1)), (at(2), D(2), {"k": "v"}), Row(at(3), D(3), None)]
    assert aggregate(aggregation="sum", events=events, start=START, end=END).value == 6
    assert aggregate(events=iter(events), aggregation="count", start=START, end=END).value == 3


@pytest.mark.parametrize(
    ("arguments", "argument", "says"),
    [
        ({"aggregation": "avg"}, "aggregation", "expected one of sum, max"),
        ({"aggregation": "unique_count"}, "property", "named property"),
        ({"start": datetime(2026, 10, 1)}, "start", "aware datetime"),
        ({"end": START}, "end", "at or before"),
        ({"events": [(datetime(2026, 10, 2), D(1))]}, "events[0].timestamp", "aware"),
        ({"events": [(at(1), 1.0)]}, "events[0].value", "expected a Decimal"),
        ({"events": ["x"]}, "events[0]", "expected (timestamp, value, properties)"),
    ],
)
def test_bad_input_names_the_argument(arguments, argument, says):
    given_arguments = {"aggregation": "sum", "events": [], "start": START, "end": END}
    with pytest.raises(RuleError) as caught:
        aggregate(**(given_arguments | arguments))
    assert caught.value.argument == argument
    assert says in str(caught.value)


# --- time weighted ----------------------------------------------------------------------------


def test_start_and_stop_events_make_instance_hours():
    events = [
        # web-1 runs from the day before (carried into the period) until 10:00 on day 0
        Event(at(-1), D(1), {"instance": "web-1"}),
        Event(at(0, 10), D(0), {"instance": "web-1"}),
        # web-2 starts at 06:00 on day 1 and stops at 18:30: 12,5 h
        Event(at(1, 6), D(1), {"instance": "web-2"}),
        Event(at(1, 18.5), D(0), {"instance": "web-2"}),
        # web-3, a size-2 instance, starts 2 h before the end and is never stopped: 2 × 2 = 4
        Event(END - timedelta(hours=2), D(2), {"instance": "web-3"}),
        # after the period: not read
        Event(END + timedelta(hours=1), D(0), {"instance": "web-3"}),
    ]
    result = aggregate(
        aggregation="time_weighted", events=events, start=START, end=END, property="instance"
    )
    assert result.value == D(10) + D("12.5") + D(4)
    labels = [str(s.label) for s in result.steps]
    assert labels[1] == (
        "niveau tenu jusqu'à l'événement suivant, intégré sur la période en heures : "
        "4 événements dans la période"
    )
    assert (
        "série instance = web-1 : niveau au début 1, 1 événement dans la période, 10 heures-unités"
    ) in labels
    assert any(label.startswith("série instance = web-3 : niveau au début 0") for label in labels)


def test_gauge_value_is_held_until_the_next_event():
    # 3 instances from 00:00, 5 from 08:00, 0 from 20:00 on the first day of a one-day period
    end = at(1)
    events = [(at(0), D(3)), (at(0, 8), D(5)), (at(0, 20), D(0))]
    result = aggregate(aggregation="time_weighted", events=events, start=START, end=end)
    assert result.value == 3 * 8 + 5 * 12  # 84 instance-hours
    third = aggregate(aggregation="time_weighted", events=events, start=START, end=at(0, 8, 20))
    assert third.value == 3 * 8 + 5 * D(1) / 3  # 20 minutes at 5
    assert str(third.steps[-1].label) == "quantité = 25,6666…"


def test_time_weighted_uses_the_period_zone_free_arithmetic_across_dst():
    # The night of 25 October 2026 has 25 hours in Paris: a level of 1 over that local day
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 10, 25, tzinfo=paris)
    end = datetime(2026, 10, 26, tzinfo=paris)
    result = aggregate(aggregation="time_weighted", events=[(start, D(1))], start=start, end=end)
    assert result.value == 25


def test_filters_apply_to_time_weighted_series():
    events = [
        Event(at(0), D(1), {"instance": "a", "size": "large"}),
        Event(at(0), D(1), {"instance": "b", "size": "small"}),
    ]
    result = aggregate(
        aggregation="time_weighted",
        events=events,
        start=START,
        end=at(1),
        filters={"size": "large"},
        property="instance",
    )
    assert result.value == 24


# --- properties -------------------------------------------------------------------------------

offsets = st.integers(min_value=-5 * 86400, max_value=40 * 86400)  # seconds from START
values = st.decimals(min_value=0, max_value=10**4, places=3)
event_lists = st.lists(
    st.tuples(offsets, values, st.sampled_from(["a", "b", "c"])), max_size=40
).map(
    lambda raw: [Event(START + timedelta(seconds=s), v, {"instance": name}) for s, v, name in raw]
)
cuts = st.lists(st.integers(min_value=1, max_value=30 * 86400 - 1), max_size=4, unique=True)


def _pieces(cut_seconds):
    moments = [
        START,
        *(START + timedelta(seconds=s) for s in sorted(cut_seconds)),
        START + timedelta(days=30),
    ]
    return list(pairwise(moments))


@given(events=event_lists, cut_seconds=cuts, filtered=st.booleans())
def test_sum_is_additive_over_disjoint_periods(events, cut_seconds, filtered):
    """Exactly: each event falls in one half-open piece, Decimal addition is exact here."""
    filters = {"instance": "a"} if filtered else None
    pieces = _pieces(cut_seconds)
    whole = aggregate(
        aggregation="sum", events=events, start=pieces[0][0], end=pieces[-1][1], filters=filters
    ).value
    parts = [
        aggregate(aggregation="sum", events=events, start=a, end=b, filters=filters).value
        for a, b in pieces
    ]
    assert sum(parts) == whole


@given(events=event_lists, cut_seconds=cuts)
def test_count_is_additive_over_disjoint_periods(events, cut_seconds):
    pieces = _pieces(cut_seconds)
    whole = aggregate(aggregation="count", events=events, start=pieces[0][0], end=pieces[-1][1])
    assert (
        sum(aggregate(aggregation="count", events=events, start=a, end=b).value for a, b in pieces)
        == whole.value
    )


@given(events=event_lists, cut_seconds=cuts)
def test_time_weighted_is_additive_over_disjoint_periods(events, cut_seconds):
    """Level × microseconds is summed exactly and divided by 3 600 000 000 once per call: the
    parts add up to the whole within 10⁻¹⁵ hour (28 significant digits, at most 5 parts)."""
    pieces = _pieces(cut_seconds)
    whole = aggregate(
        aggregation="time_weighted",
        events=events,
        start=pieces[0][0],
        end=pieces[-1][1],
        property="instance",
    ).value
    parts = [
        aggregate(
            aggregation="time_weighted", events=events, start=a, end=b, property="instance"
        ).value
        for a, b in pieces
    ]
    assert abs(sum(parts) - whole) <= D("1e-15")
    assert whole >= 0
