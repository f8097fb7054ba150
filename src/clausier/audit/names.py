"""An object's name as an event stored it, said again in the reader's language.

An event keeps its object's name as it was then (``object_repr``: "Facture de solde
F2026-000004", "Devis brouillon n° 5"), so that the journal says what the object was called
when it happened. The name starts with a word of the model (its ``verbose_name``, or the label
of its ``kind``) and may say it was a draft: those words are reworded in the active language
("Balance invoice F2026-000004", "Quote draft no. 5"); the rest (numbers, names) is data.
"""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, override

DRAFT = gettext_noop("brouillon n°")


def _nouns(model: type[models.Model]) -> list:
    nouns = [model._meta.verbose_name]
    try:
        kind = model._meta.get_field("kind")
    except FieldDoesNotExist:
        kind = None
    nouns.extend(label for _, label in getattr(kind, "flatchoices", None) or [])
    return nouns


def _said(noun, *, first=capfirst) -> set[str]:
    """The noun as it may have been stored: in French, or in English."""
    forms = set()
    for language in ("fr", "en"):
        with override(language):
            forms.add(first(gettext(noun) if isinstance(noun, str) else str(noun)))
    return forms


@cache
def _draft_pattern() -> re.Pattern:
    said = "|".join(re.escape(form) for form in sorted(_said(DRAFT, first=str)))
    return re.compile(rf"^ ({said}) ")


def _draft(rest: str) -> str:
    return _draft_pattern().sub(lambda _match: f" {gettext(DRAFT)} ", rest)


@cache
def _candidates(model: type[models.Model]) -> list:
    """Every form the model's words may have been stored in, the longest first, with the
    word each stands for (worked out once a model: the catalogues do not change)."""
    candidates = [(form, noun) for noun in _nouns(model) for form in _said(noun)]
    return sorted(candidates, key=lambda pair: len(pair[0]), reverse=True)


def reworded(name: str, model: type[models.Model] | None) -> str:
    """``name`` (an event's ``object_repr``) with the model's words in the active language;
    a name that does not start with one of them is returned as it is."""
    if model is None:
        return name
    for form, noun in _candidates(model):
        if name == form or name.startswith(form + " "):
            return capfirst(str(noun)) + _draft(name[len(form) :])
    return name
