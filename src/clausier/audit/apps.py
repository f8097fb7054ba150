from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail: one Event row per write, written by the services."""

    name = "clausier.audit"
    label = "audit"
    verbose_name = _("Journal d'audit")
