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


class RefuseQuoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi refusez-vous ce devis ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le prestataire le lira : un prix, un délai, un besoin qui a changé…"),
    )
