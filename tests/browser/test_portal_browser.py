"""A consumer logs in to the client space and accepts the new terms from the banner."""

import pytest
from playwright.sync_api import expect

from clausier.terms.models import Acceptance
from tests.factories import PASSWORD, make_client, make_contact, make_published_terms, make_seller

pytestmark = pytest.mark.django_db(transaction=True)


def test_consumer_accepts_the_latest_terms_from_the_banner(live_server, page):
    seller = make_seller("studio", legal_name="Studio SAS", trade_name="Studio")
    terms = make_published_terms(seller, "v3.0")
    client = make_client(seller, "consumer", name="Jeanne Dupont")
    contact = make_contact(client, name="Jeanne Dupont")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(contact.user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    banner = page.locator(".banner")
    expect(banner).to_contain_text("Studio a publié de nouvelles conditions générales de vente")
    expect(banner.get_by_label("Votre nom (signataire)")).to_have_value("Jeanne Dupont")
    banner.get_by_label("J'ai lu et j'accepte les conditions générales de vente v3.0").check()
    banner.get_by_role("button", name="J'accepte les conditions").click()

    expect(page.get_by_role("status")).to_contain_text("vous avez accepté")
    expect(page.locator(".banner")).to_have_count(0)
    accepted = page.locator(".acceptance")
    expect(accepted).to_contain_text("Conditions générales de vente v3.0")
    expect(accepted).to_contain_text("Case cochée en ligne")

    acceptance = Acceptance.objects.get(client=client)
    assert acceptance.version == terms
    assert acceptance.method == "checkbox"
    assert acceptance.ip_address == "127.0.0.1"
    assert "Chrome" in acceptance.user_agent
