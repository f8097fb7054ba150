from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionsConfig(AppConfig):
    """What a late invoice costs and how it is collected: late interest and the recovery
    indemnity (seed 002 art. 6, C. com. L441-10; C. civ. 1231-6 for consumers), acceleration,
    suspension for non-payment, penalty invoices and waivers, dunning and formal notices, the
    client's account statement."""

    name = "clausier.collections"
    label = "collections"
    verbose_name = _("Recouvrement")
