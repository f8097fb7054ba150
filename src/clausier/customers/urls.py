"""The client screens' URLs, mounted by the back-office and portal shells."""

from clausier.customers.ui import backoffice, portal
from clausier.web.routes import actions, listing, page, view

seller = "<slug:slug>/"
client = seller + "clients/<int:client_id>/"

backoffice_patterns = [
    *listing(backoffice, seller + "clients/", "clients", "client"),
    *page(backoffice, client, "client", "edit"),
    view(client + "contacts/", backoffice, "contact_add"),
    *actions(backoffice, client + "contacts/<int:contact_id>/", "contact", "portal-access"),
]
portal_patterns = [
    view("profile/", portal, "profile"),
    view("logo/", portal, "logo"),
]
