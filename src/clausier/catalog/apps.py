from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Products and services a seller offers, with dated price versions."""

    name = "clausier.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")
