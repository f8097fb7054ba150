from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from clausier.kernel.fields import optional_link, user_link


class Event(models.Model):
    """Who did what to which object, when and why. Written by services only, never edited."""

    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = user_link(_("auteur"))
    actor_label = models.CharField(_("auteur (libellé)"), max_length=200, blank=True)
    seller = optional_link("sellers.Seller", _("vendeur"), related_name="events")
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objet"), max_length=200)
    verb = models.CharField(_("action"), max_length=60)
    summary = models.JSONField(_("résumé"), default=dict, blank=True)
    request_id = models.CharField(_("requête"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"]),
            models.Index(fields=["seller", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"
