"""Order forms. Back-office: the staff actions on an order (deposit cashed, payment received
or failed, cancellation). Portal: the online order (seed 000, art. 4), its offers and their
quantities, the data the client declares in the recap, and the confirmation.

They only carry what was typed: the orders services price, check, decide and refuse (every
rule lives there), and :func:`add_order_errors` puts their refusals next to the fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clausier.catalog.domain import PriceQuote
from clausier.kernel.labels import field_label
from clausier.orders.models import Order
from clausier.web.forms import DateField, DecimalField, ReasonForm, date_input
from clausier.web.labels import labelled

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


class CancelOrderForm(ReasonForm):
    reason_label = _("Motif de l'annulation")
    reason_help = _("Gardé sur la commande et dans l'historique ; le client peut le lire.")
    reason_missing = _("Indiquez le motif de l'annulation.")
    max_length = 1000


class PaymentReceivedForm(forms.Form):
    """A payment the seller received for an online order, entered by staff until a
    payment provider reports it by itself."""

    amount = DecimalField(
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
    cashed_on = DateField(
        label=_("Encaissé le"),
        widget=date_input(),
        help_text=_("La date portée sur le relevé bancaire."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("cashed_on", timezone.localdate())


# --- portal: the online order -----------------------------------------------------------------

_LINE_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


@dataclass(frozen=True, slots=True)
class Offer:
    """An orderable offer of the seller's catalog with its price in force today."""

    code: str
    name: str
    description: str
    guarantees: list[str]
    options: list[dict[str, str]]
    price: PriceQuote

    @property
    def field_name(self) -> str:
        return quantity_field(self.code)


def quantity_field(code: str) -> str:
    return f"qty_{code}"


def _shown_quantity(value: Decimal) -> str:
    """720.000 -> "720", 2.500 -> "2,5" (in the page's language)."""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.localize_input(value)


class OrderLinesForm(forms.Form):
    """One quantity per offer; an offer left blank is not ordered. Quantities are passed to
    the services as typed ("2,5" or "2.5"): they say what is wrong with them."""

    def __init__(
        self,
        *args,
        offers: list[Offer],
        current: list[tuple[str, str, Decimal]] = (),
        **kwargs,
    ) -> None:
        """``current``: the lines of an order being edited, as (code, label, quantity)."""
        super().__init__(*args, **kwargs)
        self.offers = offers
        self.sent: list[str] = []
        quantities: dict[str, Decimal] = {}
        labels: dict[str, str] = {}
        for code, label, quantity in current:
            quantities[code] = quantities.get(code, Decimal(0)) + quantity
            labels.setdefault(code, label)
        codes = [offer.code for offer in offers]
        # A line whose offer left the catalog stays on the form: the services will say why
        # it can no longer be ordered, and the client removes it by clearing its quantity.
        codes += [code for code in labels if code not in codes]
        offer_names = {offer.code: offer.name for offer in offers}
        for code in codes:
            field = forms.CharField(
                label=offer_names.get(code) or labels.get(code) or code,
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )
            if code in quantities:
                field.initial = _shown_quantity(quantities[code])
            self.fields[quantity_field(code)] = field
        self.codes = codes

    def lines(self) -> list[dict[str, Any]]:
        """The lines to order, in the order of the page; remembers which field sent each."""
        self.sent = []
        lines = []
        for code in self.codes:
            name = quantity_field(code)
            value = (self.cleaned_data.get(name) or "").strip()
            if value:
                self.sent.append(name)
                lines.append({"product_code": code, "quantity": value})
        return lines

    def field_of_line(self, index: int) -> str | None:
        return self.sent[index] if 0 <= index < len(self.sent) else None


