"""The "Exécutions en retard" list (seed 000, art. 8: the service starts "au plus tard dans
les 7 jours ouvrés suivant la réception de ce paiement"): paid orders past that deadline
without activation, with the deadline's "pourquoi ?", counted on the board and the home."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.orders import services as order_services
from clausier.sellers.models import Role
from tests.factories import make_client, make_staff
from tests.factories.orders import awaiting_payment, paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


@pytest.fixture
def accountant(paas):
    return make_staff(paas, Role.ACCOUNTANT)


@pytest.fixture
def orders(paas):
    paas_consumer = make_client(paas, kind="consumer", name="Émilie Durand")
    paas_company = make_client(paas, kind="company", name="Studio Graphique Loire SARL")
    # Paid Fri 8 May 2026 (holiday): deadline Wed 20 May. Paid Wed 13 May: deadline Tue 26 May
    # (Ascension Thu 14 May and Whit Monday 25 May are not worked).
    late = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_1")
    later = paid(paas, paas_company, received_at=paris(2026, 5, 13, 9), reference="ch_2")
    started = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 16), reference="ch_3")
    order_services.activate_service(order=started, by=None, now=paris(2026, 5, 22, 9))
    # Paid an hour ago: its deadline is days ahead.
    recent = timezone.now() - timedelta(hours=1)
    on_time = paid(paas, paas_company, received_at=recent, reference="ch_4")
    unpaid = awaiting_payment(paas, paas_consumer)
    return {
        "late": late,
        "later": later,
        "started": started,
        "on_time": on_time,
        "unpaid": unpaid,
    }


def test_given_paid_orders_past_their_deadline_then_they_are_listed_oldest_first_with_why(
    client, paas, orders, accountant
):
    client.force_login(accountant)

    html = shown(client.get(url("orders_late", paas)))

    assert "2 commandes en retard" in html
    first, second = rows(html)
    late, later = orders["late"], orders["later"]
    assert late.reference in first
    assert "Émilie Durand" in first
    assert "08/05/2026 14:30" in first  # payment received, shown in Paris time
    assert "20/05/2026" in first
    days = (timezone.localdate() - date(2026, 5, 20)).days
    assert f"{days} jours" in first
    assert "42,24 €" in first
    # The deadline's "pourquoi ?": the sentence, the clause and its article, the arithmetic.
    assert (
        "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), soit "
        "au plus tard le 20/05/2026"
    ) in first
    assert re.search(r"<code>execution\.deadline</code>\s*\(art\. 8\)\s*· CGV v1\.1", first)
    assert "Pourquoi ?" in first
    assert "Ascension" in first  # the arithmetic names the holiday it skipped
    assert later.reference in second
    assert "Studio Graphique Loire SARL" in second
    assert "26/05/2026" in second
    assert f"{(timezone.localdate() - date(2026, 5, 26)).days} jours" in second
    for name in ("started", "on_time", "unpaid"):
        assert orders[name].reference not in html
    assert f'href="{url("order", paas, order_id=late.pk)}"' in html


def test_an_order_leaves_the_list_once_its_service_is_activated(client, paas, orders, accountant):
    order_services.activate_service(order=orders["late"], by=None)
    client.force_login(accountant)
    html = shown(client.get(url("orders_late", paas)))
    assert "1 commande en retard" in html
    assert orders["late"].reference not in html


def test_without_late_orders_the_list_says_all_is_well(client, paas, accountant):
    client.force_login(accountant)
    html = shown(client.get(url("orders_late", paas)))
    assert "Aucune exécution en retard" in html


def test_the_list_query_count_does_not_grow_with_orders(
    client, paas, accountant, django_assert_num_queries
):
    client.force_login(accountant)
    paas_company = make_client(paas, kind="company")
    paid(paas, paas_company, received_at=paris(2026, 5, 8, 14, 30), reference="ch_a")
    # session, user, staff scope, the late orders with their client
    with django_assert_num_queries(4):
        client.get(url("orders_late", paas))
    for n in range(4):
        paid(paas, make_client(paas), received_at=paris(2026, 5, 11, 9), reference=f"ch_b{n}")
    with django_assert_num_queries(4):
        client.get(url("orders_late", paas))


def test_the_board_and_the_home_link_to_the_list_with_its_count(client, paas, orders, accountant):
    client.force_login(accountant)
    board = client.get(url("orders", paas)).content.decode()
    late_link = f'href="{url("orders_late", paas)}"'
    assert late_link in board
    assert re.search(r'<span class="badge badge--late">2<span class="visually-hidden">', board)

    # On the board, the late cards say so; the order paid an hour ago does not.
    cards = {
        card.split('">', 1)[1].split("<", 1)[0]: card
        for card in board.split('<h3 class="order-card__title"><a href="')[1:]
    }
    late_badge = '<span class="badge badge--late">Exécution en retard</span>'
    assert late_badge in cards[orders["late"].reference]
    assert late_badge in cards[orders["later"].reference]
    assert late_badge not in cards[orders["on_time"].reference]

    home = shown(client.get(url("home", paas)))
    assert late_link in home
    assert re.search(r'<span class="stat__value">2</span></a>\s*exécutions en retard', home)


def test_the_count_badge_is_calm_when_nothing_is_late(client, paas, accountant):
    client.force_login(accountant)
    board = client.get(url("orders", paas)).content.decode()
    assert '<span class="badge">0<span class="visually-hidden">' in board
    assert "badge--late" not in board


def test_another_sellers_late_orders_are_not_listed(client, paas, orders, agency):
    client.force_login(make_staff(agency, Role.OWNER))
    html = shown(client.get(url("orders_late", agency)))
    assert orders["late"].reference not in html
    assert "Aucune exécution en retard" in html
    assert client.get(url("orders_late", paas)).status_code == 404
