"""An owner reads the money on the back-office home: the figures, the 12-month chart drawn
without a script, a bar reached with the keyboard and followed to its month's invoices."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clausier.payments import services as payment_services
from tests.factories import PASSWORD, make_client, make_contact, make_issued_invoice, make_staff
from tests.factories.invoicing import days_ago, invoicing_seller, vat_line

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_reads_the_revenue_chart_and_follows_a_bar(live_server, page, tmp_path):
    shop = invoicing_seller("atelier-chiffres")
    owner = make_staff(shop, username="gerante-chiffres")
    studio = make_client(shop, "company", name="Studio Loire SARL", siren="732829320")
    older = make_issued_invoice(shop, studio, now=days_ago(40), lines=[vat_line(unit_price="2000")])
    payment_services.record_invoice_payment(
        invoice=older, amount=Decimal("2400"), paid_on=days_ago(1).date(), by=None
    )
    recent = make_issued_invoice(shop, studio, now=days_ago(0), lines=[vat_line(unit_price="750")])

    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(owner.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    money = page.locator(
        "section", has=page.get_by_role("heading", name="Chiffre d'affaires et encaissements")
    )
    expect(money.locator("#figure-outstanding .figure__value")).to_have_text("900,00\u00a0€")
    bars = money.locator("a.chart__bar")
    expect(bars).to_have_count(12)
    this_month = bars.nth(11)
    assert this_month.locator("rect").bounding_box()["height"] > 0
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    this_month.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Factures et avoirs")
    expect(page.get_by_role("link", name=recent.number)).to_be_visible()
    expect(page.get_by_role("link", name=older.number)).to_have_count(0)


def test_client_on_a_phone_reads_what_it_owes_and_why(live_server, page, tmp_path):
    shop = invoicing_seller("atelier-portail")
    julien = make_client(shop, "consumer", name="Julien Martin")
    contact = make_contact(julien, name="Julien Martin")
    late = make_issued_invoice(shop, julien, now=days_ago(45), lines=[vat_line(unit_price="100")])
    make_issued_invoice(shop, julien, now=days_ago(0), lines=[vat_line(unit_price="250")])

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(contact.user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    owed = page.locator("#figure-owed")
    expect(owed.locator(".figure__value")).to_have_text("420,00\u00a0€")  # 120 + 300 TTC
    expect(page.locator("#figure-late .figure__value")).to_have_text("120,00\u00a0€")
    late_why = page.locator("#figure-late details.why")
    late_why.locator("summary").click()
    expect(late_why).to_contain_text(late.number)
    page.screenshot(path=str(tmp_path / "portal.png"), full_page=True)

    page.locator("#figure-late .figure__value").click()
    expect(page).to_have_url(live_server.url + "/portal/invoices/?etat=en_retard")
    expect(page.get_by_role("link", name="Voir").first).to_be_visible()
