"""A clause's parameters in words, with the labels and wordings of its kind's form:
``{{ clause|clause_parameters }}`` -> "Durée : 14 · Unité : jours ouvrés · À compter de : la
date de facture"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from clausier.terms.ui.clause_words import choice, label

register = template.Library()


def _words(kind: str, key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "(" + _parameters(kind, value) + ")"
    if isinstance(value, list | tuple):
        return ", ".join(_words(kind, key, item) for item in value) or "—"
    return str(choice(key, value))


def _parameters(kind: str, parameters: dict[str, Any]) -> str:
    return " · ".join(
        f"{label(kind, key)} : {_words(kind, key, value)}" for key, value in parameters.items()
    )


@register.filter
def clause_parameters(clause: Any) -> str:
    """The clause's parameters, each by its label and its value in words; "—" for none."""
    return _parameters(clause.kind, clause.ordered_parameters) or "—"
