from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """Orders: from an accepted quote (agency) or an online order (PaaS host)."""

    name = "clausier.orders"
    label = "orders"
    verbose_name = _("Commandes")
