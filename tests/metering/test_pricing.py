"""The price of a period's consumption: worked cases, bad input, and the properties of each
scheme (tier bounds exact, graduated continuous and monotone, volume piecewise, package blocks
rounded up, allowance never negative, minimum a floor, one rounding at the end)."""

from decimal import ROUND_CEILING, ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clausier.metering.domain import price
from clausier.rules.errors import RuleError

CENT = D("0.01")
# 0–100 at 0,10 €, 100–1 000 at 0,05 €, beyond at 0,02 €.
THREE = [(D(100), D("0.10")), (D(1000), D("0.05")), (None, D("0.02"))]


# --- worked cases ----------------------------------------------------------------------------

WORKED = [
    # (quantity, scheme, tiers, package_size, free_allowance, minimum, expected)
    # 1. per unit: 1 234 × 0,0035 = 4,319 -> 4,32 (half up)
    (D(1234), "per_unit", [(None, D("0.0035"))], None, 0, 0, D("4.32")),
    # 2. per unit, half a cent exactly: 1 × 0,005 = 0,005 -> 0,01 (half up, not to even)
    (D(1), "per_unit", [(None, D("0.005"))], None, 0, 0, D("0.01")),
    # 3. per unit with allowance: (1 000 − 250) × 0,02 = 15,00
    (D(1000), "per_unit", [(None, D("0.02"))], None, 250, 0, D("15.00")),
    # 4. allowance larger than use: max(100 − 500, 0) × 0,02 = 0
    (D(100), "per_unit", [(None, D("0.02"))], None, 500, 0, D("0.00")),
    # 5. graduated inside tier 1: 50 × 0,10 = 5,00
    (D(50), "graduated", THREE, None, 0, 0, D("5.00")),
    # 6. graduated exactly on the bound: 100 × 0,10 = 10,00 (unit 100 is in tier 1)
    (D(100), "graduated", THREE, None, 0, 0, D("10.00")),
    # 7. graduated one past the bound: 100 × 0,10 + 1 × 0,05 = 10,05
    (D(101), "graduated", THREE, None, 0, 0, D("10.05")),
    # 8. graduated over three tiers: 100 × 0,10 + 900 × 0,05 + 500 × 0,02 = 10 + 45 + 10 = 65
    (D(1500), "graduated", THREE, None, 0, 0, D("65.00")),
    # 9. graduated with allowance 50: 1 050 − 50 = 1 000 -> 10 + 45 = 55,00
    (D(1050), "graduated", THREE, None, 50, 0, D("55.00")),
    # 10. volume exactly on the bound: 100 in tier 1 -> 100 × 0,10 = 10,00
    (D(100), "volume", THREE, None, 0, 0, D("10.00")),
    # 11. volume one past: 101 all at tier 2 -> 101 × 0,05 = 5,05 (cheaper than 100: a jump)
    (D(101), "volume", THREE, None, 0, 0, D("5.05")),
    # 12. volume in the open tier: 1 500 × 0,02 = 30,00
    (D(1500), "volume", THREE, None, 0, 0, D("30.00")),
    # 13. package: 101 units in blocks of 100 -> ⌈1,01⌉ = 2 blocks × 2,50 = 5,00
    (D(101), "package", [(None, D("2.50"))], 100, 0, 0, D("5.00")),
    # 14. package exactly full: 200 / 100 = 2 blocks × 2,50 = 5,00
    (D(200), "package", [(None, D("2.50"))], 100, 0, 0, D("5.00")),
    # 15. package with allowance: 250 − 50 = 200 -> 2 blocks × 2,50 = 5,00
    (D(250), "package", [(None, D("2.50"))], 100, 50, 0, D("5.00")),
    # 16. minimum applies: 10 × 0,10 = 1,00 < 5,00 -> 5,00
    (D(10), "per_unit", [(None, D("0.10"))], None, 0, D(5), D("5.00")),
    # 17. minimum with no use at all: 0 -> 5,00 (a floor of the period)
    (D(0), "graduated", THREE, None, 0, D(5), D("5.00")),
    # 18. minimum below the amount: 1 500 graduated = 65,00 > 20 -> 65,00
    (D(1500), "graduated", THREE, None, 0, D(20), D("65.00")),
    # 19. rounded once at the end, not per tier: 3 × 0,0333 + 2 × 0,0222 = 0,0999 + 0,0444
    #     = 0,1443 -> 0,14 (per-tier rounding would give 0,10 + 0,04 = 0,14 too; but see 20)
    (D(5), "graduated", [(D(3), D("0.0333")), (None, D("0.0222"))], None, 0, 0, D("0.14")),
    # 20. 1 × 0,004 + 1 × 0,004 = 0,008 -> 0,01; rounding each tier would give 0,00 + 0,00
    (D(2), "graduated", [(D(1), D("0.004")), (None, D("0.004"))], None, 0, 0, D("0.01")),
    # 21. fractional quantity (GB): 2,5 × 0,09 = 0,225 -> 0,23
    (D("2.5"), "per_unit", [(None, D("0.09"))], None, 0, 0, D("0.23")),
    # 22. package of fractional size: 1,1 GB in blocks of 0,5 -> ⌈2,2⌉ = 3 × 1 = 3,00
    (D("1.1"), "package", [(None, D(1))], D("0.5"), 0, 0, D("3.00")),
]


