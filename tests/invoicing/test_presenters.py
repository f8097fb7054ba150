"""The invoice as shown, one presenter for the PDF, the portal, the back-office and the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from clausier.invoicing import domain, presenters
from tests.invoicing.documents import franchise, reverse_charge, standard


def test_an_iban_reads_in_groups_of_four():
    assert presenters.grouped_iban("FR76 3000 6000 0112 3456 7890 189") == (
        "FR76 3000 6000 0112 3456 7890 189"
    )
    assert presenters.grouped_iban("FR7630006000011234567890189") == (
        "FR76 3000 6000 0112 3456 7890 189"
    )


@pytest.mark.parametrize(
    ("state", "variant", "label"),
    [
        (domain.TO_PAY, "soon", "À payer"),
        (domain.LATE, "late", "En retard"),
        (domain.PAID, "paid", "Payée"),
        (domain.CREDITED, "neutral", "Annulée par avoir"),
        (presenters.CREDIT_NOTE_ROW, "info", "Avoir"),
    ],
)
def test_every_payment_state_has_words_and_a_colour(state, variant, label):
    assert presenters.payment_badge(state) == presenters.Badge(variant=variant, label=label)


def test_badges_speak_the_readers_language():
    with translation.override("en"):
        assert presenters.payment_badge(domain.LATE).label == "Late"


def test_a_rated_group_shows_its_rate_and_the_others_why_not():
    rated = standard()
    assert all(r.label.startswith("TVA ") for r in presenters.vat_rows(rated, language="fr"))
    assert presenters.charges_vat(rated)
    exempt = franchise()
    [row] = presenters.vat_rows(exempt, language="fr")
    assert "293 B" in row.label
    assert (row.base, row.amount) == (exempt.total_ht, Decimal("0.00"))
    assert not presenters.charges_vat(exempt)
    [row] = presenters.vat_rows(reverse_charge(), language="fr")
    assert row.label == "Autoliquidation (0 %)"


def test_rates_are_written_for_the_language_of_the_document():
    assert presenters.rate_text(Decimal("20"), "fr") == "20\u202f%"
    assert presenters.rate_text(Decimal("5.5"), "en") == "5.5%"
