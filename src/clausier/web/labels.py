"""A message naming a field, on the screens (the label itself:
:func:`clausier.kernel.labels.field_label`)."""

from __future__ import annotations

from django.utils.text import capfirst


def labelled(label: str | None, message: str) -> str:
    """« Label : message », or the message alone when the field has no label."""
    return f"{capfirst(label)} : {message}" if label else str(message)
