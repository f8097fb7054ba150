from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    """Legal facts staff keep current: the legal interest rate of each new semester."""

    name = "clausier.legal"
    label = "legal"
    verbose_name = _("Données légales")
