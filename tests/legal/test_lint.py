"""The legal lint checks the B2B penalty floor with the rate staff entered for a semester
the packaged table lacks (``terms.selectors.lint_version`` passes the table in force)."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.legal.selectors import legal_rate_table
from clausier.terms.domain import ClauseFacts, SellerFacts, lint_terms
from tests.factories.legal import add_fictitious_rate

pytestmark = pytest.mark.django_db

IN_2026_S2 = date(2026, 11, 23)
CLAUSES = [
    ClauseFacts("clients.kinds", "clients.kinds", "art. 1", "", {"kinds": ["company"]}),
    ClauseFacts(
        "late.penalty",
        "late.penalty",
        "art. 6",
        "",
        {
            "multiplier": "2",
            "of": "legal_rate",
            "rate_date": "invoice_date",
            "base": "ht_remaining",
        },
    ),
]
SELLER = SellerFacts(vat_regime="normal", mediator_name="")


def below_floor(table):
    [finding] = [
        f
        for f in lint_terms(clauses=CLAUSES, seller=SELLER, on=IN_2026_S2, rate_table=table)
        if f.code == "late_penalty.below_floor"
    ]
    return str(finding.message)


def test_the_floor_is_stated_with_the_rate_staff_entered():
    assert "2026 S2" in below_floor(legal_rate_table())  # named as missing, not guessed
    add_fictitious_rate()
    message = below_floor(legal_rate_table())
    assert "2 × 9,99\u202f% = 19,98\u202f%" in message
    assert "3 × 9,99\u202f% = 29,97\u202f%" in message
