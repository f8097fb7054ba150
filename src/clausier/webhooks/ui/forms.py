"""The webhook settings form. It parses and shows input; ``webhooks.services`` decides and
writes."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from clausier.webhooks.domain import EVENT_TYPES

EVENT_LABELS = {
    "service.activate": _("service.activate : un service payé démarre"),
    "service.suspend": _("service.suspend : un service est suspendu"),
    "service.resume": _("service.resume : un service suspendu reprend"),
    "service.terminate": _("service.terminate : un service prend fin"),
    "support.page": _("support.page : l'astreinte est appelée pour un ticket critique (SMS, push)"),
}


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL de réception"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("L'adresse à laquelle clausier envoie chaque événement, en POST signé."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Pour la reconnaître, par exemple « runtime de production »."),
    )
    events = forms.MultipleChoiceField(
        label=_("Événements"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(e, EVENT_LABELS.get(e, e)) for e in EVENT_TYPES],
        help_text=_("Ceux que cette destination reçoit."),
        error_messages={"required": _("Choisissez au moins un événement.")},
    )
