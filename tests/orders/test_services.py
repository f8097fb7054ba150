"""Orders born of accepted quotes: the art. 5 deposit gate, waiting reasons, cancellation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.kernel.errors import Conflict, InvalidTransition
from clausier.orders import selectors, services
from clausier.orders.models import OrderStatus
from clausier.payments import services as payment_services
from clausier.quotes import services as quote_services
from tests.factories import make_client, make_seller
from tests.factories.quotes import WEBSITE_TOTAL_HT, paris, sent_quote

pytestmark = pytest.mark.django_db


def accepted_order(agency, client, bakery_contact, **quote_kwargs):
    quote = sent_quote(agency, client, **quote_kwargs)
    return quote_services.accept_quote_online(
        quote=quote,
        contact=bakery_contact,
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        consent=True,
        ip_address="198.51.100.4",
        user_agent="test",
        now=paris(2026, 5, 6, 9),
    ).order


def test_an_order_with_a_deposit_waits_for_it_citing_art_5(agency, bakery, bakery_contact):
    order = accepted_order(agency, bakery, bakery_contact)
    reason = order.waiting_reason
    assert reason.as_dict() == {
        "status": "awaiting_deposit",
        "waiting": True,
        "why": "en attente d'acompte : art. 5 CGV v3.0, 30\u202f% du total HT "
        "(1\u202f023,30\u00a0€) à encaisser avant le début des travaux",
        "clause": "payment.deposit",
        "article": "art. 5",
        "terms": "v3.0",
        "inputs": {
            "rate": "0.3000",
            "base_ht": "3411.00",
            "amount": "1023.30",
            "deposit_status": "requested",
            "cashed_on": None,
        },
    }
    assert order.deposit.explanation["steps"][-1]["value"] == "1023.30"
    assert order.deposit.explanation["clause"] == "payment.deposit"


def test_work_cannot_start_before_the_deposit_is_cashed(
    agency, bakery, bakery_contact, agency_sales
):
    order = accepted_order(agency, bakery, bakery_contact)
    with pytest.raises(services.WorkCannotStart, match=r"art\. 5 CGV v3\.0, 30"):
        services.start_work(order=order, by=agency_sales)
    order.refresh_from_db()
    assert (order.status, order.started_at) == (OrderStatus.AWAITING_DEPOSIT, None)


def test_cashing_the_deposit_makes_the_order_ready_and_says_so(
    agency, bakery, bakery_contact, agency_sales
):
    order = accepted_order(agency, bakery, bakery_contact)
    order = payment_services.record_deposit_cashed(
        order=order, cashed_on=date(2026, 5, 11), by=agency_sales, now=paris(2026, 5, 11, 17)
    ).order
    assert order.status == OrderStatus.READY
    order.deposit.refresh_from_db()
    assert (order.deposit.status, order.deposit.cashed_on) == ("cashed", date(2026, 5, 11))
    reason = order.waiting_reason
    assert not reason.waiting
    assert reason.why == (
        "acompte de 1\u202f023,30\u00a0€ encaissé le 11/05/2026 (art. 5 CGV v3.0) : "
        "les travaux peuvent commencer"
    )
    with pytest.raises(InvalidTransition):
        payment_services.record_deposit_cashed(
            order=order, cashed_on=date(2026, 5, 11), by=agency_sales, now=paris(2026, 5, 11, 17)
        )


def test_a_deposit_cannot_be_cashed_in_the_future(agency, bakery, bakery_contact, agency_sales):
    order = accepted_order(agency, bakery, bakery_contact)
    with pytest.raises(ValidationError, match="daté d'après"):
        payment_services.record_deposit_cashed(
            order=order, cashed_on=date(2026, 5, 12), by=agency_sales, now=paris(2026, 5, 11, 17)
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_DEPOSIT


def test_an_order_without_deposit_is_ready_at_once(agency, bakery, bakery_contact, agency_sales):
    order = accepted_order(agency, bakery, bakery_contact, requires_deposit=False)
    assert order.status == OrderStatus.READY
    assert not hasattr(order, "deposit")
    assert order.waiting_reason.why == (
        "commande validée, sans acompte : les travaux peuvent commencer"
    )
    with pytest.raises(Conflict, match="ne demande pas d'acompte"):
        payment_services.record_deposit_cashed(
            order=order, cashed_on=date(2026, 5, 6), by=agency_sales
        )
    order = services.start_work(order=order, by=agency_sales, now=paris(2026, 5, 7, 9))
    assert order.status == OrderStatus.IN_PROGRESS
    assert order.waiting_reason.why == "travaux en cours depuis le 07/05/2026"


def test_the_order_copies_what_the_client_accepted(agency, bakery, bakery_contact):
    order = accepted_order(agency, bakery, bakery_contact)
    quote = order.quote
    assert (order.seller, order.client, order.reference) == (agency, bakery, "D2026-000001")
    assert order.terms_version == quote.terms_version
    assert order.payment_terms == quote.payment_terms
    assert (order.total_ht, order.total_vat, order.total_ttc) == (
        WEBSITE_TOTAL_HT,
        Decimal("0.00"),
        WEBSITE_TOTAL_HT,
    )
    assert order.vat_mention == "TVA non applicable, art. 293 B du CGI"
    assert list(order.lines.values_list("description", "amount_ht")) == list(
        quote.lines.values_list("description", "amount_ht")
    )
    assert order.ordered_at == paris(2026, 5, 6, 9)


def test_an_order_is_made_once_and_only_from_an_accepted_quote(agency, bakery, bakery_contact):
    order = accepted_order(agency, bakery, bakery_contact)
    with pytest.raises(Conflict, match="déjà devenu une commande"):
        services.create_order_from_quote(quote=order.quote, accepted_at=paris(2026, 5, 6), by=None)
    with pytest.raises(Conflict, match="n'est pas accepté"):
        services.create_order_from_quote(
            quote=sent_quote(agency, bakery), accepted_at=paris(2026, 5, 6), by=None
        )


def test_cancelling_an_order_cancels_its_pending_deposit(
    agency, bakery, bakery_contact, agency_sales
):
    order = accepted_order(agency, bakery, bakery_contact)
    with pytest.raises(ValidationError):
        services.cancel_order(order=order, reason="", by=agency_sales)
    order = services.cancel_order(order=order, reason="Projet abandonné", by=agency_sales)
    order.deposit.refresh_from_db()
    assert (order.status, order.deposit.status) == (OrderStatus.CANCELLED, "cancelled")
    assert order.waiting_reason.why == "commande annulée"
    with pytest.raises(InvalidTransition):
        services.start_work(order=order, by=agency_sales)


def test_orders_are_read_within_their_seller_and_client(agency, bakery, bakery_contact):
    from django.http import Http404

    order = accepted_order(agency, bakery, bakery_contact)
    assert list(selectors.orders_for_seller(seller=agency)) == [order]
    assert list(selectors.orders_for_seller(seller=agency, status="ready")) == []
    assert selectors.order_for_client(client=bakery, order_id=order.pk) == order
    with pytest.raises(Http404):
        selectors.order_for_seller(seller=make_seller(), order_id=order.pk)
    with pytest.raises(Http404):
        selectors.order_for_client(client=make_client(agency), order_id=order.pk)
    assert selectors.waiting_reason(order=order).waiting
