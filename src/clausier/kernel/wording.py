"""The rules core's sentences (:mod:`clausier.rules.wording`) in the active language.

:func:`worded` words a :class:`~clausier.rules.wording.Words`, or its frozen JSON form, with
Django's catalogue and the page's date formats; the ``worded`` template filter does the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext

from clausier.rules.wording import Language, Words, render, revive


def _local(moment: datetime) -> str:
    shown = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date_format(shown, "SHORT_DATETIME_FORMAT")


def active_locale(language: str | None = None) -> str:
    """The locale figures and sentences are written in: ``"en"`` when ``language`` (the
    active one by default) is an English variant, else ``"fr"`` (French, the product's own)."""
    return "en" if (language or get_language() or "fr").lower().startswith("en") else "fr"


def current_language() -> Language:
    """The active language (French unless English is active), worded with the catalogue."""
    return Language(
        locale=active_locale(),
        gettext=gettext,
        ngettext=ngettext,
        date=lambda day: date_format(day, "SHORT_DATE_FORMAT"),
        datetime=_local,
    )


def worded(sentence: Words | dict[str, Any] | str | None) -> str:
    """``sentence`` in the active language: a :class:`Words`, its ``as_dict()`` form (from a
    snapshot or an explanation's JSON), or a plain string (returned as it is)."""
    if sentence is None:
        return ""
    if isinstance(sentence, dict):
        sentence = revive(sentence)
    return render(sentence, current_language())


def worded_explanation(data: Any) -> Any:
    """An explanation's JSON (``Explained.as_dict()``, or a snapshot holding some) with every
    sentence it keeps as words worded in the active language: a step's ``label`` from its
    ``words``, a ``why`` from its ``why_words``. The words stay, for a client that words them
    itself; a step kept without words (an older snapshot) keeps its French label."""
    if isinstance(data, list):
        return [worded_explanation(item) for item in data]
    if not isinstance(data, dict):
        return data
    shown = {key: worded_explanation(value) for key, value in data.items()}
    if isinstance(data.get("words"), dict) and "label" in data:
        shown["label"] = worded(data["words"])
    if isinstance(data.get("why_words"), dict):
        shown["why"] = worded(data["why_words"])
    return shown
