"""The portal shell: the client's home; every domain's client screens are mounted from its
``urls.portal_patterns`` (names stay ``portal:<name>``)."""

from django.urls import path

from clausier.collections import urls_statement as collections_statement_urls
from clausier.contracts import urls as contracts_urls
from clausier.customers import urls as customers_urls
from clausier.invoicing import urls as invoicing_urls
from clausier.metering import urls as metering_urls
from clausier.orders import urls as orders_urls
from clausier.payments import urls as payments_urls
from clausier.portal import views
from clausier.quotes import urls as quotes_urls
from clausier.support import urls as support_urls
from clausier.terms import urls as terms_urls
from clausier.withdrawal import urls as withdrawal_urls

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    *terms_urls.portal_patterns,
    *customers_urls.portal_patterns,
    *quotes_urls.portal_patterns,
    *orders_urls.portal_patterns,
    *invoicing_urls.portal_patterns,
    *contracts_urls.portal_patterns,
    *metering_urls.portal_patterns,
    *support_urls.portal_patterns,
    *payments_urls.portal_patterns,
    *collections_statement_urls.portal_patterns,
    *withdrawal_urls.portal_patterns,
]
