"""The quote screens' URLs, mounted by the back-office and portal shells."""

from django.urls import path

from clausier.quotes.ui import backoffice, portal

seller = "<slug:slug>/"
quote = seller + "quotes/<int:quote_id>/"

backoffice_patterns = [
    path(seller + "quotes/", backoffice.quotes, name="quotes"),
    path(seller + "quotes/new/", backoffice.quote_new, name="quote_new"),
    path(quote, backoffice.quote, name="quote"),
    path(quote + "edit/", backoffice.quote_edit, name="quote_edit"),
    path(quote + "delete/", backoffice.quote_delete, name="quote_delete"),
    path(quote + "pdf/", backoffice.quote_pdf, name="quote_pdf"),
    path(quote + "send/", backoffice.quote_send, name="quote_send"),
    path(quote + "revise/", backoffice.quote_revise, name="quote_revise"),
    path(quote + "withdraw/", backoffice.quote_withdraw, name="quote_withdraw"),
    path(quote + "refuse/", backoffice.quote_refuse, name="quote_refuse"),
    path(quote + "accept/email/", backoffice.quote_accept_email, name="quote_accept_email"),
    path(quote + "accept/postal/", backoffice.quote_accept_postal, name="quote_accept_postal"),
    path(
        quote + "acceptance/evidence/",
        backoffice.quote_acceptance_evidence,
        name="quote_acceptance_evidence",
    ),
    path(quote + "attachments/", backoffice.quote_attachment_add, name="quote_attachment_add"),
    path(
        quote + "attachments/<int:attachment_id>/",
        backoffice.quote_attachment,
        name="quote_attachment",
    ),
    path(
        quote + "attachments/<int:attachment_id>/remove/",
        backoffice.quote_attachment_remove,
        name="quote_attachment_remove",
    ),
]
portal_patterns = [
    path("quotes/", portal.quotes, name="quotes"),
    path("quotes/<int:quote_id>/", portal.quote, name="quote"),
    path("quotes/<int:quote_id>/pdf/", portal.quote_pdf, name="quote_pdf"),
    path("quotes/<int:quote_id>/accept/", portal.quote_accept, name="quote_accept"),
    path("quotes/<int:quote_id>/refuse/", portal.quote_refuse, name="quote_refuse"),
    path(
        "quotes/<int:quote_id>/attachments/<int:attachment_id>/",
        portal.quote_attachment,
        name="quote_attachment",
    ),
]
