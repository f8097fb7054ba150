from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """Mail in: messages to a seller's support address, received by LMTP/SMTP, IMAP polling
    or an MTA pipe, stored raw first, then parsed (threading, attachments, automatic replies
    and loops). A channel in that knows no domain: support answers its facts."""

    name = "clausier.inbox"
    label = "inbox"
    verbose_name = _("Courrier entrant")
