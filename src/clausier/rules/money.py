"""Money for French invoices: exact decimals, the roundings the law expects, VAT regimes.

Amounts are :class:`~decimal.Decimal` in EUR, never floats. Rounding is ``ROUND_HALF_UP`` to
the cent at the points where the invoice shows a figure: each line amount, the VAT of each
rate, the deposit. Everything in between stays exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.formats import (  # re-exported: documents format with these
    decimal_arg as decimal_arg,
)
from clausier.rules.formats import (
    format_approx as format_approx,
)
from clausier.rules.formats import (
    format_eur as format_eur,
)
from clausier.rules.formats import (
    format_number as format_number,
)
from clausier.rules.formats import (
    format_percent as format_percent,
)
from clausier.rules.formats import (
    format_unit_price as format_unit_price,
)
from clausier.rules.wording import Approx, Euros, Percent, UnitPrice, Words, words

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")


# What an invoice shows: quantity, unit price HT, HT amount and VAT per rate, totals.
INVOICE_LAW = "CGI ann. II art. 242 nonies A; C. com. L441-9"
FRANCHISE_MENTION = LegalFact("TVA non applicable, art. 293 B du CGI", "CGI art. 293 B")
# Since 2013 the invoice must carry the word "Autoliquidation" whenever the customer owes the
# VAT (directive art. 226 11 bis); for services to an EU business the customer owes it under
# art. 196 of the directive, the place of supply being its own country (CGI art. 259-1).
REVERSE_CHARGE_MENTION = LegalFact(
    "Autoliquidation",
    "CGI ann. II art. 242 nonies A, I-13°; CGI art. 259-1; "
    "directive 2006/112/CE art. 196 et 226 11 bis",
)
NORMAL_VAT = LegalFact("", "CGI art. 278 et suivants")
# Late interest and the 40 EUR recovery indemnity pay for no supply: they are damages, outside
# the scope of VAT (no consideration, CGI art. 256 I), whatever the seller's regime.
OUT_OF_SCOPE_MENTION = LegalFact(
    "TVA non applicable : hors champ d'application de la TVA, indemnité sans contrepartie",
    "CGI art. 256 I; BOI-TVA-BASE-10-10-10",
)


class VatRegime(StrEnum):
    """How the seller charges VAT on a document.

    ``FRANCHISE_293B``: franchise en base, no VAT charged (the seed 002 agency).
    ``REVERSE_CHARGE_EU``: services to a business established in another EU state; no French
    VAT, the customer self-assesses. An exemption regime is not offered: its mention depends
    on the exempting article, to be added with that article when a seller needs it.
    """

    NORMAL = "normal"
    FRANCHISE_293B = "franchise_293b"
    REVERSE_CHARGE_EU = "reverse_charge_eu"
    # A document of damages (late interest, recovery indemnity): no supply, no VAT.
    OUT_OF_SCOPE = "out_of_scope"

    @property
    def legal_fact(self) -> LegalFact[str]:
        return _REGIME_FACTS[self]

    @property
    def mention(self) -> str:
        """The exact mention the invoice must carry ("" under the normal regime)."""
        return self.legal_fact.value

    @property
    def charges_vat(self) -> bool:
        return self is VatRegime.NORMAL

    @property
    def words(self) -> Words:
        """The regime's name in the reader's language ("franchise en base de TVA")."""
        return _REGIME_WORDS[self]


_REGIME_WORDS = {
    VatRegime.NORMAL: words("régime normal de TVA"),
    VatRegime.FRANCHISE_293B: words("franchise en base de TVA"),
    VatRegime.REVERSE_CHARGE_EU: words("autoliquidation par le client"),
    VatRegime.OUT_OF_SCOPE: words("hors champ d'application de la TVA"),
}

_REGIME_FACTS = {
    VatRegime.NORMAL: NORMAL_VAT,
    VatRegime.FRANCHISE_293B: FRANCHISE_MENTION,
    VatRegime.REVERSE_CHARGE_EU: REVERSE_CHARGE_MENTION,
    VatRegime.OUT_OF_SCOPE: OUT_OF_SCOPE_MENTION,
}


# --- conversions and checks -------------------------------------------------------------


def non_negative(value: Any, argument: str, rule: str) -> Decimal:
    result = decimal_arg(value, argument, rule)
    if result < 0:
        raise RuleError(argument, rule, f"must not be negative, got {result}")
    return result


def fraction(value: Any, argument: str, rule: str, *, below_one: bool = False) -> Decimal:
    """A rate as a fraction of one: in [0, 1], or in [0, 1) when ``below_one``."""
    result = non_negative(value, argument, rule)
    if result > ONE or (below_one and result == ONE):
        bound = "[0, 1)" if below_one else "[0, 1]"
        raise RuleError(
            argument, rule, f"a rate is a fraction in {bound} (0.20 for 20 %), got {result}"
        )
    return result


def to_money(x: Decimal | int | str) -> Decimal:
    """``x`` as an exact Decimal amount; no rounding (see :func:`quantize_cents`).

    Strings are parsed with Decimal syntax ("1234.56"), for values read from forms or files.
    Floats are refused with a RuleError.
    """
    if isinstance(x, str):
        try:
            x = Decimal(x.strip())
        except ArithmeticError:
            raise RuleError("x", "to_money", f"not a decimal amount: {x!r}") from None
    return decimal_arg(x, "x", "to_money")


def quantize_cents(x: Decimal | int | str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``x`` rounded to the cent, half up by default (0.005 -> 0.01, -0.005 -> -0.01)."""
    return to_money(x).quantize(CENT, rounding=rounding)


