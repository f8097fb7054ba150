from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    """Quotes (devis): revisions, sending, acceptance by the three paths of the terms."""

    name = "clausier.quotes"
    label = "quotes"
    verbose_name = _("Devis")
