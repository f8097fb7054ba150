"""The contracts' forms: the consumer's one-button confirmation of an online termination,
and a notice received by staff (a registered letter with its evidence). They parse and show
input; ``contracts.services`` decides and writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.contracts.domain import SELLER_ARCHIVE_DAYS
from clausier.contracts.models import (
    ArchiveChannel,
    ClaimExclusion,
    ClaimStatus,
    LineKind,
    NoticeChannel,
    Party,
    Procedure,
    RevisionReason,
)
from clausier.web.forms import DateField


class ConfirmForm(forms.Form):
    """One button, nothing to fill (C. conso. L215-1-1: termination as simple as ordering)."""


class NoticeForm(forms.Form):
    """A notice not to renew received by the seller, with its evidence."""

    given_by = forms.ChoiceField(label=_("Donné par"), choices=Party.choices)
    channel = forms.ChoiceField(
        label=_("Reçu par"),
        choices=[(c, label) for c, label in NoticeChannel.choices if c != NoticeChannel.PORTAL],
    )
    sent_on = DateField(label=_("Envoyé le"), required=False)
    received_on = DateField(
        label=_("Reçu le"),
        help_text=_("Le jour de réception (avis de réception) : le préavis se juge ce jour-là."),
    )
    tracking_number = forms.CharField(
        label=_("Numéro de suivi du recommandé"), max_length=60, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


LINE_SLOTS = 3


class NewContractForm(forms.Form):
    """A contract opened by staff: its client, reference, start and period, and up to
    :data:`LINE_SLOTS` recurring services (an empty slot is left out). The renewal (tacit or
    not, the notice) comes from the seller's current terms."""

    client = forms.TypedChoiceField(label=_("Client"), coerce=int)
    reference = forms.CharField(label=_("Référence"), max_length=40)
    start_on = DateField(label=_("Début"))
    period_months = forms.IntegerField(
        label=_("Durée d'une période (mois)"), min_value=1, max_value=120, initial=12
    )

    def __init__(self, *args, clients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]
        for n in range(1, LINE_SLOTS + 1):
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=_("Nature (prestation %(n)s)") % {"n": n},
                choices=LineKind.choices,
                required=False,
            )
            self.fields[f"description_{n}"] = forms.CharField(
                label=_("Désignation (prestation %(n)s)") % {"n": n},
                max_length=300,
                required=False,
            )
            self.fields[f"amount_{n}"] = forms.DecimalField(
                label=_("Montant HT par période (prestation %(n)s)") % {"n": n},
                min_value=0,
                decimal_places=2,
                required=False,
            )
            self.fields[f"vat_{n}"] = forms.DecimalField(
                label=_("Taux de TVA, en pourcentage (prestation %(n)s)") % {"n": n},
                min_value=0,
                max_value=100,
                decimal_places=2,
                required=False,
                initial=0,
            )

    def lines(self) -> list[dict]:
        """The filled slots as the service's lines (``kind``, ``description``, ``amount_ht``,
        ``vat_rate`` as a fraction)."""
        data = self.cleaned_data
        return [
            {
                "kind": data[f"kind_{n}"] or LineKind.OTHER,
                "description": data[f"description_{n}"],
                "amount_ht": data[f"amount_{n}"] or 0,
                "vat_rate": (data[f"vat_{n}"] or 0) / 100,
            }
            for n in range(1, LINE_SLOTS + 1)
            if (data.get(f"description_{n}") or "").strip()
        ]


class BreachForm(forms.Form):
    """The registered letter naming a breach (seed 002 art. 7)."""

    given_by = forms.ChoiceField(label=_("Notifié par"), choices=Party.choices)
    description = forms.CharField(label=_("Manquement reproché"), widget=forms.Textarea)
    sent_on = DateField(label=_("Lettre recommandée envoyée le"))
    tracking_number = forms.CharField(label=_("Numéro de suivi du recommandé"), max_length=60)
    remedy_possible = forms.BooleanField(
        label=_("Le manquement peut être réparé"),
        required=False,
        initial=True,
        help_text=_("Décoché : le contrat prend fin dès l'envoi de la lettre."),
    )


