"""The legal screens' URLs, mounted by the back-office shell (``backoffice:<name>``): a
platform screen, under no seller."""

from clausier.legal.ui import backoffice as views
from clausier.web.routes import view

backoffice_patterns = [view("platform/legal-rates/", views, "legal_rates")]
portal_patterns: list = []
