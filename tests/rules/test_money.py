"""Money helpers: conversions, roundings, VAT regimes, document totals, formatting."""

import json
from decimal import ROUND_DOWN
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.errors import RuleError
from clausier.rules.money import (
    FRANCHISE_MENTION,
    Line,
    VatRegime,
    deposit_amount,
    document_totals,
    format_approx,
    format_eur,
    format_percent,
    format_unit_price,
    line_total,
    quantize_cents,
    to_money,
)

NNBSP = "\u202f"
NBSP = "\u00a0"

# --- conversions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [(D("12.50"), D("12.50")), (12, D("12")), ("12.5", D("12.5")), (" 0.0035 ", D("0.0035"))],
)
def test_to_money_accepts_exact_values(given_value, expected):
    assert to_money(given_value) == expected
    assert isinstance(to_money(given_value), D)


@pytest.mark.parametrize("bad", [0.1, 12.0, True, None, "12,50", "abc", D("NaN"), "Infinity"])
def test_to_money_refuses_floats_and_non_numbers(bad):
    with pytest.raises(RuleError, match="x"):
        to_money(bad)


def test_quantize_cents_rounds_half_up_not_to_even():
    assert quantize_cents(D("2.345")) == D("2.35")  # banker's rounding would give 2.34
    assert quantize_cents(D("2.344")) == D("2.34")
    assert quantize_cents(D("-2.345")) == D("-2.35")  # half away from zero
    assert quantize_cents(D("2.349"), rounding=ROUND_DOWN) == D("2.34")
    assert str(quantize_cents(5)) == "5.00"


# --- VAT regimes -------------------------------------------------------------------------


def test_vat_regime_mentions_are_the_exact_legal_wording():
    assert VatRegime.FRANCHISE_293B.mention == "TVA non applicable, art. 293 B du CGI"
    assert VatRegime.FRANCHISE_293B.legal_fact is FRANCHISE_MENTION
    assert VatRegime.REVERSE_CHARGE_EU.mention == "Autoliquidation"
    assert "242 nonies A" in VatRegime.REVERSE_CHARGE_EU.legal_fact.source
    assert VatRegime.NORMAL.mention == ""
    assert VatRegime.NORMAL.charges_vat
    assert not VatRegime.FRANCHISE_293B.charges_vat


# --- lines -------------------------------------------------------------------------------


def test_line_total_rounds_each_line_half_up():
    # 3 × 33.335 = 100.005 -> 100.01
    explained = line_total(quantity=D(3), unit_price=D("33.335"))
    assert explained.value == D("100.01")
    assert explained.rule == "line_total"
    assert "242 nonies A" in explained.law
    assert "100,01" in str(explained.steps[-1].label)


def test_line_total_applies_a_discount_fraction():
    # 2 × 150.00 × (1 − 10 %) = 270.00
    assert line_total(quantity=D(2), unit_price=D("150.00"), discount=D("0.10")).value == D(
        "270.00"
    )


def test_line_total_allows_a_negative_unit_price_for_a_discount_line():
    assert line_total(quantity=D(1), unit_price=D("-50.00")).value == D("-50.00")


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"quantity": D("-1")}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"unit_price": 9.99}, "unit_price"),
        ({"discount": D("1.5")}, "discount"),
        ({"discount": D("-0.1")}, "discount"),
    ],
)
def test_line_total_bad_input_names_the_argument(arguments, named):
    with pytest.raises(RuleError) as caught:
        line_total(**({"quantity": D(1), "unit_price": D("10")} | arguments))
    assert caught.value.argument == named
    assert named in str(caught.value)


@pytest.mark.parametrize("rate", [D("1"), D("1.2"), D("-0.2"), 0.2])
def test_line_vat_rate_must_be_a_fraction_below_one(rate):
    with pytest.raises(RuleError, match="vat_rate"):
        Line("Hébergement", D(1), D("10"), rate)


def test_line_stores_decimals():
    line = Line("Heure de développement", 2, 60, D("0.20"))
    assert isinstance(line.quantity, D)
    assert isinstance(line.unit_price, D)
    assert isinstance(line.discount, D)


