"""The metering screens' URLs, mounted by the back-office shell (``backoffice:<name>``) and
the portal shell (``portal:<name>``)."""

from clausier.metering.ui import backoffice, portal
from clausier.web.routes import view

seller = "<slug:slug>/"

backoffice_patterns = [
    view(seller + "subscriptions/", backoffice, "subscriptions"),
    view(seller + "subscriptions/<int:subscription_id>/", backoffice, "subscription"),
    view(seller + "subscriptions/<int:subscription_id>/credit/", backoffice, "subscription_credit"),
]
portal_patterns = [
    view("consumption/", portal, "consumption"),
    view("consumption/<int:subscription_id>/", portal, "consumption_subscription"),
]
