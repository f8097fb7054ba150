"""Model fields the domains declare alike, written once."""

from django.conf import settings
from django.db import models


def optional_link(
    to,
    verbose_name=None,
    *,
    related_name="+",
    on_delete=models.PROTECT,
    field=models.ForeignKey,
):
    """A link that may be empty and, by default, keeps what it points to from being deleted."""
    return field(
        to,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def user_link(verbose_name=None, *, related_name="+", field=models.ForeignKey):
    """The account that did something: emptied, never cascaded, when the account goes."""
    return optional_link(
        settings.AUTH_USER_MODEL,
        verbose_name,
        related_name=related_name,
        on_delete=models.SET_NULL,
        field=field,
    )


class Timestamped(models.Model):
    """When the row was created and when it last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
