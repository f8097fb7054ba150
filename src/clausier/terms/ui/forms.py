"""Terms forms: drafts and clauses, acceptances received outside the portal, the portal's
acceptance. They validate and show input; ``terms.services`` does every write."""

from __future__ import annotations

import json
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clausier.terms.models import AcceptanceMethod
from clausier.terms.schemas import KINDS
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


class DraftForm(forms.Form):
    label = forms.CharField(
        label=_("Version"), max_length=30, help_text=_("Par exemple v3.1 ; unique par vendeur.")
    )
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    effective_date = DateField(
        label=_("Date d'effet"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Texte intégral (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Le texte tel que le client le lira ; # pour les titres d'articles."),
    )


class ClauseForm(forms.Form):
    clause_id = forms.CharField(
        label=_("Identifiant"), max_length=60, help_text=_("Stable d'une version à l'autre.")
    )
    kind = forms.ChoiceField(label=_("Type"), choices=[(k, k) for k in KINDS])
    article = forms.CharField(label=_("Article"), max_length=30)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    excerpt = forms.CharField(label=_("Extrait"), widget=forms.Textarea(attrs={"rows": 3}))
    parameters = forms.CharField(
        label=_("Paramètres (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        help_text=_('Par exemple {"n": 14, "unit": "jours_ouvres", "from": "invoice_date"}.'),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

    def clean_parameters(self) -> dict:
        raw = (self.cleaned_data.get("parameters") or "").strip() or "{}"
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("JSON invalide (ligne %(line)s, colonne %(col)s) : %(msg)s"),
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            ) from None
        if not isinstance(value, dict):
            raise ValidationError(_("Un objet JSON est attendu, entre accolades."))
        return value


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


def accept_form(contact, version) -> AcceptTermsForm:
    """The portal's acceptance of ``version``, the contact's name prefilled as the signatory."""
    return AcceptTermsForm(
        version=version, initial={"version": version.pk, "accepted_by_name": contact.name}
    )
