"""A period rated under the price versions in force during it: split at each effective date,
each part explained, tiers, allowance and minimum kept the period's; and the properties (one
version gives exactly price(); rating is additive over disjoint periods for sum meters)."""

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.metering.domain import PARIS, Event, PriceVersion, aggregate, price, rate_period
from clausier.rules.errors import RuleError

CENT = D("0.01")
OCT = datetime(2026, 10, 1, tzinfo=PARIS)
NOV = datetime(2026, 11, 1, tzinfo=PARIS)
REVISED = datetime(2026, 10, 15, tzinfo=PARIS)


def per_unit(day, unit_price, **more):
    return PriceVersion(
        effective_from=day, scheme="per_unit", tiers=[(None, D(unit_price))], **more
    )


def split_quantities(first, second):
    """quantity_of for a period split on 15 October: ``first`` before, ``second`` after."""

    def quantity_of(start, end):
        return D(first) if start < REVISED else D(second)

    return quantity_of


def test_a_revision_splits_the_period_in_two_explained_parts():
    versions = [per_unit(date(2026, 1, 1), "0.10"), per_unit(date(2026, 10, 15), "0.12")]
    calls = []

    def quantity_of(start, end):
        calls.append((start, end))
        return D(100) if start < REVISED else D(50)

    result = rate_period(start=OCT, end=NOV, versions=versions, quantity_of=quantity_of)
    rated = result.value
    # 100 × 0,10 = 10,00 before the 15th; 50 × 0,12 = 6,00 from it; 16,00 in all
    assert calls == [(OCT, REVISED), (REVISED, NOV)]
    assert [p.amount for p in rated.parts] == [D("10.00"), D("6.00")]
    assert rated.total == D("16.00")
    assert rated.minimum_top_up == 0
    first, second = (p.explained for p in rated.parts)
    assert str(first.steps[0].label) == (
        "du 01/10/2026 à 00:00 au 15/10/2026 à 00:00 (fin exclue), version « 2026-01-01 » "
        "en vigueur depuis le 01/01/2026"
    )
    assert "50 × 0,12\u00a0€ = 6,00\u00a0€" in [str(s.label) for s in second.steps]
    assert [str(s.label) for s in result.steps] == [
        "partie 1 : 100 unités, version « 2026-01-01 » = 10,00\u00a0€",
        "partie 2 : 50 unités, version « 2026-10-15 » = 6,00\u00a0€",
        "montant HT de la période = 16,00\u00a0€",
    ]
    assert result.as_dict()["value"]["total"] == "16.00"
    assert result.as_dict()["value"]["parts"][1]["version"] == "2026-10-15"


GRADUATED_V1 = [(D(100), D("0.10")), (None, D("0.05"))]
GRADUATED_V2 = [(D(100), D("0.20")), (None, D("0.08"))]


def two(scheme, tiers_before, tiers_after, **more):
    return [
        PriceVersion(date(2026, 1, 1), scheme, tiers_before, **more),
        PriceVersion(date(2026, 10, 15), scheme, tiers_after, **more),
    ]


@pytest.mark.parametrize(
    ("versions", "first", "second", "amounts", "top_up"),
    [
        # graduated tiers continue on the running total: part 1 is units 0–80 at v1,
        # 80 × 0,10 = 8,00; part 2 is units 80–130 at v2: 20 × 0,20 + 30 × 0,08 = 4 + 2,40
        (two("graduated", GRADUATED_V1, GRADUATED_V2), 80, 50, ["8.00", "6.40"], "0"),
        # volume: the period's 130 units reach tier 2, each part at its version's tier-2 price:
        # 80 × 0,05 = 4,00 and 50 × 0,08 = 4,00
        (two("volume", GRADUATED_V1, GRADUATED_V2), 80, 50, ["4.00", "4.00"], "0"),
        # the allowance of 100 is used once, by the first units: part 1's 80 are free, part 2
        # pays units 100–130: 30 × 0,12 = 3,60
        (
            [
                per_unit(date(2026, 1, 1), "0.10", free_allowance=100),
                per_unit(date(2026, 10, 15), "0.12", free_allowance=100),
            ],
            80,
            50,
            ["0.00", "3.60"],
            "0",
        ),
        # package blocks on the running total: 50 units open a block of 100 (2,00); 30 more fill
        # it (cumulative 80, still 1 block): nothing more to pay
        (
            two("package", [(None, D(2))], [(None, D(3))], package_size=100),
            50,
            30,
            ["2.00", "0.00"],
            "0",
        ),
        # and 60 more pass it (cumulative 110, 2 blocks): one block at v2's 3,00
        (
            two("package", [(None, D(2))], [(None, D(3))], package_size=100),
            50,
            60,
            ["2.00", "3.00"],
            "0",
        ),
        # the minimum, a floor of the period, weighs each version's minimum by its part's
        # duration. October 2026 in Paris lasts 745 h (25 October has 25 h); 1–15 October is
        # 336 h, 15 October–1 November 409 h: 10 × 336/745 + 20 × 409/745 = 11 540/745
        # = 15,4899… -> 15,49; the parts cost 0,10 + 0,12 = 0,22: top-up 15,27
        (
            [
                per_unit(date(2026, 1, 1), "0.10", minimum=10),
                per_unit(date(2026, 10, 15), "0.12", minimum=20),
            ],
            1,
            1,
            ["0.10", "0.12"],
            "15.27",
        ),
    ],
)
def test_tiers_allowance_package_and_minimum_are_the_periods(
    versions, first, second, amounts, top_up
):
    result = rate_period(
        start=OCT, end=NOV, versions=versions, quantity_of=split_quantities(first, second)
    )
    rated = result.value
    assert [p.amount for p in rated.parts] == [D(a) for a in amounts]
    assert rated.minimum_top_up == D(top_up)
    assert rated.total == sum(D(a) for a in amounts) + D(top_up)
    if rated.minimum_top_up:
        assert str(result.steps[-2].label) == (
            "minimum de la période 15,49\u00a0€ (minimum de chaque version au prorata de la "
            "durée de sa partie) : complément 15,27\u00a0€"
        )


