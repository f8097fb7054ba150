"""A period rated under the price versions in force during it (seed 000 art. 3).

A price revision applies from its effective date: a billing period that straddles it is rated
in two parts (more if several revisions fall inside), each under its own version and each
explained. :func:`rate_period` splits the period at each effective date (midnight of that day
in the seller's zone, Europe/Paris by default) and asks the caller for each part's quantity
(``quantity_of(start, end)``, typically :func:`~clausier.metering.domain.aggregation.aggregate`
over ``[start, end)``).

How tiers, the free allowance and the minimum apply to a split period. They are the period's:
a revision changes the prices, not the volume the client reached in the month, nor gives a
second allowance or minimum. So the parts are rated in the order of time, on the period's
running total of consumption:

- each part is priced by its version on the units it adds to the running total: the units
  of the part run from ``before`` (consumption of the earlier parts) to ``before + q``, and
  the part costs ``amount(before + q) − amount(before)`` under its version, after the
  version's free allowance is taken off both ends. Graduated tiers thus continue where the
  earlier part left them, the allowance is used once, by the first units, and package blocks
  are counted on the running total (a block begun in the first part is not paid twice);
- volume tiers: the tier is the one the whole period's billable quantity reaches, priced at
  each part's version;
- the minimum is a floor of the period's total: each version's minimum weighs by the part's
  share of the period's duration; when the parts' amounts (each rounded to the cent) stay
  below that floor rounded to the cent, one more line makes up the difference.

With one version over the whole period this gives exactly :func:`~.pricing.price` of the
period's quantity; with two versions of the same prices, the same total as one version up to
one cent per part (each part is rounded once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, Final
from zoneinfo import ZoneInfo

from clausier.metering.domain.aggregation import Period
from clausier.metering.domain.pricing import (
    PER_UNIT,
    VOLUME,
    Scheme,
    allowance_step,
    euros_shown,
    rounded,
    rounding_step,
    scheme_of,
    scheme_steps,
)
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.money import ZERO, non_negative
from clausier.rules.wording import Euros, words

RULE: Final = "rate_period"
PARIS: Final = ZoneInfo("Europe/Paris")
# Schemes whose amount is the units × one price: a part is explained by its own units.
LINEAR: Final = (PER_UNIT, VOLUME)


@dataclass(frozen=True, slots=True)
class PriceVersion:
    """A price of a meter from ``effective_from`` (a day) until the next version."""

    effective_from: date
    scheme: str
    tiers: Sequence[tuple[Decimal | None, Decimal]]
    package_size: Decimal | int | None = None
    free_allowance: Decimal | int = 0
    minimum: Decimal | int = 0
    label: str = ""

    def checked(self) -> Scheme:
        return scheme_of(
            scheme=self.scheme,
            tiers=self.tiers,
            package_size=self.package_size,
            free_allowance=self.free_allowance,
            minimum=self.minimum,
        )

    def name(self) -> str:
        return self.label or self.effective_from.isoformat()


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a period, its version, its quantity and its rated amount."""

    start: datetime
    end: datetime
    version: PriceVersion
    quantity: Decimal
    amount: Decimal
    explained: Explained

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "version": self.version.name(),
            "quantity": self.quantity,
            "amount": self.amount,
            "explained": self.explained,
        }


@dataclass(frozen=True, slots=True)
class Rated:
    """A period rated: its parts, the top-up to the minimum (0 if none), the total HT."""

    parts: tuple[Part, ...]
    minimum_top_up: Decimal
    total: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "parts": list(self.parts),
            "minimum_top_up": self.minimum_top_up,
            "total": self.total,
        }


def _versions(versions: Any) -> list[PriceVersion]:
    if isinstance(versions, str | bytes) or not isinstance(versions, Sequence) or not versions:
        raise RuleError("versions", RULE, "expected a non-empty list of PriceVersion")
    for index, version in enumerate(versions):
        if not isinstance(version, PriceVersion):
            raise RuleError(f"versions[{index}]", RULE, f"expected a PriceVersion: {version!r}")
        if isinstance(version.effective_from, datetime) or not isinstance(
            version.effective_from, date
        ):
            raise RuleError(
                f"versions[{index}].effective_from", RULE, "expected a date (the first day)"
            )
    ordered = sorted(versions, key=lambda v: v.effective_from)
    for before, after in pairwise(ordered):
        if before.effective_from == after.effective_from:
            raise RuleError("versions", RULE, f"two versions take effect on {after.effective_from}")
    return ordered


def split(
    *, start: datetime, end: datetime, versions: Sequence[PriceVersion], zone: ZoneInfo = PARIS
) -> list[tuple[datetime, datetime, PriceVersion]]:
    """``[start, end)`` cut at each version's effective date (midnight in ``zone``), each part
    with the version in force during it. No version in force at ``start`` is an error."""
    period = Period(start, end)
    ordered = _versions(versions)
    dated = [(datetime.combine(v.effective_from, time(0), tzinfo=zone), v) for v in ordered]
    in_force = [(moment, v) for moment, v in dated if moment <= period.start]
    if not in_force:
        raise RuleError(
            "versions",
            RULE,
            f"no price version in force on {period.start}: the first takes effect on "
            f"{ordered[0].effective_from}",
        )
    cuts = [in_force[-1]] + [(m, v) for m, v in dated if period.start < m < period.end]
    parts = []
    for index, (moment, version) in enumerate(cuts):
        part_start = period.start if index == 0 else moment
        part_end = cuts[index + 1][0] if index + 1 < len(cuts) else period.end
        parts.append((part_start, part_end, version))
    return parts


