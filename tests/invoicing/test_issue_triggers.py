"""The trail says what made clausier act by itself: an invoice issued after the online payment
of its order, a deposit invoice at the quote's acceptance, a credit note at an order's
cancellation; and who issued an invoice by hand."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from clausier.audit.models import Event
from clausier.audit.sentences import changes, sentence
from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.invoicing import services
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.orders import services as order_services
from clausier.payments import services as payment_services
from clausier.sellers.models import Role
from tests.factories import make_client, make_draft_invoice, make_staff
from tests.factories.invoicing import accepted_order, deposit_invoice_of
from tests.factories.orders import awaiting_payment
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def issued_event(invoice) -> Event:
    return Event.objects.get(verb="invoice.issued", object_id=str(invoice.pk))


def test_an_invoice_issued_after_the_online_payment_says_so_in_its_history(client, paas):
    buyer = make_client(paas, kind="company", name="Studio Loire SARL", siren="732829320")
    order = awaiting_payment(paas, buyer)
    accounting = make_staff(paas, Role.ACCOUNTING)
    client.force_login(accounting)

    # Accounting records the online payment the provider reported: the invoice follows.
    response = client.post(
        reverse("backoffice:order_payment", kwargs={"slug": paas.slug, "order_id": order.pk}),
        {
            "amount": "42,24",
            "received_at": "2026-05-08T14:30",
            "provider": "card",
            "reference": "ch_1",
        },
    )
    assert response.status_code == 302

    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.STANDARD)
    event = issued_event(invoice)
    assert event.summary["trigger"] == "order_paid"
    page = shown(
        client.get(
            reverse("backoffice:invoice", kwargs={"slug": paas.slug, "invoice_id": invoice.pk})
        )
    )
    assert "Historique" in page
    assert "Facture F2026-000001 émise automatiquement après le paiement en ligne" in page
    assert "Déclencheur</span> : <ins>après le paiement en ligne</ins>" in page
    assert "order_paid" not in page
    # The draft it was made from says the same.
    created = Event.objects.get(verb="invoice.created", object_id=str(invoice.pk))
    assert sentence(created).endswith("créée en brouillon après le paiement en ligne")
    with translation.override("en"):
        assert (
            sentence(event) == "Invoice F2026-000001 issued automatically after the online payment"
        )
        assert ("trigger", None, "after the online payment") in changes(event)


def test_an_invoice_issued_by_hand_names_who_issued_it(paas):
    buyer = make_client(paas, kind="company", name="Studio Loire SARL", siren="732829320")
    accounting = make_staff(paas, Role.ACCOUNTING)
    draft = make_draft_invoice(paas, buyer, by=accounting)

    invoice = services.issue_invoice(invoice=draft, by=accounting)

    event = issued_event(invoice)
    assert "trigger" not in event.summary
    due = invoice.due_date.strftime("%d/%m/%Y")
    name = accounting.get_username()
    assert sentence(event) == f"Facture {invoice.number} émise par {name}, échéance le {due}"
    with translation.override("en"):
        assert sentence(event).startswith(f"Invoice {invoice.number} issued by {name}")


def test_the_deposit_invoice_and_the_order_say_they_followed_the_acceptance(agency, company):
    order = accepted_order(agency, company)
    invoice = deposit_invoice_of(order)

    due = invoice.due_date.strftime("%d/%m/%Y")
    assert sentence(issued_event(invoice)) == (
        f"Facture d'acompte {invoice.number} émise automatiquement à l'acceptation du devis, "
        f"échéance le {due}"
    )
    created = Event.objects.get(verb="order.created", object_id=str(order.pk))
    assert sentence(created) == f"Commande {order.reference} créée à l'acceptation du devis"


def test_cashing_the_deposit_and_cancelling_the_order_are_named_as_causes(agency, company):
    order = accepted_order(agency, company)
    invoice = deposit_invoice_of(order)

    payment_services.record_deposit_cashed(
        order=order, cashed_on=date(2026, 5, 26), by=None, now=paris(2026, 5, 27, 9, 0)
    )
    order_services.cancel_order(
        order=order, reason="projet abandonné", by=None, now=paris(2026, 5, 28, 9, 0)
    )

    payment = Event.objects.get(verb="invoice.payment_recorded", object_id=str(invoice.pk))
    assert re.sub(r"[\u00a0\u202f]", " ", sentence(payment)) == (
        f"Paiement de 1 023,30 € enregistré sur facture d'acompte {invoice.number} à "
        "l'encaissement de "
        "l'acompte (reçu le 26/05/2026)"
    )
    [note] = Invoice.objects.filter(corrects=invoice)
    assert sentence(issued_event(note)) == (
        f"Avoir {note.number} émis automatiquement à l'annulation de la commande "
        f"(facture {invoice.number})"
    )
    with translation.override("en"):
        assert "cancellation of the order" in sentence(issued_event(note))


def test_a_cause_without_a_sentence_of_its_own_ends_the_verbs_sentence(paas):
    buyer = make_client(paas, kind="company", name="Studio Loire SARL", siren="732829320")
    invoice = make_draft_invoice(paas, buyer)

    event = record_on(
        obj=invoice,
        actor=None,
        verb="invoice.updated",
        before={"notes": ""},
        after={"notes": "relance"},
        trigger=Trigger.ORDER_CONFIRMED,
    )

    assert sentence(event).endswith(
        "modifiée : mentions particulières (— → relance), à la confirmation de la commande par "
        "le client"
    )
