"""Numbers, amounts and rates as a reader reads them, in French or in English.

The rules core writes figures in its explanations (:mod:`clausier.rules.wording`) and
documents print them: "1 234,56 €" in French, "€1,234.56" in English. :mod:`clausier.rules.money`
re-exports these functions.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from clausier.rules.errors import RuleError

ONE = Decimal("1")


def decimal_arg(value: Any, argument: str, rule: str) -> Decimal:
    """``value`` as an exact finite Decimal, or a RuleError naming ``argument``.

    Accepts ``Decimal`` and ``int``. Floats are refused: ``0.1`` is not one tenth in binary,
    and a rule fed a float would compute on a value nobody typed.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        kind = type(value).__name__
        raise RuleError(argument, rule, f"expected a Decimal, got {kind} {value!r}")
    result = Decimal(value)
    if not result.is_finite():
        raise RuleError(argument, rule, f"expected a finite number, got {value}")
    return result


_NNBSP = "\u202f"  # narrow no-break space: French thousands separator and space before %
_NBSP = "\u00a0"  # no-break space before the euro sign


def _language(locale: str) -> str:
    language = locale.replace("-", "_").split("_")[0].lower() if isinstance(locale, str) else ""
    if language not in ("fr", "en"):
        raise RuleError("locale", "format", f"expected 'fr' or 'en', got {locale!r}")
    return language


def format_number(x: Decimal | int, *, places: int | None = None, locale: str = "fr") -> str:
    """``x`` with the locale's separators: "1 234,5" in French, "1,234.5" in English.

    With ``places``, rounded half up to that many decimals; without, shown exactly.
    """
    value = decimal_arg(x, "x", "format_number")
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    elif value == value.to_integral_value():
        value = value.quantize(ONE)
    text = format(value, ",f")
    if _language(locale) == "fr":
        text = text.replace(",", _NNBSP).replace(".", ",")
    return text


def format_eur(amount: Decimal | int, locale: str = "fr") -> str:
    """ "1 234,56 €" in French (U+202F groups, U+00A0 before €), "€1,234.56" in English.

    The amount is shown rounded half up to the cent.
    """
    value = decimal_arg(amount, "amount", "format_eur")
    sign = "-" if value < 0 else ""
    digits = format_number(abs(value), places=2, locale=locale)
    if _language(locale) == "fr":
        return f"{sign}{digits}{_NBSP}€"
    return f"{sign}€{digits}"


def format_unit_price(amount: Decimal | int, locale: str = "fr") -> str:
    """A unit price exactly as agreed: two decimals at least, more when they are not zero
    ("45,333 €" stays 45,333, "2 400 €" shows "2 400,00 €"). Nothing is rounded away."""
    value = decimal_arg(amount, "amount", "format_unit_price")
    places = max(2, -value.normalize().as_tuple().exponent)
    sign = "-" if value < 0 else ""
    digits = format_number(abs(value), places=places, locale=locale)
    return f"{sign}{digits}{_NBSP}€" if _language(locale) == "fr" else f"{sign}€{digits}"


def format_approx(x: Decimal | int, *, places: int = 4, locale: str = "fr") -> str:
    """``x`` cut (not rounded) to ``places`` decimals, with "…" when digits were dropped.

    For intermediate figures in explanations: "6,4602…" for 6.460273972...
    """
    value = decimal_arg(x, "x", "format_approx")
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    return format_number(shown, locale=locale) + ("…" if shown != value else "")


def format_percent(rate: Decimal | int, locale: str = "fr") -> str:
    """A fraction as a percentage, exactly: Decimal("0.0786") -> "7,86 %" ("7.86%" in en)."""
    value = decimal_arg(rate, "rate", "format_percent").scaleb(2).normalize()
    digits = format_number(value, locale=locale)
    return f"{digits}{_NNBSP}%" if _language(locale) == "fr" else f"{digits}%"
