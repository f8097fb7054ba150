"""Quote forms of the back-office and the portal. They validate and show input; the quotes
services do every write and have the last word (their errors land next to the fields
they name)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.quotes.models import AttachmentKind, LineUnit, QuoteStatus
from clausier.web.forms import (
    DateField,
    DocumentEditor,
    DocumentHeadForm,
    DocumentLineForm,
    ListFilterForm,
    ReasonForm,
    choice_filter,
    date_input,
    sorts,
    vat_choice,
)

DEFAULT_VALIDITY_DAYS = 30


class QuoteFilterForm(ListFilterForm):
    """The quote list's search, filters (``status``, ``expiring``) and order."""

    SORTS: ClassVar = sorts(
        created="created_at",
        number=("number", "revision"),
        valid_until="valid_until",
        total="total_ht",
    )
    DEFAULT_SORT = "-created"

    status = choice_filter(_("État"), _("Tous les états"), QuoteStatus.choices)
    expiring = forms.BooleanField(label=_("Expirent dans les 7 jours"), required=False)


class QuoteForm(DocumentHeadForm):
    """The head of a draft quote. The client is chosen once, when the draft is created."""

    client_help = _("Le devis est adressé à ce client et à ses contacts de facturation.")

    nature = forms.CharField(
        label=_("Nature des prestations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Ce que vous allez faire, en une ou deux phrases : une mention obligatoire du devis."
        ),
    )
    valid_until = DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=date_input(),
        help_text=_(
            "Dernier jour où le client peut accepter le devis (jusqu'à minuit, heure de Paris). "
            "Passé ce jour, le devis est considéré comme annulé."
        ),
    )
    requires_deposit = forms.BooleanField(
        label=_("Demander un acompte à l'acceptation"),
        required=False,
        help_text=_(
            "Son montant suit la clause d'acompte de vos CGV (par exemple 30 % du total HT) ; "
            "les travaux ne commencent qu'une fois l'acompte encaissé."
        ),
    )
    notes = forms.CharField(
        label=_("Conditions particulières"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : ce qui s'ajoute aux CGV pour ce devis seulement."),
    )

    confidential = forms.BooleanField(
        label=_("Devis confidentiel"),
        required=False,
        help_text=_(
            "Le devis et son cahier des charges ne sont visibles que des personnes nommées "
            "(vous, à la création) et du propriétaire du compte."
        ),
    )

    HEAD_FIELDS: ClassVar = ("nature", "notes", "requires_deposit", "valid_until")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "client" not in self.fields:  # editing: the quote page's panel says who sees it
            del self.fields["confidential"]
        if not self.is_bound and "valid_until" not in self.initial:
            self.initial["valid_until"] = timezone.localdate() + timedelta(
                days=DEFAULT_VALIDITY_DAYS
            )

    def clean_valid_until(self) -> date | None:
        value = self.cleaned_data.get("valid_until")
        if value is not None and value < timezone.localdate():
            raise ValidationError(_("Cette date est déjà passée : choisissez un jour à venir."))
        return value

    def head_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.HEAD_FIELDS}


class QuoteLineForm(DocumentLineForm):
    """One line of the quote editor. A row left blank is ignored; "Retirer" drops a row."""

    units: ClassVar = LineUnit
    required_fields: ClassVar = ("description", "unit_price")

    LINE_FIELDS: ClassVar = (
        "description",
        "quantity",
        "unit",
        "unit_price",
        "vat_rate",
        "product_code",
    )

    @property
    def used(self) -> bool:
        """Whether the row counts: typed into and not removed."""
        return self.has_changed() and not self._raw("remove")

    def _raw(self, name: str) -> Any:
        return self[name].value()

    def line(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.LINE_FIELDS}
        data["product_code"] = data["product_code"].strip()
        return data

    def raw_initial(self) -> dict[str, Any]:
        """What was typed, to show again in an unbound row (nothing lost)."""
        return {name: self._raw(name) for name in (*self.LINE_FIELDS, "remove")}


