"""Errors raised by the rules core."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clausier.rules.wording import Language, Words


class RuleError(ValueError):
    """Bad input to a rule: the message names the argument and the rule it breaks.

    A ``ValueError`` subclass, so callers that only know the standard library still catch it.
    Its text is French; a ``message`` and ``rule`` given as words (:func:`words`) are said
    again in the reader's language by :meth:`described`.
    """

    def __init__(self, argument: str, rule: str | Words, message: str | Words) -> None:
        from clausier.rules.wording import render

        self.argument = argument
        self.rule = rule
        self.sentence = message
        super().__init__(f"{argument}: {render(message)} ({render(rule)})")

    def described(self, language: Language | None = None) -> str:
        """What is wrong and the rule, in ``language`` (French by default), without the
        argument's name (a form shows it beside its field)."""
        from clausier.rules.wording import FRENCH, render

        language = language or FRENCH
        return f"{render(self.sentence, language)} ({render(self.rule, language)})"


class MissingRateError(RuleError):
    """The legal-rate table has no row for the requested period: ``period`` names it
    ("2026 S2", or "2013" for a year before 2015) and ``on`` is the date asked for, so that a
    screen can say it in its own language."""

    def __init__(
        self, argument: str, rule: str, message: str, *, period: str = "", on: object = None
    ) -> None:
        self.period = period
        self.on = on
        super().__init__(argument, rule, message)
