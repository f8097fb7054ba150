"""The PaaS host's online order, end to end in Chromium (seed 000, Clever Cloud CGV v1.1): a
consumer logs into the portal on a phone, orders an offer, checks the recap, corrects its
billing address and a quantity, confirms with the terms ticked and the express start asked,
and sees its order validated, awaiting payment (art. 4)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clausier.orders.domain import EXPRESS_START
from clausier.orders.models import Order, OrderStatus
from clausier.terms.models import Acceptance
from tests.factories import PASSWORD, make_client, make_contact
from tests.factories.orders import install_paas

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_client_orders_corrects_the_recap_and_confirms_it(live_server, page):
    paas = install_paas()
    durand = make_client(
        paas,
        "consumer",
        name="Émilie Durand",
        email="emilie.durand@example.test",
        billing_line1="12 rue des Olivettes",
        billing_postal_code="44000",
        billing_city="Nantes",
    )
    emilie = make_contact(durand, name="Émilie Durand", email="emilie@example.test")

    page.set_viewport_size({"width": 390, "height": 844})  # the portal, first on a phone
    log_in(page, live_server.url, emilie.user.username)
    page.get_by_role("navigation").get_by_role("link", name="Mes commandes").click()
    page.get_by_role("link", name="Commander").click()

    # The offers, priced HT and TTC (art. 3); a quantity for two of them.
    expect(page.locator("h1")).to_have_text("Commander")
    expect(page.get_by_text("0,035 € HT").first).to_be_visible()
    page.get_by_label("Quantité : Instance d'application (heure)").fill("720")
    page.get_by_label("Quantité : Add-on base de données PostgreSQL").fill("1")
    page.get_by_role("button", name="Voir le récapitulatif").click()

    # The recap (art. 4): 720 h × 0,035 € + 1 × 10,00 € = 35,20 € HT, 42,24 € TTC.
    expect(page.get_by_role("status")).to_contain_text("est prêt")
    expect(page.get_by_role("heading", name="Récapitulatif à vérifier")).to_be_visible()
    expect(page.locator(".totals-table")).to_contain_text("42,24")
    expect(page.get_by_text("12 rue des Olivettes")).to_be_visible()

    # Corrections: the billing address and a quantity, in the page (HTMX).
    page.get_by_role("link", name="Modifier mes données ou ma commande").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/edit/$"))
    expect(page.locator("h1")).to_contain_text("Commande C")  # edited within the order page
    page.get_by_label("Adresse de facturation", exact=True).fill("5 rue Kervégan")
    page.get_by_label("Quantité : Instance d'application (heure)").fill("1440")
    page.get_by_role("button", name="Enregistrer le récapitulatif").click()

    # 1 440 h × 0,035 € = 50,40 € + 10,00 € = 60,40 € HT; TVA 20 % 12,08 €; TTC 72,48 €.
    expect(page.get_by_role("status")).to_contain_text("mis à jour : total 72,48 € TTC")
    expect(page.get_by_text("5 rue Kervégan")).to_be_visible()
    expect(page.locator(".totals-table")).to_contain_text("60,40")

    # Confirmation: the terms ticked, and the express start a consumer may ask for.
    page.get_by_role("button", name="Confirmer la commande").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Cochez la case pour accepter les conditions générales de vente."
    )
    page.get_by_label("J'ai lu et j'accepte les conditions générales de vente v1.1").check()
    page.get_by_label("Je demande expressément que l'exécution du service commence").check()
    page.get_by_role("button", name="Confirmer la commande").click()

    expect(page.get_by_role("status")).to_contain_text("est confirmée et validée")
    expect(page.get_by_role("heading", name="Validée — en attente de paiement")).to_be_visible()
    expect(page.locator(".order-state")).to_contain_text(
        "le service démarre au plus tard 7 jours ouvrés après sa réception (art. 8)"
    )
    page.locator(".order-state .why summary").first.click()
    expect(page.locator(".order-state .why").first).to_contain_text("validée automatiquement")

    order = Order.objects.get(client=durand)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.total_ttc == Decimal("72.48")
    assert order.declared["billing_line1"] == "5 rue Kervégan"
    assert (order.express_start, order.express_start_text) == (True, EXPRESS_START.value)
    acceptance = Acceptance.objects.get(client=durand)
    assert (acceptance.version.label, acceptance.ip_address) == ("v1.1", "127.0.0.1")
    assert "Chrome" in acceptance.user_agent
