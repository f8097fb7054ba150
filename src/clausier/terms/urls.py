"""The terms screens' URLs, mounted by the back-office and portal shells."""

from django.urls import path

from clausier.terms.ui import backoffice, portal

seller = "<slug:slug>/"
client = seller + "clients/<int:client_id>/"
version = seller + "terms/<int:version_id>/"

backoffice_patterns = [
    path(client + "acceptances/", backoffice.acceptance_add, name="acceptance_add"),
    path(
        client + "acceptances/<int:acceptance_id>/evidence/",
        backoffice.acceptance_evidence,
        name="acceptance_evidence",
    ),
    path(seller + "terms/", backoffice.terms, name="terms"),
    path(seller + "terms/new/", backoffice.terms_new, name="terms_new"),
    path(version, backoffice.terms_version, name="terms_version"),
    path(version + "publish/", backoffice.terms_publish, name="terms_publish"),
    path(version + "clauses/", backoffice.clause_add, name="clause_add"),
    path(
        version + "clauses/<int:clause_pk>/delete/",
        backoffice.clause_delete,
        name="clause_delete",
    ),
]
portal_patterns = [
    path("accept/", portal.accept, name="accept"),
    path("terms/<int:version_id>/", portal.terms, name="terms"),
]
