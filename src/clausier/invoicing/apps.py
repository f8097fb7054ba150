from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    """Invoices, deposit and final invoices, credit notes: issued once, numbered, chained."""

    name = "clausier.invoicing"
    label = "invoicing"
    verbose_name = _("Facturation")
