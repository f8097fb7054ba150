"""The price of a period's consumption: per unit, graduated tiers, volume tiers, package.

One pure function, :func:`price`, does the arithmetic for every meter (seed 000 art. 3:
billing by consumption, costs proportional to use, prices HT). Amounts stay exact through
the computation and are rounded half up to the cent once, at the end, since the invoice
shows that one figure.

How each scheme reads ``tiers`` (a list of ``(up_to, unit_price)``, ``up_to=None`` for the
last, open tier; ``up_to`` bounds are cumulative quantities, a quantity exactly on ``up_to``
belongs to that tier):

- ``per_unit``: one open tier, billable quantity × unit price.
- ``graduated``: each unit is priced by the tier it falls in; 0–100 at 0,10 € and 100+ at
  0,05 € make 150 units cost 100 × 0,10 + 50 × 0,05. The price is continuous in quantity.
- ``volume``: the tier the whole billable quantity reaches prices every unit; 150 units
  under the tiers above cost 150 × 0,05. The price jumps at the bounds.
- ``package``: one open tier whose price is per block of ``package_size`` units, blocks
  rounded up (101 units in blocks of 100 are 2 blocks).

The free allowance is subtracted from the quantity first (never below zero) and the tiers
apply to what remains. The minimum is a floor of the period's total: a period that costs
less is billed the minimum, a period without consumption too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, Final

from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.money import CENT, ZERO, decimal_arg, non_negative
from clausier.rules.wording import Approx, Euros, UnitPrice, Words, words

PER_UNIT: Final = "per_unit"
GRADUATED: Final = "graduated"
VOLUME: Final = "volume"
PACKAGE: Final = "package"
SCHEMES: Final = (PER_UNIT, GRADUATED, VOLUME, PACKAGE)
SINGLE_TIER_SCHEMES: Final = (PER_UNIT, PACKAGE)

RULE: Final = "price"

_FORMULAS: Final = {
    PER_UNIT: words("formule : quantité facturable × prix unitaire"),
    GRADUATED: words(
        "formule : somme, tranche par tranche, de la quantité dans la tranche × son prix"
    ),
    VOLUME: words("formule : quantité facturable × prix de la tranche atteinte par cette quantité"),
    PACKAGE: words("formule : nombre de forfaits (arrondi au supérieur) × prix du forfait"),
}


@dataclass(frozen=True, slots=True)
class Tier:
    """One checked tier: units above ``lower`` up to ``up_to`` (``None``: no bound)."""

    number: int
    lower: Decimal
    up_to: Decimal | None
    unit_price: Decimal

    def holds(self, quantity: Decimal) -> bool:
        """Whether ``quantity`` (a cumulative count) falls in this tier, bound included."""
        return self.up_to is None or quantity <= self.up_to


@dataclass(frozen=True, slots=True)
class Scheme:
    """A checked price scheme: what :func:`price` rates with (see :func:`scheme_of`)."""

    scheme: str
    tiers: tuple[Tier, ...]
    package_size: Decimal | None
    free_allowance: Decimal
    minimum: Decimal

    def billable(self, quantity: Decimal) -> Decimal:
        """The quantity left once the free allowance is used, never below zero."""
        return max(quantity - self.free_allowance, ZERO)

    def tier_of(self, billable: Decimal) -> Tier:
        """The tier ``billable`` reaches (the first whose bound holds it)."""
        return next(tier for tier in self.tiers if tier.holds(billable))

    def blocks(self, billable: Decimal) -> Decimal:
        """Whole packages needed for ``billable`` units (package scheme), rounded up."""
        assert self.package_size is not None
        return (billable / self.package_size).to_integral_value(rounding=ROUND_CEILING)

    def amount(self, billable: Decimal, *, volume_tier: Tier | None = None) -> Decimal:
        """The exact amount (no minimum, no rounding) of ``billable`` units.

        ``volume_tier``: for a volume scheme, the tier whose price applies (by default the one
        ``billable`` reaches); :mod:`~clausier.metering.domain.versions` passes the tier the
        whole period reaches when it rates a part of it.
        """
        if self.scheme == GRADUATED:
            return sum((q * t.unit_price for t, q in self.in_tiers(billable)), ZERO)
        if self.scheme == VOLUME:
            return billable * (volume_tier or self.tier_of(billable)).unit_price
        if self.scheme == PACKAGE:
            return self.blocks(billable) * self.tiers[0].unit_price
        return billable * self.tiers[0].unit_price

    def in_tiers(self, billable: Decimal) -> list[tuple[Tier, Decimal]]:
        """How many of ``billable`` units fall in each tier reached (graduated reading)."""
        parts = []
        for tier in self.tiers:
            if billable <= tier.lower and tier.number > 1:
                break
            top = billable if tier.up_to is None else min(billable, tier.up_to)
            parts.append((tier, top - tier.lower))
        return parts


def _tiers(tiers: Any, scheme: str) -> tuple[Tier, ...]:
    if isinstance(tiers, str | bytes) or not isinstance(tiers, Sequence) or not tiers:
        raise RuleError("tiers", RULE, "expected a non-empty list of (up_to, unit_price)")
    if scheme in SINGLE_TIER_SCHEMES and len(tiers) != 1:
        raise RuleError(
            "tiers", RULE, f"the {scheme} scheme takes exactly one tier, got {len(tiers)}"
        )
    checked: list[Tier] = []
    lower = ZERO
    for index, pair in enumerate(tiers):
        argument = f"tiers[{index}]"
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise RuleError(argument, RULE, f"expected a pair (up_to, unit_price), got {pair!r}")
        up_to, unit_price = pair
        unit_price = non_negative(unit_price, f"{argument}.unit_price", RULE)
        last = index == len(tiers) - 1
        if up_to is None:
            if not last:
                raise RuleError(argument, RULE, "only the last tier may be open (up_to=None)")
        else:
            up_to = decimal_arg(up_to, f"{argument}.up_to", RULE)
            if last:
                raise RuleError(
                    argument, RULE, f"the last tier must be open (up_to=None), got {up_to}"
                )
            if up_to <= lower:
                raise RuleError(
                    f"{argument}.up_to",
                    RULE,
                    f"tier bounds must increase strictly from 0: {up_to} after {lower}",
                )
        checked.append(Tier(index + 1, lower, up_to, unit_price))
        lower = up_to if up_to is not None else lower
    return tuple(checked)


def scheme_of(
    *,
    scheme: Any,
    tiers: Any,
    package_size: Any = None,
    free_allowance: Any = 0,
    minimum: Any = 0,
) -> Scheme:
    """The checked :class:`Scheme`, or a :class:`RuleError` naming the bad argument."""
    if scheme not in SCHEMES:
        raise RuleError("scheme", RULE, f"expected one of {', '.join(SCHEMES)}, got {scheme!r}")
    checked_tiers = _tiers(tiers, scheme)
    size = None
    if scheme == PACKAGE:
        if package_size is None:
            raise RuleError("package_size", RULE, "the package scheme needs a package size")
        size = decimal_arg(package_size, "package_size", RULE)
        if size <= 0:
            raise RuleError("package_size", RULE, f"must be greater than 0, got {size}")
    elif package_size is not None:
        raise RuleError(
            "package_size", RULE, f"only the package scheme has a package size, not {scheme}"
        )
    return Scheme(
        scheme=scheme,
        tiers=checked_tiers,
        package_size=size,
        free_allowance=non_negative(free_allowance, "free_allowance", RULE),
        minimum=non_negative(minimum, "minimum", RULE),
    )


def rounded(exact: Decimal) -> Decimal:
    """``exact`` rounded to the cent, half up: the one rounding of a rated amount."""
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def euros_shown(amount: Decimal) -> Euros | Approx:
    """An amount in a sentence: to the cent when it is, else its first decimals."""
    # An intermediate amount is shown as it is, fractions of a cent included.
    return Euros(amount) if amount == rounded(amount) else Approx(amount)


def _tier_words(tier: Tier) -> Words:
    if tier.up_to is None:
        return words("tranche {number} (au-delà de {lower})", number=tier.number, lower=tier.lower)
    return words(
        "tranche {number} (de {lower} à {up_to})",
        number=tier.number,
        lower=tier.lower,
        up_to=tier.up_to,
    )


def scheme_steps(
    rated: Scheme, billable: Decimal, *, volume_tier: Tier | None = None
) -> list[Step]:
    """The lines of the arithmetic of :meth:`Scheme.amount`, one per tier used."""
    steps: list[Step] = []
    if rated.scheme == GRADUATED:
        for tier, quantity in rated.in_tiers(billable):
            amount = quantity * tier.unit_price
            steps.append(
                Step(
                    words(
                        "{tier} : {quantity} × {price} = {amount}",
                        tier=_tier_words(tier),
                        quantity=quantity,
                        price=UnitPrice(tier.unit_price),
                        amount=euros_shown(amount),
                    ),
                    amount,
                )
            )
    elif rated.scheme == VOLUME:
        tier = volume_tier or rated.tier_of(billable)
        amount = billable * tier.unit_price
        steps.append(
            Step(
                words(
                    "{tier} atteinte, son prix s'applique à toute la quantité : "
                    "{quantity} × {price} = {amount}",
                    tier=_tier_words(tier),
                    quantity=billable,
                    price=UnitPrice(tier.unit_price),
                    amount=euros_shown(amount),
                ),
                amount,
            )
        )
    elif rated.scheme == PACKAGE:
        assert rated.package_size is not None
        blocks = rated.blocks(billable)
        amount = blocks * rated.tiers[0].unit_price
        steps.append(
            Step(
                words(
                    "forfaits de {size} : {quantity} / {size} arrondi au supérieur = {blocks} ; "
                    "{blocks} × {price} = {amount}",
                    size=rated.package_size,
                    quantity=billable,
                    blocks=blocks,
                    price=UnitPrice(rated.tiers[0].unit_price),
                    amount=euros_shown(amount),
                ),
                amount,
            )
        )
    else:
        amount = billable * rated.tiers[0].unit_price
        steps.append(
            Step(
                words(
                    "{quantity} × {price} = {amount}",
                    quantity=billable,
                    price=UnitPrice(rated.tiers[0].unit_price),
                    amount=euros_shown(amount),
                ),
                amount,
            )
        )
    return steps


def allowance_step(rated: Scheme, quantity: Decimal, billable: Decimal) -> Step:
    return Step(
        words(
            "franchise de {allowance} : {quantity} − {allowance} = {billable} facturables "
            "(jamais moins de 0)",
            allowance=rated.free_allowance,
            quantity=quantity,
            billable=billable,
        ),
        billable,
    )


def minimum_step(minimum: Decimal, amount: Decimal) -> Step:
    return Step(
        words(
            "minimum de la période {minimum} : le montant {amount} est inférieur, "
            "le minimum s'applique",
            minimum=Euros(minimum),
            amount=euros_shown(amount),
        ),
        minimum,
    )


def rounding_step(exact: Decimal, value: Decimal) -> Step:
    if exact == value:
        return Step(words("montant HT = {amount}", amount=Euros(value)), value)
    return Step(
        words(
            "montant HT = {exact} → {amount} (arrondi au centime, demi supérieur)",
            exact=Approx(exact),
            amount=Euros(value),
        ),
        value,
    )


def price(
    *,
    quantity: Decimal,
    scheme: str,
    tiers: Sequence[tuple[Decimal | None, Decimal]],
    package_size: Decimal | int | None = None,
    free_allowance: Decimal | int = 0,
    minimum: Decimal | int = 0,
) -> Explained:
    """The HT amount of ``quantity`` units under a price scheme, rounded half up once.

    See the module for the schemes. ``value`` is the Decimal amount to the cent; the steps
    give the formula, the allowance, each tier's quantity × unit price, the minimum when it
    applies and the rounding. Bad input raises :class:`RuleError` naming the argument.
    """
    units = non_negative(quantity, "quantity", RULE)
    rated = scheme_of(
        scheme=scheme,
        tiers=tiers,
        package_size=package_size,
        free_allowance=free_allowance,
        minimum=minimum,
    )
    steps = [
        Step(_FORMULAS[rated.scheme]),
        Step(words("quantité : {quantity}", quantity=units), units),
    ]
    billable = rated.billable(units)
    if rated.free_allowance:
        steps.append(allowance_step(rated, units, billable))
    steps.extend(scheme_steps(rated, billable))
    exact = rated.amount(billable)
    if exact < rated.minimum:
        steps.append(minimum_step(rated.minimum, exact))
        exact = rated.minimum
    value = rounded(exact)
    steps.append(rounding_step(exact, value))
    return Explained(
        value=value,
        rule=RULE,
        inputs={
            "quantity": units,
            "scheme": rated.scheme,
            "tiers": [(t.up_to, t.unit_price) for t in rated.tiers],
            "package_size": rated.package_size,
            "free_allowance": rated.free_allowance,
            "minimum": rated.minimum,
        },
        steps=tuple(steps),
    )
