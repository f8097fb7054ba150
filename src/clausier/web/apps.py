from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Shared screens: the layout, the design system, the home page."""

    name = "clausier.web"
    label = "web"
    verbose_name = _("Interface")
