"""Back-office forms for invoices and credit notes. They validate and show input; the
invoicing services do every write and have the last word (their errors land next to the
fields they name)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.invoicing.domain import UNITS
from clausier.invoicing.models import InvoiceKind, InvoiceStatus, LineUnit, PaymentStatus
from clausier.web.forms import (
    DateField,
    DecimalField,
    DocumentEditor,
    DocumentHeadForm,
    DocumentLineForm,
    ListFilterForm,
    choice_filter,
    date_input,
    sorts,
    vat_choice,
)


def _decimal_input(size: int) -> dict[str, Any]:
    return {"inputmode": "decimal", "size": size}


# --- the list ----------------------------------------------------------------------------------

# The payment filter's "still owed" choice: to pay or late, what the dashboards call outstanding.
OWED = "owed"


class InvoiceFilterForm(ListFilterForm):
    """The invoice list's search, filters and order (the CSV export takes the same ones)."""

    SORTS: ClassVar = {
        # Drafts first (the work waiting), then the newest documents.
        "-issue_date": (F("issue_date").desc(nulls_first=True), "-series", "-sequence", "-id"),
        "issue_date": (F("issue_date").asc(nulls_last=True), "series", "sequence", "id"),
        "due_date": (F("due_date").asc(nulls_last=True), "id"),
        "-due_date": (F("due_date").desc(nulls_last=True), "-id"),
        **sorts(
            number=("series", "year", "sequence"),
            client="client_label",
            ttc="signed_ttc",
            due="outstanding",
        ),
    }
    DEFAULT_SORT = "-issue_date"

    status = choice_filter(_("État"), _("Brouillons et émises"), InvoiceStatus.choices)
    kind = choice_filter(_("Type"), _("Tous les types"), InvoiceKind.choices)
    client = forms.TypedChoiceField(label=_("Client"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("Émises du"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("au"), required=False, widget=date_input())
    payment = choice_filter(
        _("Paiement"),
        _("Tous"),
        [*PaymentStatus.choices, (OWED, _("À encaisser (à payer ou en retard)"))],
    )
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)
    revenue = forms.BooleanField(label=_("Chiffre d'affaires (hors acomptes)"), required=False)

    def __init__(self, *args, clients: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", _("Tous les clients")), *clients]


# --- the draft editor ----------------------------------------------------------------------------


class InvoiceHeadForm(DocumentHeadForm):
    """The head of a draft invoice. The client is chosen once, when the draft is created."""

    client_help = _("La facture est adressée à ce client ; ses coordonnées y seront figées.")

    notes = forms.CharField(
        label=_("Mentions particulières"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : une ligne par mention, imprimée sur la facture."),
    )
    service_date = DateField(
        label=_("Date de la prestation"),
        required=False,
        widget=date_input(),
        help_text=_(
            "Si la prestation a été réalisée ou achevée un autre jour que la date de la "
            "facture : elle est alors imprimée (CGI ann. II art. 242 nonies A, I-7°)."
        ),
    )


class InvoiceLineForm(DocumentLineForm):
    """One line of the invoice editor: from the catalog (a product code, priced on the day)
    or free (designation, unit price, VAT). A row left blank is ignored."""

    units: ClassVar = LineUnit
    field_order: ClassVar = ["product_code"]

    FIELDS: ClassVar = ("product_code", "description", "quantity", "unit", "unit_price", "vat_rate")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_code"].widget.attrs.update({"list": "catalog-codes"})

    TYPED: ClassVar = ("product_code", "description", "quantity", "unit_price")

    @property
    def used(self) -> bool:
        """Whether the row counts: something typed into it (a unit or a VAT rate chosen
        alone is not a line) and not removed."""
        if self["remove"].value():
            return False
        return any(str(self[name].value() or "").strip() for name in self.TYPED)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("product_code") or "").strip():
            if not (data.get("description") or "").strip():
                self.add_error(
                    "description",
                    _("Indiquez la désignation, ou un code produit du catalogue."),
                )
            if data.get("unit_price") is None and "unit_price" not in self.errors:
                self.add_error("unit_price", _("Indiquez le prix unitaire HT."))
        return data

    def line(self) -> dict[str, Any]:
        """The line as the invoicing services take it."""
        data = self.cleaned_data
        code = data["product_code"].strip()
        if code:  # priced from the catalog on the day: label, unit, price and VAT from there
            line = {"product_code": code, "quantity": data["quantity"]}
            if data["description"].strip():
                line["description"] = data["description"].strip()
            return line
        return {
            "description": data["description"].strip(),
            "quantity": data["quantity"],
            "unit": data["unit"],
            "unit_price": data["unit_price"],
            "vat_rate": data["vat_rate"],
        }

    def raw_initial(self) -> dict[str, Any]:
        return {name: self[name].value() for name in (*self.FIELDS, "remove")}


def line_initial(line) -> dict[str, Any]:
    """A saved draft line as the editor shows it."""
    return {
        "product_code": line.product_code,
        "description": line.description,
        "quantity": line.quantity.normalize(),
        "unit": line.unit,
        "unit_price": line.unit_price.normalize(),
        "vat_rate": vat_choice(line.vat_rate),
    }


class InvoiceEditor(DocumentEditor):
    """The head form and its rows of lines (the quote editor's shape, with catalog lines);
    a service's error on "lines" is shown on top."""

    head_form = InvoiceHeadForm
    line_form = InvoiceLineForm
    general_keys = (NON_FIELD_ERRORS, "lines")

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.issue_error: str = ""
        self.zero_total = False  # refused for a 0,00 € total: the page asks to confirm
        self.missing: list[dict[str, str]] = []

    @staticmethod
    def _carried(row: InvoiceLineForm) -> bool:
        return row.used

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid and not self._used:
            self.head.add_error(None, _("Ajoutez au moins une ligne à la facture."))
            return False
        return valid

    def notes(self) -> dict[str, Any]:
        """The draft's own fields: its notes and its service date."""
        return {name: self.head.cleaned_data[name] for name in ("notes", "service_date")}

    @property
    def has_errors(self) -> bool:
        return super().has_errors or bool(self.issue_error)


# --- actions on an issued invoice -----------------------------------------------------------------


def _credited(label, most, *, digits: tuple[int, int], width: int) -> forms.DecimalField:
    """How much of an invoice line's figure a credit note takes: optional, from 0 to ``most``."""
    max_digits, decimal_places = digits
    return DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=most,
        max_digits=max_digits,
        decimal_places=decimal_places,
        localize=True,
        widget=forms.TextInput(attrs=_decimal_input(width)),
    )


class CreditNoteForm(forms.Form):
    """A credit note on an issued invoice: everything that remains, or part of it, line by
    line (a quantity and, when only part of the price is credited, a lower unit price). The
    service refuses anything above what remains creditable."""

    FULL, PARTIAL = "full", "partial"

    mode = forms.ChoiceField(
        label=_("Ce que l'avoir annule"),
        choices=[
            (FULL, _("Tout ce qui reste de la facture")),
            (PARTIAL, _("Une partie : les quantités et montants ci-dessous")),
        ],
        initial=FULL,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif de l'avoir"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Imprimé sur l'avoir : erreur de prix, prestation annulée, geste commercial…"),
        error_messages={"required": _("Indiquez le motif de l'avoir : il figure sur l'avoir.")},
    )

    def __init__(self, *args, lines=(), **kwargs) -> None:
        kwargs.setdefault("prefix", "credit")
        super().__init__(*args, **kwargs)
        self.document_lines = list(lines)
        for i, line in enumerate(self.document_lines):
            self.fields[f"quantity_{i}"] = _credited(
                _("Quantité à créditer"), line.quantity, digits=(12, 3), width=6
            )
            self.fields[f"unit_price_{i}"] = _credited(
                _("Prix unitaire HT crédité (€)"), line.unit_price_ht, digits=(14, 4), width=8
            )
            self.initial.setdefault(f"unit_price_{i}", line.unit_price_ht.normalize())

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (line, self[f"quantity_{i}"], self[f"unit_price_{i}"])
            for i, line in enumerate(self.document_lines)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode") == self.PARTIAL and not self.errors and not self.lines():
            raise ValidationError(
                _("Indiquez la quantité à créditer d'au moins une ligne (ou choisissez tout).")
            )
        return data

    def lines(self) -> list[dict[str, Any]] | None:
        """None to credit everything that remains; else the free lines of the credit note."""
        if self.cleaned_data.get("mode") != self.PARTIAL:
            return None
        credited = []
        for i, line in enumerate(self.document_lines):
            quantity = self.cleaned_data.get(f"quantity_{i}")
            if not quantity:
                continue
            price = self.cleaned_data.get(f"unit_price_{i}")
            credited.append(
                {
                    "description": line.description,
                    "quantity": quantity,
                    "unit": _unit_key(line.unit_code),
                    "unit_label": line.unit,
                    "unit_price": line.unit_price_ht if price is None else price,
                    # The document prints rates in percent; services take fractions.
                    "vat_rate": line.vat_rate / 100,
                    "discount": line.discount_rate / 100,
                }
            )
        return credited


def _unit_key(code: str) -> str:
    """The unit of a document line (its UN/ECE code) as the services take it."""
    return next((key for key, (_label, c) in UNITS.items() if c == code), LineUnit.UNIT)


class PaymentForm(forms.Form):
    amount = DecimalField(
        label=_("Montant reçu (€)"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs=_decimal_input(10)),
    )
    paid_on = DateField(
        label=_("Reçu le"),
        widget=date_input(),
        help_text=_("La date portée sur le relevé bancaire."),
    )

    def __init__(self, *args, outstanding: Decimal | None = None, **kwargs) -> None:
        kwargs.setdefault("prefix", "payment")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("paid_on", timezone.localdate())
            if outstanding:
                self.initial.setdefault("amount", outstanding)

    def clean_paid_on(self) -> date:
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Un paiement ne peut pas être daté dans le futur."))
        return value


class ResendForm(forms.Form):
    to = forms.CharField(
        label=_("Destinataires"),
        required=False,
        max_length=1000,
        help_text=_(
            "Laissé vide : les contacts de facturation du client. Sinon, une ou plusieurs "
            "adresses séparées par des virgules."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "resend")
        super().__init__(*args, **kwargs)

    def clean_to(self) -> list[str] | None:
        raw = self.cleaned_data.get("to") or ""
        addresses = [a.strip() for a in re.split(r"[,;\s]+", raw) if a.strip()]
        validate = forms.EmailField().clean
        for address in addresses:
            try:
                validate(address)
            except ValidationError:
                raise ValidationError(
                    _("« %(address)s » n'est pas une adresse e-mail valide.") % {"address": address}
                ) from None
        return addresses or None
