"""The inbox screens' URLs, mounted by the back-office shell (``backoffice:<name>``)."""

from clausier.inbox.ui import backoffice as views
from clausier.web.routes import actions, view

seller = "<slug:slug>/"
message = seller + "inbox/<int:message_id>/"

backoffice_patterns = [
    view(seller + "inbox/", views, "inbox"),
    view(message, views, "inbox_message"),
    *actions(views, message, "inbox_message", "raw", "reparse"),
    view(message + "attachments/<int:attachment_id>/", views, "inbox_attachment"),
]
portal_patterns: list = []
