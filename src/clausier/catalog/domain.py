"""Pure decisions of the catalog: which price is in force on a date, TTC from HT, and the
checks a product and a price change must pass. No ORM here: prices come in as any objects
with ``effective_from`` (and ``unit_price_ht``, ``pk``), so documents, selectors and tests
share one rule.

A document (quote, order, invoice) freezes a :class:`PriceQuote`: the values it shows and the
id of the price version they come from, so a later price change never alters it.

The checks' sentences are in the active language (gettext, French by default), the TTC
explanation a :class:`~clausier.rules.wording.Words`; a page names a unit in its language
(:func:`unit_words`), a document freezes the French label (:func:`unit_label`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Protocol

from django.utils.translation import gettext as _

from clausier.catalog.units import Unit
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.money import (
    CENT,
    FRANCHISE_MENTION,
    NORMAL_VAT,
    ONE,
    ZERO,
    VatRegime,
    decimal_arg,
    format_percent,
    quantize_cents,
)
from clausier.rules.wording import Percent, UnitPrice, words

# The finest unit price kept (``PriceVersion.unit_price_ht`` has 4 decimals): metered offers
# cost fractions of a cent per unit; document lines are rounded to the cent by rules.money.
PRICE_STEP: Final = Decimal("0.0001")
PRICE_MAX: Final = Decimal("99999999.9999")  # DecimalField(12, 4)
VAT_STEP: Final = Decimal("0.0001")  # 5,5 % is 0.055, 2,1 % is 0.021

STANDARD_VAT_RATE: Final = LegalFact(Decimal("0.20"), "CGI art. 278")

# The price units (``units.PRICE_UNITS``) and how a document names them.
FLAT, HOUR, DAY, MONTH, METERED = (
    Unit.FLAT.value,
    Unit.HOUR.value,
    Unit.DAY.value,
    Unit.MONTH.value,
    Unit.METERED.value,
)
UNIT_LABELS: Final = {
    FLAT: "forfait",
    HOUR: "heure",
    DAY: "jour",
    MONTH: "mois",
    METERED: "",  # the product's metered_unit ("Go·mois", "heure d'instance")
}


class NoPriceInForce(RuleError):
    """No price version of the product is in force yet on the date asked."""


def french_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# --- checks of a product ------------------------------------------------------------------


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def vat_rate_problem(rate: Any) -> str | None:
    """Why ``rate`` is not a VAT rate (a fraction in [0, 1), 4 decimals at most), or None."""
    if isinstance(rate, bool) or not isinstance(rate, Decimal | int):
        return _("Le taux de TVA est un nombre décimal (0.20 pour 20 %).")
    rate = Decimal(rate)
    if not rate.is_finite() or rate < 0 or rate >= 1:
        return _(
            "Le taux de TVA est une fraction entre 0 et 1 (0.20 pour 20 %%), pas %(rate)s."
        ) % {"rate": rate}
    if _places(rate) > 4:
        return _("Le taux de TVA a au plus 4 décimales (0.055 pour 5,5 %%), pas %(rate)s.") % {
            "rate": rate
        }
    return None


def vat_rate_for_regime_problem(*, regime: str, rate: Decimal) -> str | None:
    """Under the 293 B franchise no VAT is charged: every rate must be 0."""
    if regime == VatRegime.FRANCHISE_293B and rate != 0:
        return _(
            "« %(mention)s » : le vendeur est en franchise en base de TVA, le taux de TVA de ses "
            "produits est 0 (reçu %(rate)s)."
        ) % {"mention": FRANCHISE_MENTION.value, "rate": format_percent(rate)}
    return None


def default_vat_rate(regime: str) -> Decimal:
    """The rate a new product gets when none is given: 0 under the franchise, else 20 %."""
    return ZERO if regime == VatRegime.FRANCHISE_293B else STANDARD_VAT_RATE.value


def metered_unit_problem(*, unit: str, metered_unit: str) -> str | None:
    if unit == METERED and not metered_unit.strip():
        return _("Un prix à la consommation a une unité de consommation (« Go·mois », …).")
    if unit != METERED and metered_unit:
        return _("L'unité de consommation ne concerne que les prix à la consommation (metered).")
    return None


def guarantees_problem(value: Any) -> str | None:
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        return _("Les garanties sont une liste de phrases non vides.")
    if len(set(value)) != len(value):
        return _("Chaque garantie n'apparaît qu'une fois.")
    return None


def options_problem(value: Any) -> str | None:
    shape = _('Les options sont une liste de {"code": "…", "label": "…"} non vides.')
    if not isinstance(value, list):
        return shape
    codes = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) != {"code", "label"}
            or not all(isinstance(item[k], str) and item[k].strip() for k in ("code", "label"))
        ):
            return shape
        codes.append(item["code"])
    if len(set(codes)) != len(codes):
        return _("Chaque code d'option n'apparaît qu'une fois.")
    return None


def unit_price_problem(price: Any) -> str | None:
    if isinstance(price, bool) or not isinstance(price, Decimal | int):
        return _("Le prix unitaire HT est un nombre décimal (« 79.00 »).")
    price = Decimal(price)
    if not price.is_finite() or price < 0:
        return _("Le prix unitaire HT est positif ou nul, pas %(price)s.") % {"price": price}
    if _places(price) > 4:
        return _("Le prix unitaire HT a au plus 4 décimales, pas %(price)s.") % {"price": price}
    if price > PRICE_MAX:
        return _("Le prix unitaire HT ne dépasse pas %(max)s.") % {"max": PRICE_MAX}
    return None


def new_price_date_problem(
    *, effective_from: date, existing: Iterable[date], today: date
) -> str | None:
    """Why a new price version cannot take effect on ``effective_from``, or None.

    A new version never rewrites the past: it takes effect today or later, after every
    existing version (what was in force on a past date stays what it was), and on a day no
    other version starts.
    """
    existing = sorted(existing)
    if effective_from in existing:
        return _(
            "Un prix prend déjà effet le %(date)s : une version de prix ne se modifie pas, "
            "choisissez une autre date d'effet."
        ) % {"date": french_date(effective_from)}
    if existing and effective_from < existing[-1]:
        return _(
            "Le dernier prix prend effet le %(latest)s : un nouveau prix prend effet après, pas "
            "le %(date)s."
        ) % {"latest": french_date(existing[-1]), "date": french_date(effective_from)}
    if effective_from < today:
        return _(
            "Un nouveau prix ne prend pas effet dans le passé (%(date)s, nous sommes le "
            "%(today)s) : les prix d'hier restent ceux d'hier."
        ) % {"date": french_date(effective_from), "today": french_date(today)}
    return None


# --- prices in force and TTC ---------------------------------------------------------------


class Dated(Protocol):
    effective_from: date


def price_on[V: Dated](versions: Iterable[V], on: date) -> V:
    """The version in force on ``on``: the latest one effective on or before that day.

    Raises :class:`NoPriceInForce` naming the date when every version starts later (or there
    is none).
    """
    candidates = list(versions)
    in_force = [v for v in candidates if v.effective_from <= on]
    if in_force:
        return max(in_force, key=lambda v: v.effective_from)
    if candidates:
        first = min(v.effective_from for v in candidates)
        reason = _("le premier prix prend effet le %(date)s") % {"date": french_date(first)}
    else:
        reason = _("aucune version de prix")
    raise NoPriceInForce(
        "on",
        "price_on",
        _("aucun prix en vigueur le %(date)s : %(reason)s")
        % {"date": french_date(on), "reason": reason},
    )


def price_step(unit_price_ht: Decimal) -> Decimal:
    """The precision a unit price is shown at: the cent, or 0.0001 for a sub-cent price."""
    return CENT if unit_price_ht == unit_price_ht.quantize(CENT) else PRICE_STEP


def tidy(value: Decimal) -> Decimal:
    """``value`` with two decimals, or its significant ones beyond the cent: 79.0000 -> 79.00,
    0.0350 -> 0.035, 0.2000 -> 0.20."""
    cents = value.quantize(CENT)
    return cents if cents == value else value.normalize()


def price_ttc(*, unit_price_ht: Decimal, vat_rate: Decimal) -> Explained:
    """The unit price TTC: HT × (1 + rate), rounded half up.

    Rounded to the cent, as a price is shown; a sub-cent metered price (0,0035 €) keeps its
    four decimals, else its TTC would round to 0,00 €. Invoices compute VAT on each rate's
    total, not from this figure (``rules.money.document_totals``).
    """
    rule = "price_ttc"
    ht = decimal_arg(unit_price_ht, "unit_price_ht", rule)
    rate = decimal_arg(vat_rate, "vat_rate", rule)
    if problem := unit_price_problem(ht):
        raise RuleError("unit_price_ht", rule, problem)
    if problem := vat_rate_problem(rate):
        raise RuleError("vat_rate", rule, problem)
    exact = ht * (ONE + rate)
    step = price_step(ht)
    ttc = quantize_cents(exact) if step == CENT else exact.quantize(step, ROUND_HALF_UP)
    rounding = (
        words("arrondi au centime, demi supérieur")
        if step == CENT
        else words("arrondi à 4 décimales, demi supérieur")
    )
    return Explained(
        value=ttc,
        rule=rule,
        law=NORMAL_VAT.source,
        inputs={"unit_price_ht": ht, "vat_rate": rate},
        steps=(
            Step(
                words(
                    "{ht} HT × (1 + {rate}) = {ttc} TTC ({rounding})",
                    ht=UnitPrice(ht),
                    rate=Percent(rate),
                    ttc=UnitPrice(ttc),
                    rounding=rounding,
                ),
                ttc,
            ),
        ),
    )


def unit_label(unit: str, metered_unit: str = "") -> str:
    """How a document names the unit: "heure", "forfait", "Go·mois"."""
    if unit not in UNIT_LABELS:
        raise RuleError("unit", "unit_label", f"expected one of {sorted(UNIT_LABELS)}, got {unit}")
    return metered_unit if unit == METERED else UNIT_LABELS[unit]


def unit_words(unit: str, metered_unit: str = "") -> str:
    """How a page names the unit, in the active language: "hour" on an English page, the
    product's own ``metered_unit`` ("Go·mois") for a metered price."""
    unit_label(unit, metered_unit)  # the same check
    return metered_unit if unit == METERED else str(Unit(unit).label)