# --- document totals ---------------------------------------------------------------------


def test_vat_is_rounded_once_per_rate_not_per_line():
    # Three lines of 10.03 € HT at 20 %. Per line the VAT would be 2.006 -> 2.01, × 3 = 6.03.
    # On the invoice the VAT is stated per rate: base 30.09 × 20 % = 6.018 -> 6.02.
    lines = [Line(f"Nom de domaine {n}", D(1), D("10.03"), D("0.20")) for n in range(3)]
    totals = document_totals(lines=lines, regime=VatRegime.NORMAL).value
    assert totals.lines == (D("10.03"),) * 3
    assert totals.by_rate == {D("0.20"): (D("30.09"), D("6.02"))}
    assert (totals.total_ht, totals.total_vat, totals.total_ttc) == (
        D("30.09"),
        D("6.02"),
        D("36.11"),
    )
    assert totals.mention == ""


def test_document_totals_with_two_rates_and_a_discount_line():
    # Site: 2 × 1 234.565 = 2 469.13 (rounded); discount line −100.00; both at 20 %.
    #   20 % base 2 369.13, VAT 473.826 -> 473.83
    # Book: 3 × 9.99 × 0.9 = 26.973 -> 26.97 at 5.5 %: VAT 1.48335 -> 1.48
    # HT 2 396.10, VAT 475.31, TTC 2 871.41
    explained = document_totals(
        lines=[
            Line("Site vitrine", D(2), D("1234.565"), D("0.20")),
            Line("Remise fidélité", D(1), D("-100"), D("0.20")),
            Line("Livre", D(3), D("9.99"), D("0.055"), D("0.10")),
        ],
        regime="normal",
    )
    totals = explained.value
    assert totals.lines == (D("2469.13"), D("-100.00"), D("26.97"))
    assert totals.by_rate[D("0.2")] == (D("2369.13"), D("473.83"))
    assert totals.by_rate[D("0.055")].vat == D("1.48")
    assert totals.total_ht == D("2396.10")
    assert totals.total_vat == D("475.31")
    assert totals.total_ttc == D("2871.41")
    labels = [str(step.label) for step in explained.steps]
    assert labels[0].startswith("ligne 1 « Site vitrine » : 2 × 1\u202f234,565\u00a0€")
    assert any(label.startswith("TVA 5,5\u202f% : base 26,97") for label in labels)
    assert explained.inputs["regime"] == "normal"


def test_franchise_293b_charges_no_vat_and_carries_the_mention():
    # Seed 002 art. 4: prices not subject to VAT (art. 293 B). 1 500 + 3 × 45 = 1 635.00 HT = TTC.
    explained = document_totals(
        lines=[
            Line("Création du site", D(1), D("1500.00"), D("0.20")),
            Line("Heure de formation", D(3), D("45.00"), D("0.20")),
        ],
        regime=VatRegime.FRANCHISE_293B,
    )
    totals = explained.value
    assert totals.by_rate == {D(0): (D("1635.00"), D("0.00"))}
    assert totals.total_vat == 0
    assert totals.total_ttc == totals.total_ht == D("1635.00")
    assert totals.mention == "TVA non applicable, art. 293 B du CGI"
    assert "293 B" in explained.law
    assert any("TVA non applicable, art. 293 B du CGI" in str(s.label) for s in explained.steps)


def test_reverse_charge_charges_no_vat_and_says_autoliquidation():
    totals = document_totals(
        lines=[Line("Maintenance", D(1), D("400"), D("0.20"))], regime="reverse_charge_eu"
    ).value
    assert totals.total_vat == 0
    assert totals.mention == "Autoliquidation"


