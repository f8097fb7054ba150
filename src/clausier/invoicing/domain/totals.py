"""Lines, totals per VAT rate and deductions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from clausier.invoicing.document import (
    Deduction,
    Line,
    VatGroup,
)
from clausier.invoicing.domain.facts import (
    CATEGORY_EXEMPT,
    CATEGORY_OUTSIDE,
    CATEGORY_REVERSE,
    CATEGORY_STANDARD,
    CATEGORY_ZERO,
    OUT_OF_SCOPE_CODE,
    REVERSE_CHARGE_CODE,
    UNITS,
    InvoiceRuleError,
    LineFacts,
)
from clausier.invoicing.domain.penalties import percent_of
from clausier.quotes.domain import money_lines
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained
from clausier.rules.money import (
    CENT,
    ZERO,
    VatRegime,
    document_totals,
    format_eur,
)

# --- lines, totals, deductions --------------------------------------------------------------


def _category(regime: VatRegime, rate: Decimal) -> str:
    if regime is VatRegime.FRANCHISE_293B:
        return CATEGORY_EXEMPT
    if regime is VatRegime.REVERSE_CHARGE_EU:
        return CATEGORY_REVERSE
    if regime is VatRegime.OUT_OF_SCOPE:
        return CATEGORY_OUTSIDE
    return CATEGORY_STANDARD if rate > 0 else CATEGORY_ZERO


_EXEMPTION_CODES = {
    VatRegime.REVERSE_CHARGE_EU: REVERSE_CHARGE_CODE,
    VatRegime.OUT_OF_SCOPE: OUT_OF_SCOPE_CODE,
}


def _unit(line: LineFacts, index: int) -> tuple[str, str]:
    if line.unit not in UNITS:
        raise InvoiceRuleError(
            f"Ligne {index + 1} : unité « {line.unit} » inconnue ; possibles : {', '.join(UNITS)}."
        )
    label, code = UNITS[line.unit]
    return (line.unit_label or label), code


def document_nature(lines: Sequence[LineFacts]) -> str:
    kinds = {line.goods for line in lines}
    if kinds == {True}:
        return "goods"
    if kinds == {False}:
        return "services"
    return "both"


@dataclass(frozen=True, slots=True)
class Totals:
    regime: VatRegime
    lines: tuple[Line, ...]
    vat_breakdown: tuple[VatGroup, ...]
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    explained: Explained


def totals(lines: Sequence[LineFacts], regime: VatRegime) -> Totals:
    """Document lines and totals per VAT rate, by :func:`rules.money.document_totals`."""
    try:
        computed = document_totals(lines=money_lines(lines), regime=regime)
    except RuleError as exc:
        raise InvoiceRuleError(f"Lignes de la facture : {exc}") from exc
    figures = computed.value
    document_lines = []
    for index, (line, amount) in enumerate(zip(lines, figures.lines, strict=True)):
        label, code = _unit(line, index)
        rate = line.vat_rate if regime.charges_vat else ZERO
        document_lines.append(
            Line(
                description=line.description,
                quantity=line.quantity,
                unit=label,
                unit_code=code,
                unit_price_ht=line.unit_price,
                vat_rate=percent_of(rate),
                vat_category=_category(regime, rate),
                total_ht=amount,
                discount_rate=percent_of(line.discount),
            )
        )
    groups = []
    for rate, by_rate in sorted(figures.by_rate.items()):
        reason = regime.mention if regime is not VatRegime.NORMAL else ""
        groups.append(
            VatGroup(
                category=_category(regime, rate),
                rate=percent_of(rate),
                base_ht=by_rate.base,
                vat_amount=by_rate.vat,
                exemption_reason=reason,
                exemption_reason_code=_EXEMPTION_CODES.get(regime, ""),
            )
        )
    return Totals(
        regime=regime,
        lines=tuple(document_lines),
        vat_breakdown=tuple(groups),
        total_ht=figures.total_ht,
        total_vat=figures.total_vat,
        total_ttc=figures.total_ttc,
        explained=computed,
    )


def amount_due(*, total_ttc: Decimal, deductions: Sequence[Deduction]) -> Decimal:
    """What is left to pay on a final invoice: TTC minus the deposits already invoiced.

    Refused when the deposits exceed the total: the client is then owed money, which is a
    credit note, not an invoice.
    """
    deducted = sum((d.amount_ttc for d in deductions), ZERO)
    left = total_ttc - deducted
    if left < 0:
        raise InvoiceRuleError(
            f"Les acomptes déduits ({format_eur(deducted)}) dépassent le total TTC "
            f"({format_eur(total_ttc)}) : émettez un avoir pour la différence."
        )
    return left


def split_by_rate(amount: Decimal, bases: Mapping[Decimal, Decimal]) -> dict[Decimal, Decimal]:
    """``amount`` shared across VAT rates in proportion to each rate's HT base, in cents that
    add up exactly to ``amount`` (largest remainders get the leftover cents, ties to the
    higher rate). Used to spread a deposit over the rates of the order it is asked on."""
    total = sum(bases.values(), ZERO)
    if total <= 0:
        raise InvoiceRuleError("Base HT nulle : impossible de répartir l'acompte par taux de TVA.")
    cents = int((amount / CENT).to_integral_value())
    shares = {rate: amount * base / total for rate, base in bases.items()}
    floors = {
        rate: int((share / CENT).to_integral_value(rounding=ROUND_FLOOR))
        for rate, share in shares.items()
    }
    left = cents - sum(floors.values())
    order = sorted(
        shares, key=lambda rate: (shares[rate] / CENT - floors[rate], rate), reverse=True
    )
    for rate in order[:left]:
        floors[rate] += 1
    return {rate: CENT * floors[rate] for rate in bases}
