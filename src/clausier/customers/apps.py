from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    """A seller's clients and their contacts (portal users)."""

    name = "clausier.customers"
    label = "customers"
    verbose_name = _("Clients")
