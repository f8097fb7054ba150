"""The catalog screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from clausier.catalog.ui import backoffice
from clausier.web.routes import view

seller = "<slug:slug>/"

backoffice_patterns = [view(seller + "catalog/", backoffice, "catalog")]
portal_patterns: list = []
