"""Online orders through the API (seed 000, Clever Cloud CGV v1.1): the seller's token orders
for one of its clients, corrects the recap, confirms it; the order is validated at once and
awaits payment. Same rules as the portal, 4xx JSON bodies naming the field."""

from __future__ import annotations

import pytest
from django.utils import translation

from clausier.api.services import create_token
from clausier.audit.models import Event
from clausier.kernel.wording import worded_explanation
from clausier.orders.domain import EXPRESS_START
from clausier.orders.models import Order, OrderStatus
from clausier.terms.models import Acceptance
from tests.api_client import Api
from tests.factories import make_client
from tests.factories.orders import EDITED_LINES, FIRST_LINES, paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def paas_api(client, paas) -> Api:
    return Api(client, create_token(seller=paas, name="Boutique", by=None)[1])


def jsonable(lines):
    return [{"product_code": x["product_code"], "quantity": str(x["quantity"])} for x in lines]


def create(api, client, lines=FIRST_LINES, **extra):
    return api.post("/orders", {"client_id": client.pk, "lines": jsonable(lines)}, **extra)


def recap(api, client) -> dict:
    response = create(api, client)
    assert response.status_code == 201, response.content
    return response.json()


def snapshot(order_id):
    order = Order.objects.get(pk=order_id)
    return (
        {f.name: getattr(order, f.name) for f in Order._meta.concrete_fields},
        list(order.lines.values()),
        Event.objects.count(),
    )


# --- the recap ----------------------------------------------------------------------------


def test_the_seller_orders_for_its_client_and_gets_the_recap_priced_ht_and_ttc(
    paas_api, paas_consumer
):
    data = recap(paas_api, paas_consumer)

    assert data["status"] == "draft"
    assert data["reference"].startswith("C")
    assert data["reference"].endswith("-000001")
    assert (data["client_id"], data["quote_id"]) == (paas_consumer.pk, None)
    instance, addon = data["lines"]
    # 720 h × 0,035 € = 25,20 € HT; 0,035 € × 1,20 = 0,042 € TTC per hour (art. 3: HT and TTC).
    assert (instance["product_code"], instance["quantity"], instance["unit_label"]) == (
        "instance-app",
        "720.000",
        "heure d'instance",
    )
    assert (instance["unit_price"], instance["unit_price_ttc"], instance["amount_ht"]) == (
        "0.0350",
        "0.0420",
        "25.20",
    )
    assert instance["price_version_id"] is not None
    assert (addon["unit_price_ttc"], addon["amount_ht"]) == ("12.0000", "10.00")
    assert (data["total_ht"], data["total_vat"], data["total_ttc"]) == ("35.20", "7.04", "42.24")
    assert data["totals_explanation"]["rule"] == "document_totals"
    assert data["terms_label"] == "v1.1"
    online = data["online"]
    assert online["declared"]["name"] == "Émilie Durand"
    assert online["declared"]["billing_line1"] == "12 rue des Olivettes"
    assert online["clauses"] == {}  # frozen at confirmation
    assert data["waiting_reason"]["why"] == "récapitulatif de commande à confirmer par le client"
    event = Event.objects.get(verb="order.created", object_id=str(data["id"]))
    assert (event.actor, event.actor_label.split(" (")[0]) == (None, "Boutique")  # the token


def test_invalid_lines_are_422_naming_each_one_and_nothing_is_ordered(paas_api, paas_consumer):
    response = create(
        paas_api,
        paas_consumer,
        lines=[
            {"product_code": "instance-app", "quantity": "-3"},
            {"product_code": "serveur-dedie", "quantity": "1"},
            {"product_code": "stockage", "quantity": "0"},
        ],
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"lines[0].quantity", "lines[1].product_code", "lines[2].quantity"}
    assert errors["lines[0].quantity"] == "la quantité doit être strictement positive"
    assert "serveur-dedie" in errors["lines[1].product_code"]
    assert not Order.objects.exists()


def test_bodies_the_schema_refuses_are_422_naming_the_field(paas_api, paas_consumer):
    cases = [
        (
            {
                "client_id": paas_consumer.pk,
                "lines": [{"product_code": "stockage", "quantity": "x"}],
            },
            {"lines[0].quantity"},
        ),
        (
            {
                "client_id": paas_consumer.pk,
                "lines": [{"product_code": "stockage", "quantity": "1", "unit_price": "0"}],
            },
            {"lines[0].unit_price"},
        ),
        ({"client_id": paas_consumer.pk}, {"lines"}),
        ({"client_id": paas_consumer.pk, "lines": []}, {"lines"}),
    ]
    for body, fields in cases:
        response = paas_api.post("/orders", body)
        assert response.status_code == 422, body
        assert set(response.json()["errors"]) == fields, response.json()
    assert not Order.objects.exists()


