from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The seller staff's screens."""

    name = "clausier.backoffice"
    label = "backoffice"
    verbose_name = _("Back-office")
