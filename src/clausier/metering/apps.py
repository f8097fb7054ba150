from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeteringConfig(AppConfig):
    """Usage metering: subscriptions born from paid online orders, meters, usage events
    ingested once per (seller, id), and prices per meter in dated versions."""

    name = "clausier.metering"
    label = "metering"
    verbose_name = _("Consommation")
