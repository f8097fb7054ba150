"""Form helpers shared by the back-office and the portal."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
