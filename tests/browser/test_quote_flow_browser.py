"""The agency's quote, end to end in Chromium: staff drafts it in the back-office and sends
it; the client's contact logs in, opens it in the portal, ticks the statement and accepts;
the order then waits for its deposit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clausier.orders.models import OrderStatus
from clausier.quotes.models import Quote, QuoteStatus
from clausier.quotes.printing import render_quote_pdf
from tests.factories import PASSWORD, make_client, make_contact, make_staff
from tests.factories.quotes import install_agency

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _mail_and_tasks(settings):
    # Sending e-mails the PDF from a task: run it at once, keep the mail in memory.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_staff_sends_a_quote_and_the_client_accepts_it_online(live_server, page):
    agency = install_agency()
    staff = make_staff(agency, role="sales", username="commercial")
    bakery = make_client(agency, "company", name="Boulangerie Martin SARL")
    camille = make_contact(bakery, name="Camille Martin", role="Gérante")
    valid_until = timezone.localdate() + timedelta(days=30)

    # Staff drafts the quote in the back-office...
    log_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/backoffice/{agency.slug}/quotes/")
    page.get_by_role("link", name="Nouveau devis").click()
    page.get_by_label("Client").select_option(label="Boulangerie Martin SARL")
    page.get_by_label("Nature des prestations").fill("Site vitrine de la boulangerie")
    page.get_by_label("Valable jusqu'au").fill(valid_until.isoformat())
    page.get_by_label("Demander un acompte à l'acceptation").check()
    page.get_by_label("Ligne 1, Désignation").fill("Création du site vitrine")
    page.get_by_label("Ligne 1, Quantité").fill("1")
    page.get_by_label("Ligne 1, Prix unitaire HT (€)").fill("2400")
    page.get_by_label("Ligne 2, Désignation").fill("Intégration des contenus")
    page.get_by_label("Ligne 2, Quantité").fill("2,5")
    page.get_by_label("Ligne 2, Unité").select_option(label="jour")
    page.get_by_label("Ligne 2, Prix unitaire HT (€)").fill("350")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_role("status")).to_contain_text("Brouillon de devis créé")
    expect(page.locator(".totals-table")).to_contain_text("3 275,00")

    # ... and sends it: it takes its number and its PDF leaves by email.
    page.get_by_role("button", name="Envoyer au client").click()
    expect(page.get_by_role("status")).to_contain_text("envoyé")
    quote = Quote.objects.get(client=bakery)
    assert quote.status == QuoteStatus.SENT
    expect(page.locator("h1")).to_contain_text(quote.display_number)
    assert [m.to for m in mail.outbox] == [[camille.email]]
    page.get_by_role("button", name="Se déconnecter").click()

    # The client logs in, opens the quote from the portal and accepts it.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, camille.user.username)
    page.get_by_role("navigation").get_by_role("link", name="Mes devis").click()
    page.get_by_role("link", name=f"Devis {quote.display_number}").click()
    expect(page.locator("h1")).to_contain_text(quote.display_number)
    expect(page.get_by_role("link", name="Lire le devis complet (PDF)")).to_be_visible()
    page.get_by_label(f"J'accepte le devis n° {quote.display_number} sans modification").check()
    expect(page.get_by_label("Votre nom (signataire)")).to_have_value("Camille Martin")
    page.get_by_role("button", name="J'accepte le devis").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"vous avez accepté le devis {quote.display_number}"
    )
    page.get_by_role("navigation").get_by_role("link", name="Mes commandes").click()
    card = page.locator(".doc-card").first
    expect(card).to_contain_text("En attente d'acompte")
    expect(card).to_contain_text("art. 5 CGV v3.0, 30 % du total HT (982,50 €) à encaisser")

    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert quote.order.status == OrderStatus.AWAITING_DEPOSIT
    acceptance = quote.acceptance
    assert acceptance.document_sha256 == render_quote_pdf(quote=quote).sha256
    assert acceptance.ip_address == "127.0.0.1"
    assert "Chrome" in acceptance.user_agent
