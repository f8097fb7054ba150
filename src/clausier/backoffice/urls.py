from django.urls import path

from clausier.backoffice import views

app_name = "backoffice"

seller = "<slug:slug>/"
client = seller + "clients/<int:client_id>/"
version = seller + "terms/<int:version_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(seller, views.home, name="home"),
    path(seller + "clients/", views.clients, name="clients"),
    path(seller + "clients/new/", views.client_new, name="client_new"),
    path(client, views.client, name="client"),
    path(client + "edit/", views.client_edit, name="client_edit"),
    path(client + "contacts/", views.contact_add, name="contact_add"),
    path(
        client + "contacts/<int:contact_id>/portal-access/",
        views.contact_portal_access,
        name="contact_portal_access",
    ),
    path(client + "acceptances/", views.acceptance_add, name="acceptance_add"),
    path(
        client + "acceptances/<int:acceptance_id>/evidence/",
        views.acceptance_evidence,
        name="acceptance_evidence",
    ),
    path(seller + "terms/", views.terms, name="terms"),
    path(seller + "terms/new/", views.terms_new, name="terms_new"),
    path(version, views.terms_version, name="terms_version"),
    path(version + "publish/", views.terms_publish, name="terms_publish"),
    path(version + "clauses/", views.clause_add, name="clause_add"),
    path(version + "clauses/<int:clause_pk>/delete/", views.clause_delete, name="clause_delete"),
    path(seller + "audit/", views.audit, name="audit"),
    path(seller + "api/", views.api_tokens, name="api_tokens"),
    path(seller + "api/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
