"""The PaaS host's online order in the portal (seed 000, Clever Cloud CGV v1.1, art. 3-5 and
8): "Commander" lists the offers priced HT and TTC, the quantities become the recap, the
client corrects its declared data and its lines, then confirms (terms ticked, and for a
consumer the express start of L221-25); the order is validated automatically and awaits
payment, and once paid shows its execution deadline and why."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clausier.audit.models import Event
from clausier.orders import services as order_services
from clausier.orders.domain import EXPRESS_START
from clausier.orders.models import Order, OrderStatus
from clausier.terms import services as terms_services
from clausier.terms.models import Acceptance
from tests.factories import make_client, make_contact
from tests.factories.orders import paid
from tests.factories.quotes import install_agency, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def emilie_client(paas_consumer):
    """The PaaS host's consumer client of the folder's conftest."""
    return paas_consumer


@pytest.fixture
def emilie(emilie_client):
    return make_contact(emilie_client, name="Émilie Durand", email="emilie@example.test")


@pytest.fixture
def studio_client(paas):
    return make_client(
        paas,
        "company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
        billing_line1="3 quai de la Fosse",
        billing_postal_code="44000",
        billing_city="Nantes",
    )


@pytest.fixture
def studio(studio_client):
    return make_contact(studio_client, name="Léa Martin", role="Gérante")


def raw(response) -> str:
    """The page's HTML, spaces normalised."""
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode())))


def shown(response) -> str:
    """The page's text as read, without its tags."""
    inline = re.sub(r"</?(?:strong|em|a|span|code)\b[^>]*>", "", raw(response))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline))


FIRST = {"qty_instance-app": "720", "qty_addon-postgresql": "1"}  # HT 35,20; TTC 42,24


def order_new(client, data):
    return client.post(reverse("portal:order_new"), data)


def recap_of(client, data=FIRST) -> Order:
    response = order_new(client, data)
    assert response.status_code == 302, shown(response)
    order = Order.objects.filter(quote=None).latest("id")
    assert response["Location"] == reverse("portal:order", args=[order.pk])
    return order


def recap_token(client, order) -> str:
    page = client.get(reverse("portal:order", args=[order.pk])).content.decode()
    return re.search(r'name="recap" value="([0-9a-f]{64})"', page)[1]


def confirm(client, order, **data):
    data = {"recap": recap_token(client, order), "accept_terms": "on"} | data
    return client.post(
        reverse("portal:order_confirm", args=[order.pk]),
        {k: v for k, v in data.items() if v is not None},
        REMOTE_ADDR="203.0.113.30",
        HTTP_USER_AGENT="Mozilla/5.0 (Portail)",
    )


def edit(client, order, **data):
    return client.post(reverse("portal:order_edit", args=[order.pk]), data)


DECLARED_CONSUMER = {
    "name": "Émilie Durand",
    "email": "emilie.durand@example.test",
    "phone": "",
    "billing_line1": "12 rue des Olivettes",
    "billing_line2": "",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
    "billing_country": "FR",
}


def snapshot(order):
    order.refresh_from_db()
    return (
        {f.name: getattr(order, f.name) for f in Order._meta.concrete_fields},
        list(order.lines.values()),
        Event.objects.count(),
    )


# --- "Commander": the offers -------------------------------------------------------------


def test_commander_lists_the_offers_priced_ht_and_ttc_with_guarantees_and_options(client, emilie):
    client.force_login(emilie.user)

    response = client.get(reverse("portal:order_new"))
    html = shown(response)

    assert response.status_code == 200
    assert "Instance d'application (heure)" in html
    # Art. 3: "exprimés en euros HT et TTC"; 0,035 € × 1,20 = 0,042 € (four decimals kept).
    assert "0,035 € HT · 0,042 € TTC / heure d'instance" in html
    assert "10,00 € HT · 12,00 € TTC / mois" in html
    assert "Datacenters conformes APSAD R81 et R82" in html  # art. 9
    assert "Options disponibles : Sauvegardes quotidiennes" in html
    assert "0,035 € HT × (1 + 20 %) = 0,042 € TTC" in html  # the "Pourquoi ?" of a TTC price
    assert "order.flow" in html
    assert "art. 4" in html
    assert 'name="qty_instance-app"' in raw(response)


