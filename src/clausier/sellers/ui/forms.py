"""The seller's settings form. It validates and shows input; ``sellers.services`` writes."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from clausier.kernel.uploads import max_bytes
from clausier.sellers.domain import SETTINGS_GROUPS
from clausier.sellers.models import Seller

SETTINGS_FIELD_ORDER = [name for group in SETTINGS_GROUPS.values() for name in group]


class SellerSettingsForm(forms.ModelForm):
    """Every setting of the seller, shown by group (``SETTINGS_GROUPS``). Never saved by
    itself: the view hands the changed fields to ``sellers.services.update_settings``. The
    model's validators (SIREN, SIRET, VAT number, IBAN, BIC Luhn and checksum rules) run here
    first, so a refused value is named next to its field."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)

    class Meta:
        model = Seller
        fields = SETTINGS_FIELD_ORDER
        widgets: ClassVar = {"brand_color": forms.TextInput(attrs={"type": "color"})}
        help_texts: ClassVar = {
            "legal_name": _(
                "Le nom de l'entreprise tel qu'il figure au registre (Kbis ou avis INSEE) ; "
                "mention obligatoire des factures (CGI, ann. II, art. 242 nonies A)."
            ),
            "trade_name": _("Le nom sous lequel vos clients vous connaissent, s'il diffère."),
            "legal_form": _(
                "SARL, SAS, EURL, EI… Une société l'indique sur ses devis et factures "
                "(C. com. art. R123-237)."
            ),
            "share_capital": _(
                "Montant du capital social, à indiquer avec la forme juridique sur les "
                "documents d'une société (C. com. art. R123-237) ; laissez vide pour une "
                "entreprise individuelle."
            ),
            "siren": _(
                "9 chiffres attribués par l'INSEE. Mention obligatoire de chaque facture "
                "(CGI, ann. II, art. 242 nonies A) : sans lui, clausier n'émet pas de facture."
            ),
            "siret": _("14 chiffres : le SIREN suivi du numéro de l'établissement qui facture."),
            "rcs_city": _(
                "Ville du greffe où la société est immatriculée : les documents portent "
                "« RCS » suivi de cette ville (C. com. art. R123-237). Vide si vous n'êtes pas "
                "inscrit au RCS."
            ),
            "address_line1": _(
                "Adresse du siège, imprimée sur les devis et les factures (CGI, ann. II, "
                "art. 242 nonies A)."
            ),
            "country": _("Code pays à deux lettres (FR, BE, CH…)."),
            "vat_regime": _(
                "En franchise en base, vous ne facturez pas de TVA et chaque facture porte la "
                "mention « TVA non applicable, art. 293 B du CGI »."
            ),
            "vat_number": _(
                "FR, une clé de 2 chiffres puis le SIREN. Obligatoire sur les factures dès que "
                "vous facturez la TVA (CGI, ann. II, art. 242 nonies A) ; inutile en franchise "
                "en base."
            ),
            "iban": _("Imprimé sur les factures pour le paiement par virement, avec le BIC."),
            "bic": _("8 ou 11 caractères, donnés par votre banque avec l'IBAN."),
            "email_sales": _(
                "Adresse de réponse des devis envoyés : la réponse du client arrive ici."
            ),
            "email_accounting": _(
                "Adresse de réponse des factures envoyées (à défaut, l'adresse commerciale)."
            ),
            "default_language": _("Langue proposée par défaut pour vos documents."),
            "brand_color": _("Couleur des titres et des filets sur les devis et les factures."),
            "invoice_prefix": _(
                "Début du numéro des factures (F → F2026-000001). La numérotation reste "
                "chronologique et continue, sans trou (CGI, ann. II, art. 242 nonies A)."
            ),
            "credit_note_prefix": _("Début du numéro des avoirs (AV → AV2026-000001)."),
            "quote_prefix": _("Début du numéro des devis (D → D2026-000001)."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Worded here, in the request's language (a lazy string would be worded at import).
        self.fields["logo"].help_text = _(
            "Image PNG ou JPEG de %(max)d Ko au plus, imprimée en tête des devis et des factures."
        ) % {"max": max_bytes("logo") // 1024}
        for name in ("invoice_prefix", "credit_note_prefix", "quote_prefix"):
            self.fields[name].widget.attrs["size"] = 6
