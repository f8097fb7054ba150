"""In Chromium: guessing a password locks the login with a message on the login page; an
owner enrols an authenticator (QR code and key shown, first code typed, ten recovery codes
shown once), then logs in again with the password and the next code."""

from base64 import b32decode

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_seller, make_staff
from tests.security.codes import code_for

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_five_wrong_passwords_lock_the_login_with_a_message(live_server, page):
    seller = make_seller("atelier-web", legal_name="Atelier Web SAS")
    owner = make_staff(seller, username="gerante")

    for _ in range(4):
        log_in(page, live_server.url, owner.username, "pas-le-bon-mot")
        expect(page.get_by_role("alert")).to_contain_text("mot de passe")
    log_in(page, live_server.url, owner.username, "pas-le-bon-mot")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Connexion bloquée : trop de tentatives échouées.")
    expect(alert).to_contain_text("pendant 15 minutes")

    # the right password waits for the cool-off too
    log_in(page, live_server.url, owner.username, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("Connexion bloquée")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")


def test_an_owner_enrols_an_authenticator_then_logs_in_with_a_code(live_server, page, settings):
    settings.MFA_REQUIRED_ROLES = ["owner", "accounting"]
    seller = make_seller("atelier-web", legal_name="Atelier Web SAS")
    owner = make_staff(seller, username="gerante")

    log_in(page, live_server.url, owner.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))

    page.get_by_label("Premier code affiché par l'application").fill(code_for(key))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Double authentification activée.")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Web SAS")

    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, live_server.url, owner.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    page.get_by_label("Code de vérification").fill(code_for(key, step_ahead=1))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier Web SAS")
