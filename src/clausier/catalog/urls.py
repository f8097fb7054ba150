"""The catalog screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from django.urls import path

from clausier.catalog.ui import backoffice

seller = "<slug:slug>/"

backoffice_patterns = [
    path(seller + "catalog/", backoffice.catalog, name="catalog"),
]
portal_patterns: list = []
