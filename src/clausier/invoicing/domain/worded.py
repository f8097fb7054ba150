"""The sentences of an issued document kept twice: the French text as issued (the legal
record, hashed) and its :class:`~clausier.rules.wording.Words` form, so that the page and a
courtesy translation can word it again in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausier.invoicing.document import Condition
from clausier.rules.wording import Words


def frozen(sentence: Words | str) -> dict[str, Any] | str:
    """A sentence as the snapshot keeps it: the dict of a :class:`Words`, data as it is."""
    return sentence.as_dict() if isinstance(sentence, Words) else sentence


@dataclass(frozen=True, slots=True)
class WordedCondition:
    """A line of the "Conditions appliquées" box in words: :attr:`condition` is its French
    text as the document prints it, :meth:`as_dict` the form worded again later."""

    label: Words
    value: Words | str
    explanation: Words | str
    source: Words | str = ""

    @property
    def condition(self) -> Condition:
        return Condition(
            label=str(self.label),
            value=str(self.value),
            explanation=str(self.explanation),
            source=str(self.source),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": frozen(self.label),
            "value": frozen(self.value),
            "explanation": frozen(self.explanation),
            "source": frozen(self.source),
        }
