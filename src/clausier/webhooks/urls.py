"""The webhook screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from clausier.web.routes import actions, listing, view
from clausier.webhooks.ui import backoffice as views

seller = "<slug:slug>/"
endpoint = seller + "webhooks/<int:endpoint_id>/"
delivery = seller + "webhooks/deliveries/<int:delivery_id>/"

backoffice_patterns = [
    *listing(views, seller + "webhooks/", "webhooks", "webhook"),
    *actions(views, endpoint, "webhook", "edit", "rotate", "active", "delete"),
    view(seller + "webhooks/deliveries/", views, "webhook_deliveries"),
    view(delivery, views, "webhook_delivery"),
    *actions(views, delivery, "webhook", "retry"),
]
portal_patterns: list = []
