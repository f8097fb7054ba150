"""Checks of the dates staff and clients type for contracts' letters and events."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clausier.kernel.inputs import check_date_window


def past_date(value, field: str, *, today: date) -> date:
    """``value`` when it is a date no later than ``today``, inside the accepted window;
    else a ``ValidationError`` on ``field``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError({field: _("date attendue (AAAA-MM-JJ)")})
    if value > today:
        raise ValidationError({field: _("cette date ne peut pas être dans le futur")})
    check_date_window(value, field)
    return value
