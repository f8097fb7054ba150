from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Money received from clients and given back: payments (card, PayPal, transfer,
    cheque), their allocations to invoices, the client credit they leave, and the refunds
    owed. Orders and invoicing react to its facts (an online order paid or cancelled, a
    deposit cashed, an invoice paid in full)."""

    name = "clausier.payments"
    label = "payments"
    verbose_name = _("Paiements")
