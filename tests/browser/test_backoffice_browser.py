"""A seller's owner logs in through the login page and reads the legal lint of its terms."""

from datetime import date

import pytest
from playwright.sync_api import expect

from clausier.terms import services
from tests.factories import PASSWORD, make_seller, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = """# Conditions générales de vente

## Article 6 : Rétractation

Le client consommateur dispose de 7 jours francs pour se rétracter, par e-mail.
"""


def consumer_terms_with_a_short_withdrawal(seller):
    version = services.create_draft(
        seller=seller, label="v2", effective_date=date(2026, 1, 1), text=TEXT, by=None
    )
    for position, (clause_id, article, title, parameters) in enumerate(
        [
            ("clients.kinds", "art. 1", "Clients", {"kinds": ["company", "consumer"]}),
            (
                "withdrawal.period",
                "art. 6",
                "Rétractation",
                {"n": 7, "unit": "jours_francs", "from": "offer_acceptance"},
            ),
        ]
    ):
        services.add_clause(
            version=version,
            fields={
                "clause_id": clause_id,
                "kind": clause_id,
                "article": article,
                "title": title,
                "excerpt": title,
                "parameters": parameters,
                "position": position,
            },
            by=None,
        )
    return services.publish_version(version=version, by=None)


def test_owner_logs_in_and_sees_the_lint_findings_of_its_terms(live_server, page):
    seller = make_seller("atelier-web", legal_name="Atelier Web SAS")
    owner = make_staff(seller, username="gerante")
    version = consumer_terms_with_a_short_withdrawal(seller)

    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(owner.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Web SAS")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="CGV"
    ).click()
    page.get_by_role("link", name=version.label).click()

    findings = page.locator(".finding")
    withdrawal = findings.filter(has_text="withdrawal.period")
    expect(withdrawal).to_have_count(1)
    expect(withdrawal.locator(".badge--error")).to_have_text("Erreur")
    expect(withdrawal).to_contain_text("L221-18")
    why = withdrawal.locator("details.why")
    if why.get_attribute("open") is None:
        why.locator("summary").click()
    expect(why).to_contain_text("Ce que clausier applique")
    # the text as the client reads it, beside the clause table; no edit control on it
    expect(page.get_by_role("heading", name="Article 6 : Rétractation")).to_be_visible()
    expect(page.get_by_role("button", name="Publier")).to_have_count(0)
