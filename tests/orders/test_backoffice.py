"""The orders board and order page, and the agency's whole flow through the
screens: staff drafts and sends a quote, the client accepts it online, the order waits for
its deposit (art. 5), staff records the deposit cashed and starts the work."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from clausier.orders.models import OrderStatus
from clausier.quotes.models import Quote, QuoteStatus
from tests.factories import (
    make_client,
    make_contact,
    make_published_terms,
    make_seller,
)
from tests.factories.quotes import sent_quote

pytestmark = pytest.mark.django_db


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def board_columns(html: str) -> dict[str, str]:
    """The board's HTML cut into its columns, by state."""
    chunks = html.split('<section class="board__column board__column--')[1:]
    return {chunk.split('"', 1)[0]: chunk for chunk in chunks}


def accepted_order(seller, client, bakery_contact, **kwargs):
    from clausier.quotes import services

    quote = sent_quote(
        seller,
        client,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=30),
        **kwargs,
    )
    return services.accept_quote_online(
        quote=quote,
        contact=bakery_contact,
        signatory_name=bakery_contact.name,
        signatory_role="Gérante",
        consent=True,
        ip_address="203.0.113.9",
        user_agent="test",
    ).order


# --- board -----------------------------------------------------------------------------------


def test_board_puts_each_order_in_its_state_with_what_it_waits_for(
    client, agency, agency_owner, bakery, bakery_contact
):
    waiting = accepted_order(agency, bakery, bakery_contact)
    ready = accepted_order(agency, bakery, bakery_contact, requires_deposit=False)
    client.force_login(agency_owner)

    html = shown(client.get(url("orders", agency)))

    columns = board_columns(html)
    assert waiting.reference in columns["awaiting_deposit"]
    assert ready.reference in columns["ready"]
    assert "Boulangerie Martin SARL" in columns["awaiting_deposit"]
    assert "3 411,00 €" in columns["awaiting_deposit"]
    assert '<span class="badge badge--soon">En attente d&#x27;acompte</span>' in (
        client.get(url("orders", agency)).content.decode()
    )
    # The "pourquoi ?" of the wait cites the clause and its article.
    assert (
        "art. 5 CGV v3.0, 30 % du total HT (1 023,30 €) à encaisser" in columns["awaiting_deposit"]
    )
    assert "payment.deposit" in columns["awaiting_deposit"]
    assert "Travaux en cours" in html  # the agency's columns are always there


def test_board_says_what_to_do_when_there_is_no_order(client, agency, agency_owner):
    client.force_login(agency_owner)
    html = shown(client.get(url("orders", agency)))
    assert "Aucune commande pour l'instant." in html
    assert "Une commande naît de l'acceptation d'un devis" in html


def test_board_query_count_does_not_grow_with_orders(
    client, agency, agency_owner, bakery, bakery_contact, django_assert_num_queries
):
    accepted_order(agency, bakery, bakery_contact)
    client.force_login(agency_owner)
    client.get(url("orders", agency))
    # session, user, staff scope, late executions (count), counts by state, open orders
    # (with client, deposit...)
    with django_assert_num_queries(6):
        client.get(url("orders", agency))
    for _ in range(5):
        accepted_order(agency, bakery, bakery_contact)
        accepted_order(agency, bakery, bakery_contact, requires_deposit=False)
    with django_assert_num_queries(6):
        client.get(url("orders", agency))


# --- order page ------------------------------------------------------------------------------


def test_work_cannot_start_before_the_deposit_and_the_page_says_why(
    client, agency, agency_sales, bakery, bakery_contact
):
    order = accepted_order(agency, bakery, bakery_contact)
    client.force_login(agency_sales)

    response = client.post(url("order_start", agency, order_id=order.pk))

    html = shown(response)
    assert response.status_code == 409
    assert "Travaux impossibles à démarrer, en attente d'acompte : art. 5 CGV v3.0" in html
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_DEPOSIT


def test_the_order_page_says_what_it_waits_for_in_the_pages_language(
    client, agency, agency_sales, bakery, bakery_contact
):
    order = accepted_order(agency, bakery, bakery_contact)
    client.force_login(agency_sales)
    html = shown(client.get(url("order", agency, order_id=order.pk)))
    with translation.override("en"):
        english = shown(client.get(url("order", agency, order_id=order.pk)))

    assert "En attente d'acompte : art. 5 CGV v3.0, 30 % du total HT (1 023,30 €)" in html
    assert (
        "Awaiting deposit: art. 5 of the terms of sale v3.0, 30% of the total excl. VAT "
        "(€1,023.30) to collect before work starts"
    ) in english
    assert "du total HT" not in english


