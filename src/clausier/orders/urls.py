"""The order screens' URLs, mounted by the back-office and portal shells. (An order's final
invoice, ``order_final_invoice``, creates an invoice: it is in ``invoicing.urls``.)"""

from django.urls import path

from clausier.orders.ui import backoffice, portal

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"

backoffice_patterns = [
    path(seller + "orders/", backoffice.orders, name="orders"),
    path(order, backoffice.order, name="order"),
    path(order + "deposit-cashed/", backoffice.order_deposit_cashed, name="order_deposit_cashed"),
    path(order + "start/", backoffice.order_start, name="order_start"),
    path(order + "cancel/", backoffice.order_cancel, name="order_cancel"),
    path(order + "validate/", backoffice.order_validate, name="order_validate"),
    path(order + "payment/", backoffice.order_payment, name="order_payment"),
    path(
        order + "payment-failure/",
        backoffice.order_payment_failure,
        name="order_payment_failure",
    ),
    path(order + "activate/", backoffice.order_activate, name="order_activate"),
    path(seller + "orders/late/", backoffice.orders_late, name="orders_late"),
]
portal_patterns = [
    path("orders/", portal.orders, name="orders"),
    path("orders/new/", portal.order_new, name="order_new"),
    path("orders/<int:order_id>/", portal.order, name="order"),
    path("orders/<int:order_id>/edit/", portal.order_edit, name="order_edit"),
    path("orders/<int:order_id>/confirm/", portal.order_confirm, name="order_confirm"),
]
