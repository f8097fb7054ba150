from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    """Sellers (the service providers) and their staff."""

    name = "clausier.sellers"
    label = "sellers"
    verbose_name = _("Vendeurs")
