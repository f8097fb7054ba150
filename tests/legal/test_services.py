"""Staff record the legal rate of a new period: checked against the packaged table,
atomic, audited; the invoices and the legal lint read the table in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.legal import services
from clausier.legal.models import LegalRate
from clausier.legal.selectors import legal_rate_table
from clausier.rules.errors import MissingRateError
from clausier.rules.interest import contractual_late_rate
from tests.factories import make_user
from tests.factories.legal import FICTITIOUS_SOURCE, add_fictitious_rate

pytestmark = pytest.mark.django_db


def test_a_recorded_semester_extends_the_table_in_force():
    with pytest.raises(MissingRateError, match="2026 S2"):
        legal_rate_table().rate(date(2026, 11, 23))
    staff = make_user("juriste")
    row = add_fictitious_rate(by=staff)
    assert (row.year, row.semester, row.professional, row.consumer) == (
        2026,
        2,
        Decimal("9.99"),
        Decimal("19.99"),
    )
    assert (row.recorded_by, row.recorded_by_label) == (staff, "juriste")
    rate = contractual_late_rate(
        multiplier=Decimal("3"), invoice_date=date(2026, 11, 23), table=legal_rate_table()
    )
    assert rate.value == Decimal("0.2997")
    assert any(FICTITIOUS_SOURCE in str(step.label) for step in rate.steps)
    event = Event.objects.get(verb="legal_rate.recorded")
    assert event.actor == staff
    assert event.summary["after"] == {
        "period": "2026-S2",
        "professional": "9.99",
        "consumer": "19.99",
        "source": FICTITIOUS_SOURCE,
        "decree_date": "",
        "journal_reference": "",
    }


def test_a_correction_is_audited_with_before_and_after():
    add_fictitious_rate()
    add_fictitious_rate(professional="9.98", by="clausier legal_rate (test)")
    assert LegalRate.objects.get().professional == Decimal("9.98")
    event = Event.objects.get(verb="legal_rate.corrected")
    assert event.summary["before"]["professional"] == "9.99"
    assert event.summary["after"]["professional"] == "9.98"
    assert event.actor_label == "clausier legal_rate (test)"
    add_fictitious_rate(professional="9.98")  # the same again: nothing to record
    assert Event.objects.filter(verb__startswith="legal_rate.").count() == 2


def test_a_row_contradicting_the_packaged_table_is_refused_naming_the_period():
    with pytest.raises(ValidationError) as refused:
        add_fictitious_rate("2026-S1")
    [message] = refused.value.message_dict["period"]
    assert "2026 S1 figure déjà dans le tableau livré" in message
    assert "2.62 %" in message
    assert not LegalRate.objects.exists()


def test_a_row_repeating_the_packaged_table_is_accepted_and_changes_nothing():
    add_fictitious_rate(
        "2026-S1", professional="2.62", consumer="6.67", source="Arrêté, JO (recopie)"
    )
    assert legal_rate_table().rate(date(2026, 3, 1)).value == Decimal("0.0262")


def test_a_period_that_would_leave_a_hole_is_refused():
    with pytest.raises(ValidationError, match="saisissez d'abord la période qui suit 2026 S1"):
        add_fictitious_rate("2027-S1")
    add_fictitious_rate("2026-S2")
    add_fictitious_rate("2027-S1")
    assert legal_rate_table().periods[-1].label == "2027 S1"


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"professional": "abc"}, "professional", "illisible"),
        ({"professional": "2.625"}, "professional", "deux décimales"),
        ({"consumer": "-1"}, "consumer", "hors limites"),
        ({"consumer": None}, "consumer", "pourcentage attendu"),
        ({"source": "  "}, "source", "sans sa source"),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(values, field, says):
    with pytest.raises(ValidationError) as refused:
        add_fictitious_rate(**values)
    assert says in " ".join(refused.value.message_dict[field])
    assert not LegalRate.objects.exists()


def test_rates_are_read_as_published_with_a_decimal_comma():
    row = add_fictitious_rate(professional="9,99", consumer="19,99")
    assert row.professional == Decimal("9.99")


def test_a_date_the_packaged_table_covers_costs_no_query(django_assert_num_queries):
    add_fictitious_rate()
    table = legal_rate_table()
    with django_assert_num_queries(0):
        assert table.rate(date(2026, 3, 1)).value == Decimal("0.0262")
    with django_assert_num_queries(1):
        assert table.rate(date(2026, 9, 1)).value == Decimal("0.0999")
        assert table.rate(date(2026, 10, 1)).value == Decimal("0.0999")


# --- a semester added with its source (the platform screen, the command) -----------------------

JOURNAL = "JORF fictif n° 0000 du 1er janvier 2099, texte n° 0"


def add_new(period="2026-S2", **overrides):
    values = {
        "professional": "9.99",
        "consumer": "19.99",
        "decree_date": date(2099, 1, 1),
        "journal_reference": JOURNAL,
    } | overrides
    return services.record_legal_rate(period=period, new=True, by=None, **values)


def test_a_semester_added_with_its_arrete_and_journal_cites_them():
    row = add_new()
    assert (row.decree_date, row.journal_reference) == (date(2099, 1, 1), JOURNAL)
    assert row.source == (
        "Arrêté du 01/01/2099 relatif à la fixation du taux de l'intérêt légal, "
        f"{JOURNAL} (C. mon. fin. L313-2)"
    )
    assert legal_rate_table().period_on(date(2026, 9, 1)).source == row.source
    event = Event.objects.get(verb="legal_rate.recorded")
    assert event.summary["after"]["decree_date"] == "2099-01-01"
    assert event.summary["after"]["journal_reference"] == JOURNAL


@pytest.mark.parametrize("period", ["2026-S2", "2026-S1", "2015-S1"])
def test_a_semester_already_in_the_table_is_not_added_twice(period):
    if period == "2026-S2":
        add_new()
    with pytest.raises(ValidationError) as refused:
        add_new(period)
    [message] = refused.value.message_dict["period"]
    assert "est déjà au tableau" in message
    assert LegalRate.objects.count() == (1 if period == "2026-S2" else 0)


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"professional": "20.01"}, "professional", "entre 0 et 20"),
        ({"consumer": "62.5"}, "consumer", "entre 0 et 20"),
        ({"decree_date": None}, "decree_date", "source du taux est obligatoire"),
        ({"journal_reference": " "}, "journal_reference", "source du taux est obligatoire"),
        (
            {"decree_date": None, "journal_reference": ""},
            "source",
            "jamais saisi sans sa source",
        ),
    ],
)
def test_an_implausible_rate_or_a_missing_source_is_refused_naming_the_field(values, field, says):
    with pytest.raises(ValidationError) as refused:
        add_new(**values)
    assert says in " ".join(refused.value.message_dict[field])
    assert not LegalRate.objects.exists()