class RemedyForm(forms.Form):
    """The remedy of the breach notified and not yet remedied."""

    remedied_on = DateField(label=_("Réparé le"))
    note = forms.CharField(label=_("Remède"), widget=forms.Textarea, required=False)


class ForceMajeureForm(forms.Form):
    """A force majeure event and its notification (seed 002 art. 8)."""

    declared_by = forms.ChoiceField(label=_("Invoquée par"), choices=Party.choices)
    description = forms.CharField(label=_("Événement"), widget=forms.Textarea)
    started_on = DateField(label=_("Survenu le"))
    notice_received_on = DateField(label=_("Notification reçue le"))


class ForceMajeureEndForm(forms.Form):
    ended_on = DateField(label=_("Terminé le"))


class ForceMajeureTerminateForm(forms.Form):
    letter_received_on = DateField(label=_("Lettre recommandée de résiliation reçue le"))


class PriceRevisionForm(forms.Form):
    """A higher price proposed at term (seed 002 art. 12b): the reason, and each line's new
    amount HT per period (its current amount by default: only increases)."""

    reason = forms.ChoiceField(label=_("Motif"), choices=RevisionReason.choices)
    reason_note = forms.CharField(
        label=_("Précisions (évolution de la fréquentation ou de la taille du site)"),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, lines=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"amount_{line.pk}"] = forms.DecimalField(
                label=_("Nouveau montant HT par période : %(line)s (actuellement %(amount)s)")
                % {"line": line.description, "amount": line.amount_ht},
                min_value=0,
                decimal_places=2,
                initial=line.amount_ht,
            )

    @staticmethod
    def values(data: dict) -> dict:
        """The cleaned data as the service's keywords."""
        return {
            "reason": data["reason"],
            "reason_note": data.get("reason_note") or "",
            "amounts": {
                name.removeprefix("amount_"): value
                for name, value in data.items()
                if name.startswith("amount_")
            },
        }


class RevisionAnswerForm(forms.Form):
    """The client's written answer to a revised price, recorded by staff."""

    accept = forms.TypedChoiceField(
        label=_("Réponse du client"),
        choices=[("yes", _("accepte le nouveau tarif")), ("no", _("refuse le nouveau tarif"))],
        coerce=lambda value: value == "yes",
    )


class InsolvencyForm(forms.Form):
    """A formal notice to an insolvent party's administrator (seed 002 art. 7 al. 3)."""

    insolvent_party = forms.ChoiceField(label=_("Partie en procédure"), choices=Party.choices)
    procedure = forms.ChoiceField(label=_("Procédure"), choices=Procedure.choices)
    administrator = forms.CharField(
        label=_("Administrateur judiciaire ou liquidateur"), max_length=200
    )
    sent_on = DateField(label=_("Mise en demeure envoyée le"))
    tracking_number = forms.CharField(label=_("Numéro de suivi du recommandé"), max_length=60)


class InsolvencyAnswerForm(forms.Form):
    answered_on = DateField(label=_("Réponse reçue le"))
    note = forms.CharField(label=_("Réponse"), widget=forms.Textarea, required=False)


class InsolvencyTerminateForm(forms.Form):
    effective_on = DateField(label=_("Résiliation effective le"))


