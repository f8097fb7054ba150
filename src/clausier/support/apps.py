from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """Support tickets under the terms' service levels (GTI/GTR clocks with pauses and
    warnings), the phone call log, exclusions and the time billed on excluded tickets."""

    name = "clausier.support"
    label = "support"
    verbose_name = _("Support")