def test_my_orders_offer_to_order_when_the_terms_provide_for_it(client, emilie):
    client.force_login(emilie.user)
    html = raw(client.get(reverse("portal:orders")))
    assert reverse("portal:order_new") in html
    assert "Choisissez une offre de" in html


def test_a_seller_whose_terms_do_not_provide_for_online_orders_takes_none(client):
    agency = install_agency()
    camille = make_contact(make_client(agency, "company", name="Boulangerie Martin SARL"))
    client.force_login(camille.user)

    html = raw(client.get(reverse("portal:order_new")))
    assert "ne prend pas de commande en ligne" in html
    assert 'name="qty_' not in html
    assert reverse("portal:order_new") not in raw(client.get(reverse("portal:orders")))
    response = client.post(reverse("portal:order_new"), {"qty_site-vitrine": "1"})
    assert response.status_code == 409
    assert not Order.objects.exists()


# --- the recap (art. 4) -----------------------------------------------------------------


def test_the_quantities_ordered_become_the_recap_to_check(client, emilie, emilie_client):
    client.force_login(emilie.user)

    order = recap_of(client)

    assert (order.status, order.client, order.created_by) == (
        OrderStatus.DRAFT,
        emilie_client,
        emilie.user,
    )
    # In the order of the page (offers by name).
    assert [(line.product_code, line.quantity) for line in order.lines.all()] == [
        ("addon-postgresql", Decimal("1")),
        ("instance-app", Decimal("720")),
    ]
    assert order.total_ttc == Decimal("42.24")
    html = shown(client.get(reverse("portal:order", args=[order.pk])))
    assert f"Votre récapitulatif de commande {order.reference} est prêt" in html
    assert "Récapitulatif à vérifier" in html
    assert "corrigez-les si besoin, puis confirmez (art. 4 des CGV v1.1)" in html
    # Lines with their prices HT and TTC, totals HT / TVA / TTC.
    assert "720 heure d'instance 0,035 € 0,042 € 25,20 €" in html
    assert "1 mois 10,00 € 12,00 € 10,00 €" in html
    assert "Total HT 35,20 €" in html
    assert "TVA 7,04 €" in html
    assert "Total TTC 42,24 €" in html
    # The declared data: identity and billing address, as the client record has them.
    assert "Nom et prénom Émilie Durand" in html
    assert "12 rue des Olivettes" in html
    assert "J'ai lu et j'accepte les conditions générales de vente v1.1" in html
    assert EXPRESS_START.value in html  # a consumer may ask to start early
    assert "C. conso. L221-25, L221-28 1°" in html


def test_invalid_quantities_name_the_offer_and_the_rule_and_order_nothing(client, emilie):
    client.force_login(emilie.user)

    response = order_new(
        client, {"qty_instance-app": "beaucoup", "qty_stockage": "-3", "qty_addon-postgresql": "1"}
    )

    html = raw(response)
    assert response.status_code == 400
    assert (
        '<a href="#id_qty_instance-app">Instance d\'application (heure)</a> : '
        "Quantité invalide : 'beaucoup'" in html
    )
    assert (
        '<a href="#id_qty_stockage">Stockage (Go·mois)</a> : '
        "La quantité doit être strictement positive" in html
    )
    assert 'value="beaucoup"' in html  # nothing typed is lost
    assert not Order.objects.exists()
    # No number was taken by the refused order.
    assert recap_of(client).reference == f"C{timezone.localdate().year}-000001"