@pytest.mark.parametrize(
    ("quantity", "scheme", "tiers", "package_size", "allowance", "minimum", "expected"), WORKED
)
def test_worked_cases(quantity, scheme, tiers, package_size, allowance, minimum, expected):
    result = price(
        quantity=quantity,
        scheme=scheme,
        tiers=tiers,
        package_size=package_size,
        free_allowance=allowance,
        minimum=minimum,
    )
    assert result.value == expected
    assert result.value.as_tuple().exponent == -2
    assert result.rule == "price"
    assert result.steps[-1].value == expected


def _labels(result):
    return [str(step.label) for step in result.steps]


def test_explanation_lists_each_tier_the_allowance_and_the_formula():
    result = price(quantity=D(1550), scheme="graduated", tiers=THREE, free_allowance=50)
    labels = _labels(result)
    assert labels[0].startswith("formule : somme, tranche par tranche")
    assert (
        "franchise de 50 : 1\u202f550 − 50 = 1\u202f500 facturables (jamais moins de 0)" in labels
    )
    assert "tranche 1 (de 0 à 100) : 100 × 0,10\u00a0€ = 10,00\u00a0€" in labels
    assert "tranche 2 (de 100 à 1\u202f000) : 900 × 0,05\u00a0€ = 45,00\u00a0€" in labels
    assert "tranche 3 (au-delà de 1\u202f000) : 500 × 0,02\u00a0€ = 10,00\u00a0€" in labels
    assert labels[-1] == "montant HT = 65,00\u00a0€"
    assert result.as_dict()["inputs"]["free_allowance"] == "50"


def test_explanation_names_the_minimum_and_the_rounding_only_when_they_apply():
    floor = _labels(price(quantity=D(3), scheme="per_unit", tiers=[(None, D("0.1"))], minimum=2))
    assert any(label.startswith("minimum de la période 2,00\u00a0€") for label in floor)
    plain = _labels(price(quantity=D(3), scheme="per_unit", tiers=[(None, D("0.1"))]))
    assert not any("minimum" in label for label in plain)
    assert plain[-1] == "montant HT = 0,30\u00a0€"
    odd = _labels(price(quantity=D(1234), scheme="per_unit", tiers=[(None, D("0.0035"))]))
    assert odd[-1] == "montant HT = 4,3190 → 4,32\u00a0€ (arrondi au centime, demi supérieur)"


def test_volume_and_package_explanations():
    volume = _labels(price(quantity=D(101), scheme="volume", tiers=THREE))
    assert (
        "tranche 2 (de 100 à 1\u202f000) atteinte, son prix s'applique à toute la quantité : "
        "101 × 0,05\u00a0€ = 5,05\u00a0€"
    ) in volume
    package = _labels(
        price(quantity=D(101), scheme="package", tiers=[(None, D("2.5"))], package_size=100)
    )
    assert (
        "forfaits de 100 : 101 / 100 arrondi au supérieur = 2 ; 2 × 2,50\u00a0€ = 5,00\u00a0€"
        in package
    )