DECLARED_LABELS = {
    "name": _("Raison sociale ou nom"),
    "siren": _("SIREN"),
    "vat_number": _("Numéro de TVA intracommunautaire"),
    "email": _("E-mail de facturation"),
    "phone": _("Téléphone"),
    "billing_line1": _("Adresse de facturation"),
    "billing_line2": _("Complément d'adresse"),
    "billing_postal_code": _("Code postal"),
    "billing_city": _("Ville"),
    "billing_country": _("Pays"),
}
# What a consumer declares: no company number, no VAT number.
PROFESSIONAL_ONLY = ("siren", "vat_number")


class DeclaredForm(forms.Form):
    """The billing identity, address and VAT number the client declares in the recap (art.
    4: it checks them and corrects them). They change the order, not the client's record."""

    name = forms.CharField(max_length=200, required=False)
    siren = forms.CharField(
        max_length=9,
        required=False,
        help_text=_("Les 9 chiffres du numéro d'entreprise, s'il y en a un."),
    )
    vat_number = forms.CharField(
        max_length=20,
        required=False,
        help_text=_("FR suivi de 11 caractères, s'il y en a un : il figure sur la facture."),
    )
    email = forms.CharField(
        max_length=254,
        required=False,
        widget=forms.EmailInput,
        help_text=_("La facture est envoyée à cette adresse après le paiement."),
    )
    phone = forms.CharField(max_length=30, required=False)
    billing_line1 = forms.CharField(max_length=200, required=False)
    billing_line2 = forms.CharField(max_length=200, required=False)
    billing_postal_code = forms.CharField(max_length=10, required=False)
    billing_city = forms.CharField(max_length=100, required=False)
    billing_country = forms.CharField(
        max_length=2, required=False, help_text=_("Code du pays en deux lettres : FR, BE…")
    )

    def __init__(self, *args, professional: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in DECLARED_LABELS.items():
            self.fields[name].label = label
        if not professional:
            self.fields["name"].label = _("Nom et prénom")
            for name in PROFESSIONAL_ONLY:
                del self.fields[name]

    def declared(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.fields}


class ConfirmOrderForm(forms.Form):
    """The confirmation: the terms accepted, a fingerprint of the recap the page showed and,
    for a consumer, the express request to start before the withdrawal period ends."""

    recap = forms.CharField(widget=forms.HiddenInput, max_length=64)
    accept_terms = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Cochez la case pour accepter les conditions générales de vente.")
        },
    )
    express_start = forms.BooleanField(required=False)

    def __init__(
        self, *args, terms_label: str, consumer: bool, express_start_text: str, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].label = _(
            "J'ai lu et j'accepte les conditions générales de vente %(label)s, qui régissent "
            "cette commande."
        ) % {"label": terms_label}
        if consumer:
            self.fields["express_start"].label = express_start_text
            self.fields["express_start"].help_text = _(
                "Facultatif. Sans cette demande, le service ne commence qu'à la fin de votre "
                "délai de rétractation."
            )
        else:
            del self.fields["express_start"]


def add_order_errors(
    error: ValidationError,
    *,
    lines_form: OrderLinesForm | None = None,
    declared_form: DeclaredForm | None = None,
    summary: forms.Form,
) -> None:
    """Put a service's refusal next to the fields it names: ``lines[1].quantity`` on the
    quantity of the second line sent, ``declared.vat_number`` on the VAT number; the rest
    (``lines``, a field no form shows) on top of ``summary``, prefixed with its name."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for key, texts in messages.items():
        texts = [capfirst(text) for text in texts]
        target, field = summary, None
        match = _LINE_KEY.match(key or "")
        if match and lines_form is not None:
            field = lines_form.field_of_line(int(match[1]))
            target = lines_form if field else summary
        elif key and key.startswith("declared.") and declared_form is not None:
            name = key.split(".", 1)[1]
            if name in declared_form.fields:
                target, field = declared_form, name
        elif key in summary.fields:
            field = key
        if field is not None:
            target.add_error(field, texts)
        elif key in (None, NON_FIELD_ERRORS):
            summary.add_error(None, texts)
        else:
            label = field_label(Order, key, {"lines": _("Lignes")})
            summary.add_error(None, [labelled(label, text) for text in texts])
