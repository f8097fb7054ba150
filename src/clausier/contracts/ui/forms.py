"""The contracts' forms: the consumer's one-button confirmation of an online termination,
and a notice received by staff (a registered letter with its evidence). They parse and show
input; ``contracts.services`` decides and writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clausier.contracts.models import LineKind, NoticeChannel, Party
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
