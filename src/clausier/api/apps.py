from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (django-ninja) and its per-seller tokens."""

    name = "clausier.api"
    label = "api"
    verbose_name = _("API")
