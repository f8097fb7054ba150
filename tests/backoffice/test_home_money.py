"""The back-office home's money: revenue HT this month and this year, what is left to collect
and what is late, deposits awaiting payment, the 12-month chart; each figure exact to the
cent, explained, and linked to the list that shows exactly the documents behind it."""

from __future__ import annotations

import re
from datetime import UTC, date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing import services as invoicing_services
from clausier.payments import services as payment_services
from clausier.sellers.models import Role
from tests.factories import make_client, make_draft_invoice, make_issued_invoice, make_staff
from tests.factories.invoicing import (
    accepted_order,
    deposit_invoice_of,
    invoicing_agency,
    invoicing_seller,
    vat_line,
)
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


def pay(invoice, amount, on):
    return payment_services.record_invoice_payment(
        invoice=invoice, amount=Decimal(amount), paid_on=on, by=None, now=paris(2026, 12, 7, 9)
    )


@pytest.fixture
def shop():
    return invoicing_seller()


@pytest.fixture
def book(shop):
    """The documents of one seller (VAT 20 %, "paiement à 30 jours"), oldest first:

    ========  ======  ============  ===========  ===========  ===========================
    doc       client  issued        HT           TTC          where it stands on 7 Dec
    ========  ======  ============  ===========  ===========  ===========================
    march     studio  10/03/2026    2 000,00     2 400,00     paid
    october   studio  15/10/2026      512,34       614,81     late (due 14/11), 100 paid
    november  bakery  20/11/2026      250,50       300,60     to pay (due 20/12), 100,60 paid
    december  studio  02/12/2026    1 000,00     1 200,00     to pay, 120 credited
    paid      bakery  04/12/2026      300,00       360,00     paid
    note      studio  05/12/2026     -100,00      -120,00     credit note on ``december``
    ========  ======  ============  ===========  ===========  ===========================

    plus a draft (never counted) and another seller's invoice of 5 000 € HT this month."""
    studio = make_client(shop, "company", name="Studio Loire SARL", siren="732829320")
    bakery = make_client(shop, "company", name="Boulangerie Martin", siren="552081317")
    docs = {"studio": studio, "bakery": bakery}
    docs["march"] = issue(shop, studio, paris(2026, 3, 10, 11), "2000")
    pay(docs["march"], "2400", date(2026, 4, 1))
    docs["october"] = issue(shop, studio, paris(2026, 10, 15, 11), "512.34")
    pay(docs["october"], "100", date(2026, 11, 2))
    docs["november"] = issue(shop, bakery, paris(2026, 11, 20, 11), "250.50")
    pay(docs["november"], "100.60", date(2026, 12, 1))
    docs["december"] = issue(shop, studio, paris(2026, 12, 2, 11), "1000")
    docs["paid"] = issue(shop, bakery, paris(2026, 12, 4, 11), "300")
    pay(docs["paid"], "360", date(2026, 12, 4))
    docs["note"] = invoicing_services.issue_credit_note(
        invoice=docs["december"],
        reason="Remise commerciale",
        lines=[vat_line(description="Remise", unit_price="100")],
        by=None,
        now=paris(2026, 12, 5, 11),
    )
    docs["draft"] = make_draft_invoice(shop, studio, lines=[vat_line(unit_price="50")])
    other = invoicing_seller("voisin")
    neighbour = make_client(other, "consumer", name="Julien Martin")
    docs["other"] = issue(other, neighbour, paris(2026, 12, 3, 11), "5000")
    return docs


def home(client, shop, role=Role.OWNER):
    client.force_login(make_staff(shop, role))
    return client.get(reverse("backoffice:home", kwargs={"slug": shop.slug}))


def figure(html: str, name: str) -> str:
    """The text of the ``<li id="figure-<name>">`` block."""
    match = re.search(rf'<li class="figure[^"]*" id="figure-{name}">(.*?)</li>', html, re.S)
    assert match, name
    return match.group(1)


def shown_numbers(client, href: str, docs: dict) -> set[str]:
    """Which of ``docs`` the invoice list at ``href`` shows."""
    page = client.get(href.replace("&amp;", "&")).context["page"]
    shown = {invoice.pk for invoice in page.object_list}
    assert page.paginator.count == len(shown)
    return {key for key, doc in docs.items() if getattr(doc, "number", None) and doc.pk in shown}


def test_figures_are_exact_to_the_cent(book, shop):
    figures = invoice_selectors.seller_figures(seller=shop, today=TODAY)
    # 1 000 + 300 - 100: the credit note of 5 December is deducted from this month.
    assert figures.month_ht == Decimal("1200.00")
    # + 512,34 (October) + 250,50 (November) + 2 000 (March).
    assert figures.year_ht == Decimal("3962.84")
    r = figures.receivables
    # 1 200 - 120 credited + 614,81 - 100 paid + 300,60 - 100,60 paid.
    assert r.outstanding == Decimal("1794.81")
    assert r.outstanding_count == 3
    assert (r.overdue, r.overdue_count) == (Decimal("514.81"), 1)
    assert r.next_due == book["november"].due_date


def test_home_shows_the_figures_with_their_explanation(client, book, shop):
    html = home(client, shop).content.decode()
    month = figure(html, "month")
    assert "1\u202f200,00\u00a0€" in month
    assert "du 01/12/2026 au 07/12/2026" in month
    assert "Pourquoi ?" in month
    year = figure(html, "year")
    assert "3\u202f962,84\u00a0€" in year
    assert "du 01/01/2026 au 07/12/2026" in year
    outstanding = figure(html, "outstanding")
    assert "1\u202f794,81\u00a0€" in outstanding
    assert "3 factures" in outstanding
    overdue = figure(html, "overdue")
    assert "514,81\u00a0€" in overdue
    assert "1 facture" in overdue
    assert "En retard" in overdue


