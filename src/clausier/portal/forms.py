"""Portal forms: the client's contacts accept terms and keep their own details current."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
