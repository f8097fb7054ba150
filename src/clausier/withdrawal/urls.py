"""The withdrawal screens' URLs, mounted by the back-office and portal shells."""

from clausier.web.routes import actions, listing, page, view
from clausier.withdrawal.ui import backoffice, portal

seller = "<slug:slug>/"
withdrawal = seller + "withdrawals/<int:withdrawal_id>/"

backoffice_patterns = [
    *listing(backoffice, seller + "withdrawals/", "withdrawals", "withdrawal"),
    *page(backoffice, withdrawal, "withdrawal", "pdf"),
]
portal_patterns = [
    *listing(portal, "withdrawals/", "withdrawals", "withdrawal"),
    view("withdrawals/<int:withdrawal_id>/", portal, "withdrawal"),
    *actions(portal, "withdrawals/<int:withdrawal_id>/", "withdrawal", "pdf"),
]