class ClaimForm(forms.Form):
    """A liability claim received by registered letter (seed 002 art. 10)."""

    received_on = DateField(
        label=_("Lettre recommandée reçue le"),
        help_text=_("La date de la réclamation : le plafond compte ce qui était payé ce jour-là."),
    )
    sent_on = DateField(label=_("Envoyée le"), required=False)
    tracking_number = forms.CharField(label=_("Numéro de suivi du recommandé"), max_length=60)
    description = forms.CharField(label=_("Réclamation"), widget=forms.Textarea)
    amount_claimed = forms.DecimalField(
        label=_("Montant réclamé (€)"), min_value=0, decimal_places=2, required=False
    )
    exclusions = forms.MultipleChoiceField(
        label=_("Exclusions de responsabilité constatées (art. 10)"),
        choices=ClaimExclusion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ClaimDecisionForm(forms.Form):
    """The claim moved along its state table; accepted, the amount decided."""

    status = forms.ChoiceField(label=_("Nouveau statut"), choices=ClaimStatus.choices)
    decided_amount = forms.DecimalField(
        label=_("Montant retenu (€)"), min_value=0, decimal_places=2, required=False
    )
    exclusions = forms.MultipleChoiceField(
        label=_("Exclusions de responsabilité constatées (art. 10)"),
        choices=ClaimExclusion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ArchiveRequestForm(forms.Form):
    """A written request for the site's archive (seed 002 art. 7)."""

    received_on = DateField(label=_("Demande écrite reçue le"))
    channel = forms.ChoiceField(
        label=_("Reçue par"),
        choices=[(c, label) for c, label in ArchiveChannel.choices if c != ArchiveChannel.PORTAL],
    )
    deadline = DateField(
        label=_("À livrer au plus tard le (engagement du prestataire)"),
        required=False,
        help_text=_(
            "Ni la loi ni les CGV ne fixent de délai : vide, le délai habituel du prestataire "
            "(%(days)s jours) s'applique."
        )
        % {"days": SELLER_ARCHIVE_DAYS.value},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class ArchiveDeliveryForm(forms.Form):
    """The archive delivered, with its evidence."""

    delivered_on = DateField(label=_("Livrée le"))
    method = forms.CharField(
        label=_("Moyen de livraison"),
        max_length=60,
        help_text=_("Lien de téléchargement, transfert de fichiers, support remis…"),
    )
    reference = forms.CharField(
        label=_("Preuve de livraison"),
        max_length=300,
        help_text=_("Le lien, l'identifiant du transfert ou de l'envoi."),
    )
    receipt = forms.FileField(label=_("Accusé de réception (facultatif)"), required=False)


class NdaSignedForm(forms.Form):
    """A confidentiality agreement signed: the signed PDF, its date and effective period."""

    file = forms.FileField(
        label=_("Accord signé (PDF)"), help_text=_("Le PDF signé des deux parties.")
    )
    signed_on = DateField(label=_("Signé le"))
    effective_from = DateField(label=_("En vigueur du"))
    effective_until = DateField(
        label=_("Jusqu'au"), required=False, help_text=_("Vide : sans limite de durée.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("signed_on", today)
            self.initial.setdefault("effective_from", today)


class NdaNewForm(NdaSignedForm):
    """A confidentiality agreement recorded by staff: signed now (with its PDF) or asked
    for by the client (no file yet)."""

    client = forms.TypedChoiceField(label=_("Client"), coerce=int)
    title = forms.CharField(label=_("Objet"), max_length=200)
    scope = forms.CharField(
        label=_("Périmètre"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    requested_only = forms.BooleanField(
        label=_("Demande seulement (pas encore signé)"),
        required=False,
        help_text=_("Cochez pour noter la demande du client ; le PDF s'ajoute à la signature."),
    )
    field_order = ("client", "title", "scope", "requested_only")

    def __init__(self, *args, clients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]
        for name in ("file", "signed_on", "effective_from"):
            self.fields[name].required = False


class NdaDeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2})
    )


class NdaRequestForm(forms.Form):
    """The client's request for a confidentiality agreement, from the portal."""

    title = forms.CharField(label=_("Objet"), max_length=200)
    scope = forms.CharField(
        label=_("Ce qui doit rester confidentiel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DomainForm(forms.Form):
    """A domain name registered for the contract's client (seed 002 art. 11)."""

    name = forms.CharField(
        label=_("Nom de domaine"),
        max_length=253,
        help_text=_("Par exemple boulangerie-martin.fr ; les accents sont acceptés."),
    )
    registrar = forms.CharField(label=_("Bureau d'enregistrement"), max_length=120)
    registered_on = DateField(label=_("Enregistré le"))


class TransferForm(forms.Form):
    transferred_on = DateField(label=_("Transféré le"))


class RestoreForm(forms.Form):
    """A restore from a backup asked (by the client, or recorded from a written request)."""

    backup_on = DateField(
        label=_("Sauvegarde du"), help_text=_("Le jour de la sauvegarde à restaurer.")
    )
    note = forms.CharField(label=_("Précisions"), widget=forms.Textarea, required=False)


class RefuseRestoreForm(forms.Form):
    reason = forms.CharField(label=_("Motif du refus"), widget=forms.Textarea)
