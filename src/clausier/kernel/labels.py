"""A model field's name as a reader reads it, for the messages and sentences that name a
field (the screens' errors, the audit trail's sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def field_label(
    model: type[models.Model] | None, name: str, known: Mapping[str, Any] | None = None
) -> str | None:
    """``name``'s label: ``known[name]`` (the caller's words first), else the model field's
    ``verbose_name``; ``None`` when there is none (the caller then says it otherwise, never
    with the raw name)."""
    if known and name in known:
        return str(known[name])
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    label = getattr(field, "verbose_name", None)
    return str(label) if label else None
