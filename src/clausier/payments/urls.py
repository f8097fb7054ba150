"""The payment screens' URLs, mounted by the back-office and portal shells. The payment
actions of an order's and an invoice's pages are here (their URL nouns are the order and
the invoice, their writes are payments')."""

from django.urls import path

from clausier.payments.ui import backoffice, checkout, portal, refunds, remittance, webhooks
from clausier.payments.ui import statements as bank
from clausier.web.routes import actions, listing, page, view

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"
invoice = seller + "invoices/<int:invoice_id>/"
payment = seller + "payments/<int:payment_id>/"
statements = seller + "statements/"

backoffice_patterns = [
    *actions(backoffice, order, "order", "deposit-cashed", "payment", "payment-failure"),
    *actions(backoffice, invoice, "invoice", "payment", "use-credit"),
    view(seller + "clients/<int:client_id>/payments/", backoffice, "client_payments"),
    *listing(backoffice, seller + "payments/", "payments", "payment"),
    *page(backoffice, payment, "payment", "cash", "allocate", "refund"),
    view(seller + "refunds/", refunds, "refunds"),
    view(seller + "refunds/export/", refunds, "refunds_export"),
    *actions(refunds, seller + "refunds/<int:refund_id>/", "refund", "provider", "account"),
    path(
        seller + "refunds/transfers/<int:batch_id>/download/",
        refunds.transfer_download,
        name="transfer_download",
    ),
    *listing(remittance, seller + "remittances/", "remittances", "remittance"),
    *actions(remittance, seller + "remittances/<int:remittance_id>/", "remittance", "download"),
    path(
        seller + "refunds/<int:refund_id>/settle/", backoffice.refund_settle, name="refund_settle"
    ),
    # Bank statements imported and reconciled.
    *listing(bank, statements, "statements", "statement"),
    view(statements + "review/", bank, "statement_review"),
    *page(bank, statements + "<int:statement_id>/", "statement", "progress"),
    *page(bank, statements + "lines/<int:line_id>/", "statement_line", "match", "credit", "ignore"),
    *listing(bank, statements + "mappings/", "statement_mappings", "statement_mapping"),
    view(statements + "mappings/<int:mapping_id>/", bank, "statement_mapping"),
    path(seller + "refunds/<int:refund_id>/send/", backoffice.refund_send, name="refund_send"),
]
portal_patterns = [
    view("payments/", portal, "payments"),
    path("payments/<int:payment_id>/", portal.payment, name="payment"),
    view("payment-methods/", portal, "payment_methods"),
    path(
        "payment-methods/<int:method_id>/remove/",
        portal.payment_method_remove,
        name="payment_method_remove",
    ),
    path("invoices/<int:invoice_id>/pay/", checkout.invoice_pay, name="invoice_pay"),
    path("orders/<int:order_id>/pay/", checkout.order_pay, name="order_pay"),
    view("payments/<int:payment_id>/return/", checkout, "checkout_return"),
    view("payments/<int:payment_id>/cancel/<str:token>/", checkout, "checkout_cancel"),
]
# The providers' webhooks, mounted at the root (no language prefix).
webhook_patterns = [
    path("webhooks/stripe/", webhooks.stripe_webhook, name="webhook_stripe"),
    path("webhooks/paypal/", webhooks.paypal_webhook_view, name="webhook_paypal"),
]
