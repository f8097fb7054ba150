from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed outgoing webhooks (Standard Webhooks) with retries and a delivery log."""

    name = "clausier.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
