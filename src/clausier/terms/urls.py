"""The terms screens' URLs, mounted by the back-office and portal shells."""

from clausier.terms.ui import backoffice, portal
from clausier.web.routes import actions, listing, view

seller = "<slug:slug>/"
client = seller + "clients/<int:client_id>/"
version = seller + "terms/<int:version_id>/"

backoffice_patterns = [
    view(client + "acceptances/", backoffice, "acceptance_add"),
    *actions(backoffice, client + "acceptances/<int:acceptance_id>/", "acceptance", "evidence"),
    *listing(backoffice, seller + "terms/", "terms", "terms"),
    view(version, backoffice, "terms_version"),
    *actions(backoffice, version, "terms", "publish"),
    view(version + "clauses/", backoffice, "clause_add"),
    view(version + "clauses/<int:clause_pk>/", backoffice, "clause"),
    *actions(backoffice, version + "clauses/<int:clause_pk>/", "clause", "delete"),
]
portal_patterns = [
    view("accept/", portal, "accept"),
    view("terms/<int:version_id>/", portal, "terms"),
]
