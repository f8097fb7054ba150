from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line
from clausier.kernel.fields import Timestamped


class WebhookEndpoint(Timestamped):
    """Where a seller receives clausier's webhooks: a URL, the event types it subscribes to,
    and the ``whsec_...`` secret the requests are signed with (kept in clear: it signs)."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    description = models.CharField(
        _("description"), max_length=200, blank=True, validators=[validate_single_line]
    )
    secret = models.CharField(_("secret de signature"), max_length=120)
    events = models.JSONField(_("événements"), default=list)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["seller", "id"]
        verbose_name = _("destination de webhooks")
        verbose_name_plural = _("destinations de webhooks")
        indexes = [models.Index(fields=["seller", "active"])]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En cours")
    SUCCEEDED = "succeeded", _("Livré")
    FAILED = "failed", _("Échec")


class WebhookDelivery(models.Model):
    """One event for one endpoint: the signed body, and where its delivery stands. Retried
    with growing waits until the endpoint answers 2xx, or failed after the last attempt;
    each attempt is in :class:`WebhookAttempt`."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.PROTECT, related_name="webhook_deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    event_type = models.CharField(_("événement"), max_length=60)
    # What the event is about ("order:42"), to find the deliveries of an object.
    subject = models.CharField(_("objet"), max_length=100, blank=True, db_index=True)
    msg_id = models.CharField(_("identifiant du message"), max_length=60, unique=True)
    payload = models.JSONField(_("contenu"))
    # The exact JSON sent and signed (jsonb would reorder ``payload``'s keys).
    body = models.TextField(_("corps de la requête"))
    status = models.CharField(
        _("statut"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    # None: due now (a new delivery); else the earliest time of the next attempt.
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(
        _("dernier code HTTP"), null=True, blank=True
    )
    last_response_body = models.CharField(
        _("dernière réponse (extrait)"), max_length=500, blank=True
    )
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(_("livré le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["seller", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class WebhookAttempt(models.Model):
    """The delivery log: one row per POST, with what the endpoint answered."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField(_("tentative n°"))
    attempted_at = models.DateTimeField(_("tentée le"))
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    response_code = models.PositiveSmallIntegerField(_("code HTTP"), null=True, blank=True)
    response_body = models.CharField(_("réponse (extrait)"), max_length=500, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    # The retry this attempt's failure scheduled (None: delivered, or given up).
    next_attempt_at = models.DateTimeField(_("nouvelle tentative le"), null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("tentative d'envoi")
        verbose_name_plural = _("tentatives d'envoi")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="webhooks_one_row_per_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery} #{self.number}: {self.response_code or self.error}"
