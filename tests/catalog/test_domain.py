"""The catalog's pure rules: price in force on a date, TTC from HT, product checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.catalog import domain
from clausier.catalog.models import PriceUnit
from clausier.rules.errors import RuleError


@dataclass(frozen=True)
class V:
    pk: int
    effective_from: date
    unit_price_ht: Decimal = Decimal("10.00")


@dataclass(frozen=True)
class P:
    code: str = "dev-heure"
    name: str = "Développement (heure)"
    unit: str = "hour"
    metered_unit: str = ""
    is_fee: bool = False
    vat_rate: Decimal = Decimal("0.2000")


# --- price_on ---------------------------------------------------------------------------------


def test_the_price_in_force_is_the_latest_effective_on_or_before_the_day():
    jan, mar, jun = V(1, date(2026, 1, 1)), V(2, date(2026, 3, 1)), V(3, date(2026, 6, 1))
    versions = [mar, jun, jan]  # order does not matter
    assert domain.price_on(versions, date(2026, 1, 1)) is jan
    assert domain.price_on(versions, date(2026, 2, 28)) is jan
    assert domain.price_on(versions, date(2026, 3, 1)) is mar  # in force from its first day
    assert domain.price_on(versions, date(2030, 1, 1)) is jun


def test_no_price_in_force_yet_names_the_date_and_the_first_price():
    with pytest.raises(domain.NoPriceInForce) as exc:
        domain.price_on([V(1, date(2026, 3, 1))], date(2026, 2, 28))
    message = str(exc.value)
    assert "aucun prix en vigueur le 28/02/2026" in message
    assert "le premier prix prend effet le 01/03/2026" in message
    assert exc.value.argument == "on"
    assert isinstance(exc.value, RuleError)


def test_no_version_at_all_is_no_price_in_force():
    with pytest.raises(domain.NoPriceInForce, match="aucune version de prix"):
        domain.price_on([], date(2026, 1, 1))


day_offsets = st.lists(st.integers(0, 3000), min_size=1, max_size=12, unique=True)
START = date(2020, 1, 1)


@given(offsets=day_offsets, on_offset=st.integers(-10, 3100))
def test_price_on_is_the_latest_version_not_after_the_day(offsets, on_offset):
    versions = [V(n, START + timedelta(days=d)) for n, d in enumerate(offsets)]
    on = START + timedelta(days=on_offset)
    eligible = [v for v in versions if v.effective_from <= on]
    if not eligible:
        with pytest.raises(domain.NoPriceInForce):
            domain.price_on(versions, on)
        return
    chosen = domain.price_on(versions, on)
    assert chosen.effective_from <= on
    assert all(v.effective_from <= chosen.effective_from for v in eligible)
    assert chosen.effective_from == max(v.effective_from for v in eligible)


# --- TTC --------------------------------------------------------------------------------------


def test_ttc_at_20_percent_is_rounded_half_up_to_the_cent():
    # 10,01 × 1,2 = 12,012 -> 12,01
    assert domain.price_ttc(unit_price_ht=Decimal("10.01"), vat_rate=Decimal("0.20")).value == (
        Decimal("12.01")
    )
    # 4,05 × 1,055 = 4,27275 -> 4,27 ; 1,99 × 1,055 = 2,09945 -> 2,10
    assert domain.price_ttc(unit_price_ht=Decimal("4.05"), vat_rate=Decimal("0.055")).value == (
        Decimal("4.27")
    )
    assert domain.price_ttc(unit_price_ht=Decimal("1.99"), vat_rate=Decimal("0.055")).value == (
        Decimal("2.10")
    )


def test_the_ttc_explanation_shows_the_arithmetic():
    explained = domain.price_ttc(unit_price_ht=Decimal("79.00"), vat_rate=Decimal("0.20"))
    assert explained.value == Decimal("94.80")
    assert explained.rule == "price_ttc"
    assert "CGI art. 278" in explained.law
    assert str(explained.steps[0].label).startswith(
        "79,00\u00a0€ HT × (1 + 20\u202f%) = 94,80\u00a0€"
    )


def test_a_sub_cent_metered_price_keeps_four_decimals_in_ttc():
    # 0,0035 × 1,2 = 0,0042: rounded to the cent it would show 0,00 € TTC
    ttc = domain.price_ttc(unit_price_ht=Decimal("0.0035"), vat_rate=Decimal("0.20"))
    assert ttc.value == Decimal("0.0042")
    assert "4 décimales" in str(ttc.steps[0].label)


def test_ttc_refuses_a_float_or_a_rate_above_one():
    with pytest.raises(RuleError, match="unit_price_ht"):
        domain.price_ttc(unit_price_ht=10.0, vat_rate=Decimal("0.20"))
    with pytest.raises(RuleError, match="vat_rate"):
        domain.price_ttc(unit_price_ht=Decimal("10"), vat_rate=Decimal("20"))


prices = st.decimals(min_value=0, max_value=10**8 - 1, places=4)
rates = st.decimals(min_value=0, max_value=Decimal("0.9999"), places=4)


@given(ht=prices, rate=rates)
def test_ttc_is_never_below_ht(ht, rate):
    assert domain.price_ttc(unit_price_ht=ht, vat_rate=rate).value >= ht


@given(ht=prices)
def test_ttc_equals_ht_at_rate_zero(ht):
    assert domain.price_ttc(unit_price_ht=ht, vat_rate=Decimal(0)).value == ht


@given(ht=st.decimals(min_value=0, max_value=10**8 - 1, places=2), rate=rates)
def test_ttc_of_a_price_in_cents_is_in_cents_within_half_a_cent(ht, rate):
    ttc = domain.price_ttc(unit_price_ht=ht, vat_rate=rate).value
    assert ttc == ttc.quantize(Decimal("0.01"))
    assert abs(ttc - ht * (1 + rate)) <= Decimal("0.005")


# --- checks -----------------------------------------------------------------------------------


def test_the_293b_franchise_forbids_any_vat_rate():
    problem = domain.vat_rate_for_regime_problem(regime="franchise_293b", rate=Decimal("0.20"))
    assert "TVA non applicable, art. 293 B du CGI" in problem
    assert domain.vat_rate_for_regime_problem(regime="franchise_293b", rate=Decimal(0)) is None
    assert domain.vat_rate_for_regime_problem(regime="normal", rate=Decimal("0.20")) is None


def test_default_vat_rate_follows_the_regime():
    assert domain.default_vat_rate("franchise_293b") == 0
    assert domain.default_vat_rate("normal") == Decimal("0.20")


@pytest.mark.parametrize(
    "rate", [Decimal("-0.01"), Decimal("1"), Decimal("20"), Decimal("0.00001"), 0.2, "0.2"]
)
def test_a_vat_rate_is_a_decimal_fraction_below_one(rate):
    assert domain.vat_rate_problem(rate)


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("0.055"), Decimal("0.2000"), 0])
def test_valid_vat_rates(rate):
    assert domain.vat_rate_problem(rate) is None


@pytest.mark.parametrize(
    ("options", "ok"),
    [
        ([], True),
        ([{"code": "sauvegarde", "label": "Sauvegarde récurrente"}], True),
        ([{"code": "a", "label": "A"}, {"code": "a", "label": "B"}], False),
        ([{"code": "a"}], False),
        ([{"code": "a", "label": ""}], False),
        ([{"code": "a", "label": "A", "price": 3}], False),
        ({"code": "a", "label": "A"}, False),
    ],
)
def test_options_are_code_label_pairs(options, ok):
    assert (domain.options_problem(options) is None) is ok


def test_guarantees_are_distinct_sentences():
    assert domain.guarantees_problem(["Datacenters conformes APSAD R81 et R82"]) is None
    assert domain.guarantees_problem(["", "x"])
    assert domain.guarantees_problem(["x", "x"])
    assert domain.guarantees_problem("x")


def test_metered_unit_is_required_exactly_for_metered_prices():
    assert domain.metered_unit_problem(unit="metered", metered_unit="")
    assert domain.metered_unit_problem(unit="hour", metered_unit="Go·mois")
    assert domain.metered_unit_problem(unit="metered", metered_unit="Go·mois") is None
    assert domain.metered_unit_problem(unit="hour", metered_unit="") is None


@pytest.mark.parametrize(
    ("effective_from", "fragment"),
    [
        (date(2026, 3, 1), "prend déjà effet le 01/03/2026"),
        (date(2026, 2, 1), "Le dernier prix prend effet le 01/03/2026"),
        (date(2026, 4, 1), "dans le passé"),
    ],
)
def test_a_new_price_never_rewrites_the_past(effective_from, fragment):
    problem = domain.new_price_date_problem(
        effective_from=effective_from,
        existing=[date(2026, 1, 1), date(2026, 3, 1)],
        today=date(2026, 5, 1),
    )
    assert fragment in problem


def test_a_new_price_from_today_after_the_latest_is_fine():
    assert (
        domain.new_price_date_problem(
            effective_from=date(2026, 5, 1), existing=[date(2026, 3, 1)], today=date(2026, 5, 1)
        )
        is None
    )


def test_unit_prices_have_four_decimals_at_most_and_are_not_negative():
    assert domain.unit_price_problem(Decimal("0.0035")) is None
    assert "4 décimales" in domain.unit_price_problem(Decimal("0.00351"))
    assert "positif" in domain.unit_price_problem(Decimal("-1"))
    assert domain.unit_price_problem(1.5)


def test_domain_units_match_the_model_choices():
    assert set(domain.UNIT_LABELS) == set(PriceUnit.values)


# --- PriceQuote -------------------------------------------------------------------------------


def test_a_price_quote_freezes_what_a_document_shows():
    quote = domain.quote_price(
        product=P(), version=V(7, date(2026, 3, 1), unit_price_ht=Decimal("45.0000"))
    )
    assert quote == domain.PriceQuote(
        product_code="dev-heure",
        label="Développement (heure)",
        unit="hour",
        metered_unit="",
        is_fee=False,
        unit_price_ht=Decimal("45.00"),
        vat_rate=Decimal("0.20"),
        price_version_id=7,
        effective_from=date(2026, 3, 1),
    )
    assert quote.unit_label == "heure"
    assert quote.unit_price_ttc == Decimal("54.00")
    assert quote.as_dict()["unit_price_ht"] == "45.00"
    assert quote.as_dict()["effective_from"] == "2026-03-01"
    with pytest.raises(AttributeError):
        quote.unit_price_ht = Decimal(1)  # frozen


def test_a_metered_quote_is_labelled_by_its_consumption_unit():
    product = P(code="stockage", name="Stockage", unit="metered", metered_unit="Go·mois")
    quote = domain.quote_price(
        product=product, version=V(1, date(2026, 1, 1), unit_price_ht=Decimal("0.0150"))
    )
    assert quote.unit_label == "Go·mois"
    assert quote.unit_price_ht == Decimal("0.015")


def test_tidy_keeps_two_decimals_or_the_significant_ones():
    assert str(domain.tidy(Decimal("79.0000"))) == "79.00"
    assert str(domain.tidy(Decimal("0.0350"))) == "0.035"
    assert str(domain.tidy(Decimal("0.2000"))) == "0.20"
    assert str(domain.tidy(Decimal("100"))) == "100.00"
