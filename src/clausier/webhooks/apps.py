from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outgoing webhooks (Standard Webhooks signatures) to a seller's systems, e.g. the PaaS
    runtime told to start a paid service (``service.activate``)."""

    name = "clausier.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks sortants")
