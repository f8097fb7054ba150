"""Back-office forms. They validate and show input; the services do every write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Où il sert, par exemple « ERP » ou « site web » : pour le retrouver."),
    )
