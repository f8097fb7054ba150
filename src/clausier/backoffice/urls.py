"""The back-office shell: the seller switcher, the seller's home, the audit trail and the API
tokens; every domain's staff screens are mounted from its ``urls.backoffice_patterns`` (names
stay ``backoffice:<name>``)."""

from django.urls import path

from clausier.backoffice import outbox, views
from clausier.catalog import urls as catalog_urls
from clausier.collections import urls_dunning
from clausier.collections import urls_penalties as collections_penalties_urls
from clausier.collections import urls_standing as standing_urls
from clausier.collections import urls_statement as collections_statement_urls
from clausier.contracts import urls as contracts_urls
from clausier.customers import urls as customers_urls
from clausier.inbox import urls as inbox_urls
from clausier.invoicing import urls as invoicing_urls
from clausier.legal import urls as legal_urls
from clausier.metering import urls as metering_urls
from clausier.orders import urls as orders_urls
from clausier.payments import urls as payments_urls
from clausier.quotes import urls as quotes_urls
from clausier.sellers import urls as sellers_urls
from clausier.support import urls as support_urls
from clausier.terms import urls as terms_urls
from clausier.webhooks import urls as webhooks_urls
from clausier.withdrawal import urls as withdrawal_urls

app_name = "backoffice"

seller = "<slug:slug>/"

urlpatterns = [
    path("", views.index, name="index"),
    # Platform screens, under no seller: before the seller's, which take any first segment.
    *legal_urls.backoffice_patterns,
    # Before the sellers' pages: "outbox" is read as this page, never as a seller's slug.
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/<str:key>/<int:index>/", outbox.outbox_attachment, name="outbox_attachment"),
    path(seller, views.home, name="home"),
    path(seller + "audit/", views.audit, name="audit"),
    path(seller + "api/", views.api_tokens, name="api_tokens"),
    path(seller + "api/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    *customers_urls.backoffice_patterns,
    *terms_urls.backoffice_patterns,
    *catalog_urls.backoffice_patterns,
    *quotes_urls.backoffice_patterns,
    *orders_urls.backoffice_patterns,
    *invoicing_urls.backoffice_patterns,
    *payments_urls.backoffice_patterns,
    *collections_statement_urls.backoffice_patterns,
    *urls_dunning.backoffice_patterns,
    *standing_urls.backoffice_patterns,
    *collections_penalties_urls.backoffice_patterns,
    *withdrawal_urls.backoffice_patterns,
    *contracts_urls.backoffice_patterns,
    *metering_urls.backoffice_patterns,
    *support_urls.backoffice_patterns,
    *webhooks_urls.backoffice_patterns,
    *inbox_urls.backoffice_patterns,
    *sellers_urls.backoffice_patterns,
]
