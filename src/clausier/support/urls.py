"""The support screens' URLs, mounted by the back-office shell (``backoffice:<name>``) and
the portal shell (``portal:<name>``)."""

from clausier.support.ui import backoffice, on_call, portal
from clausier.web.routes import actions, view

seller = "<slug:slug>/"
ticket = seller + "support/<int:ticket_id>/"

backoffice_patterns = [
    view(seller + "support/", backoffice, "support_queue"),
    view(seller + "support/clocks/", backoffice, "support_queue_clocks"),
    view(seller + "support/new/", backoffice, "support_ticket_new"),
    view(seller + "support/emails/", backoffice, "support_emails"),
    view(seller + "support/dashboard/", backoffice, "support_dashboard"),
    view(seller + "support/on-call/", on_call, "support_on_call"),
    *actions(on_call, seller + "support/on-call/", "support_on_call", "shift", "override"),
    *actions(on_call, ticket, "ticket", "acknowledge-page"),
    view(ticket, backoffice, "ticket"),
    *actions(
        backoffice,
        ticket,
        "ticket",
        "reply",
        "action",
        "force-majeure",
        "qualify",
        "exclude",
        "time",
        "bill",
        "call",
        "penalty",
    ),
]
portal_patterns = [
    view("support/", portal, "tickets"),
    view("support/new/", portal, "ticket_new"),
    view("support/<int:ticket_id>/", portal, "ticket"),
    view("support/<int:ticket_id>/reply/", portal, "ticket_reply"),
]
