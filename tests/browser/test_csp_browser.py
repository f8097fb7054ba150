"""Chromium enforces the Content-Security-Policy and reports nothing blocked: on the
back-office home, the clients list searched through htmx, the portal and a quote page, while
the language switcher (a script file, no inline handler) still switches the page."""

import re

import pytest
from playwright.sync_api import expect

from clausier.sellers.models import Role
from tests.factories import PASSWORD, make_client, make_staff
from tests.test_permission_matrix import world

pytestmark = pytest.mark.django_db(transaction=True)

# Before any script of the page: every violation the browser reports, kept on the window.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture
def watched(browser):
    """A page whose CSP violations (events and console errors) are collected page by page."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.violations = lambda: [*page.evaluate("window.cspViolations"), *console]
    yield page
    context.close()


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_back_office_keeps_to_its_policy_with_htmx_and_the_language_switcher(live_server, watched):
    own = world("own")
    make_client(own["seller"], "company", name="Zinc et Cuivre SARL")
    owner = make_staff(own["seller"], Role.OWNER, username="gerante")
    page = watched

    log_in(page, live_server.url, owner.username)
    expect(page.get_by_role("heading", level=1)).to_have_text(own["seller"].legal_name)
    assert page.violations() == []

    page.goto(f"{live_server.url}/backoffice/{own['seller'].slug}/clients/")
    rows = page.locator("#clients-results tbody tr")
    expect(rows.filter(has_text="Zinc et Cuivre SARL")).to_have_count(1)
    count_before = rows.count()
    assert count_before > 1
    # Typed, not submitted: htmx asks for the results and swaps them in.
    page.get_by_role("searchbox").press_sequentially("Zinc")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Zinc et Cuivre SARL")
    expect(page).to_have_url(re.compile(r"q=Zinc"))
    assert page.violations() == []

    page.get_by_label("Langue").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.violations() == []


def test_portal_and_a_quote_page_keep_to_the_policy(live_server, watched):
    own = world("own")
    page = watched

    log_in(page, live_server.url, own["portal_contact"].user.username)
    expect(page.locator(".context-bar")).to_contain_text(own["client"].name)
    # The seller's colour, set by the nonce'd style, reaches the page.
    brand = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()"
    )
    assert brand.lower() == own["seller"].brand_color.lower()
    assert page.violations() == []

    page.goto(f"{live_server.url}/portal/quotes/{own['quote'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(own["quote"].display_number)
    assert page.violations() == []

    page.get_by_label("Langue").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.violations() == []
