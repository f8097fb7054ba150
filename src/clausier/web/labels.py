"""A field's name as a reader reads it, for messages on screens that name a field."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst


def field_label(model: type[models.Model], name: str, known: dict | None = None) -> str | None:
    """``name``'s label: from ``known``, else the model field's ``verbose_name``; None when
    there is none (the caller then shows the message alone, never the raw name)."""
    if known and name in known:
        return str(known[name])
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    label = getattr(field, "verbose_name", None)
    return capfirst(str(label)) if label else None


def labelled(label: str | None, message: str) -> str:
    """« Label : message », or the message alone when the field has no label."""
    return f"{label} : {message}" if label else str(message)
