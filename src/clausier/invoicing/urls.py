"""The invoice screens' URLs, mounted by the back-office and portal shells. An order's final
invoice (``order_final_invoice``) is here: its URL noun is the order, but it makes an
invoice."""

from django.urls import path

from clausier.invoicing.ui import backoffice, portal

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"
invoice = seller + "invoices/<int:invoice_id>/"

backoffice_patterns = [
    path(order + "final-invoice/", backoffice.order_final_invoice, name="order_final_invoice"),
    path(seller + "invoices/", backoffice.invoices, name="invoices"),
    path(seller + "invoices/export.csv", backoffice.invoices_csv, name="invoices_csv"),
    path(seller + "invoices/new/", backoffice.invoice_new, name="invoice_new"),
    path(invoice, backoffice.invoice, name="invoice"),
    path(invoice + "edit/", backoffice.invoice_edit, name="invoice_edit"),
    path(invoice + "delete/", backoffice.invoice_delete, name="invoice_delete"),
    path(invoice + "issue/", backoffice.invoice_issue, name="invoice_issue"),
    path(invoice + "credit-note/", backoffice.invoice_credit_note, name="invoice_credit_note"),
    path(invoice + "payment/", backoffice.invoice_payment, name="invoice_payment"),
    path(invoice + "resend/", backoffice.invoice_resend, name="invoice_resend"),
    path(invoice + "pdf/", backoffice.invoice_pdf, name="invoice_pdf"),
    path(invoice + "xml/", backoffice.invoice_xml, name="invoice_xml"),
]
portal_patterns = [
    path("invoices/", portal.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/", portal.invoice, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", portal.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/xml/", portal.invoice_xml, name="invoice_xml"),
]
