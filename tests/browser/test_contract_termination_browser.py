"""A consumer terminates a contract online in three clicks, end to end in Chromium (C. conso.
L215-1-1; décret n° 2023-417): from "Mes contrats", the contract, "Résilier", then one
confirm button on a page stating the effective date and its consequences; the
acknowledgement is shown and e-mailed (a real SMTP server)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from clausier.contracts import services
from clausier.contracts.models import Contract
from clausier.terms.selectors import current_version
from tests.factories import PASSWORD, make_client, make_contact
from tests.factories.quotes import install_agency

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_consumer_terminates_a_contract_in_three_clicks_and_is_acknowledged(
    live_server, page, settings, smtp_server
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    agency = install_agency()
    moreau = make_client(agency, "consumer", name="Lucie Moreau", email="lucie@example.test")
    lucie = make_contact(moreau, name="Lucie Moreau", email="lucie.moreau@example.test")
    contract = services.open_contract(
        seller=agency,
        client=moreau,
        reference="CT-2026-001",
        start_on=timezone.localdate() - timedelta(days=60),
        period_months=12,
        lines=[{"kind": "hosting", "description": "Hébergement du site", "amount_ht": "240"}],
        terms_version=current_version(seller=agency),
        by=None,
    )
    term_end = date_format(contract.term_end, "SHORT_DATE_FORMAT")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(lucie.user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation").get_by_role("link", name="Mes contrats").click()

    page.get_by_role("link", name="CT-2026-001").click()  # 1
    page.get_by_role("link", name="Résilier").click()  # 2
    expect(page.locator("h1")).to_have_text("Résilier le contrat CT-2026-001")
    expect(page.get_by_text(f"Le contrat prendra fin le {term_end}.")).to_be_visible()
    expect(page.get_by_text("remboursées au prorata")).to_be_visible()
    page.get_by_role("button", name="Confirmer la résiliation").click()  # 3

    expect(page.locator("h1")).to_have_text("Résiliation enregistrée")
    expect(page.get_by_text(f"Le contrat prend fin le {term_end}.")).to_be_visible()
    assert Contract.objects.get(pk=contract.pk).status == "notice_given"

    subject = "Résiliation du contrat CT-2026-001 : accusé de réception"
    [received] = [m for m in smtp_server.inbox.messages if m.message["Subject"] == subject]
    assert received.rcpt_tos == ["lucie.moreau@example.test"]
    body = received.message.get_content()
    assert "Nous avons bien reçu" in body
    assert f"/portal/contracts/{contract.pk}/" in body