def test_graduated_part_explains_what_the_earlier_parts_already_paid():
    rated = rate_period(
        start=OCT,
        end=NOV,
        versions=two("graduated", GRADUATED_V1, GRADUATED_V2),
        quantity_of=split_quantities(80, 50),
    ).value
    labels = [str(s.label) for s in rated.parts[1].explained.steps]
    assert "quantité de la partie : 50 (cumul de la période de 80 à 130)" in labels
    assert "tranche 1 (de 0 à 100) : 100 × 0,20\u00a0€ = 20,00\u00a0€" in labels
    assert "tranche 2 (au-delà de 100) : 30 × 0,08\u00a0€ = 2,40\u00a0€" in labels
    assert (
        "moins le montant des 80 unités facturables des parties précédentes au même prix : "
        "22,40\u00a0€ − 16,00\u00a0€ = 6,40\u00a0€"
    ) in labels


def test_versions_outside_the_period_and_on_its_bounds():
    versions = [
        per_unit(date(2026, 1, 1), "1"),
        per_unit(date(2026, 10, 1), "2"),  # in force from the period's start: no split
        per_unit(date(2026, 11, 1), "3"),  # takes effect at the end: the next period's
    ]
    rated = rate_period(start=OCT, end=NOV, versions=versions, quantity_of=lambda a, b: D(5)).value
    assert [(p.start, p.end, p.version.effective_from) for p in rated.parts] == [
        (OCT, NOV, date(2026, 10, 1))
    ]
    assert rated.total == D("10.00")


def test_three_versions_make_three_parts():
    versions = [
        per_unit(date(2026, 9, 1), "1"),
        per_unit(date(2026, 10, 10), "2"),
        per_unit(date(2026, 10, 20), "3"),
    ]
    rated = rate_period(start=OCT, end=NOV, versions=versions, quantity_of=lambda a, b: D(1)).value
    assert [p.amount for p in rated.parts] == [D(1), D(2), D(3)]
    assert rated.parts[1].start == datetime(2026, 10, 10, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("versions", "quantity_of", "argument", "says"),
    [
        (
            [per_unit(date(2026, 10, 2), "1")],
            lambda a, b: D(1),
            "versions",
            "no price version in force",
        ),
        ([], lambda a, b: D(1), "versions", "non-empty list"),
        (
            [per_unit(date(2026, 1, 1), "1"), per_unit(date(2026, 1, 1), "2")],
            lambda a, b: D(1),
            "versions",
            "two versions take effect on 2026-01-01",
        ),
        (["v1"], lambda a, b: D(1), "versions[0]", "expected a PriceVersion"),
        (
            [PriceVersion(datetime(2026, 1, 1, tzinfo=UTC), "per_unit", [(None, D(1))])],
            lambda a, b: D(1),
            "versions[0].effective_from",
            "expected a date",
        ),
        (
            [per_unit(date(2026, 1, 1), "1")],
            lambda a, b: D(-1),
            "quantity_of(",
            "must not be negative",
        ),
        (
            [PriceVersion(date(2026, 1, 1), "volume", [(D(1), D(1))])],
            lambda a, b: D(1),
            "tiers[0]",
            "the last tier must be open",
        ),
    ],
)
def test_bad_input_names_the_argument(versions, quantity_of, argument, says):
    with pytest.raises(RuleError) as caught:
        rate_period(start=OCT, end=NOV, versions=versions, quantity_of=quantity_of)
    assert caught.value.argument.startswith(argument)
    assert says in str(caught.value)