def test_totals_as_dict_is_json_ready():
    totals = document_totals(
        lines=[Line("Hébergement", D(12), D("9.90"), D("0.20"))], regime="normal"
    ).value
    assert json.loads(json.dumps(totals.as_dict())) == {
        "lines": ["118.80"],
        "by_rate": [{"rate": "0.20", "base": "118.80", "vat": "23.76"}],
        "total_ht": "118.80",
        "total_vat": "23.76",
        "total_ttc": "142.56",
        "mention": "",
    }


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"regime": "exempt"}, "regime"),
        ({"lines": []}, "lines"),
        ({"lines": "Site"}, "lines"),
        ({"lines": [("Site", D(1), D(10), D("0.2"))]}, "lines[0]"),
        ({"lines": [Line("Remise", D(1), D("-10"), D("0.20"))]}, "lines"),
    ],
)
def test_document_totals_bad_input_names_the_argument(arguments, named):
    valid = {"lines": [Line("Site", D(1), D(10), D("0.20"))], "regime": VatRegime.NORMAL}
    with pytest.raises(RuleError) as caught:
        document_totals(**(valid | arguments))
    assert caught.value.argument == named


line_strategy = st.builds(
    Line,
    description=st.text(max_size=20),
    quantity=st.decimals(min_value=0, max_value=1000, places=3),
    unit_price=st.decimals(min_value=0, max_value=100_000, places=4),
    vat_rate=st.sampled_from([D(0), D("0.021"), D("0.055"), D("0.10"), D("0.20")]),
    discount=st.decimals(min_value=0, max_value=1, places=2),
)
line_lists = st.lists(line_strategy, min_size=1, max_size=12)


@given(line_lists, st.sampled_from(list(VatRegime)))
def test_totals_add_up(lines, regime):
    totals = document_totals(lines=lines, regime=regime).value
    assert totals.total_ht == sum(totals.lines)
    assert totals.total_ht == sum(t.base for t in totals.by_rate.values())
    assert totals.total_vat == sum(t.vat for t in totals.by_rate.values())
    assert totals.total_ttc == totals.total_ht + totals.total_vat
    for line, amount in zip(lines, totals.lines, strict=True):
        expected = line_total(
            quantity=line.quantity, unit_price=line.unit_price, discount=line.discount
        )
        assert amount == expected.value
        assert amount == amount.quantize(D("0.01"))


@given(line_lists)
def test_vat_per_rate_is_the_rounded_base_times_rate(lines):
    totals = document_totals(lines=lines, regime=VatRegime.NORMAL).value
    for rate, (base, vat) in totals.by_rate.items():
        assert abs(vat - base * rate) <= D("0.005")
        assert base == sum(
            a for li, a in zip(lines, totals.lines, strict=True) if li.vat_rate == rate
        )


@given(line_lists, st.sampled_from([VatRegime.FRANCHISE_293B, VatRegime.REVERSE_CHARGE_EU]))
def test_regimes_without_vat_charge_none_whatever_the_line_rates(lines, regime):
    without = document_totals(lines=lines, regime=regime).value
    normal = document_totals(lines=lines, regime=VatRegime.NORMAL).value
    assert without.total_vat == 0
    assert without.total_ttc == without.total_ht == normal.total_ht
    assert without.mention == regime.mention != ""


# --- deposit -----------------------------------------------------------------------------


def test_deposit_is_the_clause_rate_of_the_ht_total():
    # Seed 002 art. 5: 30 % of 1 234.55 HT = 370.365 -> 370.37
    explained = deposit_amount(total_ht=D("1234.55"), rate=D("0.30"))
    assert explained.value == D("370.37")
    assert explained.inputs == {"total_ht": D("1234.55"), "rate": D("0.30")}
    assert "30\u202f%" in str(explained.steps[0].label)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"total_ht": D("-1")}, "total_ht"),
        ({"total_ht": 1000.0}, "total_ht"),
        ({"rate": D("30")}, "rate"),
        ({"rate": 0.3}, "rate"),
    ],
)
def test_deposit_bad_input_names_the_argument(arguments, named):
    with pytest.raises(RuleError) as caught:
        deposit_amount(**({"total_ht": D("1000"), "rate": D("0.30")} | arguments))
    assert caught.value.argument == named


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (D("1234.56"), f"1{NNBSP}234,56{NBSP}€", "€1,234.56"),
        (D("1234567.891"), f"1{NNBSP}234{NNBSP}567,89{NBSP}€", "€1,234,567.89"),
        (D(0), f"0,00{NBSP}€", "€0.00"),
        (D("0.005"), f"0,01{NBSP}€", "€0.01"),
        (D("-40"), f"-40,00{NBSP}€", "-€40.00"),
        (999, f"999,00{NBSP}€", "€999.00"),
    ],
)
def test_format_eur(amount, french, english):
    assert format_eur(amount) == french
    assert format_eur(amount, locale="fr_FR") == french
    assert format_eur(amount, locale="en") == english


