from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WithdrawalConfig(AppConfig):
    """A consumer's withdrawal from an online order (C. conso. L221-18 to L221-28): the
    request, its decision with the period's explanation, the amount owed after an early
    start, the refund and its deadline, the acknowledgement on a durable medium."""

    name = "clausier.withdrawal"
    label = "withdrawal"
    verbose_name = _("Rétractations")
