from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client space: what a client's contacts see."""

    name = "clausier.portal"
    label = "portal"
    verbose_name = _("Espace client")
