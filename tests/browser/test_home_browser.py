import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_opens_in_chromium_with_its_title(live_server, page):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("clausier · vos CGV, exécutées")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vos conditions générales de vente, exécutées."
    )


def test_visitor_switches_the_page_to_english(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_label("Langue").select_option("en")
    expect(page).to_have_title("clausier · your terms of sale, executed")
    expect(page.locator("html")).to_have_attribute("lang", "en")
