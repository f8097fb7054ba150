from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    """Recurring service contracts (seed 002 art. 7): their lines, terms renewed by tacit
    renewal unless notice is received in time, the consumer's renewal information
    (C. conso. L215-1) and the termination's final sums."""

    name = "clausier.contracts"
    label = "contracts"
    verbose_name = _("Contrats")
