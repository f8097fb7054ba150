"""Reading what a person or a client program typed into an exact value, or saying why not."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


def exact_decimal(value: Any, *, what: str) -> Decimal:
    """``value`` as an exact, finite Decimal: a Decimal, an int, or a string written with a
    dot or a French decimal comma (``"119,40"``). A float is refused (``0.1`` is not one
    tenth in binary, and money computed from it would not be what was typed), as are
    ``None`` and booleans. The ``ValueError`` names ``what`` was being read."""
    if isinstance(value, bool | float) or value is None:
        raise ValueError(
            _("%(what)s : un nombre décimal exact est attendu (« 2 », « 119.40 »)") % {"what": what}
        )
    try:
        result = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(
            _("%(what)s invalide : %(value)r") % {"what": what, "value": value}
        ) from None
    if not result.is_finite():
        raise ValueError(_("%(what)s invalide : %(value)r") % {"what": what, "value": value})
    return result
