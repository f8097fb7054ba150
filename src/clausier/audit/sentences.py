"""How an audit event reads: one sentence per verb (« Devis D2026-000003 envoyé à
compta@boulangerie.fr »), and its changed fields by their label, values by their wording.

Every verb a service records has its sentence in :data:`SENTENCES` (a test reads the sources
for the verbs and fails on one without a sentence). The sentences name the object by its name
as stored when the event was written (``object_repr``), never by its id; the fields by the
``verbose_name`` of the model's field, or by :data:`LABELS` for what is not a field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clausier.audit.models import Event
from clausier.audit.names import reworded
from clausier.audit.triggers import Trigger
from clausier.audit.verb_sentences import SENTENCES
from clausier.kernel.labels import field_label
from clausier.kernel.wording import worded

# The cause of an automatic action (``trigger`` in an event's summary, see
# :mod:`clausier.audit.triggers`), as it ends a sentence.
TRIGGERS: dict[str, Any] = {
    Trigger.ORDER_PAID: gettext_lazy("après le paiement en ligne"),
    Trigger.QUOTE_ACCEPTED: gettext_lazy("à l'acceptation du devis"),
    Trigger.ORDER_CONFIRMED: gettext_lazy("à la confirmation de la commande par le client"),
    Trigger.ORDER_CANCELLED: gettext_lazy("à l'annulation de la commande"),
    Trigger.DEPOSIT_CASHED: gettext_lazy("à l'encaissement de l'acompte"),
    Trigger.WAITING_RETRY: gettext_lazy("au nouvel essai d'une émission en attente"),
    Trigger.PENALTIES_BILLED: gettext_lazy("à la facturation des pénalités de retard"),
    Trigger.WITHDRAWAL_ACCEPTED: gettext_lazy("à la rétractation du client"),
    Trigger.SUPPORT_WORK_BILLABLE: gettext_lazy(
        "pour le temps passé sur un ticket exclu de la maintenance"
    ),
    Trigger.SERVICE_ACTIVATED: gettext_lazy("à l'activation du service"),
    Trigger.CONTRACT_TERMINATED: gettext_lazy("à la résiliation du contrat"),
    Trigger.SLA_PENALTY: gettext_lazy("pour la pénalité d'un niveau de service dépassé"),
    Trigger.CLIENT_SUSPENDED: gettext_lazy("à la suspension du client pour impayé"),
    Trigger.CLIENT_RESUMED: gettext_lazy("à la levée de la suspension du client"),
    Trigger.DOMAIN_RENEWAL_DUE: gettext_lazy("au renouvellement d'un nom de domaine"),
    Trigger.RESTORE_BILLABLE: gettext_lazy("à la restauration d'une sauvegarde"),
}

# What the summaries hold that is not a field of the event's object.
LABELS: dict[str, Any] = {
    "to": gettext_lazy("destinataires"),
    "email_to": gettext_lazy("destinataires"),
    "reason": gettext_lazy("motif"),
    "provider": gettext_lazy("prestataire de paiement"),
    "at": gettext_lazy("date"),
    "by": gettext_lazy("remplacé par"),
    "previous": gettext_lazy("version précédente"),
    "terms": gettext_lazy("CGV"),
    "version": gettext_lazy("CGV"),
    "method": gettext_lazy("mode d'acceptation"),
    "signatory": gettext_lazy("signataire"),
    "attempt": gettext_lazy("tentative"),
    "attempts": gettext_lazy("tentatives"),
    "error": gettext_lazy("erreur"),
    "note": gettext_lazy("note"),
    "number": gettext_lazy("numéro"),
    "lines": gettext_lazy("lignes"),
    "flow": gettext_lazy("parcours"),
    "automatic": gettext_lazy("automatique"),
    "clause": gettext_lazy("clause"),
    "clause_id": gettext_lazy("clause"),
    "parameters": gettext_lazy("paramètres"),
    "description": gettext_lazy("désignation"),
    "quantity": gettext_lazy("quantité"),
    "unit": gettext_lazy("unité"),
    "unit_price": gettext_lazy("prix unitaire HT"),
    "unit_price_ht": gettext_lazy("prix unitaire HT"),
    "vat_rate": gettext_lazy("taux de TVA"),
    "position": gettext_lazy("position"),
    "effective_from": gettext_lazy("applicable à partir du"),
    "invoice": gettext_lazy("facture"),
    "deposit": gettext_lazy("acompte"),
    "received": gettext_lazy("montant reçu"),
    "paid_on": gettext_lazy("payé le"),
    "cashed_on": gettext_lazy("encaissé le"),
    "started_at": gettext_lazy("démarré le"),
    "received_at": gettext_lazy("reçu le"),
    "concluded_at": gettext_lazy("conclue le"),
    "accepted_at": gettext_lazy("acceptée le"),
    "next_attempt_at": gettext_lazy("prochain essai"),
    "title": gettext_lazy("titre"),
    "kind": gettext_lazy("type"),
    "label": gettext_lazy("libellé"),
    "user": gettext_lazy("utilisateur"),
    "username": gettext_lazy("identifiant"),
    "role": gettext_lazy("rôle"),
    "period": gettext_lazy("période"),
    "fact": gettext_lazy("fait"),
    "reaction": gettext_lazy("action"),
    "event_type": gettext_lazy("type de notification"),
    "endpoint": gettext_lazy("adresse"),
    "subject": gettext_lazy("objet"),
    "response_code": gettext_lazy("code de réponse"),
    "language": gettext_lazy("langue"),
    "reported": gettext_lazy("issue signalée"),
    "reference": gettext_lazy("référence"),
    "payment": gettext_lazy("paiement"),
    "payment_status": gettext_lazy("statut du paiement"),
    "accepted_on": gettext_lazy("acceptées le"),
    "trigger": gettext_lazy("déclencheur"),
    "ip_address": gettext_lazy("adresse IP"),
    "failures": gettext_lazy("échecs"),
    "recovery_codes": gettext_lazy("codes de secours"),
}

# Names :data:`LABELS` words for one object (a quote's acceptance ``method``) that another
# object's own field names better (a payment's method): that field's label first.
OWN_LABEL_FIRST = frozenset({"method"})

# A value worded by the choices of another field of the event's object (the outcome a
# provider reported, worded as the payment's status).
CHOICES_OF = {"reported": "status"}

# Technical keys (hashes, ids) the trail keeps as evidence but a reader has no use for.
HIDDEN = frozenset(
    {"sha256", "pdf_sha256", "text_sha256", "price_version_id", "message_id", "msg_id", "id"}
    | {"data", "email_attempts"}
)

MONEY = frozenset(
    {"amount_paid", "received", "total_ttc", "total_ht", "amount_due", "unit_price_ht"}
    | {"unit_price", "amount", "total"}
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class _Values(dict):
    """The sentence's values: a key the summary lacks reads as a dash, never as an error."""

    def __missing__(self, key: str) -> str:
        return "—"