def _part(
    *,
    bounds: tuple[datetime, datetime],
    version: PriceVersion,
    quantity: Decimal,
    before: Decimal,
    period_quantity: Decimal,
) -> Part:
    rated = version.checked()
    low, high = rated.billable(before), rated.billable(before + quantity)
    tier = rated.tier_of(rated.billable(period_quantity)) if rated.scheme == VOLUME else None
    upto, already = rated.amount(high, volume_tier=tier), rated.amount(low, volume_tier=tier)
    exact = upto - already
    value = rounded(exact)
    steps = [
        Step(
            words(
                "du {start} au {end} (fin exclue), version « {version} » en vigueur depuis le "
                "{effective}",
                start=bounds[0],
                end=bounds[1],
                version=version.name(),
                effective=version.effective_from,
            )
        ),
        Step(
            words(
                "quantité de la partie : {quantity} (cumul de la période de {before} à {after})",
                quantity=quantity,
                before=before,
                after=before + quantity,
            ),
            quantity,
        ),
    ]
    if rated.free_allowance:
        steps.append(allowance_step(rated, before + quantity, high))
    if rated.scheme in LINEAR:
        # Priced unit by unit (at the tier the period reached, for volume): the part's own units.
        if tier is not None:
            steps.append(
                Step(
                    words(
                        "prix au volume : la tranche est celle qu'atteint toute la période "
                        "({quantity} unités facturables)",
                        quantity=rated.billable(period_quantity),
                    )
                )
            )
        steps.extend(scheme_steps(rated, high - low, volume_tier=tier))
    else:
        steps.append(
            Step(words("montant du cumul à la fin de la partie, au prix de cette version :"), upto)
        )
        steps.extend(scheme_steps(rated, high))
        if already:
            steps.append(
                Step(
                    words(
                        "moins le montant des {before} unités facturables des parties "
                        "précédentes au même prix : {upto} − {already} = {exact}",
                        before=low,
                        upto=euros_shown(upto),
                        already=euros_shown(already),
                        exact=euros_shown(exact),
                    ),
                    exact,
                )
            )
    steps.append(rounding_step(exact, value))
    explained = Explained(
        value=value,
        rule="price",
        inputs={"start": bounds[0], "end": bounds[1], "quantity": quantity, "before": before},
        steps=tuple(steps),
    )
    return Part(bounds[0], bounds[1], version, quantity, value, explained)


def _microseconds(start: datetime, end: datetime) -> Decimal:
    """The exact duration of ``[start, end)``, in UTC (a day of a change of time lasts 23 or
    25 hours; Python subtracts two datetimes of one zone on the wall clock)."""
    return Decimal((end.astimezone(UTC) - start.astimezone(UTC)) // timedelta(microseconds=1))


def rate_period(
    *,
    start: datetime,
    end: datetime,
    versions: Sequence[PriceVersion],
    quantity_of: Callable[[datetime, datetime], Decimal],
    zone: ZoneInfo = PARIS,
) -> Explained:
    """The HT amount of ``[start, end)`` under the versions in force, part by part.

    ``quantity_of(part_start, part_end)`` gives each part's quantity (a Decimal). ``value`` is
    a :class:`Rated`; see the module for how tiers, allowance and minimum apply to the parts.
    """
    cuts = split(start=start, end=end, versions=versions, zone=zone)
    quantities = [
        non_negative(quantity_of(a, b), f"quantity_of({a.isoformat()}, {b.isoformat()})", RULE)
        for a, b, _ in cuts
    ]
    period_quantity = sum(quantities, ZERO)
    parts: list[Part] = []
    before = ZERO
    for (a, b, version), quantity in zip(cuts, quantities, strict=True):
        parts.append(
            _part(
                bounds=(a, b),
                version=version,
                quantity=quantity,
                before=before,
                period_quantity=period_quantity,
            )
        )
        before += quantity
    whole = _microseconds(start, end)
    floor_exact = sum(
        (version.checked().minimum * _microseconds(a, b) / whole for a, b, version in cuts),
        ZERO,
    )
    subtotal = sum((p.amount for p in parts), ZERO)
    floor = rounded(floor_exact)
    top_up = max(floor - subtotal, ZERO)
    steps = [
        Step(
            words(
                "partie {number} : {quantity} unités, version « {version} » = {amount}",
                number=number,
                quantity=part.quantity,
                version=part.version.name(),
                amount=Euros(part.amount),
            ),
            part.amount,
        )
        for number, part in enumerate(parts, start=1)
    ]
    if top_up:
        steps.append(
            Step(
                words(
                    "minimum de la période {floor} (minimum de chaque version au prorata de la "
                    "durée de sa partie) : complément {top_up}",
                    floor=Euros(floor),
                    top_up=Euros(top_up),
                ),
                top_up,
            )
        )
    total = subtotal + top_up
    steps.append(Step(words("montant HT de la période = {total}", total=Euros(total)), total))
    return Explained(
        value=Rated(tuple(parts), top_up, total),
        rule=RULE,
        inputs={"start": start, "end": end, "versions": [v.name() for v in versions]},
        steps=tuple(steps),
    )
