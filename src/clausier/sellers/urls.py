"""The seller's own screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from clausier.sellers.ui import backoffice
from clausier.web.routes import view

seller = "<slug:slug>/"

backoffice_patterns = [
    view(seller + "settings/", backoffice, "settings"),
]
portal_patterns: list = []
