from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumberingConfig(AppConfig):
    """Gapless document numbers: one locked counter row per seller, series and year."""

    name = "clausier.numbering"
    label = "numbering"
    verbose_name = _("Numérotation")
