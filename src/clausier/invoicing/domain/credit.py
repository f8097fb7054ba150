"""Credit notes: what remains creditable of an invoice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clausier.invoicing.document import (
    InvoiceDocument,
)
from clausier.invoicing.domain.facts import UNITS, LineFacts
from clausier.invoicing.domain.totals import Totals, split_by_rate, totals
from clausier.rules.money import (
    CENT,
    ZERO,
    VatRegime,
    format_eur,
    format_percent,
)

# --- credit notes ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Creditable:
    """What an invoice can still be credited: HT base per VAT rate (as fractions) and TTC."""

    by_rate: dict[Decimal, Decimal]
    ttc: Decimal


def creditable(*, invoice: InvoiceDocument, credit_notes: Sequence[InvoiceDocument]) -> Creditable:
    """The HT base per VAT rate and the TTC an invoice can still be credited, after the
    credit notes already issued on it."""
    by_rate: dict[Decimal, Decimal] = {}
    for group in invoice.vat_breakdown:
        rate = group.rate / 100
        by_rate[rate] = by_rate.get(rate, ZERO) + group.base_ht
    ttc = invoice.total_ttc
    for note in credit_notes:
        for group in note.vat_breakdown:
            rate = group.rate / 100
            by_rate[rate] = by_rate.get(rate, ZERO) - group.base_ht
        ttc -= note.total_ttc
    return Creditable(by_rate=by_rate, ttc=ttc)


def credit_excess(*, remaining: Creditable, note: Totals) -> str:
    """Why the credit note credits more than what remains creditable ("" when it does not)."""
    if note.total_ttc > remaining.ttc:
        return (
            f"l'avoir ({format_eur(note.total_ttc)} TTC) dépasse ce qui reste à créditer sur la "
            f"facture ({format_eur(remaining.ttc)} TTC)"
        )
    for group in note.vat_breakdown:
        rate = group.rate / 100
        left = remaining.by_rate.get(rate, ZERO)
        if group.base_ht > left:
            return (
                f"au taux de TVA de {format_percent(rate)}, l'avoir crédite "
                f"{format_eur(group.base_ht)} HT, il reste {format_eur(left)} HT à créditer"
            )
    return ""


def remaining_lines(*, invoice: InvoiceDocument, remaining: Creditable) -> tuple[LineFacts, ...]:
    """The lines of a credit note that cancels what remains of ``invoice``: its own lines
    when nothing was credited yet, one line per VAT rate for the rest otherwise."""
    untouched = remaining.ttc == invoice.total_ttc
    if untouched:
        return tuple(
            LineFacts(
                description=line.description,
                quantity=line.quantity,
                unit=_unit_key(line.unit_code),
                unit_label=line.unit,
                unit_price=line.unit_price_ht,
                vat_rate=line.vat_rate / 100,
                discount=line.discount_rate / 100,
            )
            for line in invoice.lines
        )
    return tuple(
        LineFacts(
            description=f"Annulation du solde de la facture {invoice.number}"
            + (f" (TVA {format_percent(rate)})" if rate else ""),
            quantity=Decimal("1"),
            unit="flat",
            unit_price=base,
            vat_rate=rate,
        )
        for rate, base in sorted(remaining.by_rate.items())
        if base > 0
    )


def _unit_key(code: str) -> str:
    for key, (_label, unit_code) in UNITS.items():
        if unit_code == code:
            return key
    return "unit"


def withdrawal_lines(
    *,
    invoice: InvoiceDocument,
    remaining: Creditable,
    keep: Decimal,
    regime: VatRegime,
    label: str,
) -> tuple[LineFacts, ...]:
    """The lines of a credit note crediting what remains of ``invoice`` but ``keep`` TTC
    (what the consumer owes for the service provided before withdrawing, C. conso. L221-25):
    one line per VAT rate, the credited HT spread over the rates in proportion to what
    remains of each (:func:`split_by_rate`, cents adding up). Rounding the VAT per rate may
    leave no HT whose TTC is exactly the target: the closest is taken, a cent more credited
    rather than a cent less (the consumer is refunded all he does not owe). Empty when
    nothing is left to credit."""
    target = remaining.ttc - keep
    bases = {rate: base for rate, base in remaining.by_rate.items() if base > 0}
    base_total = sum(bases.values(), ZERO)
    if target <= 0 or base_total <= 0 or remaining.ttc <= 0:
        return ()
    approx = (base_total * target / remaining.ttc).quantize(CENT, rounding=ROUND_HALF_UP)
    best: tuple[tuple[Decimal, bool], tuple[LineFacts, ...]] | None = None
    for step in range(-3, 4):
        credited_ht = approx + step * CENT
        if credited_ht <= 0 or credited_ht > base_total:
            continue
        shares = split_by_rate(credited_ht, bases)
        if any(share > bases[rate] for rate, share in shares.items()):
            continue
        lines = tuple(
            LineFacts(
                description=label + (f" (TVA {format_percent(rate)})" if len(shares) > 1 else ""),
                quantity=Decimal("1"),
                unit="flat",
                unit_price=share,
                vat_rate=rate,
            )
            for rate, share in sorted(shares.items())
            if share > 0
        )
        ttc = totals(lines, regime).total_ttc
        if ttc > remaining.ttc:
            continue
        key = (abs(ttc - target), ttc < target)
        if best is None or key < best[0]:
            best = (key, lines)
    return best[1] if best is not None else ()
