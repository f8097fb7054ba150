"""A service's refusal that names a field no form shows reads with the field's label on the
screen, or alone: never with the field's code."""

from django import forms
from django.core.exceptions import ValidationError

from clausier.orders.ui.forms import add_order_errors
from clausier.quotes.ui.backoffice import _error_text


def test_an_order_refusal_on_a_field_no_form_shows_names_it_by_its_label():
    summary = forms.Form(data={})
    summary.is_valid()
    error = ValidationError({"terms_label": ["à renseigner"], "odd_code": ["refusé"]})
    add_order_errors(error, summary=summary)
    assert summary.non_field_errors() == ["Version des CGV : À renseigner", "Refusé"]


def test_a_quote_refusal_names_fields_by_their_labels():
    error = ValidationError({"valid_until": ["dépassée"], "odd_code": ["refusé"]})
    text = _error_text(error)
    assert text == "Validité : dépassée refusé"
    assert "odd_code" not in text
    assert "valid_until" not in text