def test_each_figure_links_to_the_list_of_exactly_its_documents(client, book, shop):
    response = home(client, shop)
    links = response.context["money_links"]
    html = response.content.decode()
    for name in ("month", "year", "outstanding", "overdue"):
        assert f'href="{links[name]}"'.replace("&", "&amp;") in html

    assert shown_numbers(client, links["month"], book) == {"december", "paid", "note"}
    month_list = client.get(links["month"])
    assert month_list.context["totals"]["ht"] == Decimal("1200.00")  # the list agrees
    assert shown_numbers(client, links["year"], book) == {
        "march",
        "october",
        "november",
        "december",
        "paid",
        "note",
    }
    assert client.get(links["year"]).context["totals"]["ht"] == Decimal("3962.84")
    outstanding = client.get(links["outstanding"])
    assert shown_numbers(client, links["outstanding"], book) == {"october", "november", "december"}
    assert outstanding.context["totals"]["due"] == Decimal("1794.81")
    assert shown_numbers(client, links["overdue"], book) == {"october"}


def test_chart_has_twelve_bars_in_proportion(client, book, shop):
    html = home(client, shop).content.decode()
    svg = re.search(r"<svg class=\"chart__svg\".*?</svg>", html, re.S).group(0)
    assert '<title id="revenue-chart-title">' in svg
    assert "<desc" in svg
    bars = re.findall(r'<rect x="\d+" y="[\d.]+" width="\d+" height="([\d.]+)" data-value', svg)
    assert len(bars) == 12
    heights = [Decimal(h) for h in bars]  # January to December 2026
    assert heights[2] == max(heights)  # March: 2 000
    assert heights[2] > heights[11] > heights[9] > heights[10] > 0  # Dec > Oct > Nov
    assert [h for i, h in enumerate(heights) if i not in (2, 9, 10, 11)] == [0] * 8
    labels = re.findall(r'<a class="chart__bar" href="[^"]*" aria-label="([^"]*)"', svg)
    assert labels[0] == "janvier 2026 : 0\u00a0€"
    assert labels[2] == "mars 2026 : 2\u202f000\u00a0€"
    assert labels[11] == "décembre 2026 : 1\u202f200\u00a0€"


def test_a_bar_links_to_its_month(client, book, shop):
    response = home(client, shop)
    october = response.context["chart"].bars[9]
    assert "date_from=2026-10-01" in october.href
    assert "date_to=2026-10-31" in october.href
    assert shown_numbers(client, october.href, book) == {"october"}


def test_english_page_names_months_in_english(client, book, shop):
    client.force_login(make_staff(shop, Role.ACCOUNTANT))
    with translation.override("en"):
        url = reverse("backoffice:home", kwargs={"slug": shop.slug})
    html = client.get(url).content.decode()
    assert 'aria-label="March 2026: €2,000"' in html
    assert ">Dec<" in html
    assert "décembre" not in html


def test_another_sellers_invoices_never_count(book):
    other = book["other"].seller
    figures = invoice_selectors.seller_figures(seller=other, today=TODAY)
    assert figures.month_ht == Decimal("5000.00")
    assert figures.receivables.outstanding == Decimal("6000.00")


def test_the_home_reads_in_a_fixed_number_of_queries(client, shop, query_count_baseline):
    staff = make_staff(shop, Role.OWNER)
    client.force_login(staff)
    studio = make_client(shop, "consumer", name="Julien Martin")
    url = reverse("backoffice:home", kwargs={"slug": shop.slug})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for month in (3, 5, 7):
        issue(shop, studio, paris(2026, month, 2, 11), "100")
    count()  # fills the process's caches
    few = count()
    for month in (8, 9, 10, 11, 12):
        issue(shop, studio, paris(2026, month, 2, 11), "100")
    assert count() == few
    query_count_baseline.check("backoffice", "backoffice:home", few)


def test_a_deposit_counts_once_in_revenue_and_is_awaited_until_cashed(client):
    """The agency's website order (seed 002, no VAT): deposit F2026-000001 of 1 023,30 € at
    acceptance on 22 May 2026, final invoice of 3 411,00 € on 30 June deducting it."""
    agency = invoicing_agency()
    bakery = make_client(agency, "company", name="Boulangerie Martin", siren="552081317")
    order = accepted_order(agency, bakery)
    deposit = deposit_invoice_of(order)

    may = invoice_selectors.seller_figures(seller=agency, today=date(2026, 5, 29))
    assert may.month_ht == Decimal("0.00")  # an advance on the order, not revenue yet
    assert may.receivables.outstanding == Decimal("1023.30")  # but the client owes it
    html = home(client, agency).content.decode()
    deposits = figure(html, "deposits")
    assert "1\u202f023,30\u00a0€" in deposits
    assert "1 commande" in deposits

    final = invoicing_services.final_invoice(order=order, by=None, now=paris(2026, 6, 30, 17))
    june = invoice_selectors.seller_figures(seller=agency, today=date(2026, 6, 30))
    assert june.month_ht == june.year_ht == Decimal("3411.00")  # not 3 411 + 1 023,30
    assert june.receivables.outstanding == Decimal("3411.00")  # 1 023,30 + 2 387,70 left
    link = reverse("backoffice:invoices", kwargs={"slug": agency.slug})
    link += "?status=issued&revenue=1&date_from=2026-01-01&date_to=2026-12-31"
    assert shown_numbers(client, link, {"deposit": deposit, "final": final}) == {"final"}
