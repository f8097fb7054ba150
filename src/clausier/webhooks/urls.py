"""The webhook screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from django.urls import path

from clausier.webhooks.ui import backoffice as views

seller = "<slug:slug>/"
endpoint = seller + "webhooks/<int:endpoint_id>/"
delivery = seller + "webhooks/deliveries/<int:delivery_id>/"

backoffice_patterns = [
    path(seller + "webhooks/", views.webhooks, name="webhooks"),
    path(seller + "webhooks/new/", views.webhook_new, name="webhook_new"),
    path(endpoint + "edit/", views.webhook_edit, name="webhook_edit"),
    path(endpoint + "rotate/", views.webhook_rotate, name="webhook_rotate"),
    path(endpoint + "active/", views.webhook_active, name="webhook_active"),
    path(endpoint + "delete/", views.webhook_delete, name="webhook_delete"),
    path(seller + "webhooks/deliveries/", views.webhook_deliveries, name="webhook_deliveries"),
    path(delivery, views.webhook_delivery, name="webhook_delivery"),
    path(delivery + "retry/", views.webhook_retry, name="webhook_retry"),
]
portal_patterns: list = []
