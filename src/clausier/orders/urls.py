"""The order screens' URLs, mounted by the back-office and portal shells. (An order's final
invoice, ``order_final_invoice``, creates an invoice: it is in ``invoicing.urls``; its
payment received or failed and its deposit cashed are payments': in ``payments.urls``.)"""

from clausier.orders.ui import backoffice, portal
from clausier.web.routes import listing, page, view

seller = "<slug:slug>/"
order = seller + "orders/<int:order_id>/"

backoffice_patterns = [
    view(seller + "orders/", backoffice, "orders"),
    *page(
        backoffice,
        order,
        "order",
        *("start", "cancel", "validate", "activate"),
    ),
    view(seller + "orders/late/", backoffice, "orders_late"),
]
portal_patterns = [
    *listing(portal, "orders/", "orders", "order"),
    *page(portal, "orders/<int:order_id>/", "order", "edit", "confirm"),
]
