"""The invoice screens' URLs, mounted by the back-office and portal shells. An order's final
invoice (``order_final_invoice``) is here: its URL noun is the order, but it makes an
invoice."""

from django.urls import path

from clausier.invoicing.ui import backoffice, portal, usage
from clausier.web.routes import actions, listing, page, view

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"
invoice = seller + "invoices/<int:invoice_id>/"

backoffice_patterns = [
    *actions(backoffice, order, "order", "final-invoice"),
    path(seller + "invoices/export.csv", backoffice.invoices_csv, name="invoices_csv"),
    *listing(backoffice, seller + "invoices/", "invoices", "invoice"),
    *page(
        backoffice,
        invoice,
        "invoice",
        *("edit", "delete", "issue", "credit-note", "resend", "pdf", "xml"),
    ),
    view(seller + "usage-runs/", usage, "usage_runs"),
    *page(usage, seller + "usage-runs/<int:run_id>/", "usage_run", "progress"),
]
portal_patterns = [
    view("invoices/", portal, "invoices"),
    *page(portal, "invoices/<int:invoice_id>/", "invoice", "pdf", "xml"),
]