def test_format_eur_refuses_floats_and_unknown_locales():
    with pytest.raises(RuleError, match="amount"):
        format_eur(12.5)
    with pytest.raises(RuleError, match="locale"):
        format_eur(D("12.50"), locale="de")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_format_eur_round_trips(amount):
    french = format_eur(amount).replace(NNBSP, "").removesuffix(f"{NBSP}€").replace(",", ".")
    english = format_eur(amount, locale="en").replace("€", "").replace(",", "")
    assert D(french) == D(english) == amount


@pytest.mark.parametrize(
    ("rate", "french", "english"),
    [
        (D("0.0786"), f"7,86{NNBSP}%", "7.86%"),
        (D("0.20"), f"20{NNBSP}%", "20%"),
        (D("0.055"), f"5,5{NNBSP}%", "5.5%"),
        (D("0.0004"), f"0,04{NNBSP}%", "0.04%"),
    ],
)
def test_format_percent(rate, french, english):
    assert format_percent(rate) == french
    assert format_percent(rate, locale="en") == english


def test_format_approx_cuts_and_marks_dropped_digits():
    assert format_approx(D(2358) / D(365)) == "6,4602…"
    assert format_approx(D("26.973")) == "26,9730"


@pytest.mark.parametrize(
    ("amount", "locale", "shown"),
    [
        (D("45.333"), "fr", "45,333\u00a0€"),
        (D("2400.0000"), "fr", "2\u202f400,00\u00a0€"),
        (D("0.0035"), "fr", "0,0035\u00a0€"),
        (D("100"), "fr", "100,00\u00a0€"),
        (D("12.5"), "en", "€12.50"),
    ],
)
def test_unit_prices_are_shown_with_every_agreed_decimal(amount, locale, shown):
    assert format_unit_price(amount, locale=locale) == shown


def test_a_line_step_frozen_as_json_is_worded_again_with_every_figure():
    from clausier.rules.wording import Language, render, revive

    # A sub-cent unit price, a discount and a rounding: every kind of figure in one sentence.
    explained = document_totals(
        lines=[Line("Requêtes", D(1000), D("0.0035"), D("0.2"), D("0.15"))], regime="normal"
    )
    [step] = [s for s in explained.as_dict()["steps"] if s["label"].startswith("ligne 1")]
    assert step["label"] == (
        "ligne 1 « Requêtes » : 1\u202f000 × 0,0035\u00a0€ × (1 − 15\u202f%) = 2,9750 → "
        "2,98\u00a0€ (arrondi au centime, demi supérieur)"
    )
    assert str(revive(step["words"])) == step["label"]
    english = {
        "ligne {number} « {description} » : {arithmetic}": "line {number} “{description}”: "
        "{arithmetic}",
        "{product} = {exact} → {amount} (arrondi au centime, demi supérieur)": "{product} = "
        "{exact} → {amount} (rounded to the cent, half up)",
    }
    language = Language(
        locale="en",
        gettext=lambda message: english.get(message, message),
        ngettext=lambda singular, plural, count: singular if count == 1 else plural,
        date=lambda day: f"{day:%m/%d/%Y}",
        datetime=lambda moment: f"{moment:%m/%d/%Y %H:%M}",
    )
    assert render(revive(step["words"]), language) == (
        "line 1 “Requêtes”: 1,000 × €0.0035 × (1 − 15%) = 2.9750 → €2.98 (rounded to the cent, "
        "half up)"
    )