def event_model(event: Event) -> type[models.Model] | None:
    """The model of the event's object (from Django's content-type cache: no query once warm)."""
    return ContentType.objects.get_for_id(event.object_type_id).model_class()


def changed_field(model: type[models.Model] | None, name: str) -> str:
    """A changed field by its label: :data:`LABELS` first, else the model field's
    ``verbose_name``, else the name written as words."""
    if name in OWN_LABEL_FIRST:
        own = field_label(model, name)
        if own:
            return own
    return field_label(model, name, LABELS) or name.replace("_", " ")


def _shown_many(value: list | dict) -> str:
    """A list (its texts joined, else how many) or a dict: a sentence kept as its words, or
    its fields by their labels."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return ", ".join(value) or "—"
        return ngettext("%(n)d élément", "%(n)d éléments", len(value)) % {"n": len(value)}
    if "message" in value:
        return worded(value)
    return ", ".join(
        f"{changed_field(None, str(k))} : {shown(None, str(k), v)}"
        for k, v in value.items()
        if k not in HIDDEN
    )


def shown(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A value as a reader reads it: a choice by its label, a date in the reader's format, a
    list of addresses joined, yes/no for a flag."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list | dict):
        return _shown_many(value)
    if name in MONEY and isinstance(value, str | int | float):
        try:
            return f"{number_format(Decimal(str(value)), 2, force_grouping=True)} €"
        except InvalidOperation:
            return str(value)
    choices = _choices(model, CHOICES_OF.get(name, name))
    if choices and str(value) in choices:
        return str(choices[str(value)])
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
        if _ISO_DATETIME.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
    return str(value)


def _choices(model: type[models.Model] | None, name: str) -> dict[str, Any]:
    if model is None:
        return {}
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    return {str(k): v for k, v in (getattr(field, "flatchoices", None) or [])}


def _parts(event: Event) -> tuple[dict, dict]:
    summary = event.summary if isinstance(event.summary, dict) else {}
    before = summary.get("before") if isinstance(summary.get("before"), dict) else {}
    after = summary.get("after") if isinstance(summary.get("after"), dict) else {}
    return before, after


def changes(event: Event) -> list[tuple[str, str | None, str | None]]:
    """The event's fields as ``(label, before, after)`` rows, by label and wording; ``before``
    is ``None`` for what was set, ``after`` for what was removed. Technical keys are left out."""
    model = event_model(event)
    before, after = _parts(event)
    rows = []
    for name in dict.fromkeys([*before, *after]):
        if name in HIDDEN:
            continue
        old = shown(model, name, before[name]) if name in before else None
        new = shown(model, name, after[name]) if name in after else None
        rows.append((changed_field(model, name), old, new))
    summary = event.summary if isinstance(event.summary, dict) else {}
    if summary.get("trigger"):
        rows.append((str(LABELS["trigger"]), None, trigger_words(summary["trigger"])))
    if summary.get("note"):
        rows.append((str(LABELS["note"]), None, worded(summary["note"])))
    return rows


def trigger_words(trigger: str) -> str:
    """The cause of an automatic action in words; an unknown one (of an older version) as
    its code written as words."""
    words = TRIGGERS.get(trigger)
    return str(words) if words is not None else trigger.replace("_", " ")


def actor_name(event: Event) -> str:
    """Who acted, as a sentence names them: the user or token, or clausier itself."""
    if event.actor_id is None and event.actor_label in ("système", ""):
        return "clausier"
    return event.actor_label


def _changed(event: Event) -> str:
    """« e-mail (ancien → nouveau), ville (Lyon → Paris) »: the fields that really changed."""
    model = event_model(event)
    before, after = _parts(event)
    parts = []
    for name in after:
        if name in HIDDEN or (name in before and before[name] == after[name]):
            continue
        new = shown(model, name, after[name])
        label = changed_field(model, name)
        if name in before:
            parts.append(f"{label} ({shown(model, name, before[name])} → {new})")
        else:
            parts.append(f"{label} ({new})")
    return ", ".join(parts) or _("aucun changement visible")


def _templates(event: Event, after: dict, before: dict) -> list[str]:
    """The keys of :data:`SENTENCES` that may word the event, the most precise first: the
    verb with the cause of an automatic action (``verb:trigger``), with what clausier did by
    itself (``verb:automatic``), then the verb alone; a credit note's forms (masculine in
    French) are ``verb:credit_note...``."""
    summary = event.summary if isinstance(event.summary, dict) else {}
    trigger = str(summary.get("trigger") or "")
    automatic = (event.actor_id is None and event.actor_label in ("système", "")) or after.get(
        "automatic"
    )
    kind = after.get("kind", before.get("kind"))
    verb = event.verb
    if verb.startswith("invoice.") and (
        kind == "credit_note" or event.object_repr.startswith("Avoir")
    ):
        verb = f"{verb}:credit_note"
    keys = [f"{verb}:{trigger}"] if trigger else []
    if automatic:
        keys.append(f"{verb}:automatic")
    return [*keys, verb, event.verb]


def _object_name(event: Event, template: str) -> str:
    """The object as the sentence names it: its stored name, a document's kind in lower case
    inside the sentence (« Paiement enregistré sur facture F2026-000001 »), terms by label."""
    name = reworded(event.object_repr, event_model(event))
    kind = event.verb.split(".")[0]
    if kind == "terms" and " CGV " in name:
        return f"{_('CGV')} {name.split(' CGV ', 1)[1]}"
    if kind in ("invoice", "quote", "order") and not template.startswith("%(object)s"):
        return name[:1].lower() + name[1:]
    return name


def sentence(event: Event) -> str:
    """The event as one sentence in the active language; an unknown verb (written by an older
    version) reads as its object and verb."""
    before, after = _parts(event)
    key = next((k for k in _templates(event, after, before) if k in SENTENCES), None)
    if key is None:
        return f"{event.object_repr} : {event.verb}"
    template = SENTENCES[key]
    model = event_model(event)
    values = _Values({k: shown(model, k, v) for k, v in before.items()})
    values.update({k: shown(model, k, v) for k, v in after.items()})
    values["object"] = _object_name(event, str(template))
    values["actor"] = actor_name(event)
    if "%(changes)s" in str(template):
        values["changes"] = _changed(event)
    text = str(template) % values
    trigger = (event.summary or {}).get("trigger") if isinstance(event.summary, dict) else None
    if trigger and not key.endswith(f":{trigger}"):
        # No sentence of its own for this cause: the cause ends the verb's sentence.
        text = _("%(sentence)s, %(trigger)s") % {
            "sentence": text,
            "trigger": trigger_words(trigger),
        }
    return text


NOUNS: dict[str, Any] = {
    "invoice": gettext_lazy("facture"),
    "quote": gettext_lazy("devis"),
    "order": gettext_lazy("commande"),
    "terms": gettext_lazy("CGV"),
    "legal_rate": gettext_lazy("semestre"),
    "payment": gettext_lazy("paiement"),
    "refund": gettext_lazy("remboursement"),
    "withdrawal": gettext_lazy("rétractation"),
}


def verb_label(verb: str) -> str:
    """A verb for a filter's choices: the start of its sentence, any object, any value."""
    template = SENTENCES.get(verb)
    if template is None:
        return verb
    noun = str(NOUNS.get(verb.split(".")[0], ""))
    text = str(template).replace("%(object)s", noun)
    text = re.sub(r"%\([a-z_]+\)s", "…", text)
    text = re.split(r" ?: |, | \(", text)[0]
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(pour|à|to|for|par|by)\s+…$", "", text)
    text = re.sub(r"\s+(pour|for|de|of|du|des|au|aux|à|to|sur|on|la|le)$", "", text)
    return text[:1].upper() + text[1:]
