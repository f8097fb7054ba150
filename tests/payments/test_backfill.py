"""The payments of what was paid before the payments domain (migration payments/0002): an
invoice that carries ``amount_paid`` and ``paid_on`` and no payment gets one, allocated, so
that every balance read from allocations is what the invoice showed.

The "before" state is made the honest way: invoices paid through today's services, then their
payments, allocations and refunds removed, which leaves exactly what an invoice paid before
the domain carried (its amount paid and day, nothing else)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from clausier.audit.models import Event
from clausier.audit.sentences import sentence
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice
from clausier.payments import selectors
from clausier.payments.backfill import create_payments, method_of
from clausier.payments.models import Allocation, Payment, Refund
from tests.factories import make_issued_invoice
from tests.factories.orders import awaiting_payment
from tests.factories.payments import transfer
from tests.factories.quotes import paris

DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())


def issued(shop, shopper, *, unit_price="500"):
    line = {
        "description": "Forfait",
        "quantity": "1",
        "unit": "flat",
        "unit_price": unit_price,
        "vat_rate": "0.20",
    }
    return make_issued_invoice(shop, shopper, now=DAY, lines=[line])


def shown(invoice: Invoice) -> dict:
    """What an invoice shows of its payment: amount paid and day, balance, paid state."""
    invoice.refresh_from_db()
    paid, paid_on = selectors.paid_on_invoice(invoice=invoice)
    return {
        "amount_paid": invoice.amount_paid,
        "paid_on": invoice.paid_on,
        "from_allocations": (paid, paid_on),
        "balance": selectors.invoice_balance(invoice=invoice),
        "status": invoice.payment_status(today=date(2026, 6, 1)),
    }


def forget_payments() -> None:
    """Back to the days before the payments domain: no payment, allocation nor refund."""
    Refund.objects.all().delete()
    Allocation.objects.all().delete()
    Payment.objects.all().delete()


def test_the_method_is_a_transfer_unless_the_prepayment_says_online():
    assert method_of(prepayment={}) == "transfer"
    assert method_of(prepayment={"means": "paiement en ligne stripe ch_1"}) == "card"
    assert method_of(prepayment={"means": "paiement en ligne paypal 5O1"}) == "paypal"
    assert method_of(prepayment={"means": "paiement en ligne"}, provider="PayPal") == "paypal"


def test_invoices_paid_before_get_their_payment_and_show_the_same_balances(shop, shopper):
    whole = issued(shop, shopper, unit_price="100")
    part = issued(shop, shopper, unit_price="200")
    unpaid = issued(shop, shopper, unit_price="50")
    transfer(shop, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(whole, "120.00")])
    transfer(shop, shopper, amount="100.00", on=date(2026, 5, 23), invoices=[(part, "100.00")])
    before = {i.pk: shown(i) for i in (whole, part, unpaid)}
    forget_payments()
    assert selectors.invoice_balance(invoice=whole) == Decimal("120.00")  # what went wrong

    made = create_payments(current_apps)

    assert len(made) == 2
    assert {i.pk: shown(i) for i in (whole, part, unpaid)} == before
    payment = Payment.objects.get(allocations__invoice=part)
    assert (payment.method, payment.status, payment.amount, payment.received_on) == (
        "transfer",
        "succeeded",
        Decimal("100.00"),
        date(2026, 5, 23),
    )
    assert (payment.client, payment.seller, payment.settled_on) == (
        shopper,
        shop,
        date(2026, 5, 23),
    )
    assert selectors.client_credit(client=shopper) == 0
    # The journal says where the payment comes from, in words.
    event = Event.objects.get(verb="payment.migrated", object_id=str(payment.pk))
    assert sentence(event) == (
        f"Paiement n° {payment.pk} (100.00 €) repris du paiement enregistré sur la facture "
        f"{part.number} (payée le 23/05/2026)"
    )
    # Run again: nothing more.
    assert create_payments(current_apps) == []
    assert Payment.objects.count() == 2


def test_an_online_order_paid_before_is_a_card_payment_with_its_provider_reference(
    paas, paas_consumer
):
    from clausier.payments import services

    order = awaiting_payment(paas, paas_consumer)
    services.record_online_payment(
        seller=order.seller,
        client=order.client,
        order=order,
        provider="stripe",
        reference="ch_legacy",
        outcome="succeeded",
        amount=order.total_ttc,
        received_at=paris(2026, 5, 8, 14, 30),
        reason="",
        by=None,
        now=paris(2026, 5, 8, 15),
    )
    invoice = Invoice.objects.get(order=order)
    before = shown(invoice)
    forget_payments()

    create_payments(current_apps)

    assert shown(invoice) == before
    [payment] = Payment.objects.all()
    assert (payment.method, payment.provider, payment.provider_reference) == (
        "card",
        "stripe",
        "ch_legacy",
    )
    assert (payment.order, payment.received_on) == (order, date(2026, 5, 8))
    # The provider's late report of the same payment is that payment, not a second one.
    again = services.record_online_payment(
        seller=order.seller,
        client=order.client,
        order=order,
        provider="stripe",
        reference="ch_legacy",
        outcome="succeeded",
        amount=order.total_ttc,
        received_at=paris(2026, 5, 8, 14, 30),
        reason="",
        by=None,
        now=paris(2026, 5, 9, 15),
    )
    assert again.pk == payment.pk


def test_a_credit_note_on_an_invoice_paid_before_leaves_its_refund_owed(shop, shopper):
    invoice = issued(shop, shopper, unit_price="100")
    transfer(shop, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(invoice, "120.00")])
    note = invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)
    [owed] = Refund.objects.values_list("amount", "status", "credit_note", "invoice")
    before = shown(invoice)
    forget_payments()

    create_payments(current_apps)

    assert shown(invoice) == before
    [refund] = selectors.refunds_owed(seller=shop)
    assert (refund.amount, refund.status, refund.credit_note_id, refund.invoice_id) == owed
    assert refund.reason == f"Avoir {note.number} sur la facture {invoice.number} déjà payée"
    assert selectors.client_credit(client=shopper) == 0


def test_a_deposit_cashed_before_its_invoice_was_issued_is_paid_when_it_is(db, media):
    from clausier.invoicing.models import InvoiceKind
    from clausier.orders.models import DepositRequest
    from tests.factories import make_client
    from tests.factories.invoicing import accepted_order
    from tests.factories.quotes import install_agency

    # The agency's identity incomplete: its deposit invoice waits as a draft.
    agency = install_agency()
    order = accepted_order(agency, make_client(agency, "company", siren="552081317"))
    deposit = DepositRequest.objects.get(order=order)
    assert Invoice.objects.get(order=order, kind=InvoiceKind.DEPOSIT).status == "draft"
    # Before the domain: the deposit cashed, no payment.
    DepositRequest.objects.filter(pk=deposit.pk).update(cashed_on=date(2026, 5, 26))

    create_payments(current_apps)

    [payment] = Payment.objects.filter(order=order)
    assert (payment.amount, payment.received_on, payment.method) == (
        deposit.amount,
        date(2026, 5, 26),
        "transfer",
    )
    assert selectors.unallocated(payment=payment) == deposit.amount


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_back_and_forth(shop, shopper):
    invoice = issued(shop, shopper, unit_price="100")
    transfer(shop, shopper, amount="60.00", on=date(2026, 5, 21), invoices=[(invoice, "60.00")])
    before = shown(invoice)
    forget_payments()
    executor = MigrationExecutor(connection)
    executor.migrate([("payments", "0005_payment_checkout_invoice")])
    executor.loader.build_graph()

    executor.migrate([("payments", "0006_payments_before_the_domain")])

    assert shown(invoice) == before
    # The payments table as that migration left it (later ones add columns to it).
    state = executor.loader.project_state([("payments", "0006_payments_before_the_domain")])
    historical = state.apps.get_model("payments", "Payment")
    assert historical.objects.get().amount == Decimal("60.00")
    executor.loader.build_graph()
    executor.migrate([("payments", "0005_payment_checkout_invoice")])
    assert not historical.objects.exists()
    assert not Event.objects.filter(verb="payment.migrated").exists()
    assert shown(invoice) == before | {
        "from_allocations": (Decimal("0.00"), None),
        "balance": Decimal("120.00"),
    }
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