def test_a_client_of_another_seller_is_unknown(other_api, paas_consumer):
    response = other_api.post(
        "/orders", {"client_id": paas_consumer.pk, "lines": jsonable(FIRST_LINES)}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"client_id": "unknown client"}
    assert not Order.objects.exists()


def test_terms_without_online_ordering_are_a_409(agency_api, agency):
    customer = make_client(agency, "company")
    response = agency_api.post(
        "/orders", {"client_id": customer.pk, "lines": [{"product_code": "x", "quantity": "1"}]}
    )
    assert response.status_code == 409
    assert "order.flow" in response.json()["detail"]
    assert not Order.objects.exists()


# --- corrections (art. 4) -----------------------------------------------------------------


def test_the_recap_is_corrected_lines_and_declared_data_together(paas_api, paas_company):
    order = recap(paas_api, paas_company)

    response = paas_api.patch(
        f"/orders/{order['id']}",
        {
            "lines": jsonable(EDITED_LINES),
            "declared": {"name": "Studio Graphique Loire", "billing_line1": "3 quai de la Fosse"},
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()
    # 1 440 h × 0,035 = 50,40; 100 Go·mois × 0,015 = 1,50; 2 × 10,00 = 20,00: HT 71,90 €.
    assert (data["total_ht"], data["total_vat"], data["total_ttc"]) == ("71.90", "14.38", "86.28")
    assert [line["product_code"] for line in data["lines"]] == [
        "instance-app",
        "stockage",
        "addon-postgresql",
    ]
    declared = data["online"]["declared"]
    assert (declared["name"], declared["billing_line1"]) == (
        "Studio Graphique Loire",
        "3 quai de la Fosse",
    )
    assert declared["vat_number"] == "FR44732829320"  # not sent: unchanged
    paas_company.refresh_from_db()
    assert paas_company.name == "Studio Graphique Loire SARL"  # the order's data, not the record's
    assert Event.objects.get(verb="order.recap_updated").summary["after"]["total_ttc"] == "86.28"


def test_invalid_corrections_are_422_naming_each_field_and_nothing_is_written(
    paas_api, paas_company
):
    order = recap(paas_api, paas_company)
    before = snapshot(order["id"])

    response = paas_api.patch(
        f"/orders/{order['id']}",
        {
            "lines": [{"product_code": "stockage", "quantity": "-1"}],
            "declared": {"vat_number": "FR00732829320", "email": "nope"},
        },
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {
        "lines[0].quantity",
        "declared.vat_number",
        "declared.email",
    }
    # The client's kind is not declared: it decides which law applies.
    response = paas_api.patch(f"/orders/{order['id']}", {"declared": {"kind": "consumer"}})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"declared.kind"}
    response = paas_api.patch(f"/orders/{order['id']}", {"declared": {"name": None}})
    assert set(response.json()["errors"]) == {"declared.name"}
    assert snapshot(order["id"]) == before


# --- confirmation (art. 4) ----------------------------------------------------------------


def test_confirming_validates_the_order_at_once_and_it_awaits_payment(paas_api, paas_consumer):
    order = recap(paas_api, paas_consumer)

    response = paas_api.post(f"/orders/{order['id']}/confirm", {"terms_accepted": True})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "awaiting_payment"
    online = data["online"]
    assert online["confirmed_at"] == online["concluded_at"]
    assert online["clauses"]["execution.deadline"]["parameters"] == {
        "n": 7,
        "unit": "jours_ouvres",
        "from": "payment_receipt",
    }
    assert data["payment_terms"]["parameters"]["methods"] == ["card", "paypal"]
    assert (online["express_start"], online["express_start_text"]) == (False, "")
    assert data["waiting_reason"] == {
        "status": "awaiting_payment",
        "waiting": True,
        "why": "en attente du paiement du client",
        "clause": "",
        "article": "",
        "terms": "v1.1",
        "inputs": {},
    }
    validated = Event.objects.get(verb="order.validated")
    assert validated.summary["after"]["automatic"] is True
    # The terms acceptance evidence is the client's own act, kept by the shop, not by us.
    assert not Acceptance.objects.filter(client=paas_consumer).exists()


@pytest.mark.parametrize("body", [{}, {"terms_accepted": False}])
def test_confirming_needs_the_terms_accepted(paas_api, paas_consumer, body):
    order = recap(paas_api, paas_consumer)
    response = paas_api.post(f"/orders/{order['id']}/confirm", body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"terms_accepted"}
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.DRAFT


def test_a_consumer_asks_expressly_to_start_before_the_withdrawal_period_ends(
    paas_api, paas_consumer
):
    order = recap(paas_api, paas_consumer)
    url = f"/orders/{order['id']}/confirm"

    response = paas_api.post(url, {"terms_accepted": True, "express_start": True})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"express_start_text"}

    response = paas_api.post(
        url,
        {"terms_accepted": True, "express_start": True, "express_start_text": EXPRESS_START.value},
    )
    assert response.status_code == 200, response.content
    online = response.json()["online"]
    assert online["express_start"] is True
    assert online["express_start_text"] == EXPRESS_START.value
    assert online["express_start_at"] == online["confirmed_at"]


def test_a_professional_has_no_withdrawal_period_to_waive(paas_api, paas_company):
    order = recap(paas_api, paas_company)
    response = paas_api.post(
        f"/orders/{order['id']}/confirm",
        {"terms_accepted": True, "express_start": True, "express_start_text": EXPRESS_START.value},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"express_start"}
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.DRAFT


def test_a_confirmed_order_is_frozen(paas_api, paas_consumer):
    order = recap(paas_api, paas_consumer)
    paas_api.post(f"/orders/{order['id']}/confirm", {"terms_accepted": True})
    before = snapshot(order["id"])

    response = paas_api.patch(f"/orders/{order['id']}", {"declared": {"name": "Autre"}})
    assert response.status_code == 409
    assert "la confirmation fige la commande (art. 4 des CGV)" in response.json()["detail"]
    response = paas_api.post(f"/orders/{order['id']}/confirm", {"terms_accepted": True})
    assert response.status_code == 409
    assert snapshot(order["id"]) == before


def test_another_sellers_token_never_reaches_the_order(paas_api, other_api, paas_consumer):
    order = recap(paas_api, paas_consumer)
    before = snapshot(order["id"])
    assert other_api.patch(f"/orders/{order['id']}", {}).status_code == 404
    response = other_api.post(f"/orders/{order['id']}/confirm", {"terms_accepted": True})
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert snapshot(order["id"]) == before


def test_a_retried_order_with_its_idempotency_key_is_made_once(paas_api, paas_consumer):
    first = create(paas_api, paas_consumer, key="panier-42")
    again = create(paas_api, paas_consumer, key="panier-42")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Order.objects.count() == 1
    other = create(paas_api, paas_consumer, lines=EDITED_LINES, key="panier-42")
    assert other.status_code == 409
    assert Order.objects.count() == 1


# --- after payment (art. 8) ---------------------------------------------------------------


def test_a_paid_order_gives_its_execution_deadline_with_the_arithmetic(
    paas_api, paas, paas_consumer
):
    # Received Friday 8 May 2026 (a holiday); 7 jours ouvrés later, Ascension (Thursday 14)
    # skipped: at the latest Wednesday 20 May.
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_api")

    data = paas_api.get(f"/orders/{order.pk}").json()

    online = data["online"]
    assert (online["paid_at"], online["payment_amount"]) == ("2026-05-08T12:30:00Z", "42.24")
    assert online["execution_deadline"] == "2026-05-20"
    assert online["execution_deadline_explanation"]["why"] == (
        "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), "
        "soit au plus tard le 20/05/2026"
    )
    assert data["waiting_reason"]["clause"] == "execution.deadline"


def test_the_execution_deadline_comes_with_its_words_to_word_again(paas_api, paas, paas_consumer):
    # The API answers in French; each sentence keeps its words (message and parameters), from
    # which a client, or clausier's pages, word it in another language.
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_en")

    data = paas_api.get(f"/orders/{order.pk}").json()

    explanation = data["online"]["execution_deadline_explanation"]
    with translation.override("en"):
        english = worded_explanation(explanation)
    assert english["why"] == (
        "art. 8 of the terms of sale v1.1: 7 working days after the receipt of the payment "
        "(05/08/2026), i.e. by 05/20/2026 at the latest"
    )
    assert "public holiday skipped: 05/14/2026 Ascension Day" in [
        step["label"] for step in english["steps"]
    ]
    assert explanation["why"].startswith("art. 8 CGV v1.1 : 7 jours ouvrés")
    assert (
        data["waiting_reason"]["why"]
        == "paiement reçu : service à activer, " + (explanation["why"])
    )
    labels = [step["label"] for step in data["totals_explanation"]["steps"]]
    assert "total TTC = HT + TVA = 42,24\u00a0€" in labels
    with translation.override("en"):
        english_totals = worded_explanation(data["totals_explanation"])
    assert "total incl. VAT = excl. VAT + VAT = €42.24" in [
        step["label"] for step in english_totals["steps"]
    ]


def test_an_order_from_a_quote_has_no_online_part(agency_api, agency):
    from tests.orders.test_api import accepted

    order = accepted(agency, make_client(agency, "company"), requires_deposit=False)
    data = agency_api.get(f"/orders/{order.pk}").json()
    assert data["online"] is None
    response = agency_api.patch(f"/orders/{order.pk}", {"declared": {"name": "X"}})
    assert response.status_code == 409
    assert "issue d'un devis" in response.json()["detail"]
