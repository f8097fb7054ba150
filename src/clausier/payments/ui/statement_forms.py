"""Bank statement forms: a statement uploaded, a line to review matched (one invoice or a
split), kept as a client's credit or ignored, a bank's CSV column mapping. They carry what
was typed; the statement services check, decide and refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clausier.payments.statement_models import StatementFormat
from clausier.web.forms import DecimalField

SPLIT_ROWS = 4


def _amount_field(label, **extra) -> DecimalField:
    return DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
        **extra,
    )


COLUMN_FIELDS = (
    ("date", _("Date d'opération")),
    ("value_date", _("Date de valeur")),
    ("amount", _("Montant signé")),
    ("debit", _("Débit")),
    ("credit", _("Crédit")),
    ("label", _("Libellé")),
    ("reference", _("Référence")),
    ("counterparty", _("Contrepartie")),
    ("iban", _("IBAN de la contrepartie")),
)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Relevé"))
    format = forms.ChoiceField(label=_("Format"), choices=StatementFormat.choices)
    mapping = forms.ChoiceField(label=_("Banque (relevé CSV)"), required=False)

    def __init__(self, *args, banks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [("", "—"), *((b, b) for b in banks)]


class MatchForm(forms.Form):
    """Up to :data:`SPLIT_ROWS` invoices and the amount each is paid (several: a split)."""

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((str(i.pk), f"{i.number} — {i.client.name}") for i in invoices)]
        for row in range(SPLIT_ROWS):
            self.fields[f"invoice_{row}"] = forms.ChoiceField(
                label=_("Facture"), choices=choices, required=row == 0
            )
            self.fields[f"amount_{row}"] = _amount_field(_("Montant"), required=row == 0)

    def rows(self) -> list[tuple[int, object]]:
        out = []
        for row in range(SPLIT_ROWS):
            invoice = self.cleaned_data.get(f"invoice_{row}")
            if invoice:
                out.append((int(invoice), self.cleaned_data.get(f"amount_{row}")))
        return out


class CreditForm(forms.Form):
    client = forms.ChoiceField(label=_("Client"))

    def __init__(self, *args, clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [("", "—"), *((str(c.pk), c.name) for c in clients)]


class IgnoreForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=500)


class MappingForm(forms.Form):
    """A bank's CSV: a column by its title (or its position, from 1), the way it is written."""

    bank = forms.CharField(label=_("Banque"), max_length=100)
    delimiter = forms.CharField(label=_("Séparateur"), max_length=1, initial=";", strip=False)
    encoding = forms.CharField(label=_("Encodage"), max_length=30, initial="utf-8")
    decimal_comma = forms.BooleanField(label=_("Virgule décimale"), required=False, initial=True)
    date_format = forms.CharField(label=_("Format des dates"), max_length=30, initial="%d/%m/%Y")
    skip_rows = forms.IntegerField(label=_("Lignes avant les titres"), min_value=0, initial=0)
    has_header = forms.BooleanField(label=_("Ligne de titres"), required=False, initial=True)
    skip_footer_rows = forms.IntegerField(
        label=_("Lignes de fin à ignorer"), min_value=0, initial=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in COLUMN_FIELDS:
            self.fields[name] = forms.CharField(
                label=_("Colonne : %(what)s") % {"what": label}, max_length=100, required=False
            )

    @staticmethod
    def initial_of(saved) -> dict:
        data = dict(saved.mapping)
        data["bank"] = saved.bank
        return {k: "" if v is None else v for k, v in data.items()}

    def mapping(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "delimiter",
                "encoding",
                "decimal_comma",
                "date_format",
                "skip_rows",
                "has_header",
                "skip_footer_rows",
            )
        }
        for name, _label in COLUMN_FIELDS:
            text = (self.cleaned_data.get(name) or "").strip()
            data[name] = int(text) if text.isdigit() else (text or None)
        return data
