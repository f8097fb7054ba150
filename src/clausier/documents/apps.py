from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Printed documents (PDF/A through Typst) and the emails that carry them."""

    name = "clausier.documents"
    label = "documents"
    verbose_name = _("Documents")
