"""The staff form granting prepaid credits to a subscription's client."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from clausier.metering.models import CreditKind


class CreditForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[
            (CreditKind.PURCHASE, CreditKind.PURCHASE.label),
            (CreditKind.GRANT, CreditKind.GRANT.label),
        ],
    )
    amount = forms.DecimalField(
        label=_("Montant HT (€)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    reason = forms.CharField(label=_("Motif"), max_length=300)
