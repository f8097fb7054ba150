"""The metering screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from clausier.metering.ui import backoffice
from clausier.web.routes import view

seller = "<slug:slug>/"

backoffice_patterns = [
    view(seller + "subscriptions/", backoffice, "subscriptions"),
    view(seller + "subscriptions/<int:subscription_id>/", backoffice, "subscription"),
]
portal_patterns: list = []
