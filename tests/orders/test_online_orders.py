"""The PaaS host's online order (seed 000, Clever Cloud CGV v1.1): recap, corrections,
confirmation validated automatically (art. 4), payment or its failure (art. 5), execution
deadline (art. 8), activation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clausier.audit.models import Event
from clausier.catalog.models import PriceVersion
from clausier.kernel.errors import Conflict, DomainError, InvalidTransition
from clausier.kernel.wording import worded
from clausier.orders import domain, services
from clausier.orders.models import Order, OrderStatus
from clausier.payments import services as payment_services
from clausier.terms import services as terms_services
from clausier.terms.models import Acceptance, TermsVersion
from tests.factories import make_client, make_seller
from tests.factories.orders import (
    CONFIRMED_AT,
    EDITED_LINES,
    EDITED_TTC,
    FIRST_LINES,
    FIRST_TTC,
    ORDERED_AT,
    awaiting_payment,
    paid,
    recap,
)
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def order_events(order):
    return list(
        Event.objects.filter(object_id=str(order.pk), verb__startswith="order.")
        .order_by("id")
        .values_list("verb", flat=True)
    )


def snapshot(order):
    """Everything a refused write must leave as it was."""
    order.refresh_from_db()
    return (
        {f.name: getattr(order, f.name) for f in Order._meta.concrete_fields},
        list(order.lines.values()),
        Event.objects.count(),
    )


# --- the recap ----------------------------------------------------------------------------


def test_given_the_catalog_when_a_client_orders_then_the_recap_is_priced_from_it(
    paas, paas_consumer, consumer_login
):
    order = recap(paas, paas_consumer, by=consumer_login)

    assert (order.status, order.reference) == (OrderStatus.DRAFT, "C2026-000001")
    assert order.ordered_at == ORDERED_AT
    instance, addon = order.lines.order_by("position")
    version = PriceVersion.objects.get(product__seller=paas, product__code="instance-app")
    assert (
        instance.product_code,
        instance.description,
        instance.unit,
        instance.unit_label,
        instance.quantity,
        instance.unit_price,
        instance.unit_price_ttc,
        instance.vat_rate,
        instance.amount_ht,
        instance.price_version_id,
    ) == (
        "instance-app",
        "Instance d'application (heure)",
        "metered",
        "heure d'instance",
        Decimal("720"),
        Decimal("0.035"),  # 0,035 € HT × 1,20 = 0,042 € TTC (sub-cent price: 4 decimals)
        Decimal("0.042"),
        Decimal("0.20"),
        Decimal("25.20"),
        version.pk,
    )
    assert (addon.unit, addon.unit_price, addon.unit_price_ttc, addon.amount_ht) == (
        "month",
        Decimal("10.00"),
        Decimal("12.00"),
        Decimal("10.00"),
    )
    # 25,20 + 10,00 = 35,20 € HT; TVA 20 % = 7,04 €; TTC 42,24 € (art. 3: HT and TTC).
    assert (order.total_ht, order.total_vat, order.total_ttc) == (
        Decimal("35.20"),
        Decimal("7.04"),
        FIRST_TTC,
    )
    assert order.totals_explanation["rule"] == "document_totals"
    assert order.totals_explanation["value"]["by_rate"] == [
        {"rate": "0.20", "base": "35.20", "vat": "7.04"}
    ]
    assert order.declared == {
        "kind": "consumer",
        "name": "Émilie Durand",
        "siren": "",
        "vat_number": "",
        "email": "emilie.durand@example.test",
        "phone": "",
        "billing_line1": "12 rue des Olivettes",
        "billing_line2": "",
        "billing_postal_code": "44000",
        "billing_city": "Nantes",
        "billing_country": "FR",
    }
    terms = TermsVersion.objects.get(seller=paas, label="v1.1")
    assert (order.terms_version, order.terms_label, order.terms_sha256) == (
        terms,
        "v1.1",
        terms.text_sha256,
    )
    assert order.clauses == {}  # frozen at confirmation, not before
    assert order.waiting_reason.why == "récapitulatif de commande à confirmer par le client"
    event = Event.objects.get(verb="order.created", object_id=str(order.pk))
    assert event.actor == consumer_login
    assert event.summary["after"]["total_ttc"] == "42.24"
    assert event.summary["after"]["lines"][0]["price_version"] == str(version.pk)


def test_when_the_client_corrects_lines_and_declared_data_then_the_recap_is_repriced(
    paas, paas_company, paas_staff
):
    order = recap(paas, paas_company)

    order = services.update_recap(
        order=order,
        lines=EDITED_LINES,
        declared={
            "name": "Studio Graphique Loire",
            "billing_line1": "3 quai de la Fosse",
            "vat_number": "FR44732829320",
        },
        by=paas_staff,
        now=ORDERED_AT + timedelta(minutes=5),
    )

    assert [(line.product_code, line.amount_ht) for line in order.lines.order_by("position")] == [
        ("instance-app", Decimal("50.40")),
        ("stockage", Decimal("1.50")),
        ("addon-postgresql", Decimal("20.00")),
    ]
    assert (order.total_ht, order.total_vat, order.total_ttc) == (
        Decimal("71.90"),
        Decimal("14.38"),
        EDITED_TTC,
    )
    assert order.declared["name"] == "Studio Graphique Loire"
    assert order.declared["billing_line1"] == "3 quai de la Fosse"
    paas_company.refresh_from_db()
    assert paas_company.name == "Studio Graphique Loire SARL"  # the recap, not the client record
    event = Event.objects.get(verb="order.recap_updated")
    assert event.actor == paas_staff
    assert event.summary["before"]["declared"] == {
        "name": "Studio Graphique Loire SARL",
        "billing_line1": paas_company.billing_line1,
    }
    assert event.summary["after"]["declared"] == {
        "name": "Studio Graphique Loire",
        "billing_line1": "3 quai de la Fosse",
    }
    assert (event.summary["before"]["total_ttc"], event.summary["after"]["total_ttc"]) == (
        "42.24",
        "86.28",
    )


def test_a_recap_update_that_changes_nothing_writes_nothing(paas, paas_consumer):
    order = recap(paas, paas_consumer)
    services.update_recap(order=order, lines=FIRST_LINES, declared={}, by=None, now=ORDERED_AT)
    assert not Event.objects.filter(verb="order.recap_updated").exists()


def test_invalid_corrections_are_refused_naming_each_field_and_nothing_is_written(
    paas, paas_company
):
    order = recap(paas, paas_company)
    before = snapshot(order)

    with pytest.raises(ValidationError) as exc:
        services.update_recap(
            order=order,
            lines=[
                {"product_code": "instance-app", "quantity": 1.5},  # a float
                {"product_code": "serveur-dedie", "quantity": "1"},  # not in the catalog
                {"product_code": "stockage", "quantity": "-3"},
                {"product_code": "stockage", "quantity": "1", "unit_price": "0"},
            ],
            declared={"vat_number": "FR00732829320", "kind": "company", "email": "nope"},
            by=None,
        )

    assert set(exc.value.message_dict) == {
        "lines[0].quantity",
        "lines[1].product_code",
        "lines[2].quantity",
        "lines[3].unit_price",
        "declared.vat_number",
        "declared.kind",
        "declared.email",
    }
    assert "serveur-dedie" in exc.value.message_dict["lines[1].product_code"][0]
    assert snapshot(order) == before


def test_an_empty_order_or_another_sellers_client_is_refused_and_takes_no_number(
    paas, paas_consumer
):
    stranger = make_client(make_seller("agence-tierce"))
    with pytest.raises(ValidationError) as exc:
        recap(paas, stranger)
    assert "client" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        recap(paas, paas_consumer, lines=[])
    assert "lines" in exc.value.message_dict
    assert not Order.objects.exists()
    assert recap(paas, paas_consumer).reference == "C2026-000001"  # no number was consumed


def test_a_seller_without_online_ordering_in_its_terms_cannot_take_online_orders(agency):
    client = make_client(agency)
    with pytest.raises(DomainError, match=r"order\.flow"):
        recap(agency, client)


# --- confirmation (art. 4) ----------------------------------------------------------------


def test_confirming_validates_the_order_automatically_and_it_awaits_payment(
    paas, paas_consumer, consumer_login
):
    order = recap(paas, paas_consumer, by=consumer_login)

    order = services.confirm_order(
        order=order,
        by=consumer_login,
        now=CONFIRMED_AT,
        ip_address="203.0.113.9",
        user_agent="Firefox",
    )

    assert order.status == OrderStatus.AWAITING_PAYMENT  # no staff action (art. 4)
    assert order.confirmed_at == order.concluded_at == CONFIRMED_AT
    assert sorted(order.clauses) == [
        "execution.deadline",
        "order.flow",
        "payment.methods",
        "pricing",
        "vat.regime",
        "withdrawal.period",
        "withdrawal.refund",
    ]
    assert order.clauses["execution.deadline"] == {
        "clause": "execution.deadline",
        "kind": "execution.deadline",
        "article": "art. 8",
        "title": "Exécution au plus tard 7 jours ouvrés après réception du paiement",
        "excerpt": order.clauses["execution.deadline"]["excerpt"],
        "parameters": {"n": 7, "unit": "jours_ouvres", "from": "payment_receipt"},
        "terms": "v1.1",
    }
    assert order.payment_terms["parameters"] == {
        "methods": ["card", "paypal"],
        "on_failure": "cancel_order",
    }
    assert order.waiting_reason.why == "en attente du paiement du client"
    confirmed, validated = Event.objects.filter(verb__in=["order.confirmed", "order.validated"])[
        ::-1
    ]
    assert (confirmed.verb, confirmed.actor) == ("order.confirmed", consumer_login)
    assert (validated.verb, validated.actor, validated.actor_label) == (
        "order.validated",
        None,
        "système",
    )
    assert validated.summary["after"]["automatic"] is True
    # The note keeps its words: the journal says it in the reader's language.
    assert worded(validated.summary["note"]) == (
        "art. 4 CGV v1.1 : validation automatique de la commande confirmée"
    )
    with translation.override("en"):
        assert worded(validated.summary["note"]) == (
            "art. 4 of the terms of sale v1.1: order validated automatically once confirmed"
        )
    # Art. 11: confirming online is the client's express acceptance of the terms.
    acceptance = Acceptance.objects.get(client=paas_consumer)
    assert (acceptance.version.label, acceptance.method, acceptance.ip_address) == (
        "v1.1",
        "checkbox",
        "203.0.113.9",
    )


def test_a_confirmed_order_is_frozen(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)
    before = snapshot(order)

    with pytest.raises(services.OrderFrozen, match="ne peut plus être modifié"):
        services.update_recap(order=order, lines=EDITED_LINES, by=None)
    with pytest.raises(Conflict):
        services.update_recap(order=order, declared={"name": "Autre"}, by=None)
    with pytest.raises(InvalidTransition):
        services.confirm_order(order=order, by=None)

    assert snapshot(order) == before


def test_a_consumer_asking_to_start_before_the_withdrawal_period_ends_is_recorded(
    paas, paas_consumer, consumer_login
):
    order = recap(paas, paas_consumer, by=consumer_login)

    order = services.confirm_order(
        order=order,
        by=consumer_login,
        now=CONFIRMED_AT,
        express_start=True,
        express_start_text=domain.EXPRESS_START.value,
    )

    assert order.express_start is True
    assert order.express_start_text.startswith("Je demande expressément que l'exécution")
    assert order.express_start_at == CONFIRMED_AT
    event = Event.objects.get(verb="order.confirmed")
    assert event.summary["after"]["express_start"] is True
    assert event.summary["after"]["express_start_text"] == domain.EXPRESS_START.value
    assert event.summary["after"]["law"] == "C. conso. L221-25, L221-28 1°"


def test_without_express_start_nothing_is_waived(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)
    assert (order.express_start, order.express_start_text, order.express_start_at) == (
        False,
        "",
        None,
    )


def test_express_start_without_its_text_or_for_a_professional_is_refused(
    paas, paas_consumer, paas_company
):
    for client, field in ((paas_consumer, "express_start_text"), (paas_company, "express_start")):
        order = recap(paas, client)
        before = snapshot(order)
        with pytest.raises(ValidationError) as exc:
            services.confirm_order(order=order, by=None, express_start=True)
        assert field in exc.value.message_dict
        assert snapshot(order) == before


def test_a_recap_citing_superseded_terms_must_be_refreshed_before_confirming(paas, paas_consumer):
    order = recap(paas, paas_consumer)
    old = order.terms_version
    new = terms_services.create_draft(
        seller=paas,
        label="v1.2",
        effective_date=date(2026, 5, 1),
        text=old.text + "\nArticle 12 : nouveauté.\n",
        by=None,
    )
    for clause in old.clauses.order_by("position"):
        terms_services.add_clause(
            version=new,
            fields={
                "clause_id": clause.clause_id,
                "kind": clause.kind,
                "article": clause.article,
                "title": clause.title,
                "excerpt": clause.excerpt,
                "parameters": clause.parameters,
                "position": clause.position,
            },
            by=None,
        )
    terms_services.publish_version(version=new, by=None)
    before = snapshot(order)

    with pytest.raises(Conflict, match=r"CGV v1\.1"):
        services.confirm_order(order=order, by=None, now=CONFIRMED_AT)
    assert snapshot(order) == before

    order = services.update_recap(order=order, by=None)
    assert order.terms_label == "v1.2"
    assert services.confirm_order(order=order, by=None).status == OrderStatus.AWAITING_PAYMENT


# --- payment (art. 5) and execution deadline (art. 8) ---------------------------------------


def test_given_a_payment_received_on_a_holiday_then_the_deadline_is_7_jours_ouvres_later(
    paas, paas_consumer
):
    # Received Friday 8 May 2026 (Victoire 1945, a holiday: it is the start, it never
    # counts). Jours ouvrés after it: Mon 11 (1), Tue 12 (2), Wed 13 (3), Thu 14 is Ascension
    # (skipped), Fri 15 (4), Mon 18 (5), Tue 19 (6), Wed 20 (7): at the latest Wed 20 May.
    received = paris(2026, 5, 8, 14, 30)

    order = paid(paas, paas_consumer, received_at=received, reference="ch_3PaaS001")

    assert order.status == OrderStatus.PAID
    assert (order.paid_at, order.payment_provider, order.payment_reference) == (
        received,
        "stripe",
        "ch_3PaaS001",
    )
    assert order.payment_amount == FIRST_TTC
    assert order.execution_deadline == date(2026, 5, 20)
    explanation = order.execution_deadline_explanation
    assert explanation["value"] == "2026-05-20"
    assert (explanation["clause"], explanation["terms"], explanation["article"]) == (
        "execution.deadline",
        "v1.1",
        "art. 8",
    )
    assert explanation["inputs"] == {
        "start": "2026-05-08",
        "n": 7,
        "unit": "jours_ouvres",
        "region": None,
    }
    assert explanation["why"] == (
        "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), "
        "soit au plus tard le 20/05/2026"
    )
    assert ("jour férié sauté : 14/05/2026 Ascension", "2026-05-14") in [
        (step["label"], step["value"]) for step in explanation["steps"]
    ]
    reason = order.waiting_reason
    assert (reason.waiting, reason.clause, reason.article, reason.terms) == (
        False,
        "execution.deadline",
        "art. 8",
        "v1.1",
    )
    assert reason.why == f"paiement reçu : service à activer, {explanation['why']}"
    event = Event.objects.get(verb="order.paid")
    assert event.summary["after"]["execution_deadline"] == "2026-05-20"
    assert event.summary["after"]["amount"] == "42.24"


def test_a_deadline_crossing_ascension_and_whit_monday_skips_both(paas, paas_consumer):
    # Received Wednesday 13 May 2026. Thu 14 Ascension (skipped), Fri 15 (1), Mon 18 (2),
    # Tue 19 (3), Wed 20 (4), Thu 21 (5), Fri 22 (6), Mon 25 Whit Monday (skipped),
    # Tue 26 (7): at the latest Tuesday 26 May.
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 13, 9), reference="PAYID-1")

    assert order.execution_deadline == date(2026, 5, 26)
    skipped = [
        step["value"]
        for step in order.execution_deadline_explanation["steps"]
        if step["label"].startswith("jour férié sauté")
    ]
    assert skipped == ["2026-05-14", "2026-05-25"]


def test_a_payment_received_late_in_the_evening_counts_from_its_french_date(paas, paas_consumer):
    # 23:30 on Tuesday 12 May in Paris is 21:30 UTC the same day; 00:30 on Wednesday 13 May
    # in Paris is still Tuesday in UTC: the French date decides (13 May -> 26 May).
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 13, 0, 30), reference="late-1")
    assert order.execution_deadline == date(2026, 5, 26)


def test_recording_the_same_payment_twice_changes_nothing(paas, paas_consumer):
    received = paris(2026, 5, 8, 14, 30)
    order = paid(paas, paas_consumer, received_at=received, reference="ch_same")
    before = snapshot(order)

    again = payment_services.record_payment(
        order=order,
        received_at=received,
        provider="stripe",
        reference="ch_same",
        amount="42.24",
        by=None,
        now=received + timedelta(hours=1),
    ).order

    assert again.status == OrderStatus.PAID
    assert snapshot(order) == before
    with pytest.raises(Conflict, match="ch_same"):
        payment_services.record_payment(
            order=order,
            received_at=received,
            provider="stripe",
            reference="ch_same",
            amount="42.25",
            by=None,
            now=received + timedelta(hours=1),
        )
    with pytest.raises(InvalidTransition):
        payment_services.record_payment(
            order=order,
            received_at=received,
            provider="stripe",
            reference="ch_other",
            amount="42.24",
            by=None,
            now=received + timedelta(hours=1),
        )
    assert snapshot(order) == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (
            "42.23",
            "le montant reçu (42,23\u00a0€) diffère du total TTC de la commande (42,24\u00a0€)",
        ),
        (
            "35.20",
            "le montant reçu (35,20\u00a0€) diffère du total TTC de la commande (42,24\u00a0€)",
        ),
        (42.24, "un nombre décimal exact est attendu"),
    ],
)
def test_a_wrong_amount_is_refused_naming_amount_and_nothing_is_written(
    paas, paas_consumer, amount, message
):
    order = awaiting_payment(paas, paas_consumer)
    before = snapshot(order)

    with pytest.raises(ValidationError) as exc:
        payment_services.record_payment(
            order=order,
            received_at=paris(2026, 5, 8, 14),
            provider="stripe",
            reference="ch_wrong",
            amount=amount,
            by=None,
            now=paris(2026, 5, 8, 15),
        )

    assert list(exc.value.message_dict) == ["amount"]
    assert message in exc.value.message_dict["amount"][0]
    assert snapshot(order) == before


def test_a_payment_needs_its_provider_reference_and_a_past_aware_date(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)
    with pytest.raises(ValidationError) as exc:
        payment_services.record_payment(
            order=order,
            received_at=paris(2026, 5, 9, 12),
            provider=" ",
            reference="",
            amount=FIRST_TTC,
            by=None,
            now=paris(2026, 5, 8, 12),
        )
    assert set(exc.value.message_dict) == {"provider", "reference", "received_at"}


def test_a_draft_cannot_be_paid_nor_an_unpaid_order_activated(paas, paas_consumer):
    order = recap(paas, paas_consumer)
    with pytest.raises(InvalidTransition):
        payment_services.record_payment(
            order=order,
            received_at=paris(2026, 5, 4, 11),
            provider="stripe",
            reference="ch_draft",
            amount=FIRST_TTC,
            by=None,
            now=paris(2026, 5, 4, 12),
        )
    order = services.confirm_order(order=order, by=None, now=CONFIRMED_AT)
    with pytest.raises(InvalidTransition):
        services.activate_service(order=order, by=None)


def test_a_rejected_payment_cancels_the_order_citing_art_5(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)

    order = payment_services.record_payment_failure(
        order=order,
        reason="carte refusée par la banque",
        provider="stripe",
        reference="ch_declined",
        by=None,
        now=paris(2026, 5, 4, 10, 15),
    ).order

    assert order.status == OrderStatus.CANCELLED
    assert order.closed_at == order.payment_failed_at == paris(2026, 5, 4, 10, 15)
    assert order.cancellation_reason == (
        "paiement rejeté ou annulé (stripe ch_declined) : carte refusée par la banque. "
        "art. 5 CGV v1.1 : la commande est annulée."
    )
    event = Event.objects.get(verb="order.payment_failed")
    assert event.summary["after"] == {
        "status": "cancelled",
        "reason": "carte refusée par la banque",
        "provider": "stripe",
        "reference": "ch_declined",
        "cancelled": True,
        "clause": "payment.methods",
    }
    assert order.waiting_reason.why == "commande annulée"

    # The provider calls again: nothing changes.
    before = snapshot(order)
    payment_services.record_payment_failure(
        order=order,
        reason="carte refusée par la banque",
        provider="stripe",
        reference="ch_declined",
        by=None,
    )
    assert snapshot(order) == before
    # A payment arriving for the cancelled order is refused: it is to be refunded.
    with pytest.raises(Conflict, match="à rembourser"):
        payment_services.record_payment(
            order=order,
            received_at=paris(2026, 5, 4, 11),
            provider="paypal",
            reference="PAYID-late",
            amount=FIRST_TTC,
            by=None,
            now=paris(2026, 5, 4, 12),
        )
    assert snapshot(order) == before


def test_a_late_failure_of_the_payment_that_paid_changes_nothing_and_is_audited(
    paas, paas_consumer
):
    # A state never moves backwards: the provider's "failed" reported after its "succeeded"
    # is recorded as ignored; the order stays paid (a refund goes through payments).
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14), reference="PAYID-9")
    with pytest.raises(Conflict, match="l'échec d'un autre paiement"):
        payment_services.record_payment_failure(
            order=order, reason="autre", provider="paypal", reference="PAYID-0", by=None
        )
    payment = payment_services.record_payment_failure(
        order=order,
        reason="paiement annulé par PayPal",
        provider="stripe",
        reference="PAYID-9",
        by=None,
        now=paris(2026, 5, 9, 10),
    )
    assert payment.status == "succeeded"
    assert payment.order.status == OrderStatus.PAID
    ignored = Event.objects.get(verb="payment.outcome_ignored")
    assert ignored.summary["after"]["reported"] == "failed"


def test_a_payment_failure_needs_a_reason_and_an_order_waiting_for_payment(paas, paas_consumer):
    order = recap(paas, paas_consumer)
    with pytest.raises(ValidationError) as exc:
        payment_services.record_payment_failure(order=order, reason=" ", by=None)
    assert "reason" in exc.value.message_dict
    with pytest.raises(Conflict, match="aucun paiement n'est attendu"):
        payment_services.record_payment_failure(order=order, reason="refusé", by=None)
    assert order_events(order) == ["order.created"]


def test_the_existing_cancellation_still_applies_to_an_online_recap(paas, paas_consumer):
    order = recap(paas, paas_consumer)
    order = services.cancel_order(order=order, reason="doublon", by=None, now=ORDERED_AT)
    assert order.status == OrderStatus.CANCELLED


def test_every_write_of_the_online_flow_is_audited(paas, paas_consumer, consumer_login):
    order = recap(paas, paas_consumer, by=consumer_login)
    services.update_recap(order=order, lines=EDITED_LINES, by=consumer_login)
    services.confirm_order(
        order=order,
        by=consumer_login,
        now=CONFIRMED_AT,
        express_start=True,
        express_start_text=domain.EXPRESS_START.value,
    )
    payment_services.record_payment(
        order=order,
        received_at=paris(2026, 5, 8, 14),
        provider="stripe",
        reference="ch_audit",
        amount=EDITED_TTC,
        by=None,
        now=paris(2026, 5, 8, 15),
    )
    services.activate_service(order=order, by=None, now=paris(2026, 5, 11, 9))

    assert order_events(order) == [
        "order.created",
        "order.recap_updated",
        "order.confirmed",
        "order.validated",
        "order.paid",
        "order.activated",
    ]
    assert Event.objects.filter(verb="terms.accepted", object_id=str(paas_consumer.pk)).count() == 1
