"""The form of the platform screen that adds a semester's legal rates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clausier.web.forms import date_input


class LegalRateForm(forms.Form):
    """A semester's two rates as the Journal officiel publishes them, with their source.
    The checks are the service's (``legal.services.check_legal_rate``): the form only
    carries the fields, and shows the service's messages under each."""

    period = forms.CharField(
        label=_("Semestre"),
        max_length=10,
        help_text=_("2027-S1 pour le 1er semestre 2027, 2027-S2 pour le second"),
    )
    professional = forms.CharField(
        label=_("Taux, tous les autres cas (%)"),
        max_length=10,
        help_text=_("le taux des créanciers professionnels, ex. 2,62 : les pénalités en découlent"),
    )
    consumer = forms.CharField(
        label=_("Taux, créancier personne physique (%)"),
        max_length=10,
        help_text=_(
            "créancier personne physique n'agissant pas pour des besoins professionnels, ex. 6,67"
        ),
    )
    decree_date = forms.DateField(
        label=_("Date de l'arrêté"),
        widget=date_input(),
        help_text=_("l'arrêté du ministre chargé de l'économie qui fixe les taux du semestre"),
    )
    journal_reference = forms.CharField(
        label=_("Référence au Journal officiel"),
        max_length=200,
        help_text=_("« JORF n° 0148 du 27 juin 2026, texte n° 36 »"),
    )
