"""The portal home's money: what the client owes, what is late, the next due date, each with
its "Pourquoi ?" (which invoices, which clause fixed the due date) and a link to "Mes
factures" showing exactly those invoices. Another client's invoices never count."""

from __future__ import annotations

import re
from datetime import UTC, date
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing import services as invoicing_services
from clausier.payments import services as payment_services
from tests.factories import make_client, make_contact, make_issued_invoice
from tests.factories.invoicing import invoicing_seller, vat_line
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def december_7(monkeypatch):
    """The clock: Monday 7 December 2026, 10:00 in Paris, then running."""
    real_now = timezone.now
    started, start = real_now(), paris(2026, 12, 7, 10, 0).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: start + (real_now() - started))


def issue(seller, client, when, unit_price):
    return make_issued_invoice(seller, client, now=when, lines=[vat_line(unit_price=unit_price)])


@pytest.fixture
def shop():
    return invoicing_seller()


@pytest.fixture
def book(shop):
    """Studio's invoices (VAT 20 %, "paiement à 30 jours"):

    - october, 15/10: 512,34 HT = 614,81 TTC, due 14/11, 100 paid: 514,81 late;
    - november, 20/11: 250,50 HT = 300,60 TTC, due 21/12 (20/12 is a Sunday): 300,60 to pay;
    - december, 02/12: 1 000 HT = 1 200 TTC, a credit note of 120 TTC: 1 080 to pay;
    - paid, 04/12: 300 HT = 360 TTC, paid.

    The bakery, another client of the same seller, owes 2 400 € due on 9 December."""
    studio = make_client(shop, "company", name="Studio Loire SARL", siren="732829320")
    bakery = make_client(shop, "company", name="Boulangerie Martin", siren="552081317")
    docs = {"studio": studio, "bakery": bakery}
    docs["october"] = issue(shop, studio, paris(2026, 10, 15, 11), "512.34")
    payment_services.record_invoice_payment(
        invoice=docs["october"], amount=Decimal("100"), paid_on=date(2026, 11, 2), by=None
    )
    docs["bakery_invoice"] = issue(shop, bakery, paris(2026, 11, 9, 11), "2000")
    docs["november"] = issue(shop, studio, paris(2026, 11, 20, 11), "250.50")
    docs["december"] = issue(shop, studio, paris(2026, 12, 2, 11), "1000")
    docs["paid"] = issue(shop, studio, paris(2026, 12, 4, 11), "300")
    payment_services.record_invoice_payment(
        invoice=docs["paid"], amount=Decimal("360"), paid_on=date(2026, 12, 4), by=None
    )
    docs["note"] = invoicing_services.issue_credit_note(
        invoice=docs["december"],
        reason="Remise commerciale",
        lines=[vat_line(description="Remise", unit_price="100")],
        by=None,
        now=paris(2026, 12, 5, 11),
    )
    return docs


def page(client, contact, language="fr"):
    client.force_login(contact.user)
    with translation.override(language):
        url = reverse("portal:home")
    return client.get(url)


def text(response) -> str:
    html = unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", html))


def figure(response, name: str) -> str:
    """The text of the ``<li id="figure-<name>">`` block (up to the next figure)."""
    html = text(response)
    start = html.index(f'id="figure-{name}"')
    ends = [
        i for i in (html.find('<li class="figure', start), html.find("</section>", start)) if i > 0
    ]
    return html[start : min(ends)]


def test_client_figures_are_exact_and_only_its_own(book):
    studio = invoice_selectors.client_figures(client=book["studio"], today=TODAY)
    r = studio.receivables
    assert r.outstanding == Decimal("1895.41")  # 514,81 + 300,60 + 1 080
    assert (r.outstanding_count, r.overdue, r.overdue_count) == (3, Decimal("514.81"), 1)
    assert r.next_due == book["november"].due_date == date(2026, 12, 21)
    assert [i.pk for i in studio.owed] == [book[k].pk for k in ("october", "november", "december")]
    assert [i.pk for i in studio.next_due] == [book["november"].pk]
    bakery = invoice_selectors.client_figures(client=book["bakery"], today=TODAY)
    assert bakery.receivables.outstanding == Decimal("2400.00")
    assert bakery.receivables.next_due == date(2026, 12, 9)


def test_portal_home_says_what_is_owed_late_and_next(client, book):
    response = page(client, make_contact(book["studio"]))
    owed = figure(response, "owed")
    assert "1 895,41 €" in owed
    assert "3 factures" in owed
    for key in ("october", "november", "december"):
        assert book[key].number in owed  # the "Pourquoi ?" names each invoice
    assert book["paid"].number not in owed
    assert "2 400,00 €" not in text(response)  # the bakery's invoice is not ours
    late = figure(response, "late")
    assert "514,81 €" in late
    assert book["october"].number in late
    assert book["november"].number not in late
    nxt = figure(response, "next")
    assert "21/12/2026" in nxt
    assert book["november"].number in nxt
    why = book["november"].snapshot["due_date_explanation"]
    assert why
    assert re.sub(r"\s+", " ", why[0].upper() + why[1:]) in nxt  # the clause behind the date


def test_links_lead_to_the_invoices_behind_the_figures(client, book):
    response = page(client, make_contact(book["studio"]))
    html = response.content.decode()
    owed_link = re.search(r'href="([^"]*\?etat=a_payer)"', html).group(1)
    late_link = re.search(r'href="([^"]*\?etat=en_retard)"', html).group(1)
    numbers = {k: d.number for k, d in book.items() if getattr(d, "number", None)}

    def listed(url):
        body = client.get(url).content.decode()
        return {k for k, n in numbers.items() if n in body}

    assert listed(owed_link) == {"october", "november", "december"}
    assert listed(late_link) == {"october"}


def test_nothing_owed_says_so(client, shop):
    nobody = make_client(shop, "consumer", name="Julien Martin")
    body = text(page(client, make_contact(nobody)))
    assert "Vous n'avez rien à payer à ce jour." in body


def test_portal_home_in_english(client, book):
    body = text(page(client, make_contact(book["studio"]), language="en"))
    assert "€1,895.41" in body
    assert "Next due date" in body
    # Due 21/12 (20/12 is a Sunday), written as English writes it, its reason in English too.
    assert "12/21/2026" in body
    assert "30 calendar days after the invoice date" in body
    assert "21/12/2026" not in body


def test_portal_home_reads_in_a_fixed_number_of_queries(client, shop):
    studio = make_client(shop, "consumer", name="Julien Martin")
    contact = make_contact(studio)
    client.force_login(contact.user)
    url = reverse("portal:home")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for day in (1, 2, 3):
        issue(shop, studio, paris(2026, 11, day, 11), "100")
    count()
    few = count()
    for day in (4, 5, 6, 7, 8):
        issue(shop, studio, paris(2026, 11, day, 11), "100")
    assert count() == few
