"""The staff actions on a late invoice's penalties, mounted by the back-office shell (their
URL noun is the invoice, their writes are collections'). Named like every screen URL
(``invoice_penalties_bill`` is the view of that name)."""

from django.urls import path

from clausier.collections.ui import penalties

penalties_of = "<slug:slug>/invoices/<int:invoice_id>/penalties/"

backoffice_patterns = [
    path("<slug:slug>/penalties/settings/", penalties.penalty_settings, name="penalty_settings"),
    path(
        penalties_of + "bill/",
        penalties.invoice_penalties_bill,
        name="invoice_penalties_bill",
    ),
    path(
        penalties_of + "waive/",
        penalties.invoice_penalties_waive,
        name="invoice_penalties_waive",
    ),
]