def test_an_order_without_any_quantity_says_what_is_missing(client, emilie):
    client.force_login(emilie.user)
    response = order_new(client, {"qty_instance-app": "", "qty_stockage": " "})
    assert response.status_code == 400
    assert "Une commande compte au moins une ligne" in shown(response)
    assert not Order.objects.exists()


def test_the_client_corrects_its_declared_data_and_lines_in_the_recap(
    client, studio, studio_client
):
    client.force_login(studio.user)
    order = recap_of(client)

    form = raw(client.get(reverse("portal:order_edit", args=[order.pk])))
    assert 'name="qty_instance-app" value="720"' in form
    assert 'name="vat_number" value="FR44732829320"' in form
    assert 'name="billing_line1" value="3 quai de la Fosse"' in form

    response = edit(
        client,
        order,
        name="Studio Graphique Loire",
        siren="732829320",
        vat_number="FR44732829320",
        email=studio_client.email,
        billing_line1="8 rue Kervégan",
        billing_postal_code="44000",
        billing_city="Nantes",
        billing_country="FR",
        **{"qty_instance-app": "1440", "qty_stockage": "100", "qty_addon-postgresql": "2"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.declared["name"] == "Studio Graphique Loire"
    assert order.declared["billing_line1"] == "8 rue Kervégan"
    # 1 440 h × 0,035 = 50,40; 100 Go·mois × 0,015 = 1,50; 2 × 10,00 = 20,00: HT 71,90 €,
    # TVA 14,38 €, TTC 86,28 €.
    assert (order.total_ht, order.total_vat, order.total_ttc) == (
        Decimal("71.90"),
        Decimal("14.38"),
        Decimal("86.28"),
    )
    studio_client.refresh_from_db()
    assert studio_client.billing_line1 == "3 quai de la Fosse"  # the order's, not the record's
    event = Event.objects.get(verb="order.recap_updated")
    assert event.actor == studio.user
    html = shown(client.get(response["Location"]))
    assert "Récapitulatif " + order.reference + " mis à jour : total 86,28 € TTC." in html
    assert "8 rue Kervégan" in html
    assert "Total TTC 86,28 €" in html


def test_clearing_a_quantity_removes_the_offer_from_the_recap(client, emilie):
    client.force_login(emilie.user)
    order = recap_of(client)
    response = edit(client, order, **DECLARED_CONSUMER, **{"qty_instance-app": "720"})
    assert response.status_code == 302
    assert [line.product_code for line in order.lines.all()] == ["instance-app"]


def test_invalid_corrections_name_each_field_and_change_nothing(client, studio, studio_client):
    client.force_login(studio.user)
    order = recap_of(client)
    before = snapshot(order)

    response = edit(
        client,
        order,
        name="",
        siren="732829320",
        vat_number="FR00732829320",
        email="pas-une-adresse",
        billing_line1="3 quai de la Fosse",
        billing_postal_code="44000",
        billing_city="Nantes",
        billing_country="FR",
        **{"qty_instance-app": "1440", "qty_stockage": "0"},
    )

    html = raw(response)
    assert response.status_code == 400
    assert '<a href="#id_name">Raison sociale ou nom</a> :' in html
    assert '<a href="#id_vat_number">Numéro de TVA intracommunautaire</a> :' in html
    assert '<a href="#id_email">E-mail de facturation</a> :' in html
    assert (
        '<a href="#id_qty_stockage">Stockage (Go·mois)</a> : '
        "La quantité doit être strictement positive" in html
    )
    assert 'value="pas-une-adresse"' in html
    assert 'value="1440"' in html
    assert snapshot(order) == before


# --- confirmation (art. 4) --------------------------------------------------------------


def test_confirming_validates_the_order_at_once_and_it_awaits_payment(
    client, emilie, emilie_client
):
    client.force_login(emilie.user)
    order = recap_of(client)

    response = confirm(client, order)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT  # art. 4: validated automatically
    assert order.confirmed_at == order.concluded_at
    assert (order.express_start, order.express_start_text) == (False, "")
    # Art. 11: confirming online is the client's acceptance of the terms, with its evidence.
    acceptance = Acceptance.objects.get(client=emilie_client)
    assert (acceptance.version.label, acceptance.method, acceptance.ip_address) == (
        "v1.1",
        "checkbox",
        "203.0.113.30",
    )
    assert acceptance.user_agent == "Mozilla/5.0 (Portail)"
    html = shown(client.get(response["Location"]))
    assert (
        f"Merci : votre commande {order.reference} est confirmée et validée. Elle attend votre "
        "paiement de 42,24 € TTC." in html
    )
    assert "Validée — en attente de paiement" in html
    assert "Clever Cloud l'a validée automatiquement dès sa confirmation (art. 4 des CGV v1.1)" in (
        html
    )
    assert "Paiement attendu : 42,24 € TTC, en ligne par carte bancaire ou PayPal (art. 5)" in html
    assert "Si le paiement est rejeté ou annulé, la commande est annulée." in html
    assert "le service démarre au plus tard 7 jours ouvrés après sa réception (art. 8)" in html
    assert "execution.deadline" in html  # its "Pourquoi ?"
    assert "Confirmer la commande" not in html
    assert "Modifier mes données" not in html


def test_the_terms_must_be_ticked_to_confirm(client, emilie):
    client.force_login(emilie.user)
    order = recap_of(client)
    before = snapshot(order)

    response = confirm(client, order, accept_terms=None)

    assert response.status_code == 400
    assert "Cochez la case pour accepter les conditions générales de vente." in shown(response)
    assert snapshot(order) == before


def test_a_consumer_asks_expressly_for_the_service_to_start_before_the_withdrawal_period_ends(
    client, emilie
):
    client.force_login(emilie.user)
    order = recap_of(client)

    assert confirm(client, order, express_start="on").status_code == 302

    order.refresh_from_db()
    assert order.express_start is True
    assert order.express_start_text == EXPRESS_START.value  # the very text shown and ticked
    html = shown(client.get(reverse("portal:order", args=[order.pk])))
    assert "vous avez demandé que l'exécution commence avant la fin du délai de rétractation" in (
        html
    )
    assert EXPRESS_START.value in html


def test_a_professional_has_no_withdrawal_period_to_waive(client, studio):
    client.force_login(studio.user)
    order = recap_of(client)
    html = raw(client.get(reverse("portal:order", args=[order.pk])))
    assert EXPRESS_START.value not in html
    assert 'name="express_start"' not in html

    assert confirm(client, order, express_start="on").status_code == 302
    order.refresh_from_db()
    assert (order.status, order.express_start) == (OrderStatus.AWAITING_PAYMENT, False)


def test_a_recap_that_changed_since_the_page_was_shown_is_not_confirmed(client, emilie):
    client.force_login(emilie.user)
    order = recap_of(client)
    token = recap_token(client, order)
    order_services.update_recap(
        order=order, lines=[{"product_code": "instance-app", "quantity": "1"}], by=None
    )

    response = client.post(
        reverse("portal:order_confirm", args=[order.pk]), {"recap": token, "accept_terms": "on"}
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert "Le récapitulatif a changé depuis l'affichage de la page" in shown(
        client.get(response["Location"])
    )


def test_a_recap_citing_replaced_terms_is_updated_before_it_is_confirmed(client, emilie, paas):
    client.force_login(emilie.user)
    order = recap_of(client)
    old = order.terms_version
    new = terms_services.create_draft(
        seller=paas,
        label="v1.2",
        effective_date=date(2026, 11, 1),
        text=old.text + "\nArticle 12 : nouveauté.\n",
        by=None,
    )
    for clause in old.clauses.order_by("position"):
        fields = {
            k: getattr(clause, k)
            for k in ("clause_id", "kind", "article", "title", "excerpt", "parameters", "position")
        }
        terms_services.add_clause(version=new, fields=fields, by=None)
    terms_services.publish_version(version=new, by=None)

    html = shown(client.get(reverse("portal:order", args=[order.pk])))
    assert "Ce récapitulatif cite les CGV v1.1, remplacées depuis par les CGV v1.2" in html
    response = confirm(client, order)
    assert response.status_code == 409
    assert "que Clever Cloud ne propose plus" in shown(response)

    response = client.post(reverse("portal:order_edit", args=[order.pk]), {"refresh": "1"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.terms_label == "v1.2"
    assert confirm(client, order).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_confirmed_order_is_no_longer_edited(client, emilie):
    client.force_login(emilie.user)
    order = recap_of(client)
    confirm(client, order)
    before = snapshot(order)

    assert client.get(reverse("portal:order_edit", args=[order.pk]))["Location"] == reverse(
        "portal:order", args=[order.pk]
    )
    response = edit(client, order, **DECLARED_CONSUMER, **{"qty_instance-app": "1"})
    assert response.status_code == 302
    assert "est confirmée : elle ne se modifie plus" in shown(client.get(response["Location"]))
    response = client.post(
        reverse("portal:order_confirm", args=[order.pk]), {"recap": "x" * 64, "accept_terms": "on"}
    )
    assert response.status_code == 409
    assert snapshot(order) == before


# --- after payment (art. 8) -------------------------------------------------------------


def test_a_paid_order_shows_its_execution_deadline_and_why(client, paas, emilie, emilie_client):
    # Received Friday 8 May 2026 (a holiday). Jours ouvrés after it: Mon 11, Tue 12, Wed 13,
    # (Thu 14 Ascension), Fri 15, Mon 18, Tue 19, Wed 20: at the latest Wednesday 20 May.
    order = paid(paas, emilie_client, received_at=paris(2026, 5, 8, 14, 30), reference="ch_portal")
    client.force_login(emilie.user)

    html = shown(client.get(reverse("portal:order", args=[order.pk])))

    assert "Payée — service à démarrer" in html
    assert "Paiement de 42,24 € reçu le 08/05/2026 14:30." in html
    assert "Démarrage du service au plus tard le 20/05/2026" in html
    assert (
        "Art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), soit au "
        "plus tard le 20/05/2026" in html
    )
    assert "jour férié sauté : 14/05/2026 Ascension" in html
    assert "execution.deadline" in html


# --- lists and scoping ------------------------------------------------------------------


def test_my_orders_list_the_recap_to_confirm_with_a_link_to_it(client, emilie):
    client.force_login(emilie.user)
    order = recap_of(client)
    html = raw(client.get(reverse("portal:orders")))
    assert f"Commande {order.reference}" in html
    assert "Récapitulatif à confirmer" in html
    assert reverse("portal:order", args=[order.pk]) in html
    assert "Vérifier et confirmer" in html
    assert f"Commande {order.reference}" in shown(client.get(reverse("portal:order_new")))


def test_my_orders_and_a_recap_take_as_many_queries_for_one_line_or_many(client, emilie):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(emilie.user)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    first = recap_of(client, {"qty_stockage": "1"})
    one = (queries(reverse("portal:orders")), queries(reverse("portal:order", args=[first.pk])))
    recap_of(client, {"qty_stockage": "2"})
    many = recap_of(client, {key: "3" for key in (*FIRST, "qty_stockage")})
    assert queries(reverse("portal:orders")) == one[0]
    assert queries(reverse("portal:order", args=[many.pk])) == one[1]


def test_an_order_page_reads_its_lines_once(client, emilie):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clausier.orders.models import OrderLine

    client.force_login(emilie.user)
    order = recap_of(client, {key: "3" for key in (*FIRST, "qty_stockage")})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("portal:order", args=[order.pk])).status_code == 200
    table = f'FROM "{OrderLine._meta.db_table}"'
    assert sum(table in q["sql"] for q in captured.captured_queries) == 1


def test_another_clients_order_is_not_found(client, paas, emilie, studio_client):
    neighbour_order = order_services.create_online_order(
        seller=paas,
        client=studio_client,
        lines=[{"product_code": "stockage", "quantity": "10"}],
        by=None,
        now=timezone.now() - timedelta(minutes=1),
    )
    client.force_login(emilie.user)
    for name in ("portal:order", "portal:order_edit"):
        assert client.get(reverse(name, args=[neighbour_order.pk])).status_code == 404
    response = client.post(
        reverse("portal:order_confirm", args=[neighbour_order.pk]), {"accept_terms": "on"}
    )
    assert response.status_code == 404
    neighbour_order.refresh_from_db()
    assert neighbour_order.status == OrderStatus.DRAFT


def test_the_demo_clients_of_the_paas_host_can_order_and_the_agencys_cannot(client):
    from django.contrib.auth import get_user_model

    from clausier.demo.loader import load_demo

    load_demo()
    users = get_user_model().objects
    client.force_login(users.get(username="cc-client-consumer"))
    order = recap_of(client, {"qty_stockage": "50"})
    assert confirm(client, order).status_code == 302
    order.refresh_from_db()
    assert (order.seller.slug, order.status) == ("clever-cloud", OrderStatus.AWAITING_PAYMENT)

    client.force_login(users.get(username="neo7-client-company"))
    assert "ne prend pas de commande en ligne" in shown(client.get(reverse("portal:order_new")))


def test_an_order_from_a_quote_opens_on_its_own_page_and_is_not_edited(client):
    from clausier.quotes import services as quote_services
    from tests.factories.quotes import sent_quote

    agency = install_agency()
    bakery = make_client(agency, "company", name="Boulangerie Martin SARL")
    camille = make_contact(bakery, name="Camille Martin", role="Gérante")
    quote = sent_quote(
        agency,
        bakery,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=30),
        requires_deposit=False,
    )
    order = quote_services.accept_quote_online(
        quote=quote,
        contact=camille,
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        consent=True,
        ip_address=None,
        user_agent="",
    ).order
    client.force_login(camille.user)

    html = shown(client.get(reverse("portal:order", args=[order.pk])))

    assert "Commande validée, sans acompte : les travaux peuvent commencer." in html
    assert f"Voir le devis {quote.display_number}" in html
    assert "1 forfait" in html  # the unit in words, not its code
    assert "Confirmer la commande" not in html
    response = client.get(reverse("portal:order_edit", args=[order.pk]))
    assert response["Location"] == reverse("portal:order", args=[order.pk])


def test_a_paid_order_words_its_execution_deadline_in_the_pages_language(
    client, paas, emilie, emilie_client
):
    order = paid(paas, emilie_client, received_at=paris(2026, 5, 8, 14, 30), reference="ch_en")
    client.force_login(emilie.user)
    with translation.override("en"):
        url = reverse("portal:order", args=[order.pk])
    assert url.startswith("/en/")

    html = shown(client.get(url))

    assert (
        "Art. 8 of the terms of sale v1.1: 7 working days after the receipt of the payment "
        "(05/08/2026), i.e. by 05/20/2026 at the latest" in html
    )
    assert "public holiday skipped: 05/14/2026 Ascension Day" in html
    assert "jours ouvrés" not in html
    # The order keeps the French sentence too, for the record and for older readers.
    assert order.execution_deadline_explanation["why"] == (
        "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), soit au "
        "plus tard le 20/05/2026"
    )


def test_an_order_paid_before_the_words_were_kept_still_shows_its_french_sentence(
    client, paas, emilie, emilie_client
):
    order = paid(paas, emilie_client, received_at=paris(2026, 5, 8, 14, 30), reference="ch_old")
    stored = dict(order.execution_deadline_explanation)
    del stored["why_words"]
    Order.objects.filter(pk=order.pk).update(execution_deadline_explanation=stored)
    client.force_login(emilie.user)
    with translation.override("en"):
        url = reverse("portal:order", args=[order.pk])

    html = shown(client.get(url))

    assert "Art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026)" in html
