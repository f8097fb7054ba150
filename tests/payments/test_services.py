"""Payments services: online outcomes (idempotent, never backwards), allocations (partial,
several invoices, never beyond a balance), client credit, cheques cashed, refunds owed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clausier.audit.models import Event
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice
from clausier.orders.models import OrderStatus
from clausier.payments import selectors, services
from clausier.payments.models import Payment, Refund
from tests.factories import make_client, make_issued_invoice
from tests.factories.orders import awaiting_payment
from tests.factories.payments import cheque, transfer
from tests.factories.quotes import paris

DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
RECEIVED = paris(2026, 5, 8, 14, 30)


def issued(shop, shopper, *, unit_price="500"):
    line = {
        "description": "Forfait",
        "quantity": "1",
        "unit": "flat",
        "unit_price": unit_price,
        "vat_rate": "0.20",
    }
    return make_issued_invoice(shop, shopper, now=DAY, lines=[line])


def report(order, outcome, *, reference="ch_1", reason="", at=RECEIVED):
    return services.record_online_payment(
        seller=order.seller,
        client=order.client,
        order=order,
        provider="stripe",
        reference=reference,
        outcome=outcome,
        amount=order.total_ttc,
        received_at=at,
        reason=reason,
        by=None,
        now=paris(2026, 5, 8, 15),
    )


# --- online --------------------------------------------------------------------------------------


def test_the_same_provider_success_reported_twice_is_one_payment_and_pays_the_order_once(
    paas, paas_consumer
):
    order = awaiting_payment(paas, paas_consumer)
    first = report(order, "succeeded")
    again = report(order, "succeeded")

    assert first.pk == again.pk
    assert Payment.objects.count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    # Seed 000 art. 4: the invoice issued on payment is paid by this payment.
    invoice = Invoice.objects.get(order=order)
    [allocation] = selectors.allocations_of_invoice(invoice=invoice)
    assert (allocation.payment_id, allocation.amount) == (first.pk, order.total_ttc)
    assert Event.objects.filter(verb="order.paid").count() == 1


def test_a_late_failure_after_success_changes_nothing_and_is_audited(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)
    report(order, "succeeded")
    payment = report(order, "failed", reason="carte refusée")

    assert payment.status == "succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    event = Event.objects.get(verb="payment.outcome_ignored")
    assert event.summary["after"] == {
        "status": "succeeded",
        "reported": "failed",
        "reason": "carte refusée",
    }


def test_a_failed_payment_cancels_the_order_citing_art_5_and_a_late_success_is_owed_back(
    paas, paas_consumer
):
    order = awaiting_payment(paas, paas_consumer)
    payment = report(order, "failed", reason="carte refusée")
    order.refresh_from_db()
    assert payment.status == "failed"
    assert order.status == OrderStatus.CANCELLED
    assert "art. 5 CGV v1.1" in order.cancellation_reason

    # The second attempt of the same payment succeeded after all: the money is recorded and,
    # the order being cancelled, owed back to the client.
    payment = report(order, "succeeded")
    assert payment.status == "succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    [refund] = Refund.objects.all()
    assert (refund.amount, refund.status, refund.payment_id) == (
        order.total_ttc,
        "owed",
        payment.pk,
    )


def test_an_online_report_names_every_missing_field(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)
    with pytest.raises(ValidationError) as refused:
        services.record_online_payment(
            seller=paas,
            client=paas_consumer,
            provider="",
            reference="",
            outcome="paid",
            amount="-1",
            received_at=datetime(2026, 5, 8, 14),
            order=order,
            by=None,
        )
    assert set(refused.value.message_dict) == {
        "provider",
        "reference",
        "outcome",
        "received_at",
        "amount",
    }
    assert not Payment.objects.exists()


# --- allocations ---------------------------------------------------------------------------------


def test_partial_payments_and_one_payment_for_two_invoices(shop, shopper):
    first, second = issued(shop, shopper), issued(shop, shopper, unit_price="100")
    assert (first.amount_due, second.amount_due) == (Decimal("600.00"), Decimal("120.00"))

    part = transfer(
        shop, shopper, amount="200.00", on=date(2026, 5, 21), invoices=[(first, "200.00")]
    )
    first.refresh_from_db()
    assert (first.amount_paid, first.paid_on) == (Decimal("200.00"), date(2026, 5, 21))

    both = transfer(
        shop,
        shopper,
        amount="520.00",
        on=date(2026, 5, 22),
        invoices=[(first, "400.00"), (second, "120.00")],
    )
    first.refresh_from_db()
    second.refresh_from_db()
    today = date(2026, 5, 22)
    assert first.payment_status(today=today) == second.payment_status(today=today) == "paid"
    assert selectors.unallocated(payment=part) == selectors.unallocated(payment=both) == 0


def test_an_allocation_never_passes_the_invoice_balance_nor_what_is_left_of_the_payment(
    shop, shopper
):
    invoice = issued(shop, shopper, unit_price="100")  # 120.00 TTC
    payment = transfer(shop, shopper, amount="150.00", on=date(2026, 5, 21))

    with pytest.raises(ValidationError) as refused:
        services.allocate(payment=payment, invoice=invoice, amount="130.00", by=None)
    assert "reste dû (120,00" in refused.value.message_dict["amount"][0]
    services.allocate(payment=payment, invoice=invoice, amount="120.00", by=None)
    other = issued(shop, shopper, unit_price="100")
    with pytest.raises(ValidationError) as refused:
        services.allocate(payment=payment, invoice=other, amount="40.00", by=None)
    assert "ce qui reste du paiement (30,00" in refused.value.message_dict["amount"][0]


def test_client_credit_pays_a_later_invoice(shop, shopper):
    transfer(shop, shopper, amount="200.00", on=date(2026, 5, 19))
    assert selectors.client_credit(client=shopper) == Decimal("200.00")
    invoice = issued(shop, shopper, unit_price="100")  # 120.00 TTC

    [allocation] = services.use_client_credit(invoice=invoice, by=None)

    assert allocation.amount == Decimal("120.00")
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("120.00")
    assert selectors.client_credit(client=shopper) == Decimal("80.00")


def test_a_cheque_pays_its_invoice_once_cashed(shop, shopper):
    invoice = issued(shop, shopper, unit_price="100")
    payment = cheque(
        shop, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(invoice, "120.00")]
    )
    invoice.refresh_from_db()
    assert (payment.status, invoice.amount_paid) == ("pending", Decimal("0.00"))

    services.mark_cheque_cashed(payment=payment, cashed_on=date(2026, 5, 25), by=None)

    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.paid_on) == (Decimal("120.00"), date(2026, 5, 25))


# --- refunds -------------------------------------------------------------------------------------


def test_a_credit_note_on_a_paid_invoice_owes_a_refund_until_it_is_settled(shop, shopper, client):
    invoice = issued(shop, shopper, unit_price="100")
    payment = transfer(
        shop, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(invoice, "120.00")]
    )
    note = invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)

    [refund] = Refund.objects.all()
    assert (refund.amount, refund.status, refund.credit_note, refund.invoice) == (
        Decimal("120.00"),
        "owed",
        note,
        invoice,
    )
    services.mark_refund_settled(refund=refund, settled_on=timezone.localdate(), by=None)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("120.00"))
    assert not selectors.refunds_owed(seller=shop).exists()


def test_a_refund_of_client_credit_never_passes_the_credit(shop, shopper):
    payment = transfer(shop, shopper, amount="50.00", on=date(2026, 5, 21))
    with pytest.raises(ValidationError) as refused:
        services.record_refund_owed(payment=payment, amount="60", reason="trop-perçu", by=None)
    assert "50,00" in refused.value.message_dict["amount"][0]
    services.record_refund_owed(payment=payment, amount="50", reason="trop-perçu", by=None)
    assert selectors.client_credit(client=shopper) == 0


# --- the agency's orders (seed 002) -----------------------------------------------------------


def test_the_deposit_cashed_lets_work_start_and_the_final_invoice_paid_is_final_acceptance(
    db, media
):
    from clausier.orders import services as order_services
    from tests.factories.invoicing import accepted_order, deposit_invoice_of, invoicing_agency

    agency = invoicing_agency()
    order = accepted_order(agency, make_client(agency, "company", siren="552081317"))
    cashed = services.record_deposit_cashed(
        order=order, cashed_on=date(2026, 5, 26), by=None, now=paris(2026, 5, 27, 9)
    )
    # Seed 002 art. 5: work starts once the deposit is cashed; the order says when and why.
    assert cashed.order.status == OrderStatus.READY
    assert "encaissé le 26/05/2026" in cashed.order.waiting_reason.why
    assert deposit_invoice_of(order).paid_on == date(2026, 5, 26)
    order_services.start_work(order=order, by=None, now=paris(2026, 5, 28, 9))
    final = invoicing_services.final_invoice(order=order, by=None, now=paris(2026, 6, 1, 11))

    services.record_invoice_payment(
        invoice=final,
        amount=final.amount_due,
        paid_on=date(2026, 6, 10),
        method="cheque",
        by=None,
        now=paris(2026, 6, 10, 16),
    )

    # Art. 4: paying the whole of the fees is the final acceptance, recorded with its date.
    order.refresh_from_db()
    assert order.accepted_on == date(2026, 6, 10)
    assert Event.objects.filter(verb="order.final_acceptance").count() == 1
