"""The support forms: a ticket and a reply in the portal; an agent's reply, qualification,
exclusion, time entry, call and ticket taken by phone in the back-office. They parse and
show input; ``support.services`` decides and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clausier.support.models import Channel, Kind, Severity


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    subscription = forms.TypedChoiceField(
        label=_("Application concernée"), coerce=int, required=False, empty_value=None
    )
    suggested_severity = forms.ChoiceField(
        label=_("Gravité que vous suggérez"),
        choices=[("", _("— le support qualifie —")), *Severity.choices],
        required=False,
        help_text=_("Le support qualifie la gravité de l'incident (CGV art. 9)."),
    )
    attachment = forms.FileField(label=_("Pièce jointe"), required=False)

    def __init__(self, *args, subscriptions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subscription"].choices = [("", "—")] + [
            (s.pk, s.external_id) for s in subscriptions
        ]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Pièce jointe"), required=False)


class PhoneTicketForm(forms.Form):
    """A ticket an agent opens for a client (a call, an e-mail, a probe's alert)."""

    client = forms.TypedChoiceField(label=_("Client"), coerce=int)
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.PHONE)
    subject = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("Gravité"), choices=Severity.choices)

    def __init__(self, *args, clients=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]


class QualifyForm(forms.Form):
    severity = forms.ChoiceField(label=_("Gravité"), choices=Severity.choices)
    kind = forms.ChoiceField(label=_("Nature"), choices=Kind.choices)


class ExcludeForm(forms.Form):
    exclusion = forms.TypedChoiceField(label=_("Cas exclu de la maintenance"), coerce=int)

    def __init__(self, *args, cases=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exclusion"].choices = [(i, case) for i, case in enumerate(cases, start=1)]


class TimeForm(forms.Form):
    started = forms.DateTimeField(
        label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=1)
    description = forms.CharField(label=_("Intervention"), max_length=200)


class CallForm(forms.Form):
    number = forms.CharField(label=_("Numéro"), max_length=40)
    called_at = forms.DateTimeField(
        label=_("Appel le"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    summary = forms.CharField(label=_("Résumé"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachEmailForm(forms.Form):
    """An e-mail from an unknown sender, attached by staff to one of the seller's clients."""

    message = forms.IntegerField(widget=forms.HiddenInput)
    client = forms.TypedChoiceField(label=_("Client"), coerce=int)

    def __init__(self, *args, clients=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]


WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class _StaffChoices(forms.Form):
    """The engineer (required) and the backup (optional), chosen among the seller's staff."""

    engineer = forms.TypedChoiceField(label=_("Ingénieur d'astreinte"), coerce=int)
    backup = forms.TypedChoiceField(
        label=_("Suppléant (escalade)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, staff=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = [(u.pk, u.get_full_name() or u.get_username()) for u in staff]
        self.fields["engineer"].choices = people
        self.fields["backup"].choices = [("", "—"), *people]


class ShiftForm(_StaffChoices):
    """Who is on call on a day of the week (seed 000 art. 10.3)."""

    weekday = forms.TypedChoiceField(label=_("Jour"), coerce=int, choices=WEEKDAYS)


class OverrideForm(_StaffChoices):
    """A replacement over a period (holidays, a swap), before the weekly schedule."""

    start = forms.DateTimeField(
        label=_("Début"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Fin"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
