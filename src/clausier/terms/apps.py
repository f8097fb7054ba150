from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermsConfig(AppConfig):
    """Terms of sale as code: versions, clauses with typed parameters, acceptances, lint."""

    name = "clausier.terms"
    label = "terms"
    verbose_name = _("Conditions générales")