@dataclass(frozen=True, slots=True)
class PriceQuote:
    """What a document freezes of a catalog price: the product's code and label, its unit,
    the unit price HT and VAT rate in force, and the price version they come from."""

    product_code: str
    label: str
    unit: str
    metered_unit: str
    is_fee: bool
    unit_price_ht: Decimal
    vat_rate: Decimal
    price_version_id: int
    effective_from: date

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit, self.metered_unit)

    @property
    def unit_words(self) -> str:
        return unit_words(self.unit, self.metered_unit)

    @property
    def ttc(self) -> Explained:
        return price_ttc(unit_price_ht=self.unit_price_ht, vat_rate=self.vat_rate)

    @property
    def unit_price_ttc(self) -> Decimal:
        return self.ttc.value

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, to store in a document (decimals and dates as strings)."""
        return {
            "product_code": self.product_code,
            "label": self.label,
            "unit": self.unit,
            "metered_unit": self.metered_unit,
            "unit_label": self.unit_label,
            "is_fee": self.is_fee,
            "unit_price_ht": str(self.unit_price_ht),
            "vat_rate": str(self.vat_rate),
            "price_version_id": self.price_version_id,
            "effective_from": self.effective_from.isoformat(),
        }


def quote_price(*, product: Any, version: Any) -> PriceQuote:
    """The :class:`PriceQuote` of ``product`` at ``version`` (objects with the catalog's
    field names: ``code``, ``name``, ``unit``... and ``pk``, ``unit_price_ht``...)."""
    return PriceQuote(
        product_code=product.code,
        label=product.name,
        unit=product.unit,
        metered_unit=product.metered_unit,
        is_fee=product.is_fee,
        unit_price_ht=tidy(Decimal(version.unit_price_ht)),
        vat_rate=tidy(Decimal(product.vat_rate)),
        price_version_id=version.pk,
        effective_from=version.effective_from,
    )
