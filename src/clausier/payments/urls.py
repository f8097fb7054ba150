"""The payment screens' URLs, mounted by the back-office and portal shells. The payment
actions of an order's and an invoice's pages are here (their URL nouns are the order and
the invoice, their writes are payments')."""

from django.urls import path

from clausier.payments.ui import backoffice, portal
from clausier.web.routes import actions, listing, page, view

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"
invoice = seller + "invoices/<int:invoice_id>/"
payment = seller + "payments/<int:payment_id>/"

backoffice_patterns = [
    *actions(backoffice, order, "order", "deposit-cashed", "payment", "payment-failure"),
    *actions(backoffice, invoice, "invoice", "payment", "use-credit"),
    view(seller + "clients/<int:client_id>/payments/", backoffice, "client_payments"),
    *listing(backoffice, seller + "payments/", "payments", "payment"),
    *page(backoffice, payment, "payment", "cash", "allocate", "refund"),
    view(seller + "refunds/", backoffice, "refunds"),
    path(
        seller + "refunds/<int:refund_id>/settle/", backoffice.refund_settle, name="refund_settle"
    ),
    path(seller + "refunds/<int:refund_id>/send/", backoffice.refund_send, name="refund_send"),
]
portal_patterns = [
    view("payments/", portal, "payments"),
    path("payments/<int:payment_id>/", portal.payment, name="payment"),
]
