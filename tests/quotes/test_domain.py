"""Quote totals, deposit and validity as pure rules (hypothesis properties and examples)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from clausier.quotes import domain
from clausier.rules.money import VatRegime
from tests.factories.quotes import PARIS, paris

CENT = Decimal("0.01")

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=4)
vat_rates = st.sampled_from([Decimal("0"), Decimal("0.055"), Decimal("0.10"), Decimal("0.20")])
lines_strategy = st.lists(
    st.builds(
        domain.LineFacts,
        description=st.just("prestation"),
        quantity=quantities,
        unit_price=prices,
        vat_rate=vat_rates,
    ),
    min_size=1,
    max_size=8,
)
regimes = st.sampled_from(list(VatRegime))


def rounded(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


@given(lines=lines_strategy, regime=regimes)
def test_total_ht_is_the_sum_of_the_rounded_lines(lines, regime):
    totals = domain.quote_totals(lines=lines, regime=regime).value
    expected = [rounded(line.quantity * line.unit_price) for line in lines]
    assert list(totals.lines) == expected
    assert totals.total_ht == sum(expected, Decimal(0))


@given(lines=lines_strategy, regime=regimes)
def test_ttc_is_ht_plus_vat_and_vat_is_rounded_per_rate(lines, regime):
    totals = domain.quote_totals(lines=lines, regime=regime).value
    assert totals.total_ttc == totals.total_ht + totals.total_vat
    assert totals.total_vat == sum((t.vat for t in totals.by_rate.values()), Decimal(0))
    for rate, rate_totals in totals.by_rate.items():
        assert rate_totals.vat == rounded(rate_totals.base * rate)


@given(lines=lines_strategy)
def test_the_293b_franchise_charges_no_vat_and_carries_the_mention(lines):
    totals = domain.quote_totals(lines=lines, regime=VatRegime.FRANCHISE_293B).value
    assert totals.total_vat == Decimal(0)
    assert totals.total_ttc == totals.total_ht
    assert totals.mention == "TVA non applicable, art. 293 B du CGI"


@given(
    total_ht=st.decimals(min_value=Decimal("0"), max_value=Decimal("10000000"), places=2),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4),
)
def test_the_deposit_is_rate_times_ht_rounded_half_up(total_ht, rate):
    explained = domain.deposit(
        total_ht=total_ht, rate=rate, clause="payment.deposit", article="art. 5", terms="v3.0"
    )
    assert explained.value == rounded(total_ht * rate)
    assert (explained.clause, explained.terms) == ("payment.deposit", "v3.0")


def test_a_deposit_of_30_percent_rounds_the_half_cent_up():
    # 30 % × 1 234,55 = 370,365 -> 370,37
    explained = domain.deposit(
        total_ht=Decimal("1234.55"),
        rate=Decimal("0.30"),
        clause="payment.deposit",
        article="art. 5",
        terms="v3.0",
    )
    assert explained.value == Decimal("370.37")
    assert explained.as_dict()["inputs"]["article"] == "art. 5"


@given(valid_until=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 30)))
def test_a_quote_is_valid_to_the_last_second_of_its_day_in_paris(valid_until):
    last = paris(valid_until.year, valid_until.month, valid_until.day, 23, 59, 59)
    deadline = domain.acceptance_deadline(valid_until=valid_until, tz=PARIS)
    assert domain.is_valid_at(valid_until=valid_until, at=last, tz=PARIS)
    assert not domain.is_valid_at(valid_until=valid_until, at=deadline, tz=PARIS)
    assert deadline.astimezone(PARIS).time().hour == 0


def test_display_number_shows_the_revision_after_the_first():
    assert domain.display_number(number="D2026-000003", revision=1) == "D2026-000003"
    assert domain.display_number(number="D2026-000003", revision=2) == "D2026-000003-R2"
    assert domain.display_number(number="", revision=1) == ""


def test_the_consent_statement_names_the_specification_only_when_attached():
    assert (
        str(
            domain.consent_statement(
                number="D2026-000001", terms_label="v3.0", has_specification=False
            )
        )
        == "J'accepte le devis n° D2026-000001 sans modification et les CGV v3.0."
    )
    assert str(
        domain.consent_statement(number="D2026-000001", terms_label="v3.0", has_specification=True)
    ) == (
        "J'accepte le devis n° D2026-000001 sans modification, le cahier des charges joint et "
        "les CGV v3.0."
    )


def test_the_terms_validity_days_give_a_default_validity():
    assert domain.default_valid_until(sent_on=date(2026, 5, 4), validity_days=30) == date(
        2026, 6, 3
    )
