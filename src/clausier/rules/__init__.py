"""The rules core: French legal arithmetic as pure functions.

Nothing in this package imports Django. Every public function returns its value together
with an explanation (:class:`clausier.rules.explain.Explained`) or raises a
:class:`clausier.rules.errors.RuleError` (a ``ValueError``) naming the argument and the rule.
"""

from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step

__all__ = ["Explained", "LegalFact", "RuleError", "Step"]
