"""The account statement and receivables screens' URLs, mounted by the back-office and
portal shells."""

from clausier.collections.ui import receivables, statement
from clausier.web.routes import actions, page, view

seller = "<slug:slug>/"

backoffice_patterns = [
    view(seller + "receivables/", receivables, "receivables"),
    *page(statement, seller + "clients/<int:client_id>/account/", "client_account", "pdf"),
]
portal_patterns = [
    view("statement/", statement, "statement"),
    *actions(statement, "statement/", "statement", "pdf"),
]
