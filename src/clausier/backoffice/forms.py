"""Back-office forms. They validate and show input; the services do every write."""

from __future__ import annotations

import json
from typing import ClassVar

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clausier.customers.models import Client, ClientKind
from clausier.terms.models import AcceptanceMethod
from clausier.terms.schemas import KINDS

CLIENT_FIELD_ORDER = [
    "kind",
    "name",
    "siren",
    "vat_number",
    "email",
    "phone",
    "billing_line1",
    "billing_line2",
    "billing_postal_code",
    "billing_city",
    "billing_country",
    "delivery_line1",
    "delivery_line2",
    "delivery_postal_code",
    "delivery_city",
    "delivery_country",
    "preferred_language",
]


class ClientForm(forms.ModelForm):
    """The client's identity. Never saved by itself: the view hands ``cleaned_data`` to
    ``create_client`` / ``update_client``."""

    class Meta:
        model = Client
        fields = CLIENT_FIELD_ORDER
        help_texts: ClassVar = {
            "kind": _(
                "Un particulier bénéficie du droit de rétractation et des rappels de "
                "reconduction ; un professionnel doit l'indemnité de 40 € en cas de retard."
            ),
            "siren": _(
                "9 chiffres (sur l'avis de situation INSEE ou societe.com). Obligatoire sur "
                "les factures adressées à un professionnel à partir du 1er septembre 2026."
            ),
            "vat_number": _("FR, une clé de 2 chiffres puis le SIREN, par exemple FR40303265045."),
            "email": _("Les factures et les rappels partent à cette adresse."),
            "billing_country": _("Code pays à deux lettres (FR, BE, CH…)."),
            "delivery_line1": _("À remplir seulement si elle diffère de l'adresse de facturation."),
            "preferred_language": _("Langue des documents et des e-mails envoyés au client."),
        }


class ClientFilterForm(forms.Form):
    """The list's search, filter and order; anything invalid falls back to the default."""

    SORTS: ClassVar = {
        "name": ("name", "id"),
        "-name": ("-name", "-id"),
        "created": ("created_at", "id"),
        "-created": ("-created_at", "-id"),
    }

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type de client"),
        required=False,
        choices=[("", _("Tous les types")), *ClientKind.choices],
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def values(self) -> tuple[str, str, str]:
        """``(q, kind, sort)`` cleaned, with defaults for what is missing or invalid."""
        self.is_valid()  # invalid fields are left out of cleaned_data: their default applies
        data = self.cleaned_data
        return (
            (data.get("q") or "").strip(),
            data.get("kind") or "",
            data.get("sort") or "name",
        )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    role = forms.CharField(label=_("Fonction"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    is_billing = forms.BooleanField(label=_("Reçoit les factures"), required=False)
    portal_access = forms.BooleanField(
        label=_("Créer un accès à l'espace client"),
        required=False,
        help_text=_("Le contact se connecte avec son e-mail pour lire et accepter les CGV."),
    )
    password = forms.CharField(
        label=_("Mot de passe initial"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "À transmettre au contact par un autre canal. Laissé vide, l'accès est créé sans "
            "mot de passe utilisable."
        ),
    )

    CONTACT_FIELDS: ClassVar = ("name", "role", "email", "phone", "is_billing")

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            validate_password(password)
        return password

    def contact_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CONTACT_FIELDS}


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


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Où il sert, par exemple « ERP » ou « site web » : pour le retrouver."),
    )


class DraftForm(forms.Form):
    label = forms.CharField(
        label=_("Version"), max_length=30, help_text=_("Par exemple v3.1 ; unique par vendeur.")
    )
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    effective_date = forms.DateField(
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
