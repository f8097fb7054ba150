"""The quote screens' URLs, mounted by the back-office and portal shells."""

from clausier.quotes.ui import backoffice, portal
from clausier.web.routes import listing, page, view

seller = "<slug:slug>/"
quote = seller + "quotes/<int:quote_id>/"
attachment = "attachments/<int:attachment_id>/"

backoffice_patterns = [
    *listing(backoffice, seller + "quotes/", "quotes", "quote"),
    *page(
        backoffice,
        quote,
        "quote",
        *("edit", "delete", "pdf", "send", "revise", "withdraw", "refuse"),
        *("accept/email", "accept/postal", "acceptance/evidence", "confidentiality"),
    ),
    view(quote + "attachments/", backoffice, "quote_attachment_add"),
    *page(backoffice, quote + attachment, "quote_attachment", "remove"),
]
portal_patterns = [
    view("quotes/", portal, "quotes"),
    *page(portal, "quotes/<int:quote_id>/", "quote", "pdf", "accept", "refuse"),
    view("quotes/<int:quote_id>/" + attachment, portal, "quote_attachment"),
]
