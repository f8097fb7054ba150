"""The quote as shown (``quotes/presenters.py``): the same rows and VAT column on the
back-office page, in the client space and on the PDF."""

from decimal import Decimal

import pytest

from clausier.quotes import presenters
from clausier.quotes.selectors import quote_totals
from tests.factories import make_client, make_published_terms, make_seller
from tests.factories.quotes import WEBSITE_LINES, make_quote, sent_quote

pytestmark = pytest.mark.django_db


def test_a_draft_shows_its_totals_amounts_and_staff_see_codes_and_rates(agency, bakery):
    draft = make_quote(agency, bakery)
    rows = presenters.line_rows(draft)
    assert [row.amount for row in rows] == [None] * len(WEBSITE_LINES)  # nothing frozen yet

    rows = presenters.line_rows(draft, totals=quote_totals(quote=draft), staff=True)
    assert [row.amount for row in rows[:2]] == [Decimal("2400.00"), Decimal("875.00")]
    assert (rows[1].unit, rows[1].code) == ("jour", "INT-JOUR")
    assert rows[0].vat == "0\u202f%"
    assert presenters.line_rows(draft)[1].code == ""  # the client never sees the codes


def test_a_sent_quote_shows_its_frozen_amounts(agency, bakery):
    quote = sent_quote(agency, bakery)
    assert sum(row.amount for row in presenters.line_rows(quote)) == quote.total_ht


def test_vat_is_charged_under_the_normal_regime_only(agency, bakery):
    assert presenters.charges_vat(make_quote(agency, bakery)) is False  # 293 B franchise
    shop = make_seller("boutique", vat_number="FR87524172699")
    make_published_terms(shop)
    assert presenters.charges_vat(make_quote(shop, make_client(shop))) is True
