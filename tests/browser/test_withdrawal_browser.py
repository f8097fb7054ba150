"""A consumer withdraws in the portal, end to end in Chromium (seed 000 art. 6; C. conso.
L221-18): from "Mes rétractations", the model form of R221-1 names the order, the consumer
sends it, sees it accepted with its clocks and their explanation, and receives the
acknowledgement by e-mail (a real SMTP server) with its PDF."""

import io
from datetime import timedelta

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_client, make_contact
from tests.factories.orders import install_paas
from tests.factories.withdrawal import concluded_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_consumer_withdraws_in_the_portal_and_receives_the_acknowledgement(
    live_server, page, settings, smtp_server
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
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
    order = concluded_order(paas, durand, concluded_at=timezone.now() - timedelta(days=3))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(emilie.user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation").get_by_role("link", name="Mes rétractations").click()
    page.get_by_role("link", name="Je me rétracte").click()

    expect(page.locator("h1")).to_have_text("Formulaire de rétractation")
    expect(page.get_by_text("Je vous notifie par la présente ma rétractation")).to_be_visible()
    page.get_by_label("Commande dont je me rétracte").select_option(str(order.pk))
    expect(page.get_by_label("Nom du consommateur")).to_have_value("Émilie Durand")
    page.get_by_role("button", name="Envoyer ma rétractation").click()

    expect(page.locator("h1")).to_contain_text(f"Rétractation de la commande {order.reference}")
    expect(page.locator("h1 .badge")).to_have_text("Acceptée")
    expect(page.get_by_text("Remboursement dû")).to_be_visible()
    page.locator("details.why").first.locator("summary").click()
    expect(page.get_by_text("CGV : 7 jours francs ; loi : 14 jours, L221-18")).to_be_visible()

    # The acknowledgement, on a durable medium: the e-mail and its PDF.
    subject = f"Accusé de réception de votre rétractation (commande {order.reference})"
    [received] = [m for m in smtp_server.inbox.messages if m.message["Subject"] == subject]
    assert received.rcpt_tos == ["emilie@example.test"]  # the client's billing contact
    message = received.message
    [attachment] = list(message.iter_attachments())
    text = " ".join(
        page_.extract_text()
        for page_ in pypdf.PdfReader(io.BytesIO(attachment.get_content())).pages
    )
    assert "Votre rétractation est acceptée." in " ".join(text.split())
    expect(page.get_by_text("envoyé par e-mail le")).to_be_visible()
