"""A seller whose terms set no payment term sends its quotes all the same: the quote states
the law's term (C. com. L441-10 I, al. 1: the 30th day after the execution of the service),
the one the order's invoices are due by, in its pages and its PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from clausier.quotes import services
from clausier.quotes.models import QuoteStatus
from clausier.quotes.printing import render_quote_pdf
from clausier.rules.payment import LEGAL_PAYMENT_TERM
from clausier.terms import selectors as terms_selectors
from clausier.terms.schemas import ClauseKind
from tests.factories import make_staff
from tests.factories.quotes import make_quote, paris
from tests.quotes.test_printing import text_of

pytestmark = pytest.mark.django_db

LINES = [
    {
        "description": "Migration de l'application",
        "quantity": Decimal("2"),
        "unit": "day",
        "unit_price": Decimal("600.00"),
        "vat_rate": Decimal("0.20"),
    }
]


@pytest.fixture
def sent(paas, paas_company):
    version = terms_selectors.current_version(seller=paas)
    assert terms_selectors.clause_of_kind(version=version, kind=ClauseKind.PAYMENT_DUE) is None
    quote = make_quote(
        paas, paas_company, lines=LINES, requires_deposit=False, valid_until=date(2026, 5, 31)
    )
    return services.send_quote(quote=quote, by=None, now=paris(2026, 5, 4, 10, 0))


def test_the_quote_is_sent_and_freezes_the_legal_term_with_its_article(sent):
    assert sent.status == QuoteStatus.SENT
    assert sent.payment_terms["clause"] == ""
    assert sent.payment_terms["law"] == LEGAL_PAYMENT_TERM.source == "C. com. L441-10 I, al. 1"
    assert sent.payment_terms["parameters"]["n"] == LEGAL_PAYMENT_TERM.value == 30


def test_its_pdf_states_the_legal_term_and_its_article(sent):
    text = " ".join(text_of(render_quote_pdf(quote=sent).content).split())
    assert (
        "factures payables 30 jours calendaires après l'exécution de la prestation : les CGV "
        f"{sent.terms_label} ne fixant pas de délai de paiement, c'est le délai légal "
        "(C. com. L441-10 I, al. 1)."
    ) in text
    assert "délai légal de paiement, à défaut de clause des CGV" in text


def test_its_pages_state_the_legal_term_in_french_and_english(client, paas, sent):
    client.force_login(make_staff(paas))
    url = reverse("backoffice:quote", args=[paas.slug, sent.pk])
    page = client.get(url).content.decode().replace("\u202f", " ").replace("&#x27;", "'")
    assert (
        "Factures payables 30 jours calendaires après l'exécution de la prestation : délai "
        "légal, à défaut de clause de délai de paiement dans les CGV (C. com. L441-10 I, al. 1)"
    ) in page
    with translation.override("en"):
        text = " ".join(text_of(render_quote_pdf(quote=sent, language="en").content).split())
    assert "the legal term applies (C. com. L441-10 I, al. 1)" in text
