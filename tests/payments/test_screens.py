"""Payments on screens: a credit note on a paid invoice shows the refund owed on the
invoice's page (staff and portal) until it is settled; the payments list and page, the
portal's history and receipt."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from clausier.invoicing import services as invoicing_services
from clausier.payments import services
from clausier.payments.models import Refund
from clausier.sellers.models import Role
from tests.factories import make_contact, make_issued_invoice, make_staff
from tests.factories.payments import transfer

DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


def test_a_credit_note_on_a_paid_invoice_shows_the_refund_owed_until_settled(client, shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])
    transfer(shop, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(invoice, "120.00")])
    invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)
    staff_page = reverse("backoffice:invoice", kwargs={"slug": shop.slug, "invoice_id": invoice.pk})
    client.force_login(make_staff(shop, Role.OWNER))
    assert "Remboursement dû au client : 120,00 €" in text(client.get(staff_page))

    contact = make_contact(shopper)
    client.force_login(contact.user)
    portal_page = reverse("portal:invoice", kwargs={"invoice_id": invoice.pk})
    assert "Remboursement dû au client : 120,00 €" in text(client.get(portal_page))

    services.mark_refund_settled(
        refund=Refund.objects.get(), settled_on=timezone.localdate(), by=None
    )
    page = text(client.get(portal_page))
    assert "Remboursement dû au client" not in page
    assert "remboursé le" in page


def test_staff_list_their_payments_and_record_a_transfer(client, shop, shopper):
    client.force_login(make_staff(shop, Role.OWNER))
    created = client.post(
        reverse("backoffice:payment_new", kwargs={"slug": shop.slug}),
        {
            "method": "transfer",
            "client": shopper.pk,
            "amount": "75,50",
            "received_on": "2026-05-21",
            "transfer_reference": "VIR-0042",
        },
    )
    assert created.status_code == 302
    page = text(client.get(created["Location"]))
    assert "75,50 €" in page
    assert "VIR-0042" in page
    listing = text(client.get(reverse("backoffice:payments", kwargs={"slug": shop.slug})))
    assert "Julien Martin" in listing
    assert "Virement" in listing
    refused = client.post(
        reverse("backoffice:payment_new", kwargs={"slug": shop.slug}),
        {"method": "cheque", "client": shopper.pk, "amount": "10", "received_on": "2026-05-21"},
    )
    assert refused.status_code == 400
    assert "indiquez le numéro du chèque" in text(refused)


def test_the_payments_are_one_click_away_in_both_menus(client, shop, shopper):
    client.force_login(make_staff(shop, Role.OWNER))
    home = client.get(reverse("backoffice:home", kwargs={"slug": shop.slug})).content.decode()
    listing = reverse("backoffice:payments", kwargs={"slug": shop.slug})
    assert f'href="{listing}"' in home
    payments = client.get(listing).content.decode()
    assert f'href="{listing}" aria-current="page"' in payments
    for name in ("refunds", "statements", "remittances"):
        assert reverse(f"backoffice:{name}", kwargs={"slug": shop.slug}) in payments
    client.force_login(make_contact(shopper).user)
    portal = client.get(reverse("portal:invoices")).content.decode()
    assert f'href="{reverse("portal:payments")}"' in portal


def test_the_client_sees_its_payments_credit_and_receipt(client, shop, shopper):
    payment = transfer(shop, shopper, amount="80.00", on=date(2026, 5, 21))
    client.force_login(make_contact(shopper).user)
    page = text(client.get(reverse("portal:payments")))
    assert "Crédit disponible" in page
    assert "80,00 €" in page
    receipt = text(client.get(reverse("portal:payment", kwargs={"payment_id": payment.pk})))
    assert f"Reçu du paiement n° {payment.pk}" in receipt
    assert "Reste à votre crédit" in receipt


def test_staff_use_a_clients_credit_on_an_unpaid_invoice_and_mark_a_refund_sent(
    client, shop, shopper
):
    invoice = make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])
    transfer(shop, shopper, amount="200.00", on=date(2026, 5, 21))
    client.force_login(make_staff(shop, Role.OWNER))
    page = reverse(
        "backoffice:client_payments", kwargs={"slug": shop.slug, "client_id": shopper.pk}
    )
    assert "200,00 €" in text(client.get(page))
    invoice_page = reverse(
        "backoffice:invoice", kwargs={"slug": shop.slug, "invoice_id": invoice.pk}
    )
    assert "Utiliser le crédit du client" in text(client.get(invoice_page))

    used = client.post(
        reverse(
            "backoffice:invoice_use_credit", kwargs={"slug": shop.slug, "invoice_id": invoice.pk}
        ),
        {"back": "client"},
    )

    assert (used.status_code, used["Location"]) == (302, page)
    invoice.refresh_from_db()
    assert invoice.amount_paid == 120
    from clausier.payments import selectors

    assert selectors.client_credit(client=shopper) == 80
    refund = services.record_refund_owed(
        payment=selectors.credit_payments(client=shopper).get(),
        amount="80",
        reason="Trop-perçu",
        by=None,
    )
    send_url = reverse("backoffice:refund_send", kwargs={"slug": shop.slug, "refund_id": refund.pk})
    listed = client.get(reverse("backoffice:refunds", kwargs={"slug": shop.slug}))
    assert send_url in listed.content.decode()  # the refunds list offers "Envoyé"
    sent = client.post(
        send_url,
        {"day": "2026-05-26"},
    )
    assert sent.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.sent_on) == ("sent", date(2026, 5, 26))
