"""The VAT rates a French seller may put on a line, as the law fixes them (no other rate is
a typing slip to accept).

Mainland France and Corsica: 20 % (CGI art. 278), 10 % (art. 278 bis to 279 bis), 5,5 %
(art. 278-0 bis to 278 sexies), 2,1 % (art. 281 quater to 281 nonies). Guadeloupe,
Martinique and La Réunion (the DOM where VAT applies, CGI art. 294): 8,5 % and 2,1 % (art. 296),
1,75 % and 1,05 % (art. 296 ter). 0 stands for no VAT on the line (franchise, exemption,
reverse charge: the regime's mention says which). Guyane and Mayotte are outside the scope of
VAT (art. 294): only 0 applies there.

    allowed_vat_rates(postal_code="97200")    # DOM_RATES plus 0
    is_allowed(Decimal("0.196"), postal_code="75011")         # False
"""

from __future__ import annotations

from decimal import Decimal

from clausier.rules.explain import LegalFact

NO_VAT = Decimal(0)
MAINLAND_RATES = LegalFact(
    (Decimal("0.20"), Decimal("0.10"), Decimal("0.055"), Decimal("0.021")),
    "CGI art. 278, 278 bis à 279 bis, 278-0 bis à 278 sexies, 281 quater à 281 nonies",
)
DOM_RATES = LegalFact(
    (Decimal("0.085"), Decimal("0.021"), Decimal("0.0175"), Decimal("0.0105")),
    "CGI art. 294, 296, 296 ter (Guadeloupe, Martinique, La Réunion)",
)
# The postal code prefixes of the DOM where the DOM rates apply, and of those outside VAT.
DOM_VAT_PREFIXES = LegalFact(("971", "972", "974"), "CGI art. 294-1")
OUTSIDE_VAT_PREFIXES = LegalFact(("973", "976"), "CGI art. 294-1")


def territory(postal_code: str) -> str:
    """``"dom"``, ``"outside"`` (Guyane, Mayotte) or ``"mainland"`` for a French postal code."""
    code = (postal_code or "").strip()
    if code.startswith(DOM_VAT_PREFIXES.value):
        return "dom"
    if code.startswith(OUTSIDE_VAT_PREFIXES.value):
        return "outside"
    return "mainland"


def allowed_vat_rates(*, postal_code: str = "") -> tuple[Decimal, ...]:
    """The rates a seller established at ``postal_code`` may use, 0 first."""
    where = territory(postal_code)
    if where == "dom":
        return (NO_VAT, *DOM_RATES.value)
    if where == "outside":
        return (NO_VAT,)
    return (NO_VAT, *MAINLAND_RATES.value)


def is_allowed(rate: Decimal, *, postal_code: str = "") -> bool:
    """Whether ``rate`` (a fraction) is one of :func:`allowed_vat_rates`."""
    return any(rate == value for value in allowed_vat_rates(postal_code=postal_code))


def rates_source(*, postal_code: str = "") -> str:
    """The articles fixing the rates of ``postal_code``'s territory."""
    return DOM_RATES.source if territory(postal_code) == "dom" else MAINLAND_RATES.source


def percent(rate: Decimal) -> str:
    """``Decimal("0.055")`` as ``"5,5 %"``."""
    text = f"{rate * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"
