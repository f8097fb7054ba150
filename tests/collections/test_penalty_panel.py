"""The panel "Pénalités de retard" of an invoice's page: the figures to date with their
"Pourquoi ?", staff billing them once and waiving with a reason, and the client's read-only
view in the portal (their own invoices only)."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.collections import selectors
from clausier.collections.models import LateInvoice, PenaltyBilling, Waiver
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.rules.money import format_eur
from clausier.sellers.models import Role
from tests.factories import make_client, make_contact, make_issued_invoice, make_staff

pytestmark = pytest.mark.django_db

# Issued 15 January 2026, due 16 February 2026: late every day since.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def text(response) -> str:
    page = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", page))


def page_url(invoice) -> str:
    return reverse("backoffice:invoice", args=[invoice.seller.slug, invoice.pk])


def action_url(invoice, action: str) -> str:
    return reverse(f"backoffice:invoice_penalties_{action}", args=[invoice.seller.slug, invoice.pk])


def plain(amount) -> str:
    return format_eur(amount).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def late(shop, company):
    return make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])


def test_the_panel_shows_the_figures_to_date_and_why(client, owner, late):
    owed = selectors.penalties(invoice=late, on=timezone.localdate())
    client.force_login(owner)

    page = text(client.get(page_url(late)))

    assert "Pénalités de retard" in page
    assert f"{owed.days_late} jours" in page
    for amount in (owed.base_ht, owed.interest.value, owed.indemnity.value, owed.total):
        assert plain(amount) in page
    assert "7,86" in page  # 3 × the legal rate of 2026-S1
    assert page.count("Pourquoi ?") >= 3
    assert "L441-10" in page
    assert "Facturer les pénalités" in page
    assert "Renoncer" in page


def test_staff_bill_the_penalties_once_a_day(client, owner, late):
    client.force_login(owner)

    done = client.post(action_url(late, "bill"))

    assert done.status_code == 302
    billing = PenaltyBilling.objects.get(late_invoice__invoice=late)
    penalty = Invoice.objects.get(pk=billing.penalty_invoice_id)
    assert penalty.kind == InvoiceKind.PENALTY
    page = text(client.get(page_url(late)))
    assert f"Pénalités facturées sur la facture {penalty.number}" in page
    assert reverse("backoffice:invoice", args=[late.seller.slug, penalty.pk]) in (
        client.get(page_url(late)).content.decode()
    )
    # The penalty invoice's page names the invoice it bills.
    assert late.number in text(client.get(page_url(penalty)))

    again = client.post(action_url(late, "bill"))

    assert again.status_code == 409
    assert "déjà" in text(again)
    assert PenaltyBilling.objects.count() == 1
    assert Invoice.objects.filter(kind=InvoiceKind.PENALTY).count() == 1


def test_a_waiver_needs_its_reason_and_writes_nothing_without_it(client, owner, late):
    client.force_login(owner)
    events = Event.objects.count()

    refused = client.post(
        action_url(late, "waive"),
        {"waiver-item": "indemnity", "waiver-full": "on", "waiver-reason": " "},
    )

    assert refused.status_code == 400
    assert "Le motif de la renonciation est obligatoire" in text(refused)
    assert 'name="waiver-reason"' in refused.content.decode()
    assert not Waiver.objects.exists()
    assert not LateInvoice.objects.exists()
    assert Event.objects.count() == events

    no_amount = client.post(
        action_url(late, "waive"), {"waiver-item": "interest", "waiver-reason": "Geste"}
    )
    assert no_amount.status_code == 400
    assert "montant abandonné" in text(no_amount)
    assert not Waiver.objects.exists()

    done = client.post(
        action_url(late, "waive"),
        {"waiver-item": "indemnity", "waiver-full": "on", "waiver-reason": "Bon client"},
    )

    assert done.status_code == 302
    waiver = Waiver.objects.get()
    assert waiver.full
    assert waiver.reason == "Bon client"
    assert waiver.created_by == owner
    page = text(client.get(page_url(late)))
    assert "Renonciations" in page
    assert "« Bon client »" in page
    assert "(après renonciation : 0,00 €)" in page


def test_a_partial_waiver_above_what_is_owed_names_the_amount(client, owner, late):
    client.force_login(owner)

    refused = client.post(
        action_url(late, "waive"),
        {"waiver-item": "interest", "waiver-amount": "100000", "waiver-reason": "Geste"},
    )

    assert refused.status_code == 400
    assert "restent dus sur ce poste" in text(refused)
    assert not Waiver.objects.exists()


def test_a_role_that_may_not_edit_invoices_sees_no_action(client, shop, late):
    viewer = make_staff(shop, Role.ACCOUNTANT)
    client.force_login(viewer)

    page = text(client.get(page_url(late)))

    assert "Pénalités de retard" in page
    assert "Facturer les pénalités" not in page
    assert client.post(action_url(late, "bill")).status_code == 403


def test_a_missing_legal_rate_is_said_not_guessed(client, owner, shop, company):
    # Issued in 2026-S2, a semester whose legal rate the packaged table has not (yet).
    issued = timezone.make_aware(datetime(2026, 7, 15, 10), timezone.get_default_timezone())
    invoice = make_issued_invoice(shop, company, now=issued, lines=[LINE])
    assert invoice.due_date < timezone.localdate()
    client.force_login(owner)

    page = client.get(page_url(invoice))

    assert page.status_code == 200
    assert "un taux n'est jamais deviné" in text(page)


def test_the_client_reads_the_late_payment_information_of_their_own_invoice(client, shop, late):
    contact = make_contact(late.client)
    other = make_contact(make_client(shop, kind="company", name="Autre SARL", siren="732829320"))
    owed = selectors.penalties(invoice=late, on=timezone.localdate())

    client.force_login(contact.user)
    page = text(client.get(reverse("portal:invoice", args=[late.pk])))

    assert "Pénalités de retard" in page
    assert f"{owed.days_late} jours" in page
    assert plain(owed.interest.value) in page
    assert plain(owed.indemnity.value) in page
    assert "Pourquoi ?" in page
    assert "Facturer les pénalités" not in page
    assert "Renoncer" not in page
    assert "Mon relevé de compte" in page

    client.force_login(other.user)
    assert client.get(reverse("portal:invoice", args=[late.pk])).status_code == 404
