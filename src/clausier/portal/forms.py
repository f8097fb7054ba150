"""Portal forms: the client's contacts accept terms and keep their own details current."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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


class OwnContactForm(forms.Form):
    """What a contact may change about themself; the client's legal identity is the
    seller's to edit."""

    name = forms.CharField(label=_("Nom"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Les e-mails du vendeur vous parviennent à cette adresse.")
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
