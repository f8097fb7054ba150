"""Client and contact forms. They validate and show input; ``customers.services`` does every
write."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from clausier.customers.models import Client, ClientKind
from clausier.web.forms import IdentifierField, ListFilterForm, choice_filter, sorts

CLIENT_FIELD_ORDER = [
    "kind",
    "name",
    "siren",
    "vat_number",
    "email",
    "einvoice_scheme",
    "einvoice_address",
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
        field_classes: ClassVar = {"siren": IdentifierField, "vat_number": IdentifierField}
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
            "preferred_language": _(
                "Langue des documents et des e-mails envoyés au client ; sans préférence, la "
                "langue par défaut de vos paramètres."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["preferred_language"]
        language.choices = [("", _("Sans préférence (langue par défaut du vendeur)"))] + [
            choice for choice in language.choices if choice[0]
        ]


class ClientFilterForm(ListFilterForm):
    """The client list's search, filter (``kind``) and order."""

    SORTS: ClassVar = sorts(name="name", created="created_at")
    DEFAULT_SORT = "name"

    kind = choice_filter(_("Type de client"), _("Tous les types"), ClientKind.choices)


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


class OwnContactForm(forms.Form):
    """What a contact may change about themself; the client's legal identity is the
    seller's to edit."""

    name = forms.CharField(label=_("Nom"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Les e-mails du vendeur vous parviennent à cette adresse.")
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
