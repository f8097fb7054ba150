"""web.forms.submit: a service's refusal lands on the form, with the status the page answers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from clausier.kernel.errors import Conflict
from clausier.web.forms import Submitted, submit


class AmountForm(forms.Form):
    amount = forms.DecimalField()


def test_a_valid_form_runs_the_write_with_its_cleaned_data():
    done = submit(AmountForm({"amount": "12.5"}), lambda data: data["amount"] * 2)
    assert done == Submitted(ok=True, result=25, status=200)


def test_an_invalid_form_never_runs_the_write():
    calls = []
    form = AmountForm({"amount": "douze"})
    assert submit(form, calls.append) == Submitted(ok=False, status=400)
    assert calls == []
    assert "amount" in form.errors


def test_a_validation_error_goes_next_to_its_field():
    def refuse(data):
        raise ValidationError({"amount": "différent du total TTC"})

    form = AmountForm({"amount": "3"})
    assert submit(form, refuse).status == 400
    assert form.errors["amount"] == ["différent du total TTC"]


def test_a_domain_error_goes_on_top_with_the_refusal_status():
    def refuse(data):
        raise Conflict("commande annulée")

    form = AmountForm({"amount": "3"})
    assert submit(form, refuse) == Submitted(ok=False, status=409)
    assert form.non_field_errors() == ["commande annulée"]
    form = AmountForm({"amount": "3"})
    assert submit(form, refuse, refused_status=400).status == 400
