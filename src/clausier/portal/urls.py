from django.urls import path

from clausier.customers import urls as customers_urls
from clausier.portal import views, views_invoices, views_orders
from clausier.quotes import urls as quotes_urls
from clausier.terms import urls as terms_urls

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("orders/", views_orders.orders, name="orders"),
    path("orders/new/", views_orders.order_new, name="order_new"),
    path("orders/<int:order_id>/", views_orders.order, name="order"),
    path("orders/<int:order_id>/edit/", views_orders.order_edit, name="order_edit"),
    path("orders/<int:order_id>/confirm/", views_orders.order_confirm, name="order_confirm"),
    path("invoices/", views_invoices.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/", views_invoices.invoice, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", views_invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/xml/", views_invoices.invoice_xml, name="invoice_xml"),
]
urlpatterns += customers_urls.portal_patterns
urlpatterns += terms_urls.portal_patterns
urlpatterns += quotes_urls.portal_patterns
