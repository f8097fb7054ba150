"""The order screens' URLs, mounted by the back-office and portal shells. (An order's final
invoice, ``order_final_invoice``, creates an invoice: it is in ``invoicing.urls``.)"""

from clausier.orders.ui import backoffice, portal
from clausier.web.routes import actions, view

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"

backoffice_patterns = [
    view(seller + "orders/", backoffice, "orders"),
    view(order, backoffice, "order"),
    *actions(
        backoffice,
        order,
        "order",
        *("deposit-cashed", "start", "cancel", "validate", "payment", "payment-failure"),
        "activate",
    ),
    view(seller + "orders/late/", backoffice, "orders_late"),
]
portal_patterns = [
    view("orders/", portal, "orders"),
    *actions(portal, "orders/", "order", "new"),
    view("orders/<int:order_id>/", portal, "order"),
    *actions(portal, "orders/<int:order_id>/", "order", "edit", "confirm"),
]
