"""A client suspended for non-payment (seed 002 art. 6: « surseoir à toute nouvelle
commande ») places no new online order and confirms no recap until the suspension is lifted;
the refusal cites the clause, in the services and in the portal."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.customers import services as customer_services
from clausier.kernel.errors import Conflict
from clausier.orders import services as order_services
from clausier.orders.models import Order, OrderStatus
from tests.factories import make_client, make_contact, make_seller
from tests.factories.orders import draft_online_order, publish_terms_with_online_orders

pytestmark = pytest.mark.django_db

REFUSAL = (
    "Commandes suspendues pour impayé (art. 6 CGV v1) : le client doit d'abord régler ses "
    "factures en retard."
)


def shown(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode())))


@pytest.fixture
def host(db):
    seller = make_seller("hebergeur")
    publish_terms_with_online_orders(seller)
    return seller


@pytest.fixture
def studio(host):
    return make_client(host, "company", name="Studio Loire SARL", siren="732829320")


def suspend(client):
    return customer_services.mark_suspended(
        client=client, since=timezone.now(), reason="art. 6 CGV v1", by=None
    )


def test_a_suspended_client_cannot_place_a_new_online_order(host, studio):
    studio = suspend(studio)
    with pytest.raises(Conflict) as refused:
        draft_online_order(host, studio)
    assert str(refused.value) == REFUSAL
    assert not Order.objects.filter(client=studio).exists()


def test_a_recap_made_before_the_suspension_cannot_be_confirmed(host, studio):
    recap = draft_online_order(host, studio)
    suspend(studio)
    with pytest.raises(Conflict, match=re.escape(REFUSAL)):
        order_services.confirm_order(order=recap, by=None)
    recap.refresh_from_db()
    assert recap.status == OrderStatus.DRAFT

    customer_services.mark_resumed(client=studio, reason="factures réglées", by=None)
    assert order_services.confirm_order(order=recap, by=None).status != OrderStatus.DRAFT


def test_the_portal_refuses_the_confirmation_with_the_clause_not_an_error(client, host, studio):
    contact = make_contact(studio, name="Léa Martin", role="Gérante")
    recap = draft_online_order(host, studio)
    suspend(studio)
    client.force_login(contact.user)
    page = client.get(reverse("portal:order", args=[recap.pk]))
    assert page.status_code == 200
    token = re.search(r'name="recap" value="([0-9a-f]{64})"', page.content.decode())
    response = client.post(
        reverse("portal:order_confirm", args=[recap.pk]),
        {"recap": token[1] if token else "", "accept_terms": "on"},
    )
    assert response.status_code in (400, 409)
    assert REFUSAL in shown(response)
    recap.refresh_from_db()
    assert recap.status == OrderStatus.DRAFT
