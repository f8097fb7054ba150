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
    """The legal-rate table has no row for the requested period."""