# --- lines and documents ----------------------------------------------------------------


def _check_line_figures(
    *, quantity: Any, unit_price: Any, discount: Any, rule: str
) -> tuple[Decimal, Decimal, Decimal]:
    # Negative quantities are refused: a correction is a credit note, a document of its own.
    # A negative unit price is allowed, for a discount line ("Remise fidélité: -50,00 €").
    return (
        non_negative(quantity, "quantity", rule),
        decimal_arg(unit_price, "unit_price", rule),
        fraction(discount, "discount", rule),
    )


@dataclass(frozen=True, slots=True)
class Line:
    """One invoice or quote line, amounts HT.

    ``vat_rate`` and ``discount`` are fractions: ``Decimal("0.20")`` for 20 %,
    ``Decimal("0.10")`` for a 10 % discount on the line.
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = ZERO
    discount: Decimal = ZERO

    def __post_init__(self) -> None:
        quantity, unit_price, discount = _check_line_figures(
            quantity=self.quantity,
            unit_price=self.unit_price,
            discount=self.discount,
            rule="Line",
        )
        # Frozen: store the checked Decimals (an int 2 becomes Decimal 2) the only way allowed.
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "unit_price", unit_price)
        object.__setattr__(self, "discount", discount)
        object.__setattr__(
            self, "vat_rate", fraction(self.vat_rate, "vat_rate", "Line", below_one=True)
        )


def _line_amount(
    quantity: Decimal, unit_price: Decimal, discount: Decimal
) -> tuple[Decimal, Words]:
    """The rounded HT amount of a line and the arithmetic that gives it, for the steps."""
    net = quantity * unit_price * (ONE - discount)
    amount = net.quantize(CENT, rounding=ROUND_HALF_UP)
    # A unit price may have more than two decimals (0,0035 € per request): shown exactly.
    price = UnitPrice(unit_price)
    if discount:
        product = words(
            "{quantity} × {price} × (1 − {discount})",
            quantity=quantity,
            price=price,
            discount=Percent(discount),
        )
    else:
        product = words("{quantity} × {price}", quantity=quantity, price=price)
    if net == amount:
        return amount, words("{product} = {amount}", product=product, amount=Euros(amount))
    return amount, words(
        "{product} = {exact} → {amount} (arrondi au centime, demi supérieur)",
        product=product,
        exact=Approx(net),
        amount=Euros(amount),
    )


def line_total(*, quantity: Decimal, unit_price: Decimal, discount: Decimal = ZERO) -> Explained:
    """The HT amount of a line: quantity × unit price × (1 − discount), rounded to the cent.

    Rounded per line, half up, because the invoice shows each line amount (CGI ann. II
    art. 242 nonies A) and the totals must be the sum of what the reader sees.
    """
    rule = "line_total"
    q, price, disc = _check_line_figures(
        quantity=quantity, unit_price=unit_price, discount=discount, rule=rule
    )
    amount, arithmetic = _line_amount(q, price, disc)
    return Explained(
        value=amount,
        rule=rule,
        law=INVOICE_LAW,
        inputs={"quantity": q, "unit_price": price, "discount": disc},
        steps=(
            Step(words("montant HT de la ligne : {arithmetic}", arithmetic=arithmetic), amount),
        ),
    )


class RateTotals(NamedTuple):
    """The HT base and the VAT of one rate, as printed in the invoice's VAT summary."""

    base: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """The figures at the foot of a document.

    ``lines``: the rounded HT amount of each line, in order. ``by_rate``: VAT rate applied ->
    (HT base, VAT); under a regime that charges no VAT every line falls under rate 0.
    """

    lines: tuple[Decimal, ...]
    by_rate: dict[Decimal, RateTotals] = field(hash=False)
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    mention: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (decimals as strings)."""
        return {
            "lines": [str(amount) for amount in self.lines],
            "by_rate": [
                {"rate": str(rate), "base": str(t.base), "vat": str(t.vat)}
                for rate, t in self.by_rate.items()
            ],
            "total_ht": str(self.total_ht),
            "total_vat": str(self.total_vat),
            "total_ttc": str(self.total_ttc),
            "mention": self.mention,
        }


def document_totals(*, lines: Sequence[Line], regime: VatRegime | str) -> Explained:
    """HT, VAT and TTC totals of a quote or invoice, the way a French invoice shows them.

    Each line amount is rounded to the cent; lines are summed into one HT base per VAT rate;
    the VAT of each rate is computed on that base and rounded half up once per rate (the
    invoice states the VAT amount per rate, CGI ann. II art. 242 nonies A). Total HT is the
    sum of the bases, total VAT the sum of the per-rate VAT, TTC = HT + VAT. Under the 293 B
    franchise or the EU reverse charge no VAT is charged whatever the line rates, and the
    totals carry the regime's mandatory mention.

    A negative base for a rate (a discount line larger than the lines it reduces) is refused:
    a document that owes the client money is a credit note.
    """
    rule = "document_totals"
    try:
        vat_regime = VatRegime(regime)
    except ValueError:
        choices = ", ".join(r.value for r in VatRegime)
        raise RuleError("regime", rule, f"expected one of {choices}, got {regime!r}") from None
    if isinstance(lines, str | bytes) or not isinstance(lines, Sequence) or not lines:
        raise RuleError("lines", rule, "expected a non-empty sequence of Line")

    steps: list[Step] = []
    amounts: list[Decimal] = []
    bases: dict[Decimal, Decimal] = {}
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, Line):
            raise RuleError(f"lines[{number - 1}]", rule, f"expected a Line, got {line!r}")
        amount, arithmetic = _line_amount(line.quantity, line.unit_price, line.discount)
        amounts.append(amount)
        rate = line.vat_rate if vat_regime.charges_vat else ZERO
        bases[rate] = bases.get(rate, ZERO) + amount
        steps.append(
            Step(
                words(
                    "ligne {number} « {description} » : {arithmetic}",
                    number=number,
                    description=line.description,
                    arithmetic=arithmetic,
                ),
                amount,
            )
        )

    by_rate: dict[Decimal, RateTotals] = {}
    for rate, base in bases.items():
        if base < 0:
            raise RuleError(
                "lines",
                rule,
                f"negative HT base {base} for VAT rate {rate}: a discount cannot exceed the "
                "lines it reduces; issue a credit note instead",
            )
        vat = (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        by_rate[rate] = RateTotals(base=base, vat=vat)
        if vat_regime.charges_vat:
            label = words(
                "TVA {rate} : base {base} × {rate} = {vat} (arrondie par taux)",
                rate=Percent(rate),
                base=Euros(base),
                vat=Euros(vat),
            )
        else:
            label = words(
                "aucune TVA facturée ({regime}) : base {base}",
                regime=vat_regime.words,
                base=Euros(base),
            )
        steps.append(Step(label, vat))

    total_ht = sum((t.base for t in by_rate.values()), ZERO)
    total_vat = sum((t.vat for t in by_rate.values()), ZERO)
    total_ttc = total_ht + total_vat
    steps.append(Step(words("total HT = {amount}", amount=Euros(total_ht)), total_ht))
    steps.append(Step(words("total TVA = {amount}", amount=Euros(total_vat)), total_vat))
    steps.append(Step(words("total TTC = HT + TVA = {amount}", amount=Euros(total_ttc)), total_ttc))
    if vat_regime.mention:
        # The mention itself is the law's French text, printed as it is on every document.
        steps.append(
            Step(
                words(
                    "mention obligatoire : « {mention} » ({source})",
                    mention=vat_regime.mention,
                    source=vat_regime.legal_fact.source,
                )
            )
        )

    totals = Totals(
        lines=tuple(amounts),
        by_rate=by_rate,
        total_ht=total_ht,
        total_vat=total_vat,
        total_ttc=total_ttc,
        mention=vat_regime.mention,
    )
    return Explained(
        value=totals,
        rule=rule,
        law=f"{INVOICE_LAW}; {vat_regime.legal_fact.source}",
        inputs={
            "lines": [
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "vat_rate": line.vat_rate,
                    "discount": line.discount,
                }
                for line in lines
            ],
            "regime": vat_regime.value,
        },
        steps=tuple(steps),
    )


def deposit_amount(*, total_ht: Decimal, rate: Decimal) -> Explained:
    """The deposit asked on acceptance of a quote: ``rate`` × HT total, rounded half up.

    The rate is the clause parameter (30 % in seed 002 art. 5, "30% du montant global hors
    taxes"), read from the terms version the client accepted, never a constant here.
    """
    rule = "deposit_amount"
    base = non_negative(total_ht, "total_ht", rule)
    share = fraction(rate, "rate", rule)
    exact = base * share
    amount = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    return Explained(
        value=amount,
        rule=rule,
        inputs={"total_ht": base, "rate": share},
        steps=(
            Step(words("{rate} × {base} HT", rate=Percent(share), base=Euros(base)), exact),
            Step(
                words("arrondi au centime (demi supérieur) = {amount}", amount=Euros(amount)),
                amount,
            ),
        ),
    )
