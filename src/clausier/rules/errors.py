"""Errors raised by the rules core."""


class RuleError(ValueError):
    """Bad input to a rule: the message names the argument and the rule it breaks.

    A ``ValueError`` subclass, so callers that only know the standard library still catch it.
    """

    def __init__(self, argument: str, rule: str, message: str) -> None:
        self.argument = argument
        self.rule = rule
        super().__init__(f"{argument}: {message} ({rule})")


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
