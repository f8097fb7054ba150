"""The client screens' URLs, mounted by the back-office and portal shells."""

from clausier.customers.ui import backoffice, portal
from clausier.web.routes import actions, view

seller = "<slug:slug>/"
client = seller + "clients/<int:client_id>/"

backoffice_patterns = [
    view(seller + "clients/", backoffice, "clients"),
    *actions(backoffice, seller + "clients/", "client", "new"),
    view(client, backoffice, "client"),
    *actions(backoffice, client, "client", "edit"),
    view(client + "contacts/", backoffice, "contact_add"),
    *actions(backoffice, client + "contacts/<int:contact_id>/", "contact", "portal-access"),
]
portal_patterns = [
    view("profile/", portal, "profile"),
    view("logo/", portal, "logo"),
]
