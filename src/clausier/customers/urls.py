"""The client screens' URLs, mounted by the back-office and portal shells."""

from django.urls import path

from clausier.customers.ui import backoffice, portal

seller = "<slug:slug>/"
client = seller + "clients/<int:client_id>/"

backoffice_patterns = [
    path(seller + "clients/", backoffice.clients, name="clients"),
    path(seller + "clients/new/", backoffice.client_new, name="client_new"),
    path(client, backoffice.client, name="client"),
    path(client + "edit/", backoffice.client_edit, name="client_edit"),
    path(client + "contacts/", backoffice.contact_add, name="contact_add"),
    path(
        client + "contacts/<int:contact_id>/portal-access/",
        backoffice.contact_portal_access,
        name="contact_portal_access",
    ),
]
portal_patterns = [
    path("profile/", portal.profile, name="profile"),
    path("logo/", portal.logo, name="logo"),
]