# --- bad input -------------------------------------------------------------------------------

ONE_TIER = [(None, D("0.1"))]


@pytest.mark.parametrize(
    ("arguments", "argument", "says"),
    [
        ({"quantity": D(-1)}, "quantity", "must not be negative"),
        ({"quantity": 1.5}, "quantity", "expected a Decimal"),
        ({"scheme": "tiered"}, "scheme", "expected one of per_unit, graduated, volume, package"),
        ({"tiers": []}, "tiers", "non-empty list"),
        ({"tiers": [(None, D(1)), (None, D(2))]}, "tiers", "exactly one tier"),
        (
            {"scheme": "graduated", "tiers": [(None, D(1)), (D(10), D(2))]},
            "tiers[0]",
            "only the last tier may be open",
        ),
        (
            {"scheme": "graduated", "tiers": [(D(10), D(1)), (D(10), D(2)), (None, D(1))]},
            "tiers[1].up_to",
            "must increase strictly",
        ),
        (
            {"scheme": "volume", "tiers": [(D(0), D(1)), (None, D(2))]},
            "tiers[0].up_to",
            "must increase strictly from 0",
        ),
        (
            {"scheme": "graduated", "tiers": [(D(10), D(1)), (D(20), D(2))]},
            "tiers[1]",
            "the last tier must be open",
        ),
        ({"tiers": [(None, D(-1))]}, "tiers[0].unit_price", "must not be negative"),
        ({"tiers": [D(1)]}, "tiers[0]", "expected a pair"),
        ({"scheme": "package"}, "package_size", "needs a package size"),
        ({"scheme": "package", "package_size": 0}, "package_size", "greater than 0"),
        ({"package_size": 10}, "package_size", "only the package scheme"),
        ({"free_allowance": D(-5)}, "free_allowance", "must not be negative"),
        ({"minimum": D("-0.01")}, "minimum", "must not be negative"),
    ],
)
def test_bad_input_names_the_argument_and_the_rule(arguments, argument, says):
    given_arguments = {"quantity": D(1), "scheme": "per_unit", "tiers": ONE_TIER} | arguments
    with pytest.raises(RuleError) as caught:
        price(**given_arguments)
    assert caught.value.argument == argument
    assert says in str(caught.value)
    assert str(caught.value).endswith("(price)")


# --- properties ------------------------------------------------------------------------------

quantities = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False)
prices = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False)


@st.composite
def tier_lists(draw, max_tiers=4):
    """Strictly increasing bounds, the last tier open."""
    count = draw(st.integers(min_value=1, max_value=max_tiers))
    steps = draw(
        st.lists(
            st.decimals(min_value=D("0.001"), max_value=10**4, places=3),
            min_size=count - 1,
            max_size=count - 1,
        )
    )
    bounds, total = [], D(0)
    for step in steps:
        total += step
        bounds.append(total)
    unit_prices = draw(st.lists(prices, min_size=count, max_size=count))
    return [*zip(bounds, unit_prices[:-1], strict=True), (None, unit_prices[-1])]


def _exact_graduated(quantity, tiers):
    total, lower = D(0), D(0)
    for up_to, unit_price in tiers:
        top = quantity if up_to is None else min(quantity, up_to)
        if top > lower:
            total += (top - lower) * unit_price
        if up_to is None or quantity <= up_to:
            break
        lower = up_to
    return total


@given(tiers=tier_lists(), quantity=quantities)
def test_graduated_is_the_exact_sum_rounded_once(tiers, quantity):
    expected = _exact_graduated(quantity, tiers).quantize(CENT, rounding=ROUND_HALF_UP)
    assert price(quantity=quantity, scheme="graduated", tiers=tiers).value == expected


@given(tiers=tier_lists(), a=quantities, b=quantities)
def test_graduated_is_monotone_non_decreasing(tiers, a, b):
    low, high = sorted((a, b))
    assert (
        price(quantity=low, scheme="graduated", tiers=tiers).value
        <= price(quantity=high, scheme="graduated", tiers=tiers).value
    )


