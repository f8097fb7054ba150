"""Document lines priced from the catalog, and the checks every document line shares.

An online order's recap (``orders``) and an invoice's catalog lines (``invoicing``) ask the
same thing: for each line a product code and a quantity, priced on one date from the
version in force (label, unit, unit price HT and TTC, VAT rate, price version id, see
:class:`~clausier.catalog.domain.PriceQuote`). :func:`price_lines` is that pricer; each
document then builds its own line model from the :class:`Priced` lines and computes its
amounts with ``rules.money`` (quantity × unit price × (1 − discount), rounded to the cent
half up, per line).

A quote line states its own price (its product code is a reference, not a lookup): quotes
use only the checks of a line (:func:`refuse_unknown_fields`, :func:`check_quantity`,
:func:`model_errors`).

Problems are collected, not raised: every function writes into an ``errors`` dict keyed
``lines[i].<field>`` (the caller's ``key``), and the caller raises one ValidationError naming
every field at fault. What differs between documents is a parameter: the message naming an
unknown product (an order names the seller's catalog), which products may be sold (an order
only active ones, see ``catalog.selectors.products_by_code``), the date of the prices.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from clausier.catalog import domain, selectors
from clausier.kernel.inputs import exact_decimal
from clausier.rules.explain import Explained
from clausier.rules.money import ZERO, line_total

type LineErrors = dict[str, str]
type PriceLookup = Callable[..., domain.PriceQuote]


# --- checks every document line shares ------------------------------------------------------


def refuse_unknown_fields(
    item: Mapping[str, Any], *, allowed: Collection[str], key: str, errors: LineErrors
) -> None:
    """One error per field of ``item`` a caller may not set, in name order."""
    for name in sorted(set(item) - set(allowed)):
        errors[f"{key}.{name}"] = _("champ inconnu ou non modifiable")


def check_quantity(quantity: Decimal, *, key: str, errors: LineErrors) -> Decimal | None:
    """``quantity`` if it is strictly positive, else None and the error under ``key``.

    A negative quantity is no line of a sale: a correction is a credit note."""
    if quantity <= 0:
        errors[f"{key}.quantity"] = _("la quantité doit être strictement positive")
        return None
    return quantity


def read_quantity(item: Mapping[str, Any], *, key: str, errors: LineErrors) -> Decimal | None:
    """The ``quantity`` of ``item`` read exactly (a Decimal, an int or a decimal string, French
    comma allowed, never a float) and strictly positive; else None and its error."""
    try:
        quantity = exact_decimal(item.get("quantity"), what=_("quantité"))
    except ValueError as exc:
        errors[f"{key}.quantity"] = str(exc)
        return None
    return check_quantity(quantity, key=key, errors=errors)


def model_errors(line: Model, *, key: str, exclude: Collection[str], errors: LineErrors) -> bool:
    """Run the model's own checks on ``line`` (``full_clean``); their messages go under
    ``key.<field>``, after any message already there for that field. True when it passed."""
    try:
        line.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(f"{key}.{name}", " ".join(messages))
        return False
    return True


# --- catalog lines -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wanted:
    """A catalog line as a document asks for it: its position, the product code as given,
    and its quantity (None when it could not be read: its error is said already)."""

    position: int
    code: Any
    quantity: Decimal | None

    @property
    def key(self) -> str:
        return f"lines[{self.position}]"


@dataclass(frozen=True, slots=True)
class Priced:
    """A catalog line with the product and the price in force the document freezes."""

    wanted: Wanted
    product: Any
    price: domain.PriceQuote

    @property
    def position(self) -> int:
        return self.wanted.position

    @property
    def key(self) -> str:
        return self.wanted.key

    @property
    def quantity(self) -> Decimal | None:
        return self.wanted.quantity

    def line_total(self, discount: Decimal = ZERO) -> Explained:
        """The HT amount a document shows for this line (``rules.money.line_total``):
        quantity × unit price HT × (1 − discount), rounded to the cent, half up."""
        return line_total(
            quantity=self.quantity or ZERO, unit_price=self.price.unit_price_ht, discount=discount
        )


def price_lines(
    wanted: Iterable[Wanted],
    *,
    products: Mapping[str, Any],
    on: date,
    unknown_product: Callable[[Any], str],
    errors: LineErrors,
    price_of: PriceLookup = selectors.price_in_force,
) -> list[Priced]:
    """Each wanted line with its product (from ``products``, by code) and the price in force
    on ``on`` (``price_of(product=, on=)``, by default ``catalog.selectors.price_in_force``
    over the versions ``products_by_code`` prefetched: no query per line), in order.

    A code with no product gets ``unknown_product(code)`` under ``lines[i].product_code``, a
    product with no price in force yet a message naming the date; those lines are left out.
    """
    priced: list[Priced] = []
    for line in wanted:
        product = products.get(line.code)
        if product is None:
            errors[f"{line.key}.product_code"] = unknown_product(line.code)
            continue
        try:
            price = price_of(product=product, on=on)
        except domain.NoPriceInForce:
            errors[f"{line.key}.product_code"] = _(
                "« %(code)s » n'a pas de prix en vigueur le %(date)s"
            ) % {"code": line.code, "date": f"{on:%d/%m/%Y}"}
            continue
        priced.append(Priced(wanted=line, product=product, price=price))
    return priced


def line_order(errors: LineErrors) -> LineErrors:
    """``errors`` in the order of their lines (``lines[0]...`` before ``lines[1]...``), each
    line's in the order they were found: the order a reader goes down the form."""

    def line_of(item: tuple[str, str]) -> int:
        head, _sep, rest = item[0].partition("[")
        index = rest.partition("]")[0]
        return int(index) if head == "lines" and index.isdigit() else -1

    return dict(sorted(errors.items(), key=line_of))
