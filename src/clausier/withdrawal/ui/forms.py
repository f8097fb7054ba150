"""The withdrawal forms: the consumer's model form (C. conso. R221-1, annex) in the portal, a
request received by e-mail or post registered by staff. They parse and
show input; ``withdrawal.services`` decides and writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.web.forms import DateField
from clausier.withdrawal.models import Channel


def _order_choices(orders, *, with_client: bool = False) -> list[tuple[int, str]]:
    choices = []
    for order in orders:
        label = _("Commande %(reference)s du %(date)s") % {
            "reference": order.reference,
            "date": timezone.localdate(order.ordered_at).strftime("%d/%m/%Y"),
        }
        choices.append((order.pk, f"{label} · {order.client.name}" if with_client else label))
    return choices


class WithdrawalForm(forms.Form):
    """The model withdrawal form: the contract (an order), the consumer's name and address;
    the date is the day it is sent."""

    order = forms.TypedChoiceField(label=_("Commande dont je me rétracte"), coerce=int)
    consumer_name = forms.CharField(label=_("Nom du consommateur"), max_length=200)
    consumer_address = forms.CharField(
        label=_("Adresse du consommateur"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, orders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = _order_choices(orders)


class RegisterForm(forms.Form):
    """A withdrawal the seller received by e-mail or by post, with the day it arrived."""

    order = forms.TypedChoiceField(label=_("Commande"), coerce=int)
    channel = forms.ChoiceField(
        label=_("Reçue par"), choices=[(Channel.EMAIL, _("e-mail")), (Channel.POST, _("courrier"))]
    )
    received_on = DateField(
        label=_("Reçue le"),
        help_text=_("Le jour où l'e-mail ou la lettre est arrivé : le délai se juge ce jour-là."),
    )
    statement = forms.CharField(
        label=_("Ce que le client a écrit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, orders, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = _order_choices(orders, with_client=True)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
