from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.documents.glyphs import validate_single_line


class ApiToken(models.Model):
    """A per-seller API token. Only its SHA-256 is stored; the secret is shown once."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100, validators=[validate_single_line])
    prefix = models.CharField(_("préfixe"), max_length=12, unique=True)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyKey(models.Model):
    """A POST of the API sent with an ``Idempotency-Key`` header, and the answer it got.

    One row per (seller, key): a retry with the same key, method, path and body gets the
    stored answer again instead of running the write twice (``api.idempotency``). Keys expire
    after 24 hours (:data:`clausier.api.idempotency.TTL`): an older row is ignored, then
    replaced, and ``clausier purge_idempotency_keys`` deletes them.
    """

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.TextField()
    request_sha256 = models.CharField(max_length=64)
    # Null only inside the transaction that runs the request: the row becomes visible to
    # other requests with the answer stored (see api.idempotency).
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        # Internal bookkeeping of the API, shown on no screen: nothing to translate.
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "key"], name="idempotency_key_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
