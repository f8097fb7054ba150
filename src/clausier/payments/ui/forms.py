"""Payment forms: what staff type (a cheque, a transfer, an online order's payment received or
failed, a deposit cashed, an invoice's payment, a refund settled). They only carry what was
typed; the payments services check, decide and refuse."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.payments.models import Method
from clausier.web.forms import DateField, DecimalField, date_input

# How a payment reached the seller (``payment.methods`` of the terms, terms/schemas.py).
PAYMENT_METHODS = {
    "card": _("Carte bancaire"),
    "paypal": _("PayPal"),
    "transfer": _("Virement"),
    "cheque": _("Chèque"),
    "direct_debit": _("Prélèvement"),
}
OFFLINE_CHOICES = [
    (Method.CHEQUE.value, Method.CHEQUE.label),
    (Method.TRANSFER.value, Method.TRANSFER.label),
]


def _amount_field(label, **extra) -> DecimalField:
    return DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
        **extra,
    )


def methods_of(order) -> list[tuple[str, str]]:
    """The methods the order's frozen payment clause allows (all of them without one), and
    the provider that already reported a payment of the order (to record its failure)."""
    allowed = ((order.payment_terms or {}).get("parameters") or {}).get("methods") or []
    known = [m for m in allowed if m in PAYMENT_METHODS] or list(PAYMENT_METHODS)
    choices = [(m, PAYMENT_METHODS[m]) for m in known]
    if order.payment_provider and order.payment_provider not in known:
        choices.append((order.payment_provider, order.payment_provider))
    return choices


class PaymentReceivedForm(forms.Form):
    """A payment the seller received for an online order, entered by staff."""

    amount = _amount_field(
        _("Montant reçu (TTC)"), help_text=_("Le total TTC de la commande, au centime près.")
    )
    received_at = forms.DateTimeField(
        label=_("Reçu le"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Date et heure de réception (heure de Paris) : le délai d'exécution du service "
            "court à partir de ce jour."
        ),
    )
    provider = forms.ChoiceField(label=_("Moyen de paiement"))
    reference = forms.CharField(
        label=_("Référence du paiement"),
        max_length=200,
        help_text=_("La référence de la transaction ou du virement, telle que sur le relevé."),
    )

    def __init__(self, *args, order, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = methods_of(order)


class PaymentFailureForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'échec"),
        max_length=500,
        help_text=_("Par exemple « carte refusée » ou « paiement annulé par le client »."),
        error_messages={"required": _("Indiquez pourquoi le paiement a échoué.")},
    )
    provider = forms.ChoiceField(label=_("Moyen de paiement"), required=False)
    reference = forms.CharField(
        label=_("Référence du paiement"),
        max_length=200,
        required=False,
        help_text=_("Pour une commande payée : la référence du paiement annulé."),
    )

    def __init__(self, *args, order, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *methods_of(order)]


class DepositCashedForm(forms.Form):
    cashed_on = DateField(
        label=_("Encaissé le"),
        widget=date_input(),
        help_text=_("La date portée sur le relevé bancaire."),
    )


class InvoicePaymentForm(forms.Form):
    amount = _amount_field(_("Montant reçu (€)"), min_value=Decimal("0.01"))
    paid_on = DateField(
        label=_("Reçu le"),
        widget=date_input(),
        help_text=_("La date portée sur le relevé bancaire."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "payment")
        super().__init__(*args, **kwargs)


class OfflinePaymentForm(forms.Form):
    """A cheque received or a transfer on the statement, for a client, optionally paying
    one of its invoices."""

    method = forms.ChoiceField(label=_("Moyen"), choices=OFFLINE_CHOICES)
    client = forms.TypedChoiceField(label=_("Client"), coerce=int)
    amount = _amount_field(_("Montant (€)"))
    received_on = DateField(label=_("Reçu le"), widget=date_input())
    cheque_number = forms.CharField(label=_("Numéro du chèque"), max_length=40, required=False)
    cheque_bank = forms.CharField(label=_("Banque du chèque"), max_length=100, required=False)
    transfer_reference = forms.CharField(
        label=_("Référence du virement"), max_length=140, required=False
    )
    value_date = DateField(label=_("Date de valeur"), widget=date_input(), required=False)
    invoice = forms.TypedChoiceField(
        label=_("Facture payée"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Ce que la facture ne prend pas reste au crédit du client."),
    )

    def __init__(self, *args, clients, invoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]
        self.fields["invoice"].choices = [("", "—"), *[(i.pk, str(i)) for i in invoices]]
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class DayForm(forms.Form):
    """A day (a cheque cashed, a refund settled) and an optional reference."""

    day = DateField(label=_("Le"), widget=date_input())
    reference = forms.CharField(label=_("Référence"), max_length=140, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())


class CreditUseForm(forms.Form):
    """The client's credit used on an invoice: ``amount``, or as much as it covers."""

    amount = _amount_field(
        _("Montant (€)"),
        required=False,
        help_text=_("Vide : tout ce que le crédit couvre du reste dû."),
    )
    back = forms.CharField(required=False, widget=forms.HiddenInput)


class AllocationForm(forms.Form):
    invoice = forms.TypedChoiceField(label=_("Facture"), coerce=int)
    amount = _amount_field(_("Montant (€)"))

    def __init__(self, *args, invoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invoice"].choices = [(i.pk, str(i)) for i in invoices]


class RefundForm(forms.Form):
    amount = _amount_field(_("Montant (€)"))
    reason = forms.CharField(label=_("Motif"), max_length=500)
