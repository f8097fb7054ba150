"""Form helpers shared by the back-office and the portal: service errors next to their
fields, and the widgets every document form uses (dates, French VAT rates)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

# The French VAT rates a line may carry, as the fractions the services take.
VAT_RATES: list[tuple[str, Any]] = [
    ("0", _("0 % (pas de TVA)")),
    ("0.021", _("2,1 %")),
    ("0.055", _("5,5 %")),
    ("0.10", _("10 %")),
    ("0.20", _("20 %")),
]


def date_input() -> forms.DateInput:
    """A browser date picker that reads and writes ISO dates."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def vat_choice(rate: Decimal) -> str:
    """The ``VAT_RATES`` choice of ``rate`` ("0" for a rate not in the list)."""
    for value, _label in VAT_RATES:
        if Decimal(value) == rate:
            return value
    return "0"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` next to the fields it names (the rest on top)."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = key.split(".", 1)[0]  # "parameters.n" belongs to the parameters field
            if field in form.fields:
                form.add_error(field, [f"{key}: {m}" if key != field else m for m in messages])
            elif key == NON_FIELD_ERRORS:
                form.add_error(None, messages)
            else:
                form.add_error(None, [f"{key}: {m}" for m in messages])
    else:
        form.add_error(None, error.messages)
