from django.urls import path

from clausier.backoffice import (
    views,
    views_invoices,
)
from clausier.catalog import urls as catalog_urls
from clausier.customers import urls as customers_urls
from clausier.orders import urls as orders_urls
from clausier.quotes import urls as quotes_urls
from clausier.terms import urls as terms_urls
from clausier.webhooks import urls as webhooks_urls

app_name = "backoffice"

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"
invoice = seller + "invoices/<int:invoice_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(seller, views.home, name="home"),
    path(
        order + "final-invoice/",
        views_invoices.order_final_invoice,
        name="order_final_invoice",
    ),
    path(seller + "invoices/", views_invoices.invoices, name="invoices"),
    path(seller + "invoices/export.csv", views_invoices.invoices_csv, name="invoices_csv"),
    path(seller + "invoices/new/", views_invoices.invoice_new, name="invoice_new"),
    path(invoice, views_invoices.invoice, name="invoice"),
    path(invoice + "edit/", views_invoices.invoice_edit, name="invoice_edit"),
    path(invoice + "delete/", views_invoices.invoice_delete, name="invoice_delete"),
    path(invoice + "issue/", views_invoices.invoice_issue, name="invoice_issue"),
    path(invoice + "credit-note/", views_invoices.invoice_credit_note, name="invoice_credit_note"),
    path(invoice + "payment/", views_invoices.invoice_payment, name="invoice_payment"),
    path(invoice + "resend/", views_invoices.invoice_resend, name="invoice_resend"),
    path(invoice + "pdf/", views_invoices.invoice_pdf, name="invoice_pdf"),
    path(invoice + "xml/", views_invoices.invoice_xml, name="invoice_xml"),
    path(seller + "audit/", views.audit, name="audit"),
    path(seller + "api/", views.api_tokens, name="api_tokens"),
    path(seller + "api/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
urlpatterns += customers_urls.backoffice_patterns
urlpatterns += terms_urls.backoffice_patterns
urlpatterns += catalog_urls.backoffice_patterns
urlpatterns += quotes_urls.backoffice_patterns
urlpatterns += orders_urls.backoffice_patterns
urlpatterns += webhooks_urls.backoffice_patterns
