"""Forms of the staff actions on an order and of the webhook settings. They parse and show
input; ``orders.services`` and ``webhooks.services`` decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.web.forms import date_input

# How a payment reached the seller (``payment.methods`` of the terms, terms/schemas.py).
PAYMENT_METHODS = {
    "card": _("Carte bancaire"),
    "paypal": _("PayPal"),
    "transfer": _("Virement"),
    "cheque": _("Chèque"),
    "direct_debit": _("Prélèvement"),
}


def _methods_of(order) -> list[tuple[str, str]]:
    """The methods the order's frozen payment clause allows (all of them without one), and
    the provider that already reported a payment of the order (to record its failure)."""
    allowed = ((order.payment_terms or {}).get("parameters") or {}).get("methods") or []
    known = [m for m in allowed if m in PAYMENT_METHODS] or list(PAYMENT_METHODS)
    choices = [(m, PAYMENT_METHODS[m]) for m in known]
    if order.payment_provider and order.payment_provider not in known:
        choices.append((order.payment_provider, order.payment_provider))
    return choices


class CancelOrderForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gardé sur la commande et dans l'historique ; le client peut le lire."),
        error_messages={"required": _("Indiquez le motif de l'annulation.")},
    )


class PaymentReceivedForm(forms.Form):
    """A payment the seller received for an online order, entered by staff until a
    payment provider reports it by itself."""

    amount = forms.DecimalField(
        label=_("Montant reçu (TTC)"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=_("Le total TTC de la commande, au centime près."),
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
        self.fields["provider"].choices = _methods_of(order)
        if not self.is_bound:
            self.initial.setdefault("amount", order.total_ttc)
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )


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
        self.fields["provider"].choices = [("", "—"), *_methods_of(order)]
        if not self.is_bound and order.payment_reference:
            self.initial.setdefault("provider", order.payment_provider)
            self.initial.setdefault("reference", order.payment_reference)


class DepositCashedForm(forms.Form):
    cashed_on = forms.DateField(
        label=_("Encaissé le"),
        widget=date_input(),
        help_text=_("La date portée sur le relevé bancaire."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("cashed_on", timezone.localdate())
