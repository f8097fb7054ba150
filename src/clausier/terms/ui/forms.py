"""Terms forms: drafts (the clauses' forms are in ``clause_forms``), acceptances received
outside the portal, the portal's acceptance. They validate and show input;
``terms.services`` does every write."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clausier.terms.models import AcceptanceMethod
from clausier.terms.ui.clause_forms import kind_choices
from clausier.web.forms import DateField


class AcceptanceForm(forms.Form):
    """An acceptance received outside the portal, with its evidence."""

    METHODS: ClassVar = [
        (AcceptanceMethod.EMAIL_CONSENT, AcceptanceMethod.EMAIL_CONSENT.label),
        (AcceptanceMethod.POSTAL_SCAN, AcceptanceMethod.POSTAL_SCAN.label),
        (AcceptanceMethod.SIGNED_QUOTE, AcceptanceMethod.SIGNED_QUOTE.label),
    ]

    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("Reçue par"), choices=METHODS)
    accepted_by_name = forms.CharField(
        label=_("Nom du signataire"),
        max_length=200,
        help_text=_("La personne qui a accepté, telle qu'elle a signé."),
    )
    accepted_at = forms.DateTimeField(
        label=_("Date de l'acceptation"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("La date de l'e-mail ou du courrier ; laissée vide : maintenant."),
    )
    message_id = forms.CharField(
        label=_("Message-ID de l'e-mail"),
        max_length=300,
        required=False,
        help_text=_(
            "Dans votre messagerie : « Afficher la source », ligne Message-ID. "
            "Ou joignez le fichier .eml ci-dessous."
        ),
    )
    evidence_file = forms.FileField(
        label=_("Pièce justificative"),
        required=False,
        help_text=_("Le fichier .eml de l'e-mail, ou le courrier « Bon pour accord » numérisé."),
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(label)s (%(status)s, en vigueur le %(date)s)") % {
            "label": obj.label,
            "status": obj.get_status_display().lower(),
            "date": date_format(obj.effective_date, "SHORT_DATE_FORMAT"),
        }


class SourceForm(forms.Form):
    """The version a new draft starts from (read from the page's address)."""

    source = VersionChoiceField(
        label=_("Partir de la version"),
        queryset=None,
        empty_label=None,
        help_text=_("Le brouillon reprend son texte et toutes ses clauses ; elle reste inchangée."),
    )

    def __init__(self, *args, versions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = versions

    def chosen(self):
        return self.cleaned_data["source"] if self.is_bound and self.is_valid() else None


class DraftForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Version de départ"), queryset=None, required=False, widget=forms.HiddenInput
    )
    label = forms.CharField(
        label=_("Version"), max_length=30, help_text=_("Par exemple v3.1 ; unique par vendeur.")
    )
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    effective_date = DateField(
        label=_("Date d'effet"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Texte intégral (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 14, "lang": "fr"}),  # terms are in French
        help_text=_("Le texte tel que le client le lira ; # pour les titres d'articles."),
    )

    def __init__(self, *args, versions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = versions


class AcceptTermsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        required=True,
        error_messages={"required": _("Cochez la case pour accepter les conditions.")},
    )
    accepted_by_name = forms.CharField(
        label=_("Votre nom (signataire)"),
        max_length=200,
        help_text=_("Il figure sur la preuve d'acceptation conservée par le vendeur."),
    )

    def __init__(self, *args, version, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept"].label = _(
            "J'ai lu et j'accepte les conditions générales de vente %(label)s"
        ) % {"label": version.label}


class KindForm(forms.Form):
    """The kind of the clause to add, which picks its form."""

    kind = forms.ChoiceField(label=_("Type de clause"), choices=kind_choices)


def accept_form(contact, version) -> AcceptTermsForm:
    """The portal's acceptance of ``version``, the contact's name prefilled as the signatory."""
    return AcceptTermsForm(
        version=version, initial={"version": version.pk, "accepted_by_name": contact.name}
    )
