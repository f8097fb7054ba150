"""The forms already sent: one row per one-time form token (:mod:`clausier.web.forms`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentForm(models.Model):
    """A create form's token, claimed by its first submission (the unique index makes a
    second, even a concurrent one, fail), and the page of what that submission created."""

    token = models.CharField(max_length=32, unique=True)
    user_id = models.BigIntegerField(null=True)
    path = models.CharField(max_length=500)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("formulaire envoyé")
        verbose_name_plural = _("formulaires envoyés")

    def __str__(self) -> str:
        return self.token
