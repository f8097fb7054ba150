"""A client opens a ticket in the portal, an agent answers it in the back-office, the client
sees the answer, end to end in Chromium (seed 000 art. 9-10): the ticket's clocks run from
its opening, the agent's answer is its intervention (GTI met)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clausier.sellers.models import Role
from tests.factories import PASSWORD, make_client, make_contact, make_staff
from tests.factories.orders import install_paas

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_client_opens_a_ticket_an_agent_answers_the_client_sees_it(
    live_server, page, browser, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    paas = install_paas()
    company = make_client(paas, "company", name="Studio Graphique Loire SARL", siren="732829320")
    lucie = make_contact(company, name="Lucie Loire", email="lucie@loire.example")
    agent = make_staff(paas, Role.SUPPORT, username="agent-support")

    _login(page, live_server.url, lucie.user.username)
    page.get_by_role("navigation").get_by_role("link", name="Mes tickets").click()
    expect(page.get_by_text("+33 805 696 312")).to_be_visible()
    page.get_by_role("link", name="Nouveau ticket").click()
    page.get_by_label("Objet").fill("Erreur 502 sur l'application")
    page.get_by_label("Description").fill("Depuis 10 h, toutes les pages renvoient 502.")
    page.get_by_label("Gravité que vous suggérez").select_option("critical")
    page.get_by_role("button", name="Envoyer le ticket").click()
    expect(page.locator("h1")).to_contain_text("T-")
    expect(page.locator(".clock").first).to_contain_text("intervention (GTI)")
    reference = page.locator("h1").inner_text().split(" ")[0]

    staff_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    staff = staff_context.new_page()
    staff.set_default_timeout(30_000)
    _login(staff, live_server.url, agent.username)
    staff.goto(live_server.url + reverse("backoffice:support_queue", args=[paas.slug]))
    staff.get_by_role("link", name=reference).click()
    staff.get_by_label("Message").fill("Nous redémarrons votre instance, retour dans 10 minutes.")
    staff.get_by_role("button", name="Répondre au client").click()
    expect(staff.locator(".badge").first).to_have_text("Pris en charge")
    staff_context.close()

    page.reload()
    expect(page.get_by_text("Nous redémarrons votre instance")).to_be_visible()
    expect(page.locator(".clock").first).to_contain_text("atteinte le")
