"""The staff actions on a late invoice's penalties, mounted by the back-office shell (their
URL noun is the invoice, their writes are collections')."""

from clausier.collections.ui import penalties
from clausier.web.routes import actions

seller = "<slug:slug>/"
invoice = seller + "invoices/<int:invoice_id>/"

backoffice_patterns = [
    *actions(penalties, invoice + "penalties/", "invoice_penalties", "bill", "waive"),
]