def test_the_order_page_lists_its_invoices_and_offers_the_final_invoice(
    client, agency, agency_owner, bakery, bakery_contact
):
    from clausier.invoicing.selectors import invoices_of_order

    order = accepted_order(agency, bakery, bakery_contact)
    invoices = list(invoices_of_order(order=order))
    assert invoices  # the deposit invoice, issued at acceptance
    client.force_login(agency_owner)

    html = shown(client.get(url("order", agency, order_id=order.pk)))

    for invoice in invoices:
        assert url("invoice", agency, invoice_id=invoice.pk) in html
    assert url("order_final_invoice", agency, order_id=order.pk) in html


def test_a_deposit_cashed_in_the_future_is_refused_next_to_the_date(
    client, agency, agency_sales, bakery, bakery_contact
):
    order = accepted_order(agency, bakery, bakery_contact)
    client.force_login(agency_sales)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url("order_deposit_cashed", agency, order_id=order.pk), {"cashed_on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "l'encaissement ne peut pas être daté d'après le" in shown(response)
    assert f'value="{tomorrow.isoformat()}"' in response.content.decode()


def test_read_only_accountant_sees_the_order_without_its_actions(
    client, agency, agency_accountant, bakery, bakery_contact
):
    order = accepted_order(agency, bakery, bakery_contact)
    client.force_login(agency_accountant)
    html = shown(client.get(url("order", agency, order_id=order.pk)))
    assert "En attente d'acompte" in html
    assert "Acompte encaissé" not in html
    assert "Démarrer les travaux" not in html
    assert client.post(url("order_start", agency, order_id=order.pk)).status_code == 403


# --- the agency's flow, screen by screen -----------------------------------------------------


def test_agency_flow_from_draft_to_work_started(
    client,
    agency,
    agency_sales,
    bakery,
    bakery_contact,
    mail_and_tasks,
    django_capture_on_commit_callbacks,
):
    # Staff drafts the quote...
    client.force_login(agency_sales)
    data = {
        "client": str(bakery.pk),
        "nature": "Site vitrine de la boulangerie",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "requires_deposit": "on",
        "notes": "",
        "line_count": "1",
        "line-0-description": "Création du site",
        "line-0-quantity": "1",
        "line-0-unit": "flat",
        "line-0-unit_price": "2000",
        "line-0-vat_rate": "0",
        "line-0-product_code": "",
    }
    assert client.post(url("quote_new", agency), data).status_code == 302
    quote = Quote.objects.get(client=bakery)
    # ... and sends it: its PDF leaves by email.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("quote_send", agency, quote_id=quote.pk))
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    assert len(mail.outbox) == 1

    # The client reads it in the portal and accepts it, ticking the statement.
    client.force_login(bakery_contact.user)
    page = client.get(reverse("portal:quote", args=[quote.pk]))
    sha = re.search(r'name="document_sha256" value="([0-9a-f]{64})"', page.content.decode())[1]
    response = client.post(
        reverse("portal:quote_accept", args=[quote.pk]),
        {
            "document_sha256": sha,
            "consent": "on",
            "signatory_name": "Camille Martin",
            "signatory_role": "Gérante",
        },
        follow=True,
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="Mozilla/5.0 (test)",
    )
    html = shown(response)
    order = quote.order
    assert f"vous avez accepté le devis {quote.display_number}" in html
    assert order.status == OrderStatus.AWAITING_DEPOSIT
    assert "en attente d'acompte : art. 5 CGV v3.0, 30 % du total HT (600,00 €)" in html
    acceptance = quote.acceptance
    assert acceptance.document_sha256 == sha
    assert acceptance.ip_address == "198.51.100.4"

    # Staff sees the order waiting for its deposit, records it cashed, then starts the work.
    client.force_login(agency_sales)
    html = shown(client.get(url("order", agency, order_id=order.pk)))
    assert "En attente d'acompte : art. 5 CGV v3.0" in html
    response = client.post(
        url("order_deposit_cashed", agency, order_id=order.pk),
        {"cashed_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "les travaux peuvent commencer" in shown(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    response = client.post(url("order_start", agency, order_id=order.pk), follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    assert f"Travaux démarrés sur la commande {order.reference}" in shown(response)


def test_another_sellers_order_is_404(client, agency, agency_owner):
    other = make_seller("ailleurs")
    make_published_terms(other)
    theirs = make_client(other, "company")
    order = accepted_order(other, theirs, make_contact(theirs), requires_deposit=False)
    client.force_login(agency_owner)
    assert client.get(url("order", agency, order_id=order.pk)).status_code == 404
    assert client.post(url("order_start", agency, order_id=order.pk)).status_code == 404
