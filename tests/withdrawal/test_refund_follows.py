"""A consumer's withdrawal credits the order's invoice and the refund follows from it: the
credit note for what the consumer does not owe (C. conso. L221-24), the L221-25 amount kept
invoiced, the refund owed by the same means of payment for what the payments now cover
beyond what is due, the order ``withdrawn``; the withdrawal's refund clock read from
payments' refunds. Through the real services and reactions.

The PaaS host's order: 720 h of instance (0,035 €) + a month of PostgreSQL (10,00 €) =
35,20 € HT, 7,04 € VAT at 20 %, 42,24 € TTC, paid by card one hour after its conclusion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.orders import services as order_services
from clausier.orders.models import Order
from clausier.payments import services as payment_services
from clausier.payments.models import Refund
from clausier.sellers.models import Seller
from clausier.withdrawal import selectors
from clausier.withdrawal import transitions as t
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered

pytestmark = pytest.mark.django_db

CONCLUDED = paris(2026, 5, 4, 10, 10)  # Monday
NOW = paris(2026, 6, 30, 12, 0)


def _read(withdrawal):
    return selectors.withdrawal_for_seller(seller=withdrawal.seller, withdrawal_id=withdrawal.pk)


def _invoice(order: Order) -> Invoice:
    return Invoice.objects.get(order=order, kind=InvoiceKind.STANDARD)


def test_in_time_paid_by_card_one_credit_note_of_the_whole_and_one_card_refund(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    invoice = _invoice(order)

    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    [note] = Invoice.objects.filter(corrects=invoice)
    assert (note.kind, note.status) == (InvoiceKind.CREDIT_NOTE, InvoiceStatus.ISSUED)
    document = note.document
    assert (document.total_ht, document.total_vat, document.total_ttc) == (
        Decimal("35.20"),
        Decimal("7.04"),
        Decimal("42.24"),
    )
    [group] = document.vat_breakdown
    assert (group.rate, group.base_ht, group.vat_amount) == (
        Decimal("20.00"),
        Decimal("35.20"),
        Decimal("7.04"),
    )
    assert f"Rétractation du 11/05/2026 sur la commande {order.reference}" in note.reason
    assert "L221-24, L221-25" in note.reason
    [refund] = Refund.objects.filter(payment__order=order)
    assert (refund.amount, refund.method, refund.status) == (Decimal("42.24"), "card", "owed")
    assert (refund.invoice_id, refund.credit_note_id) == (invoice.pk, note.pk)
    assert refund.reason == (
        f"Rétractation (C. conso. L221-24) : Avoir {note.number} sur la facture "
        f"{invoice.number} déjà payée"
    )
    assert Event.objects.get(verb="refund.owed").summary["trigger"] == "withdrawal_accepted"
    order.refresh_from_db()
    assert (order.status, order.withdrawn_on) == ("withdrawn", date(2026, 5, 11))
    assert Event.objects.filter(verb="order.withdrawn", object_id=str(order.pk)).exists()
    assert _read(withdrawal).refund_status == t.OWED


def test_after_an_early_start_the_credit_note_keeps_the_l221_25_amount(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )
    invoice = _invoice(order)

    # 42,24 € × 7 / 31 = 9,54 € owed (L221-25): 42,24 - 9,54 = 32,70 € credited and refunded.
    withdrawal = registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=NOW)

    assert withdrawal.amount_owed == Decimal("9.54")
    [note] = Invoice.objects.filter(corrects=invoice)
    document = note.document
    # 32,70 TTC at 20 %: 27,25 HT + 5,45 VAT.
    assert (document.total_ht, document.total_vat, document.total_ttc) == (
        Decimal("27.25"),
        Decimal("5.45"),
        Decimal("32.70"),
    )
    assert "9,54" in document.lines[0].description
    assert "L221-25" in document.lines[0].description
    [refund] = Refund.objects.filter(payment__order=order)
    assert (refund.amount, refund.method, refund.credit_note_id) == (
        Decimal("32.70"),
        "card",
        note.pk,
    )
    invoice.refresh_from_db()
    assert invoice.total_ttc - invoice.credited_amount == Decimal("9.54")
    order.refresh_from_db()
    assert order.status == "withdrawn"


def test_not_yet_paid_the_invoice_is_credited_and_nothing_is_refunded(
    paas, paas_consumer, paas_staff
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED, paid=False)
    assert order.status == "awaiting_payment"
    draft = invoicing_services.create_draft(
        seller=paas,
        client=paas_consumer,
        order=order,
        lines=[
            {
                "description": "Hébergement",
                "quantity": "1",
                "unit": "flat",
                "unit_price": "35.20",
                "vat_rate": "0.20",
            }
        ],
        by=paas_staff,
        now=paris(2026, 5, 4, 11, 0),
    )
    invoice = invoicing_services.issue_invoice(
        invoice=draft, by=paas_staff, now=paris(2026, 5, 4, 11, 0)
    )

    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    [note] = Invoice.objects.filter(corrects=invoice)
    assert note.document.total_ttc == Decimal("42.24")
    assert not Refund.objects.exists()
    assert (withdrawal.received_total, withdrawal.refund_amount) == (Decimal("0"), Decimal("0"))
    assert _read(withdrawal).refund_status == t.NONE
    order.refresh_from_db()
    assert order.status == "withdrawn"


def test_a_payment_not_allocated_to_an_invoice_is_refunded_all_but_the_amount_owed(
    paas, paas_consumer, paas_staff
):
    # The seller's VAT number missing, the paid order's invoice waits as a draft: the card
    # payment stays on the order, allocated to no invoice.
    Seller.objects.filter(pk=paas.pk).update(vat_number="")
    order = concluded_order(
        paas,
        paas_consumer,
        concluded_at=CONCLUDED,
        express_start=True,
        started_at=paris(2026, 5, 5, 9, 0),
    )
    assert _invoice(order).status == InvoiceStatus.DRAFT

    registered(order, received_on=date(2026, 5, 12), by=paas_staff, now=NOW)

    # No invoice issued, nothing to credit: the payment's 42,24 € are refunded but the
    # 9,54 € owed for the service provided (L221-25), by card.
    [refund] = Refund.objects.filter(payment__order=order)
    assert (refund.amount, refund.method, refund.invoice_id) == (Decimal("32.70"), "card", None)
    assert refund.reason == f"Rétractation de la commande {order.reference} (C. conso. L221-24)"
    event = Event.objects.get(verb="refund.owed", object_id=str(refund.pk))
    assert event.summary["trigger"] == "withdrawal_accepted"


def test_a_payment_with_a_refund_already_owed_is_withdrawn_from_without_conflict(
    paas, paas_consumer, paas_staff
):
    # A credit note of 10,00 € TTC on the paid invoice owes 10,00 € back (not yet settled):
    # the withdrawal counts the payment's 42,24 € less that refund, as payments does.
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    invoice = _invoice(order)
    invoicing_services.issue_credit_note(
        invoice=invoice,
        reason="Geste commercial",
        lines=[
            {
                "description": "Remise",
                "quantity": "1",
                "unit": "flat",
                "unit_price": "8.3333",
                "vat_rate": "0.20",
            }
        ],
        by=paas_staff,
        now=paris(2026, 5, 6, 9, 0),
    )
    [first] = Refund.objects.filter(payment__order=order)

    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    assert withdrawal.received_total == Decimal("42.24") - first.amount
    assert withdrawal.refund_amount == withdrawal.received_total
    refunds = Refund.objects.filter(payment__order=order).order_by("id")
    assert sum((r.amount for r in refunds), Decimal("0")) == Decimal("42.24")
    # The withdrawal's refunds are those its acceptance caused.
    assert list(selectors.refunds_of_withdrawal(withdrawal=withdrawal)) == list(refunds)[1:]


def test_a_refund_marked_sent_in_payments_stops_the_withdrawals_clock(
    paas, paas_consumer, paas_staff
):
    from clausier.withdrawal import presenters

    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)
    # Due Tue 26/05/2026: on Fri 29/05 it is 3 days late.
    late_day = date(2026, 5, 29)
    assert presenters.clocks(_read(withdrawal), today=late_day).days_late == 3
    assert list(selectors.overdue_refunds(seller=paas, today=late_day)) == [withdrawal]

    [refund] = Refund.objects.filter(payment__order=order)
    payment_services.mark_refund_sent(
        refund=refund, sent_on=late_day, reference="re_123", by=paas_staff, now=NOW
    )

    read = _read(withdrawal)
    assert (read.refund_status, read.refund_sent_on) == (t.SENT, late_day)
    assert not presenters.clocks(read, today=date(2026, 6, 1)).overdue
    assert not selectors.overdue_refunds(seller=paas, today=late_day).exists()
    assert presenters.as_api(read)["refund_status"] == "sent"

    payment_services.mark_refund_settled(
        refund=refund, settled_on=date(2026, 6, 1), by=paas_staff, now=NOW
    )
    assert _read(withdrawal).refund_status == t.SETTLED


def test_a_withdrawn_order_cannot_be_cancelled_nor_its_invoice_credited_twice(
    paas, paas_consumer, paas_staff
):
    from clausier.kernel.errors import InvalidTransition

    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    with pytest.raises(InvalidTransition):
        order_services.cancel_order(order=order, reason="doublon", by=paas_staff, now=NOW)

    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE, order=order).count() == 1


def test_a_withdrawn_order_is_not_paid_by_a_late_payment(paas, paas_consumer, paas_staff):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED, paid=False)
    registered(order, received_on=date(2026, 5, 11), by=paas_staff, now=NOW)

    order_services.mark_paid(
        order_id=order.pk,
        received_at=paris(2026, 5, 12, 9, 0),
        provider="stripe",
        reference="ch_late",
        amount=order.total_ttc,
        by=None,
        now=NOW,
    )

    order.refresh_from_db()
    assert (order.status, order.paid_at) == ("withdrawn", None)
    assert not Invoice.objects.filter(order=order).exists()
