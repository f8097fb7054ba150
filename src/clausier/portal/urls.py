from django.urls import path

from clausier.customers import urls as customers_urls
from clausier.orders import urls as orders_urls
from clausier.portal import views, views_invoices
from clausier.quotes import urls as quotes_urls
from clausier.terms import urls as terms_urls

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("invoices/", views_invoices.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/", views_invoices.invoice, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", views_invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/xml/", views_invoices.invoice_xml, name="invoice_xml"),
]
urlpatterns += customers_urls.portal_patterns
urlpatterns += terms_urls.portal_patterns
urlpatterns += quotes_urls.portal_patterns
urlpatterns += orders_urls.portal_patterns