@given(tiers=tier_lists(), index=st.integers(min_value=0, max_value=3))
def test_graduated_is_continuous_at_each_bound(tiers, index):
    assume(len(tiers) > 1)
    bound = tiers[min(index, len(tiers) - 2)][0]
    epsilon = D("0.000001")
    at = _exact_graduated(bound, tiers)
    # Continuity: the exact amount moves by at most epsilon × the dearest price across a bound.
    dearest = max(p for _, p in tiers)
    assert abs(_exact_graduated(bound + epsilon, tiers) - at) <= epsilon * dearest
    assert abs(at - _exact_graduated(bound - epsilon, tiers)) <= epsilon * dearest
    # and what price() bills at the bound is that exact amount rounded once
    assert price(quantity=bound, scheme="graduated", tiers=tiers).value == at.quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@given(tiers=tier_lists(), index=st.integers(min_value=0, max_value=3))
def test_a_quantity_on_the_bound_belongs_to_that_tier(tiers, index):
    assume(len(tiers) > 1)
    position = min(index, len(tiers) - 2)
    bound, unit_price = tiers[position]
    volume = price(quantity=bound, scheme="volume", tiers=tiers)
    assert volume.value == (bound * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    assert f"tranche {position + 1} " in str(volume.steps[2].label)
    graduated = price(quantity=bound, scheme="graduated", tiers=tiers)
    # the graduated steps stop at the bound's tier: no line for the next tier
    tier_lines = [s for s in graduated.steps if str(s.label).startswith("tranche")]
    assert len(tier_lines) == position + 1


@given(tiers=tier_lists(), quantity=quantities)
def test_volume_prices_every_unit_at_the_tier_reached(tiers, quantity):
    """Piecewise linear: within a tier the amount is quantity × that tier's price."""
    unit_price = next(p for up_to, p in tiers if up_to is None or quantity <= up_to)
    expected = (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    assert price(quantity=quantity, scheme="volume", tiers=tiers).value == expected


@given(
    quantity=quantities,
    size=st.decimals(min_value=D("0.1"), max_value=1000, places=1),
    unit_price=prices,
)
def test_package_blocks_round_up(quantity, size, unit_price):
    blocks = (quantity / size).to_integral_value(rounding=ROUND_CEILING)
    assert blocks * size >= quantity
    assert (blocks - 1) * size < quantity or blocks == 0
    result = price(
        quantity=quantity, scheme="package", tiers=[(None, unit_price)], package_size=size
    )
    assert result.value == (blocks * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


schemes = st.sampled_from(["per_unit", "graduated", "volume", "package"])


def _call(scheme, tiers, **more):
    if scheme in ("per_unit", "package"):
        tiers = [(None, tiers[-1][1])]
    if scheme == "package":
        more.setdefault("package_size", D(10))
    return price(scheme=scheme, tiers=tiers, **more)


@given(scheme=schemes, tiers=tier_lists(), quantity=quantities, allowance=quantities)
def test_the_allowance_never_makes_a_negative_amount_nor_a_dearer_one(
    scheme, tiers, quantity, allowance
):
    with_allowance = _call(scheme, tiers, quantity=quantity, free_allowance=allowance).value
    assert with_allowance >= 0
    if scheme != "volume":  # volume may get dearer per unit with fewer units, never negative
        assert with_allowance <= _call(scheme, tiers, quantity=quantity).value
    if allowance >= quantity:
        assert with_allowance == 0


@given(scheme=schemes, tiers=tier_lists(), quantity=quantities, minimum=quantities)
def test_the_minimum_is_a_floor(scheme, tiers, quantity, minimum):
    without = _call(scheme, tiers, quantity=quantity).value
    floored = _call(scheme, tiers, quantity=quantity, minimum=minimum).value
    assert floored >= minimum.quantize(CENT, rounding=ROUND_HALF_UP)
    assert floored == max(without, minimum.quantize(CENT, rounding=ROUND_HALF_UP))