# --- properties ---------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**5, places=3)
unit_prices = st.decimals(min_value=0, max_value=10, places=4)


@st.composite
def versions_of(draw, scheme):
    tiers = [(None, draw(unit_prices))]
    more = {}
    if scheme in ("graduated", "volume"):
        bound = draw(st.decimals(min_value=1, max_value=10**4, places=2))
        tiers = [(bound, draw(unit_prices)), (None, draw(unit_prices))]
    if scheme == "package":
        more["package_size"] = draw(st.integers(min_value=1, max_value=1000))
    return dict(
        scheme=scheme,
        tiers=tiers,
        free_allowance=draw(st.sampled_from([D(0), D(10), D("2.5")])),
        minimum=draw(st.sampled_from([D(0), D(1), D("12.345")])),
        **more,
    )


schemes = st.sampled_from(["per_unit", "graduated", "volume", "package"])


def _bound(parts):
    """The most two roundings to the cent of n exact parts and of their sum can differ:
    each half-up rounding moves by at most half a cent, so n + 1 of them by (n + 1)/2 cents,
    and the difference is a whole number of cents."""
    return CENT * ((parts + 1) // 2)


@given(data=st.data(), scheme=schemes, quantity=amounts)
def test_one_version_rates_the_period_exactly_as_price(data, scheme, quantity):
    terms = data.draw(versions_of(scheme))
    rated = rate_period(
        start=OCT,
        end=NOV,
        versions=[PriceVersion(date(2026, 1, 1), **terms)],
        quantity_of=lambda a, b: quantity,
    ).value
    assert rated.total == price(quantity=quantity, **terms).value


@given(data=st.data(), scheme=schemes, first=amounts, second=amounts)
def test_a_split_with_the_same_prices_costs_the_whole_up_to_a_cent(data, scheme, first, second):
    """Two versions of the same prices split October: the parts telescope on the running
    total, so the exact amounts add up to the whole's; only the rounding of two parts may
    differ, by at most one cent (see _bound)."""
    terms = data.draw(versions_of(scheme))
    versions = [PriceVersion(date(2026, 1, 1), **terms), PriceVersion(date(2026, 10, 15), **terms)]
    split = rate_period(
        start=OCT, end=NOV, versions=versions, quantity_of=split_quantities(first, second)
    ).value
    whole = price(quantity=first + second, **terms).value
    assert abs(split.total - whole) <= _bound(2)


START = datetime(2026, 10, 1, tzinfo=UTC)
events = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30 * 86400 - 1), amounts), max_size=30
).map(lambda raw: [Event(START + timedelta(seconds=s), v) for s, v in raw])
cuts = st.lists(st.integers(min_value=1, max_value=30 * 86400 - 1), max_size=5, unique=True)


@given(found=events, cut_seconds=cuts, unit_price=unit_prices)
def test_rating_is_additive_over_disjoint_periods_for_sum_meters(found, cut_seconds, unit_price):
    """A sum meter priced per unit, rated over n disjoint periods covering 30 days: the exact
    amounts add up exactly, and the amounts rounded once per period are within
    ⌊(n + 1)/2⌋ cents of the whole rated at once."""
    moments = [START, *(START + timedelta(seconds=s) for s in sorted(cut_seconds))]
    moments.append(START + timedelta(days=30))
    version = [PriceVersion(date(2026, 1, 1), "per_unit", [(None, unit_price)])]

    def quantity_of(a, b):
        return aggregate(aggregation="sum", events=found, start=a, end=b).value

    pieces = [
        rate_period(start=a, end=b, versions=version, quantity_of=quantity_of).value
        for a, b in pairwise(moments)
    ]
    whole = rate_period(
        start=moments[0], end=moments[-1], versions=version, quantity_of=quantity_of
    )
    exact_parts = sum(piece.parts[0].quantity * unit_price for piece in pieces)
    assert exact_parts == whole.value.parts[0].quantity * unit_price
    assert whole.value.total == exact_parts.quantize(CENT, rounding=ROUND_HALF_UP)
    assert abs(sum(piece.total for piece in pieces) - whole.value.total) <= _bound(len(pieces))


def test_a_volume_part_names_the_tier_the_whole_period_reached():
    rated = rate_period(
        start=OCT,
        end=NOV,
        versions=two("volume", GRADUATED_V1, GRADUATED_V2),
        quantity_of=split_quantities(80, 50),
    ).value
    labels = [str(s.label) for s in rated.parts[0].explained.steps]
    # 80 units alone would stay in tier 1 (8,00); the period's 130 reach tier 2: 80 × 0,05
    assert (
        "prix au volume : la tranche est celle qu'atteint toute la période (130 unités facturables)"
    ) in labels
    assert (
        "tranche 2 (au-delà de 100) atteinte, son prix s'applique à toute la quantité : "
        "80 × 0,05\u00a0€ = 4,00\u00a0€"
    ) in labels
