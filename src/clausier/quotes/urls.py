"""The quote screens' URLs, mounted by the back-office and portal shells."""

from clausier.quotes.ui import backoffice, portal
from clausier.web.routes import actions, view

seller = "<slug:slug>/"
quote = seller + "quotes/<int:quote_id>/"
attachment = "attachments/<int:attachment_id>/"

backoffice_patterns = [
    view(seller + "quotes/", backoffice, "quotes"),
    *actions(backoffice, seller + "quotes/", "quote", "new"),
    view(quote, backoffice, "quote"),
    *actions(
        backoffice,
        quote,
        "quote",
        *("edit", "delete", "pdf", "send", "revise", "withdraw", "refuse"),
        *("accept/email", "accept/postal", "acceptance/evidence"),
    ),
    view(quote + "attachments/", backoffice, "quote_attachment_add"),
    view(quote + attachment, backoffice, "quote_attachment"),
    *actions(backoffice, quote + attachment, "quote_attachment", "remove"),
]
portal_patterns = [
    view("quotes/", portal, "quotes"),
    view("quotes/<int:quote_id>/", portal, "quote"),
    *actions(portal, "quotes/<int:quote_id>/", "quote", "pdf", "accept", "refuse"),
    view("quotes/<int:quote_id>/" + attachment, portal, "quote_attachment"),
]
