"""The payments of what was paid before payments had a domain of its own, for the data
migration ``payments/0002``: invoices issued then carry ``amount_paid`` and ``paid_on`` and
no :class:`~clausier.payments.models.Payment`; an online order paid then, or an agency
order's deposit cashed then, whose invoice was still a draft, has no payment either.

Each such invoice gets a succeeded payment of its ``amount_paid``, received on its
``paid_on`` (a card or PayPal payment when its prepayment says it was paid online, else a
transfer), allocated to it whole; each order paid or deposit cashed without an invoice
issued gets its payment, which the invoice takes when it is issued
(:func:`~clausier.payments.services.allocate_order_payments`). A credit note that had
cancelled part of a paid invoice leaves a refund owed, as it does today
(:func:`~clausier.payments.services.refund_overpayment`): it was owed and nowhere shown.

The balances and paid states read from the allocations are then what the invoices showed:
``amount_paid`` and ``paid_on`` are not touched. Each payment's audit event
(``payment.migrated``) says where it comes from and lets the migration be reversed.

Works on the models of a migration's state (``apps``): no service, no fact published.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

SYSTEM = "système"
VERB = "payment.migrated"
ZERO = Decimal("0.00")


def method_of(*, prepayment: dict, provider: str = "") -> str:
    """The method of a payment received before its invoice: PayPal or card when it was paid
    online (the prepayment's ``means`` or the order's provider says so), else a transfer."""
    if not prepayment:
        return "transfer"
    words = f"{prepayment.get('means', '')} {provider}".lower()
    return "paypal" if "paypal" in words else "card"


class Backfill:
    """One run over the database of ``apps``."""

    def __init__(self, apps) -> None:
        self.Invoice = apps.get_model("invoicing", "Invoice")
        self.Order = apps.get_model("orders", "Order")
        self.DepositRequest = apps.get_model("orders", "DepositRequest")
        self.Payment = apps.get_model("payments", "Payment")
        self.Allocation = apps.get_model("payments", "Allocation")
        self.Refund = apps.get_model("payments", "Refund")
        self.Event = apps.get_model("audit", "Event")
        content_types = apps.get_model("contenttypes", "ContentType")
        self.payment_type, _ = content_types.objects.get_or_create(
            app_label="payments", model="payment"
        )
        self.made: list = []

    # --- events -----------------------------------------------------------------------------

    def _event(self, payment, *, invoice=None) -> None:
        after = {
            "method": payment.method,
            "status": payment.status,
            "amount": str(payment.amount),
            "received_on": payment.received_on.isoformat() if payment.received_on else None,
        }
        if invoice is not None:
            after["invoice"] = invoice.number
        if payment.order_id is not None:
            after["order"] = payment.order_id
        self.Event.objects.create(
            actor=None,
            actor_label=SYSTEM,
            seller_id=payment.seller_id,
            object_type=self.payment_type,
            object_id=str(payment.pk),
            object_repr=f"Paiement n° {payment.pk} ({payment.amount} €)",
            verb=VERB,
            summary={"after": after},
        )

    def _payment(self, **fields):
        method = fields["method"]
        day = fields["received_on"]
        key = (fields["seller_id"], fields.get("provider", ""), fields.get("provider_reference"))
        if (
            key[2]
            and self.Payment.objects.filter(
                seller_id=key[0], provider=key[1], provider_reference=key[2]
            ).exists()
        ):
            fields["provider_reference"] = ""
        payment = self.Payment.objects.create(
            status="succeeded",
            value_date=day if method == "transfer" else None,
            settled_on=day,
            **fields,
        )
        self.made.append(payment)
        return payment

    # --- invoices ---------------------------------------------------------------------------

    def legacy_invoices(self):
        return (
            self.Invoice.objects.filter(status="issued", amount_paid__gt=0)
            .exclude(kind="credit_note")
            .exclude(allocations__isnull=False)
            .select_related("order")
            .order_by("id")
        )

    def invoice(self, invoice) -> None:
        order = invoice.order
        prepayment = invoice.prepayment or {}
        online = bool(prepayment) and order is not None
        day = invoice.paid_on or invoice.issue_date
        method = method_of(prepayment=prepayment, provider=order.payment_provider if online else "")
        payment = self._payment(
            seller_id=invoice.seller_id,
            client_id=invoice.client_id,
            order_id=invoice.order_id,
            method=method,
            amount=invoice.amount_paid,
            received_on=day,
            received_at=order.paid_at if online else None,
            provider=order.payment_provider if online else "",
            provider_reference=order.payment_reference if online else "",
        )
        self.Allocation.objects.create(payment=payment, invoice=invoice, amount=invoice.amount_paid)
        self._event(payment, invoice=invoice)
        self._refunds_owed(invoice, payment)

    def _refunds_owed(self, invoice, payment) -> None:
        """What credit notes cancelled of the invoice once paid is owed back, one refund per
        credit note, in their order."""
        payable = invoice.amount_due + Decimal((invoice.prepayment or {}).get("amount") or 0)
        over = invoice.amount_paid + invoice.credited_amount - payable
        credit_notes = self.Invoice.objects.filter(
            corrects=invoice, kind="credit_note", status="issued"
        ).order_by("issue_date", "sequence", "id")
        for credit_note in credit_notes:
            share = min(over, credit_note.total_ttc)
            if share <= 0:
                break
            self.Refund.objects.create(
                seller_id=invoice.seller_id,
                client_id=invoice.client_id,
                payment=payment,
                invoice=invoice,
                credit_note=credit_note,
                amount=share,
                method=payment.method if payment.method != "cheque" else "transfer",
                status="owed",
                # Shown to the client and staff alike, in French as the documents are.
                reason=f"Avoir {credit_note.number} sur la facture {invoice.number} déjà payée",
            )
            over -= share

    # --- orders whose invoice was not issued --------------------------------------------------

    def _has_payment(self, order) -> bool:
        return self.Payment.objects.filter(order=order).exists()

    def paid_orders(self) -> None:
        """Online orders paid with no payment (their invoice a draft): the payment the
        invoice will take when issued."""
        orders = self.Order.objects.filter(paid_at__isnull=False, payment_amount__gt=0)
        for order in orders.order_by("id"):
            if self._has_payment(order):
                continue
            payment = self._payment(
                seller_id=order.seller_id,
                client_id=order.client_id,
                order_id=order.pk,
                method=method_of(prepayment={"means": "en ligne"}, provider=order.payment_provider),
                amount=order.payment_amount,
                received_on=timezone.localdate(order.paid_at),
                received_at=order.paid_at,
                provider=order.payment_provider,
                provider_reference=order.payment_reference,
            )
            self._event(payment)

    def cashed_deposits(self) -> None:
        """Deposits cashed with no deposit invoice issued: the payment of the deposit, which
        its invoice takes when issued."""
        deposits = self.DepositRequest.objects.filter(cashed_on__isnull=False, amount__gt=0)
        for deposit in deposits.select_related("order").order_by("id"):
            issued = self.Invoice.objects.filter(
                deposit_request=deposit, kind="deposit", status="issued"
            ).exists()
            if issued or self._has_payment(deposit.order):
                continue
            payment = self._payment(
                seller_id=deposit.order.seller_id,
                client_id=deposit.order.client_id,
                order_id=deposit.order_id,
                method="transfer",
                amount=deposit.amount,
                received_on=deposit.cashed_on,
            )
            self._event(payment)

    def run(self) -> list:
        for invoice in self.legacy_invoices():
            self.invoice(invoice)
        self.paid_orders()
        self.cashed_deposits()
        return self.made


def create_payments(apps, schema_editor=None) -> list:
    """The data migration's forward step: every payment made before, with its allocation
    (and the refund a credit note left owed). Running it again creates nothing."""
    return Backfill(apps).run()


def remove_payments(apps, schema_editor=None) -> None:
    """The reverse step: the payments the forward step created (named by their
    ``payment.migrated`` events), their allocations and refunds, and those events."""
    Event = apps.get_model("audit", "Event")
    Payment = apps.get_model("payments", "Payment")
    events = Event.objects.filter(verb=VERB, object_type__app_label="payments")
    ids = [int(pk) for pk in events.values_list("object_id", flat=True)]
    apps.get_model("payments", "Allocation").objects.filter(payment_id__in=ids).delete()
    apps.get_model("payments", "Refund").objects.filter(payment_id__in=ids).delete()
    Payment.objects.filter(pk__in=ids).delete()
    events.delete()