def line_initial(line) -> dict[str, Any]:
    """A saved line as the editor shows it."""
    return {
        "description": line.description,
        "quantity": line.quantity.normalize(),
        "unit": line.unit,
        "unit_price": line.unit_price.normalize(),
        "vat_rate": vat_choice(line.vat_rate),
        "product_code": line.product_code,
    }


class QuoteEditor(DocumentEditor):
    """The quote's head form and its rows of lines."""

    head_form = QuoteForm
    line_form = QuoteLineForm


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de document"),
        choices=AttachmentKind.choices,
        help_text=_(
            "Le cahier des charges (un PDF) devient contractuel quand le client accepte le "
            "devis ; une maquette ne l'est jamais."
        ),
    )
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        required=False,
        help_text=_("Laissé vide : le nom du fichier."),
    )
    file = forms.FileField(label=_("Fichier"))


def signatory_role_field() -> forms.CharField:
    """The signatory's capacity, as staff record it: required of a company by the services."""
    return forms.CharField(
        label=_("Qualité du signataire"),
        max_length=200,
        required=False,
        help_text=_("Gérant, président, directeur… Obligatoire pour une entreprise."),
    )


class EmailAcceptanceForm(forms.Form):
    """The client's consent received by email, uploaded as the .eml file itself."""

    eml = forms.FileField(
        label=_("E-mail d'accord (fichier .eml)"),
        help_text=_(
            "Dans votre messagerie, ouvrez l'e-mail du client puis « Enregistrer sous » ou "
            "« Télécharger le message » : le fichier .eml garde l'expéditeur, la date et le "
            "Message-ID qui prouvent l'accord."
        ),
    )
    signatory_name = forms.CharField(
        label=_("Nom du signataire"),
        max_length=200,
        required=False,
        help_text=_("Laissé vide : le nom de l'expéditeur de l'e-mail."),
    )
    signatory_role = signatory_role_field()


class PostalAcceptanceForm(forms.Form):
    """The signed copy returned by post, scanned, and what staff checked on it."""

    scan = forms.FileField(
        label=_("Exemplaire signé numérisé"),
        help_text=_("Le PDF ou l'image du devis retourné signé."),
    )
    signatory_name = forms.CharField(label=_("Nom du signataire"), max_length=200)
    signatory_role = signatory_role_field()
    signed_on = DateField(
        label=_("Date portée sur l'exemplaire"),
        widget=date_input(),
    )
    shows_bon_pour_accord = forms.BooleanField(
        label=_("L'exemplaire porte la mention « Bon pour accord »"), required=False
    )
    shows_signature = forms.BooleanField(label=_("Il est signé"), required=False)
    shows_date = forms.BooleanField(label=_("Il est daté"), required=False)
    shows_stamp = forms.BooleanField(
        label=_("Il porte le cachet commercial"),
        required=False,
        help_text=_("Exigé d'une entreprise seulement (« cachet commercial s'il y a lieu »)."),
    )


# --- portal ------------------------------------------------------------------------------------


class AcceptQuoteForm(forms.Form):
    """ "Bon pour accord" online: the statement ticked, who signs, and the fingerprint of the
    PDF shown on the page (checked again when the form comes back)."""

    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Cochez la case pour accepter le devis.")},
    )
    signatory_name = forms.CharField(
        label=_("Votre nom (signataire)"),
        max_length=200,
        help_text=_("Il figure sur la preuve d'acceptation conservée par le prestataire."),
    )
    signatory_role = forms.CharField(
        label=_("Votre qualité"),
        max_length=200,
        required=False,
        help_text=_("À quel titre vous engagez votre structure : gérant, présidente, trésorier…"),
    )

    def __init__(self, *args, statement: str, needs_role: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = statement
        if needs_role:
            self.fields["signatory_role"].required = True
        else:
            del self.fields["signatory_role"]


class RefuseQuoteForm(ReasonForm):
    reason_label = _("Pourquoi refusez-vous ce devis ?")
    reason_help = _("Le prestataire le lira : un prix, un délai, un besoin qui a changé…")
    rows = 3
