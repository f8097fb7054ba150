"""Mail in: the seller's mailboxes and every message received, kept raw before anything else.

An :class:`InboundMessage` is inserted with its raw bytes in a transaction of its own
(``stored``), then parsed in another (``parsed`` or ``failed`` with the error): a message the
parser cannot read is never lost, staff see it and may parse it again after a fix.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clausier.kernel.fields import Timestamped


class UnknownSenders(models.TextChoices):
    """What the seller wants done with mail from an address it does not know (read by the
    consumer of :class:`~clausier.inbox.events.MessageReceived`, support)."""

    ACCEPT = "accept", _("Traiter comme les autres")
    HOLD = "hold", _("Mettre de côté pour l'équipe")
    IGNORE = "ignore", _("Conserver sans suite")


class Mailbox(Timestamped):
    """A seller's support address. IMAP settings are optional (an MTA may deliver by LMTP or
    a pipe instead); the password is never stored, only the name of the environment variable
    that holds it."""

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="mailboxes")
    address = models.EmailField(_("adresse"), unique=True)
    active = models.BooleanField(_("active"), default=True)
    unknown_senders = models.CharField(
        _("expéditeurs inconnus"),
        max_length=10,
        choices=UnknownSenders.choices,
        default=UnknownSenders.ACCEPT,
    )
    imap_host = models.CharField(_("serveur IMAP"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("port IMAP"), null=True, blank=True)
    imap_ssl = models.BooleanField(_("IMAP chiffré (TLS)"), default=True)
    imap_user = models.CharField(_("utilisateur IMAP"), max_length=200, blank=True)
    imap_folder = models.CharField(_("dossier IMAP"), max_length=200, default="INBOX")
    imap_password_env = models.CharField(
        _("variable d'environnement du mot de passe IMAP"), max_length=100, blank=True
    )

    class Meta:
        ordering = ["seller", "address"]
        verbose_name = _("boîte de réception")
        verbose_name_plural = _("boîtes de réception")

    def __str__(self) -> str:
        return self.address


class Source(models.TextChoices):
    LMTP = "lmtp", "LMTP"
    SMTP = "smtp", "SMTP"
    IMAP = "imap", "IMAP"
    PIPE = "pipe", _("Tube du MTA")
    UPLOAD = "upload", _("Dépôt")


class MessageStatus(models.TextChoices):
    STORED = "stored", _("Reçu, non lu")
    PARSED = "parsed", _("Lu")
    FAILED = "failed", _("Illisible")


class InboundMessage(models.Model):
    """One message as delivered: its raw bytes first, then what the parser read from them."""

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    # The mailbox's seller; None when no mailbox matched a recipient (superusers see it).
    seller = models.ForeignKey(
        "sellers.Seller",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    source = models.CharField(_("canal"), max_length=10, choices=Source.choices)
    received_at = models.DateTimeField(_("reçu le"))
    recipients = models.JSONField(_("destinataires de l'enveloppe"), default=list)
    raw = models.BinaryField(_("message brut"))
    raw_size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    # The Message-ID as delivered (else "sha256:<hash>"): an MTA's retry is stored once.
    dedup_key = models.CharField(_("clé de déduplication"), max_length=500)
    status = models.CharField(
        _("statut"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.STORED
    )
    error = models.TextField(_("erreur de lecture"), blank=True)
    parsed_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    message_id_header = models.CharField(_("Message-ID"), max_length=500, blank=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=500, blank=True)
    references = models.JSONField(_("References"), default=list, blank=True)
    subject = models.TextField(_("objet"), blank=True)
    from_address = models.CharField(_("adresse de l'expéditeur"), max_length=320, blank=True)
    from_name = models.CharField(_("nom de l'expéditeur"), max_length=300, blank=True)
    to_addresses = models.JSONField(_("à"), default=list, blank=True)
    cc_addresses = models.JSONField(_("copie"), default=list, blank=True)
    date_header = models.DateTimeField(_("date de l'en-tête"), null=True, blank=True)
    text_body = models.TextField(_("texte"), blank=True)
    html_body = models.TextField(_("HTML"), blank=True)
    automatic = models.BooleanField(_("automatique"), default=False)
    automatic_reason = models.CharField(_("raison (automatique)"), max_length=40, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("message reçu")
        verbose_name_plural = _("messages reçus")
        indexes = [
            models.Index(fields=["seller", "-received_at"]),
            models.Index(fields=["seller", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "dedup_key"],
                condition=Q(mailbox__isnull=False),
                name="inbox_one_delivery_per_mailbox",
            ),
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(mailbox__isnull=True),
                name="inbox_one_unmatched_delivery",
            ),
        ]

    def __str__(self) -> str:
        return self.subject[:80] or self.message_id_header or f"#{self.pk}"


def attachment_path(instance: "InboundAttachment", filename: str) -> str:
    return f"inbox/{instance.message_id}/{filename}"


class InboundAttachment(models.Model):
    """A file attached to a received message, its name decoded (RFC 2047 / 2231)."""

    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveIntegerField(_("rang"))
    filename = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=200)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    # Over the attachment limit (UPLOAD_MAX_BYTES["attachment"]): not stored as a file, it
    # stays readable in the raw message.
    too_large = models.BooleanField(_("trop volumineuse"), default=False)
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=300, blank=True)

    class Meta:
        ordering = ["message", "position"]
        verbose_name = _("pièce jointe reçue")
        verbose_name_plural = _("pièces jointes reçues")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="inbox_one_attachment_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.filename
