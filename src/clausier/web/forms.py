"""Form helpers shared by the back-office and the portal: service errors next to their
fields, and the widgets every document form uses (dates, French VAT rates)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from clausier.kernel.errors import DomainError

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


class DocumentLineForm(forms.Form):
    """One row of a document's line editor (a quote's, an invoice's). A subclass names its
    ``units`` (the choices of "Unité", flat rate first shown), the fields it requires on top
    of the quantity and, with ``field_order``, where its product code stands."""

    description = forms.CharField(
        label=_("Désignation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantité"), max_digits=12, decimal_places=3, localize=True, required=True
    )
    unit = forms.ChoiceField(label=_("Unité"))
    unit_price = forms.DecimalField(
        label=_("Prix unitaire HT (€)"),
        max_digits=14,
        decimal_places=4,
        localize=True,
        min_value=0,
        required=False,
    )
    vat_rate = forms.TypedChoiceField(
        label=_("TVA"), choices=VAT_RATES, coerce=Decimal, empty_value=Decimal(0)
    )
    product_code = forms.CharField(label=_("Code produit"), max_length=60, required=False)
    remove = forms.BooleanField(label=_("Retirer"), required=False)

    units: ClassVar[Any]
    required_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args, default_vat: Decimal = Decimal(0), **kwargs) -> None:
        kwargs.setdefault("empty_permitted", True)
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = self.units.choices
        self.fields["unit"].initial = self.units.FLAT
        for name in self.required_fields:
            self.fields[name].required = True
        self.fields["vat_rate"].initial = vat_choice(default_vat)
        self.fields["quantity"].widget.attrs.update({"inputmode": "decimal", "size": 6})
        self.fields["unit_price"].widget.attrs.update({"inputmode": "decimal", "size": 8})


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


@dataclass(frozen=True)
class Submitted:
    """What :func:`submit` made of a form: the service's result when it wrote, else the
    status the page is answered with (the form then holds the errors)."""

    ok: bool
    result: Any = None
    status: int = 400


def submit(
    form: forms.Form, write: Callable[[dict[str, Any]], Any], *, refused_status: int = 409
) -> Submitted:
    """When ``form`` is valid, ``write(form.cleaned_data)`` (a service call). A refusal goes on
    the form: a ``ValidationError`` next to the fields it names (400), a ``DomainError`` on
    top (``refused_status``, 409 unless the page answers otherwise). An invalid form: 400."""
    if not form.is_valid():
        return Submitted(ok=False)
    try:
        return Submitted(ok=True, result=write(form.cleaned_data), status=200)
    except ValidationError as error:
        add_service_errors(form, error)
        return Submitted(ok=False)
    except DomainError as error:
        form.add_error(None, str(error))
        return Submitted(ok=False, status=refused_status)
