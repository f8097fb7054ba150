"""Staff actions on the order page: cancel with a reason, and for the PaaS host's online
orders (seed 000) what a host does before payment providers report by themselves: payment
received (art. 5, and the execution deadline of art. 8 that follows), payment failed (the
order is cancelled, art. 5), order validated, service activated (``service.activate``)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.orders import services as order_services
from clausier.orders.models import OrderStatus
from clausier.sellers.models import Role
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.factories import make_client, make_contact, make_staff
from tests.factories.orders import awaiting_payment, paid, recap
from tests.factories.quotes import paris
from tests.webhooks.receiver import Receiver, standard_webhooks_valid

pytestmark = pytest.mark.django_db


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def field_errors(response, field: str) -> list[str]:
    """The errors printed next to ``field`` (web/_field.html)."""
    html = unescape(response.content.decode())
    return re.findall(rf'<p class="field__error" id="id_{field}_error">([^<]*)</p>', html)


@pytest.fixture
def paas_consumer(paas):
    return make_client(paas, kind="consumer", name="Émilie Durand")


@pytest.fixture
def accounting(paas):
    return make_staff(paas, Role.ACCOUNTING)


@pytest.fixture
def sales(paas):
    return make_staff(paas, Role.SALES)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def payment_data(order, **changes) -> dict[str, str]:
    return {
        "amount": "42,24",  # FIRST_LINES: HT 35,20 € + TVA 20 % 7,04 €
        "received_at": "2026-05-08T14:30",  # a Friday, and a holiday (Victoire 1945)
        "provider": "card",
        "reference": "ch_3PqR",
    } | changes


# --- payment received ------------------------------------------------------------------------


def test_given_an_order_awaiting_payment_when_accounting_records_it_then_the_deadline_follows(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)

    response = client.post(url("order_payment", paas, order_id=order.pk), payment_data(order))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert timezone.localtime(order.paid_at) == paris(2026, 5, 8, 14, 30)
    assert (order.payment_provider, order.payment_reference) == ("card", "ch_3PqR")
    assert str(order.payment_amount) == "42.24"
    # Art. 8: 7 jours ouvrés from Fri 8 May (holiday): 11, 12, 13, 15, 18, 19, 20 May
    # (Ascension Thu 14 May is not worked).
    assert order.execution_deadline == date(2026, 5, 20)
    event = Event.objects.get(verb="order.paid", object_id=str(order.pk))
    assert event.actor == accounting
    assert event.summary["after"]["execution_deadline"] == "2026-05-20"

    page = shown(client.get(response["Location"]))
    assert "Paiement de la commande" in page
    assert "au plus tard le 20/05/2026" in page
    assert "Exécution au plus tard le" in page
    # 20 May has passed and the service has not started.
    assert "Exécution en retard : le service devait démarrer au plus tard le 20/05/2026." in page
    assert (
        "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), soit "
        "au plus tard le 20/05/2026"
    ) in page
    assert "<code>execution.deadline</code>" in page  # the "pourquoi ?" cites the clause
    assert "Carte bancaire" in page
    assert "ch_3PqR" in page


def test_a_payment_of_another_amount_is_refused_next_to_the_amount_and_kept(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)

    response = client.post(
        url("order_payment", paas, order_id=order.pk), payment_data(order, amount="40,00")
    )

    assert response.status_code == 400
    [error] = field_errors(response, "amount")
    assert "diffère du total TTC" in error
    assert "42,24" in error
    assert 'value="40,00"' in response.content.decode()  # nothing lost
    assert "Le formulaire contient une erreur" in shown(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not Event.objects.filter(verb="order.paid").exists()


def test_a_payment_received_in_the_future_is_refused_next_to_the_date(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)
    tomorrow = timezone.localtime() + timedelta(days=1)

    response = client.post(
        url("order_payment", paas, order_id=order.pk),
        payment_data(order, received_at=tomorrow.strftime("%Y-%m-%dT%H:%M")),
    )

    assert response.status_code == 400
    assert field_errors(response, "received_at") == [
        "un paiement ne peut pas être reçu dans le futur"
    ]
    order.refresh_from_db()
    assert order.paid_at is None


def test_the_payment_form_offers_the_methods_of_the_orders_terms(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)
    html = shown(client.get(url("order", paas, order_id=order.pk)))
    # Art. 5: "par Carte Bancaire ou via le service de paiement en ligne Paypal".
    assert '<option value="card">Carte bancaire</option>' in html
    assert '<option value="paypal">PayPal</option>' in html
    assert "Virement" not in html
    response = client.post(
        url("order_payment", paas, order_id=order.pk), payment_data(order, provider="cheque")
    )
    assert response.status_code == 400
    assert field_errors(response, "provider")


# --- payment failed --------------------------------------------------------------------------


def test_given_a_rejected_payment_then_the_order_is_cancelled_as_art_5_says(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)
    page = shown(client.get(url("order", paas, order_id=order.pk)))
    assert "art. 5 CGV v1.1 : si le paiement est rejeté ou annulé, la commande est annulée." in page

    response = client.post(
        url("order_payment_failure", paas, order_id=order.pk),
        {"reason": "carte refusée", "provider": "card", "reference": "ch_declined"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancellation_reason.startswith("paiement rejeté ou annulé (card ch_declined)")
    assert "art. 5 CGV v1.1" in order.cancellation_reason
    event = Event.objects.get(verb="order.payment_failed")
    assert (event.actor, event.summary["after"]["cancelled"]) == (accounting, True)
    page = shown(client.get(response["Location"]))
    assert "la commande " + order.reference + " est annulée" in page
    assert "Motif d'annulation" in page


def test_a_payment_failure_without_a_reason_is_refused_next_to_the_field(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)
    response = client.post(url("order_payment_failure", paas, order_id=order.pk), {"reason": ""})
    assert response.status_code == 400
    assert field_errors(response, "reason") == ["Indiquez pourquoi le paiement a échoué."]
    assert '<details class="order-failure" open>' in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_the_failure_of_another_payment_leaves_a_paid_order_alone_and_says_why(
    client, paas, paas_consumer, accounting
):
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_ok")
    client.force_login(accounting)
    response = client.post(
        url("order_payment_failure", paas, order_id=order.pk),
        {"reason": "chargeback", "provider": "card", "reference": "ch_other"},
    )
    assert response.status_code == 409
    assert "l'échec d'un autre paiement ne la change pas" in shown(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_late_failure_of_the_payment_that_paid_the_order_leaves_it_paid(
    client, paas, paas_consumer, accounting
):
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_ok")
    client.force_login(accounting)
    html = client.get(url("order", paas, order_id=order.pk)).content.decode()
    # The form names the payment received by the provider's hook, ready to be cancelled.
    assert '<option value="stripe" selected>stripe</option>' in html
    assert 'value="ch_ok"' in html

    response = client.post(
        url("order_payment_failure", paas, order_id=order.pk),
        {"reason": "paiement contesté", "provider": "stripe", "reference": "ch_ok"},
    )

    # A state never moves backwards: the payment received stays received, the order paid.
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert "un échec signalé après coup ne le change pas" in shown(client.get(response["Location"]))


# --- validation (terms that do not validate automatically) -----------------------------------


def staff_validated_terms(seller) -> None:
    """v1.2 of the host's terms: v1.1's clauses, but the seller validates each order."""
    current = terms_selectors.current_version(seller=seller)
    draft = terms_services.create_draft(
        seller=seller,
        label="v1.2",
        effective_date=timezone.localdate(),
        text=current.text + "\nLes commandes sont validées par Clever Cloud.\n",
        by=None,
    )
    for position, clause in enumerate(current.clauses.order_by("position", "id")):
        parameters = dict(clause.parameters)
        if clause.kind == "order.flow":
            parameters["auto_validate"] = False
        terms_services.add_clause(
            version=draft,
            fields={
                "clause_id": clause.clause_id,
                "kind": clause.kind,
                "article": clause.article,
                "title": clause.title,
                "excerpt": clause.excerpt,
                "parameters": parameters,
                "position": position,
            },
            by=None,
        )
    terms_services.publish_version(version=draft, by=None)


def test_staff_validate_a_confirmed_order_when_the_terms_do_not_do_it(
    client, paas, paas_consumer, sales
):
    staff_validated_terms(paas)
    order = order_services.confirm_order(
        order=recap(paas, paas_consumer, now=timezone.now()), by=None
    )
    assert order.status == OrderStatus.CONFIRMED
    client.force_login(sales)
    assert "Valider la commande" in shown(client.get(url("order", paas, order_id=order.pk)))

    response = client.post(url("order_validate", paas, order_id=order.pk))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.concluded_at is not None
    event = Event.objects.get(verb="order.validated")
    assert (event.actor, event.summary["after"]["automatic"]) == (sales, False)
    assert "elle attend le paiement du client" in shown(client.get(response["Location"]))


# --- activation ------------------------------------------------------------------------------


def test_given_a_paid_order_when_staff_activate_it_then_the_platform_gets_the_signed_webhook(
    client,
    paas,
    paas_consumer,
    accounting,
    receiver,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    endpoint = webhook_services.create_endpoint(
        seller=paas, url=receiver.url, events=["service.activate"], by=None
    )
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_act")
    client.force_login(accounting)
    assert "Activer le service" in shown(client.get(url("order", paas, order_id=order.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("order_activate", paas, order_id=order.pk))

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    event = Event.objects.get(verb="order.activated")
    assert event.actor == accounting
    assert event.summary["after"]["on_time"] is False  # 20 May has long passed
    [request] = receiver.requests
    assert standard_webhooks_valid(
        secret=endpoint.secret, headers=request.headers, body=request.body
    )
    body = json.loads(request.body)
    assert body["type"] == "service.activate"
    assert body["data"]["reference"] == order.reference
    delivery = WebhookDelivery.objects.get(subject=f"order:{order.pk}")
    assert delivery.status == DeliveryStatus.SUCCEEDED

    page = shown(client.get(response["Location"]))
    assert "le webhook service.activate part vers 1 destination" in page
    assert "Service activé le" in page
    assert "Webhooks envoyés" not in page  # the delivery log is the platform people's
    client.force_login(make_staff(paas, Role.ONCALL))
    page = shown(client.get(response["Location"]))
    assert "Webhooks envoyés" in page
    assert "Livré" in page
    assert "HTTP 200" in page


def test_activation_without_any_endpoint_warns_that_the_platform_was_not_told(
    client, paas, paas_consumer, accounting
):
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_alone")
    client.force_login(accounting)
    response = client.post(url("order_activate", paas, order_id=order.pk), follow=True)
    assert "aucune destination de webhooks ne reçoit service.activate" in shown(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE


def test_a_service_cannot_be_activated_before_the_payment_and_the_page_says_why(
    client, paas, paas_consumer, accounting
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(accounting)
    response = client.post(url("order_activate", paas, order_id=order.pk))
    assert response.status_code == 409
    assert "passage de « awaiting_payment » à « active » impossible" in shown(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert not Event.objects.filter(verb="order.activated").exists()


# --- cancel ----------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_next_to_the_field(client, paas, paas_consumer, sales):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(sales)
    response = client.post(url("order_cancel", paas, order_id=order.pk), {"reason": "  "})
    assert response.status_code == 400
    assert field_errors(response, "reason") == ["Indiquez le motif de l'annulation."]
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_given_a_reason_when_sales_cancel_then_the_order_is_cancelled_and_audited(
    client, paas, paas_consumer, sales
):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(sales)

    response = client.post(
        url("order_cancel", paas, order_id=order.pk),
        {"reason": "Le client a commandé deux fois la même instance."},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancellation_reason == "Le client a commandé deux fois la même instance."
    event = Event.objects.get(verb="order.cancelled")
    assert event.actor == sales
    assert event.summary == {
        "before": {"status": "awaiting_payment"},
        "after": {
            "status": "cancelled",
            "reason": "Le client a commandé deux fois la même instance.",
        },
    }
    page = shown(client.get(response["Location"]))
    assert f"Commande {order.reference} annulée." in page
    assert "Le client a commandé deux fois la même instance." in page
    assert "Annuler la commande" not in page  # nothing left to cancel


def test_cancelling_an_agency_order_cancels_its_deposit_request(client, media, agency):
    from tests.orders.test_backoffice import accepted_order

    bakery = make_client(agency, "company", name="Boulangerie Martin SARL")
    order = accepted_order(agency, bakery, make_contact(bakery))
    owner = make_staff(agency, Role.OWNER)
    client.force_login(owner)
    response = client.post(
        url("order_cancel", agency, order_id=order.pk), {"reason": "Projet abandonné"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.deposit.status) == (OrderStatus.CANCELLED, "cancelled")


def test_a_cancelled_order_cannot_be_cancelled_again_and_the_page_shows_the_services_message(
    client, paas, paas_consumer, sales
):
    order = awaiting_payment(paas, paas_consumer)
    order_services.cancel_order(order=order, reason="doublon", by=None)
    client.force_login(sales)

    response = client.post(url("order_cancel", paas, order_id=order.pk), {"reason": "encore"})

    assert response.status_code == 409
    html = shown(response)
    assert "passage de « cancelled » à « cancelled » impossible" in html
    assert "possibles : aucun" in html
    order.refresh_from_db()
    assert order.cancellation_reason == "doublon"


# --- who sees and does what ------------------------------------------------------------------


def test_each_role_sees_only_the_actions_it_may_take(
    client, paas, paas_consumer, accounting, sales
):
    order = awaiting_payment(paas, paas_consumer)

    client.force_login(accounting)  # sees the bank: records payments, does not cancel
    html = shown(client.get(url("order", paas, order_id=order.pk)))
    assert "Paiement reçu" in html
    assert "Annuler la commande" not in html
    response = client.post(url("order_cancel", paas, order_id=order.pk), {"reason": "x"})
    assert response.status_code == 403
    assert "annuler une commande" in shown(response)

    client.force_login(make_staff(paas, Role.ACCOUNTANT))  # reads only
    html = shown(client.get(url("order", paas, order_id=order.pk)))
    assert "Paiement reçu" not in html
    assert "Annuler la commande" not in html

    client.force_login(sales)
    assert "Annuler la commande" in shown(client.get(url("order", paas, order_id=order.pk)))
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_another_sellers_order_cannot_be_acted_on(client, paas, paas_consumer, agency):
    order = awaiting_payment(paas, paas_consumer)
    client.force_login(make_staff(agency, Role.OWNER))
    for name in ("order_cancel", "order_payment", "order_payment_failure", "order_activate"):
        assert client.post(url(name, agency, order_id=order.pk), {"reason": "x"}).status_code == (
            404
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
