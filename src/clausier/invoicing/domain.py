"""Pure decisions of invoicing: what an issued document says, computed from plain facts.

:func:`prepare` takes :class:`InvoiceFacts` (the parties as they are on the issue date, the
lines, the clauses of the terms version in force, a payment already received, the deposits to
deduct, the invoice a credit note corrects) and computes everything the document shows: totals
per VAT rate through :func:`clausier.rules.money.document_totals`, the due date through
:func:`clausier.rules.deadlines.deadline` with its explanation, the late-penalty sentence with
the rate of the issue date (:mod:`clausier.rules.interest`), the 40 € indemnity for
professionals, the VAT mentions, the payment instructions. :meth:`Prepared.document` then
makes the frozen :class:`~clausier.invoicing.document.InvoiceDocument` once the number is
known (the number is taken last, inside the issuing transaction, to hold its lock briefly).

Every legal figure comes from the rules core with its source; the texts printed on the
document are French whatever the reader's language, since an issued document never changes.

No ORM: the services pass plain facts in.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Final

from clausier.invoicing.document import (
    Address,
    ClauseUsed,
    Condition,
    Deduction,
    InvoiceDocument,
    Line,
    Party,
    VatGroup,
)
from clausier.kernel.errors import DomainError
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.deadlines import deadline, unit_label
from clausier.rules.errors import MissingRateError, RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.interest import (
    LATE_PAYMENT_LAW,
    RECOVERY_INDEMNITY,
    LegalRateTable,
    b2b_penalty_floor,
    contractual_late_rate,
    legal_rate,
    recovery_indemnity,
)
from clausier.rules.money import (
    CENT,
    ZERO,
    VatRegime,
    document_totals,
    format_eur,
    format_number,
    format_percent,
)
from clausier.rules.money import Line as MoneyLine

KINDS: Final = ("standard", "deposit", "final", "credit_note")
CREDIT_NOTE: Final = "credit_note"

# The 27 member states (ISO 3166-1 alpha-2) since 1 February 2020, for the EU B2B reverse
# charge on services (CGI art. 259-1; directive 2006/112/CE art. 196).
EU_MEMBER_STATES = LegalFact(
    frozenset(
        {
            *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR"),
            *("HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        }
    ),
    "TUE art. 52; directive 2006/112/CE art. 5",
)

# UNCL 5305 VAT categories (EN 16931 BT-151) and VATEX exemption codes (BT-121).
CATEGORY_STANDARD, CATEGORY_ZERO, CATEGORY_EXEMPT, CATEGORY_REVERSE = "S", "Z", "E", "AE"
REVERSE_CHARGE_CODE: Final = "VATEX-EU-AE"

# Between professionals, terms that set no late-penalty rate get the ECB refinancing rate plus
# 10 points. The penalty mention and the 40 € indemnity are mentions of invoices between
# professionals (C. com. L441-9, L441-10): none is printed for a consumer without a clause.
DEFAULT_PENALTY = LegalFact(Decimal("10"), "C. com. L441-10 II")
NO_DISCOUNT = LegalFact("Pas d'escompte pour paiement anticipé.", "C. com. L441-9 I")
VAT_ON_DEBITS = LegalFact(
    "Option pour le paiement de la taxe d'après les débits", "CGI ann. II art. 242 nonies A"
)
# Where the legal list of invoice mentions is.
MENTIONS_LAW: Final = "CGI ann. II art. 242 nonies A; C. com. L441-9"

# The payment.due clause may count from these events; both are the invoice's date.
INVOICE_DATE_STARTS: Final = frozenset({"invoice_date", "invoice_issue"})

# Units a line may be priced in, their French label and UN/ECE Recommendation 20 code.
UNITS: Final[Mapping[str, tuple[str, str]]] = {
    "flat": ("forfait", "LS"),
    "hour": ("heure", "HUR"),
    "day": ("jour", "DAY"),
    "month": ("mois", "MON"),
    "year": ("an", "ANN"),
    "unit": ("unité", "C62"),
    "metered": ("unité", "C62"),
}

PAYMENT_METHODS_FR: Final = {
    "card": "carte bancaire",
    "paypal": "PayPal",
    "cheque": "chèque",
    "transfer": "virement bancaire",
    "direct_debit": "prélèvement",
}

# Client kinds whose invoices must carry their SIREN when established in France (CGI ann. II
# art. 242 nonies A, I-1° bis, as amended for electronic invoicing). An association has one
# only if it employs or pays VAT: its SIREN is printed when known, never required.
SIREN_REQUIRED_KINDS: Final = frozenset({"company", "independent"})


class InvoiceRuleError(DomainError):
    """A document that cannot be computed from the facts given (an unknown unit, a clause
    clausier cannot read, a legal rate missing); the message says which, in French."""


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClauseSource:
    """Where a figure comes from in the seller's terms: "art. 5 CGV v3.0"."""

    clause_id: str
    kind: str
    article: str
    title: str
    terms_label: str

    @property
    def cite(self) -> str:
        return f"{self.article} CGV {self.terms_label}".strip()

    @property
    def used(self) -> ClauseUsed:
        return ClauseUsed(kind=self.kind, article=self.article, title=self.title)


@dataclass(frozen=True, slots=True)
class PaymentDue:
    """The ``payment.due`` clause: ``n`` ``unit`` after ``start`` (the invoice date)."""

    n: int
    unit: str
    start: str
    source: ClauseSource


@dataclass(frozen=True, slots=True)
class LatePenalty:
    """The ``late.penalty`` clause (``terms.schemas.LatePenalty``)."""

    multiplier: Decimal
    of: str  # "legal_rate" | "ecb_rate"
    rate_date: str  # "invoice_date" | "due_date"
    base: str  # "ht_remaining" | "ttc_remaining"
    plus_points: Decimal
    source: ClauseSource


@dataclass(frozen=True, slots=True)
class EarlyDiscount:
    rate: Decimal  # fraction
    source: ClauseSource


@dataclass(frozen=True, slots=True)
class PaymentMethods:
    methods: tuple[str, ...]
    source: ClauseSource


@dataclass(frozen=True, slots=True)
class Prepayment:
    """A payment received before the invoice (the PaaS host's online payment, art. 4)."""

    paid_on: date
    amount: Decimal
    means: str  # "stripe ch_123", as the provider named it
    source: ClauseSource | None = None


@dataclass(frozen=True, slots=True)
class DepositBasis:
    """What a deposit invoice asks for: ``rate`` of the order's HT total (seed 002 art. 5)."""

    rate: Decimal  # fraction
    base_ht: Decimal
    amount: Decimal
    source: ClauseSource


@dataclass(frozen=True, slots=True)
class Corrected:
    """The invoice a credit note corrects."""

    number: str
    issue_date: date


@dataclass(frozen=True, slots=True)
class LineFacts:
    """A line as the draft holds it; ``vat_rate`` and ``discount`` are fractions."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal = ZERO
    discount: Decimal = ZERO
    unit_label: str = ""
    goods: bool = False


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    kind: str
    issue_date: date
    seller: Party
    buyer: Party
    client_kind: str
    seller_regime: str  # sellers.VatRegime: "normal" | "franchise_293b"
    lines: tuple[LineFacts, ...]
    terms_label: str
    payment_due: PaymentDue | None = None
    late_penalty: LatePenalty | None = None
    indemnity: ClauseSource | None = None
    early_discount: EarlyDiscount | None = None
    payment_methods: PaymentMethods | None = None
    prepayment: Prepayment | None = None
    deposit: DepositBasis | None = None
    deductions: tuple[Deduction, ...] = ()
    corrected: Corrected | None = None
    delivery_address: Address | None = None
    vat_on_debits: bool = False
    iban: str = ""
    bic: str = ""
    order_reference: str = ""
    quote_reference: str = ""
    notes: tuple[str, ...] = ()
    calendar: FrenchCalendar = field(default_factory=FrenchCalendar)
    rate_table: LegalRateTable | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE


# --- VAT regime -----------------------------------------------------------------------------


def vat_regime(
    *, seller_regime: str, buyer_country: str, buyer_is_professional: bool, buyer_vat_number: str
) -> VatRegime:
    """The regime of one document: the seller's, except for services sold by a VAT-charging
    seller to a business established in another EU state that gave its VAT number, where the
    customer self-assesses the VAT (reverse charge, CGI art. 259-1)."""
    regime = VatRegime(seller_regime)
    country = (buyer_country or "FR").upper()
    if (
        regime is VatRegime.NORMAL
        and buyer_is_professional
        and country != "FR"
        and country in EU_MEMBER_STATES.value
        and buyer_vat_number.strip()
    ):
        return VatRegime.REVERSE_CHARGE_EU
    return regime


# --- mandatory mentions ---------------------------------------------------------------------

_PLACEHOLDER = "à compléter"


def _blank(value: str | None) -> bool:
    # The agency's seed carries "Adresse à compléter": a placeholder is no address.
    return not value or not value.strip() or _PLACEHOLDER in value.lower()


def missing_mentions(facts: InvoiceFacts, regime: VatRegime) -> list[str]:
    """The mandatory mentions the facts lack (CGI ann. II art. 242 nonies A, C. com. L441-9),
    as field keys: ``seller.siren``, ``client.billing_line1``, ``lines``, ``payment_due``...
    Empty when the document can be issued."""
    missing: list[str] = []
    seller, buyer = facts.seller, facts.buyer
    if _blank(seller.name):
        missing.append("seller.legal_name")
    for key, value in (
        ("seller.address_line1", seller.address.line1),
        ("seller.postal_code", seller.address.postal_code),
        ("seller.city", seller.address.city),
    ):
        if _blank(value):
            missing.append(key)
    if _blank(seller.siren):
        missing.append("seller.siren")
    if regime is not VatRegime.FRANCHISE_293B and _blank(seller.vat_number):
        # A VAT-charging seller, and any seller invoicing an EU reverse charge, prints its
        # VAT number (242 nonies A, I-2°); a seller under the franchise has none to print.
        missing.append("seller.vat_number")
    if _blank(buyer.name):
        missing.append("client.name")
    for key, value in (
        ("client.billing_line1", buyer.address.line1),
        ("client.billing_postal_code", buyer.address.postal_code),
        ("client.billing_city", buyer.address.city),
    ):
        if _blank(value):
            missing.append(key)
    if (
        facts.client_kind in SIREN_REQUIRED_KINDS
        and (buyer.address.country or "FR").upper() == "FR"
        and _blank(buyer.siren)
    ):
        missing.append("client.siren")
    if not facts.lines:
        missing.append("lines")
    for index, line in enumerate(facts.lines):
        if _blank(line.description):
            missing.append(f"lines[{index}].description")
        if line.quantity <= 0:
            missing.append(f"lines[{index}].quantity")
    if not facts.is_credit_note and facts.prepayment is None and facts.payment_due is None:
        missing.append("payment_due")
    if facts.is_credit_note and facts.corrected is None:
        missing.append("corrects")
    return missing


# --- due date -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueDate:
    value: date
    sentence: str  # "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 12/06/2026"
    condition: Condition
    explained: Explained


def _skipped_holidays(explained: Explained) -> list[str]:
    return [
        f"{step.value:%d/%m/%Y} ({step.label.split(' ', 4)[-1]})"
        for step in explained.steps
        if step.label.startswith("jour férié sauté") and isinstance(step.value, date)
    ]


def due_date(facts: InvoiceFacts) -> DueDate:
    """When the document is payable, and why.

    A credit note is owed on its date; an invoice paid before it was issued was due on the
    payment day; otherwise the ``payment.due`` clause counted by the rules core from the
    invoice date (seed 002 art. 5: "payables 14 jours ouvrés après la date de facture").
    """
    issued = facts.issue_date
    if facts.is_credit_note:
        corrected = facts.corrected
        sentence = (
            f"avoir sur la facture {corrected.number} du {corrected.issue_date:%d/%m/%Y}, "
            f"à rembourser ou à imputer dès son émission : {issued:%d/%m/%Y}"
        )
        explained = Explained(
            value=issued,
            rule="credit_note_due",
            law="BOFiP TVA-DECLA-30-20-20",
            inputs={"issue_date": issued, "corrects": corrected.number},
            steps=(Step("un avoir est dû dès son émission", issued),),
        )
        condition = Condition(
            label="Échéance",
            value=f"{issued:%d/%m/%Y}",
            explanation=f"avoir sur la facture {corrected.number}, dû dès son émission",
        )
        return DueDate(issued, sentence, condition, explained)
    if facts.prepayment is not None:
        paid = facts.prepayment
        cite = f", {paid.source.cite}" if paid.source else ""
        sentence = (
            f"facture acquittée : paiement de {format_eur(paid.amount)} reçu le "
            f"{paid.paid_on:%d/%m/%Y} avant son émission{cite} : {paid.paid_on:%d/%m/%Y}"
        )
        explained = Explained(
            value=paid.paid_on,
            rule="prepaid_invoice_due",
            inputs={"paid_on": paid.paid_on, "amount": paid.amount, "means": paid.means},
            steps=(Step("paiement reçu avant l'émission de la facture", paid.paid_on),),
        )
        if paid.source:
            explained = explained.citing(
                clause=paid.source.clause_id, terms=paid.source.terms_label
            )
        condition = Condition(
            label="Paiement",
            value=f"reçu le {paid.paid_on:%d/%m/%Y}",
            explanation=f"{format_eur(paid.amount)} payés avant l'émission ({paid.means})",
            source=paid.source.cite if paid.source else "",
        )
        return DueDate(paid.paid_on, sentence, condition, explained)
    clause = facts.payment_due
    if clause is None:
        raise InvoiceRuleError(
            f"Les CGV {facts.terms_label} n'ont pas de clause d'échéance de paiement "
            "(payment.due) : la date d'échéance est une mention obligatoire de la facture "
            "(C. com. L441-9)."
        )
    if clause.start not in INVOICE_DATE_STARTS:
        raise InvoiceRuleError(
            f"Clause {clause.source.clause_id} ({clause.source.cite}) : échéance comptée depuis "
            f"« {clause.start} » ; clausier ne compte une échéance que depuis la date de facture."
        )
    try:
        explained = deadline(
            start=issued, n=clause.n, unit=clause.unit, calendar=facts.calendar
        ).citing(clause=clause.source.clause_id, terms=clause.source.terms_label)
    except RuleError as exc:
        raise InvoiceRuleError(f"Clause {clause.source.cite} : {exc}") from exc
    value = explained.value
    period = f"{unit_label(clause.n, clause.unit)} après la date de facture"
    sentence = f"{period}, {clause.source.cite} : {value:%d/%m/%Y}"
    detail = f"{period} ({issued:%d/%m/%Y})"
    skipped = _skipped_holidays(explained)
    if skipped:
        detail += f", jours fériés non comptés : {', '.join(skipped)}"
    condition = Condition(
        label="Échéance",
        value=f"{value:%d/%m/%Y}",
        explanation=detail,
        source=clause.source.cite,
    )
    return DueDate(value, sentence, condition, explained)


# --- late penalty and indemnity -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Penalty:
    sentence: str
    rate_percent: Decimal | None
    condition: Condition | None
    explained: Explained | None


def _percent_of(rate: Decimal) -> Decimal:
    """A fraction as the percent a document prints: Decimal("0.2") -> Decimal("20.00")."""
    return (Decimal(rate) * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def late_penalty(facts: InvoiceFacts, *, due_on: date) -> Penalty:
    """The late-penalty sentence with the rate that applies to this document.

    With a clause in legal-rate multiples (seed 002 art. 6: "trois (3) fois le taux d'intérêt
    légal (en vigueur au jour de la facturation)") the rate is computed for the clause's date;
    for a professional client it is never below the legal floor of 3 × the legal rate of that
    date (C. com. L441-10 II: a lower clause gives way to the floor). A clause on the ECB rate,
    or no clause for a professional, is printed in words with the floor: clausier does not know
    the ECB rate. A consumer without a clause gets no sentence: the mention belongs to
    invoices between professionals (C. com. L441-9).
    """
    if facts.is_credit_note:
        return Penalty("", None, None, None)
    clause = facts.late_penalty
    professional = facts.buyer.is_professional
    if clause is None and not professional:
        return Penalty("", None, None, None)
    rate_on = due_on if clause is not None and clause.rate_date == "due_date" else facts.issue_date
    if clause is None or clause.of == "ecb_rate":
        try:
            floor = b2b_penalty_floor(on=rate_on, table=facts.rate_table) if professional else None
        except MissingRateError:
            floor = None  # the floor is then stated in words: nothing is guessed
        return _ecb_penalty(facts, clause, floor, professional=professional)
    try:
        floor = b2b_penalty_floor(on=rate_on, table=facts.rate_table) if professional else None
        legal = legal_rate(on=rate_on, table=facts.rate_table)
        stated = contractual_late_rate(
            multiplier=clause.multiplier, invoice_date=rate_on, table=facts.rate_table
        )
    except MissingRateError as exc:
        raise InvoiceRuleError(
            f"Taux des pénalités de retard impossible à calculer pour le {rate_on:%d/%m/%Y} : {exc}"
        ) from exc
    when = "à l'échéance" if clause.rate_date == "due_date" else "à la date de facture"
    points = clause.plus_points / 100
    rate = stated.value + points
    steps = [*stated.steps]
    why = (
        f"{format_number(clause.multiplier)} fois le taux d'intérêt légal en vigueur {when} "
        f"({format_percent(legal)})"
    )
    if points:
        steps.append(Step(f"+ {format_number(clause.plus_points)} points", rate))
        why += f" majoré de {format_number(clause.plus_points)} points"
    if floor is not None and rate < floor.value:
        steps.append(
            Step(
                f"le taux de la clause ({format_percent(rate)}) est sous le plancher légal entre "
                f"professionnels, {format_percent(floor.value)} s'applique "
                f"({floor.law})",
                floor.value,
            )
        )
        rate = floor.value
        why = f"plancher légal de 3 fois le taux d'intérêt légal ({format_percent(legal)})"
    explained = Explained(
        value=rate,
        rule="late_penalty_rate",
        law=f"{LATE_PAYMENT_LAW}; {stated.law}",
        inputs={"on": rate_on, "multiplier": clause.multiplier, "plus_points": clause.plus_points},
        steps=tuple(steps),
    ).citing(clause=clause.source.clause_id, terms=clause.source.terms_label)
    sentence = (
        f"Pénalités de retard : {why}, soit {format_percent(rate)} l'an, calculées prorata "
        f"temporis sur {_BASES[clause.base]} restant dû, exigibles de plein droit dès le "
        f"lendemain de l'échéance, sans rappel ({clause.source.cite} ; {LATE_PAYMENT_LAW})."
    )
    condition = Condition(
        label="Pénalités de retard",
        value=format_percent(rate),
        explanation=why,
        source=f"{clause.source.cite} ; {LATE_PAYMENT_LAW}",
    )
    return Penalty(sentence, _percent_of(rate), condition, explained)


_BASES: Final = {"ht_remaining": "le montant HT", "ttc_remaining": "le montant TTC"}


def _ecb_penalty(
    facts: InvoiceFacts, clause: LatePenalty | None, floor: Explained | None, *, professional: bool
) -> Penalty:
    """A penalty on the ECB rate (a clause, or the law's default for a professional without
    one): printed in words, with the legal floor for a professional (its figure when the
    legal rate of the date is known, in words otherwise)."""
    if clause is None:
        points = format_number(DEFAULT_PENALTY.value)
        stated = f"taux de refinancement de la BCE majoré de {points} points"
        source = f"{DEFAULT_PENALTY.source}, à défaut de taux dans les CGV {facts.terms_label}"
        base = "la somme restant due"
    else:
        stated = f"{format_number(clause.multiplier)} fois le taux de refinancement de la BCE"
        if clause.plus_points:
            stated += f" majoré de {format_number(clause.plus_points)} points"
        source = f"{clause.source.cite} ; {LATE_PAYMENT_LAW}"
        base = f"{_BASES[clause.base]} restant dû"
    at_least = ""
    if floor is not None:
        at_least = f", et au moins {format_percent(floor.value)} (3 fois le taux d'intérêt légal)"
    elif professional:
        at_least = ", et au moins 3 fois le taux d'intérêt légal"
    sentence = (
        f"Pénalités de retard : {stated}{at_least}, sur {base}, exigibles de plein droit dès le "
        f"lendemain de l'échéance, sans rappel ({source})."
    )
    condition = Condition(
        label="Pénalités de retard",
        value=stated,
        explanation=(
            f"au moins {format_percent(floor.value)}, 3 fois le taux d'intérêt légal"
            if floor is not None
            else at_least.removeprefix(", et ") or "taux de la BCE en vigueur"
        ),
        source=source,
    )
    explained = floor
    if explained is not None and clause is not None:
        explained = explained.citing(
            clause=clause.source.clause_id, terms=clause.source.terms_label
        )
    return Penalty(sentence, None, condition, explained)


@dataclass(frozen=True, slots=True)
class Indemnity:
    sentence: str
    condition: Condition | None
    explained: Explained


def indemnity(facts: InvoiceFacts) -> Indemnity:
    """The 40 € recovery indemnity sentence, for a professional client only (D441-5)."""
    explained = recovery_indemnity(client_is_professional=facts.buyer.is_professional)
    if facts.is_credit_note or not explained.value:
        return Indemnity("", None, explained)
    amount = format_eur(explained.value)
    cite = f"{facts.indemnity.cite} ; " if facts.indemnity else ""
    sentence = (
        f"Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : "
        f"{amount}, non soumise à la TVA ({cite}{RECOVERY_INDEMNITY.source})."
    )
    condition = Condition(
        label="Indemnité de recouvrement",
        value=amount,
        explanation="par facture payée en retard, client professionnel",
        source=RECOVERY_INDEMNITY.source,
    )
    return Indemnity(sentence, condition, explained)


def early_payment_sentence(facts: InvoiceFacts) -> str:
    clause = facts.early_discount
    if clause is None or not clause.rate:
        return NO_DISCOUNT.value
    return (
        f"Escompte pour paiement anticipé : {format_percent(clause.rate)} ({clause.source.cite})."
    )


# --- lines, totals, deductions --------------------------------------------------------------


def _category(regime: VatRegime, rate: Decimal) -> str:
    if regime is VatRegime.FRANCHISE_293B:
        return CATEGORY_EXEMPT
    if regime is VatRegime.REVERSE_CHARGE_EU:
        return CATEGORY_REVERSE
    return CATEGORY_STANDARD if rate > 0 else CATEGORY_ZERO


def _unit(line: LineFacts, index: int) -> tuple[str, str]:
    if line.unit not in UNITS:
        raise InvoiceRuleError(
            f"Ligne {index + 1} : unité « {line.unit} » inconnue ; possibles : {', '.join(UNITS)}."
        )
    label, code = UNITS[line.unit]
    return (line.unit_label or label), code


def _nature(lines: Sequence[LineFacts]) -> str:
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
        computed = document_totals(
            lines=[
                MoneyLine(
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    vat_rate=line.vat_rate,
                    discount=line.discount,
                )
                for line in lines
            ],
            regime=regime,
        )
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
                vat_rate=_percent_of(rate),
                vat_category=_category(regime, rate),
                total_ht=amount,
                discount_rate=_percent_of(line.discount),
            )
        )
    groups = []
    for rate, by_rate in sorted(figures.by_rate.items()):
        reason = regime.mention if regime is not VatRegime.NORMAL else ""
        groups.append(
            VatGroup(
                category=_category(regime, rate),
                rate=_percent_of(rate),
                base_ht=by_rate.base,
                vat_amount=by_rate.vat,
                exemption_reason=reason,
                exemption_reason_code=(
                    REVERSE_CHARGE_CODE if regime is VatRegime.REVERSE_CHARGE_EU else ""
                ),
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


# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prepared:
    """Everything a document says but its number (see :meth:`document`)."""

    facts: InvoiceFacts
    regime: VatRegime
    totals: Totals
    prepaid_amount: Decimal
    amount_due: Decimal
    due: DueDate
    penalty: Penalty
    indemnity: Indemnity
    payment_terms: str
    conditions: tuple[Condition, ...]
    clauses: tuple[ClauseUsed, ...]

    def document(self, *, number: str) -> InvoiceDocument:
        facts = self.facts
        reference = number
        if facts.quote_reference:
            reference = f"{number} / devis {facts.quote_reference}"
        return InvoiceDocument(
            kind=facts.kind,  # type: ignore[arg-type]
            number=number,
            issue_date=facts.issue_date,
            seller=facts.seller,
            buyer=facts.buyer,
            nature=_nature(facts.lines),  # type: ignore[arg-type]
            lines=self.totals.lines,
            vat_breakdown=self.totals.vat_breakdown,
            total_ht=self.totals.total_ht,
            total_vat=self.totals.total_vat,
            total_ttc=self.totals.total_ttc,
            prepaid_amount=self.prepaid_amount,
            amount_due=self.amount_due,
            due_date=self.due.value,
            due_date_explanation=self.due.sentence,
            terms_version=f"CGV {facts.terms_label}" if facts.terms_label else "",
            delivery_address=facts.delivery_address,
            vat_mentions=(self.regime.mention,) if self.regime.mention else (),
            vat_on_debits=facts.vat_on_debits and self.regime is VatRegime.NORMAL,
            payment_terms=self.payment_terms,
            late_penalty=self.penalty.sentence,
            late_penalty_rate=self.penalty.rate_percent,
            recovery_indemnity=self.indemnity.sentence,
            early_payment_discount="" if facts.is_credit_note else early_payment_sentence(facts),
            iban=facts.iban,
            bic=facts.bic,
            payment_reference="" if facts.is_credit_note else reference,
            order_reference=facts.order_reference,
            quote_reference=facts.quote_reference,
            corrected_number=facts.corrected.number if facts.corrected else "",
            corrected_issue_date=facts.corrected.issue_date if facts.corrected else None,
            deductions=facts.deductions,
            clauses=self.clauses,
            conditions=self.conditions,
            notes=facts.notes,
        )

    def explanations(self) -> dict[str, Any]:
        """The arithmetic behind the figures, JSON-ready, for the "pourquoi ?" screens."""
        out: dict[str, Any] = {
            "totals": self.totals.explained.as_dict(),
            "due_date": self.due.explained.as_dict(),
            "recovery_indemnity": self.indemnity.explained.as_dict(),
        }
        if self.penalty.explained is not None:
            out["late_penalty"] = self.penalty.explained.as_dict()
        return out


def _payment_terms(facts: InvoiceFacts, due: DueDate) -> str:
    if facts.is_credit_note:
        return ""
    if facts.prepayment is not None:
        paid = facts.prepayment
        return f"Payée le {paid.paid_on:%d/%m/%Y} ({paid.means})."
    text = f"Payable au plus tard le {due.value:%d/%m/%Y} ({due.sentence.rsplit(' : ', 1)[0]})"
    methods = facts.payment_methods
    if methods is not None and methods.methods:
        names = [PAYMENT_METHODS_FR.get(m, m) for m in methods.methods]
        listed = " ou ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        text += f", par {listed} ({methods.source.cite})"
    return text + "."


def _clauses_used(facts: InvoiceFacts) -> tuple[ClauseUsed, ...]:
    sources = [
        facts.payment_due.source if facts.payment_due else None,
        facts.payment_methods.source if facts.payment_methods else None,
        facts.early_discount.source if facts.early_discount else None,
        facts.deposit.source if facts.deposit else None,
        facts.late_penalty.source if facts.late_penalty else None,
        facts.indemnity,
        facts.prepayment.source if facts.prepayment else None,
    ]
    seen: dict[str, ClauseUsed] = {}
    for source in sources:
        if source is not None and source.clause_id not in seen:
            seen[source.clause_id] = source.used
    return tuple(seen.values())


def prepare(facts: InvoiceFacts) -> Prepared:
    """Compute the document from the facts, or raise :class:`InvoiceRuleError`.

    The caller checks :func:`missing_mentions` first; this function assumes the mentions are
    there and computes the figures.
    """
    if facts.kind not in KINDS:
        raise InvoiceRuleError(f"Type de document inconnu : {facts.kind!r}.")
    regime = vat_regime(
        seller_regime=facts.seller_regime,
        buyer_country=facts.buyer.address.country,
        buyer_is_professional=facts.buyer.is_professional,
        buyer_vat_number=facts.buyer.vat_number,
    )
    computed = totals(facts.lines, regime)
    prepaid = ZERO.quantize(CENT)
    if facts.kind == "final" or facts.deductions:
        left = amount_due(total_ttc=computed.total_ttc, deductions=facts.deductions)
        prepaid = computed.total_ttc - left
    else:
        left = computed.total_ttc
    if facts.prepayment is not None:
        if facts.prepayment.amount != left:
            raise InvoiceRuleError(
                f"Le paiement reçu ({format_eur(facts.prepayment.amount)}) diffère du montant "
                f"de la facture ({format_eur(left)})."
            )
        prepaid += facts.prepayment.amount
        left = ZERO.quantize(CENT)
    due = due_date(facts)
    penalty = late_penalty(facts, due_on=due.value)
    fee = indemnity(facts)

    conditions = [due.condition]
    if facts.deposit is not None:
        basis = facts.deposit
        conditions.append(
            Condition(
                label="Acompte",
                value=format_eur(basis.amount),
                explanation=(
                    f"{format_percent(basis.rate)} du total HT du devis "
                    f"({format_eur(basis.base_ht)})"
                ),
                source=basis.source.cite,
            )
        )
    if facts.deductions:
        deducted = sum((d.amount_ttc for d in facts.deductions), ZERO)
        conditions.append(
            Condition(
                label="Acomptes déduits",
                value=format_eur(deducted),
                explanation=", ".join(
                    f"{d.number} du {d.issue_date:%d/%m/%Y} ({format_eur(d.amount_ttc)})"
                    for d in facts.deductions
                ),
                source=facts.deposit.source.cite if facts.deposit else "",
            )
        )
    if penalty.condition:
        conditions.append(penalty.condition)
    if fee.condition:
        conditions.append(fee.condition)
    if regime is not VatRegime.NORMAL:
        conditions.append(
            Condition(
                label="TVA",
                value=regime.mention,
                explanation=(
                    "franchise en base de TVA"
                    if regime is VatRegime.FRANCHISE_293B
                    else "prestation à un assujetti d'un autre État membre : TVA due par le client"
                ),
                source=regime.legal_fact.source,
            )
        )
    return Prepared(
        facts=facts,
        regime=regime,
        totals=computed,
        prepaid_amount=prepaid,
        amount_due=left,
        due=due,
        penalty=penalty,
        indemnity=fee,
        payment_terms=_payment_terms(facts, due),
        conditions=tuple(conditions),
        clauses=_clauses_used(facts),
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


# --- payment status -----------------------------------------------------------------------

TO_PAY, PAID, LATE, CREDITED = "to_pay", "paid", "late", "credited"


def payment_status(
    *,
    amount_due: Decimal,
    amount_paid: Decimal,
    credited: Decimal,
    total_ttc: Decimal,
    due_date: date | None,
    today: date,
) -> str:
    """Where an issued document stands on ``today``: ``credited`` when credit notes cancel
    it whole, ``paid`` when payments and credit notes cover what was due, ``late`` from the
    day after the due date (penalties run from then, C. com. L441-10), ``to_pay`` before."""
    if total_ttc > 0 and credited >= total_ttc:
        return CREDITED
    if amount_paid + credited >= amount_due:
        return PAID
    if due_date is not None and today > due_date:
        return LATE
    return TO_PAY


# --- hash chain -----------------------------------------------------------------------------


def canonical_json(snapshot: Mapping[str, Any]) -> str:
    """The text of a snapshot that is hashed: sorted keys, no spaces, UTF-8 kept as is (the
    same as :meth:`InvoiceDocument.canonical_json`)."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_hash(text: str) -> str:
    """SHA-256 (hex) of a canonical JSON text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a stored snapshot."""
    return text_hash(canonical_json(snapshot))


# --- the number, written last ---------------------------------------------------------------

# What a document number is made of (``F2026-000123``, ``AV2026-000007``): nothing that XML or
# JSON escapes, so writing it in place of the slot gives the very text the number would.
NUMBER_CHARACTERS: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def number_slot() -> str:
    """A stand-in for the number of a document computed before its number is taken (the
    number is taken under the series lock: everything else is done before it). Random, so
    that it stands nowhere else in the document, and made of the characters of a number, so
    that every rule reading the number reads the slot the same way."""
    return "N" + secrets.token_hex(12).upper()


def fill_number(text: str, *, slot: str, number: str) -> str:
    """``text`` (a canonical JSON or an XML written with ``slot`` as the number) with
    ``number`` in place of the slot: the text the number would have given.
    ``ValueError`` when the number has characters that JSON or XML would escape or when
    ``text`` holds no slot."""
    if not NUMBER_CHARACTERS.fullmatch(number):
        raise ValueError(f"number: {number!r} is not a document number")
    if slot not in text:
        raise ValueError("the text has no number slot to fill")
    return text.replace(slot, number)


@dataclass(frozen=True, slots=True)
class Unnumbered:
    """A document computed and frozen to its last character but its number: its snapshot,
    canonical JSON and Factur-X XML hold ``slot`` where the number goes (``number``,
    ``payment_reference``). :meth:`numbered` writes the number in, which costs microseconds
    while the series counter is locked."""

    slot: str
    snapshot: Mapping[str, Any]
    canonical: str
    xml: bytes

    @classmethod
    def of(cls, document: InvoiceDocument, *, slot: str, xml: bytes) -> Unnumbered:
        """``document`` and its XML, both made with ``slot`` as their number."""
        if document.number != slot:
            raise ValueError("the document must carry the slot as its number")
        snapshot = document.to_dict()
        return cls(slot=slot, snapshot=snapshot, canonical=canonical_json(snapshot), xml=xml)

    def numbered(self, number: str) -> Numbered:
        canonical = fill_number(self.canonical, slot=self.slot, number=number)
        snapshot = {
            key: value.replace(self.slot, number)
            if isinstance(value, str) and self.slot in value
            else value
            for key, value in self.snapshot.items()
        }
        xml = fill_number(self.xml.decode("utf-8"), slot=self.slot, number=number)
        return Numbered(
            snapshot=snapshot, content_hash=text_hash(canonical), xml=xml.encode("utf-8")
        )


@dataclass(frozen=True, slots=True)
class Numbered:
    """The snapshot, its content hash and the XML of a numbered document."""

    snapshot: dict[str, Any]
    content_hash: str
    xml: bytes


def chain_hash(*, previous_hash: str, content_hash: str) -> str:
    """The link of one document in its series' chain: SHA-256 of the previous document's
    chained hash ("" for the first of the series) and of this document's content hash, so
    that changing any document breaks every link after it."""
    return hashlib.sha256(f"{previous_hash}\n{content_hash}".encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One issued document as stored, for :func:`verify_chain`."""

    number: str
    sequence: int
    issue_date: date
    total_ttc: Decimal
    snapshot: Mapping[str, Any]
    content_hash: str
    previous_hash: str
    chain_hash: str


@dataclass(frozen=True, slots=True)
class LedgerBreak:
    """The first link of a chain that does not hold: which document, what differs."""

    number: str
    sequence: int
    problem: str


def _row_problem(row: LedgerRow, expected_sequence: int, previous_chain: str) -> str:
    if row.sequence != expected_sequence:
        what = "en double" if row.sequence < expected_sequence else "manquant"
        if row.sequence < expected_sequence:
            return f"rang {row.sequence} {what} (attendu {expected_sequence})"
        return f"rang {expected_sequence} {what} : la série passe à {row.sequence}"
    recomputed = content_hash(row.snapshot)
    if recomputed != row.content_hash:
        return (
            f"le contenu ne correspond plus à son empreinte : SHA-256 recalculé {recomputed}, "
            f"enregistré {row.content_hash}"
        )
    if row.previous_hash != previous_chain:
        return (
            f"lien rompu avec le document précédent : empreinte précédente enregistrée "
            f"« {row.previous_hash} », attendue « {previous_chain} »"
        )
    linked = chain_hash(previous_hash=row.previous_hash, content_hash=row.content_hash)
    if linked != row.chain_hash:
        return f"empreinte chaînée {row.chain_hash}, recalculée {linked}"
    try:
        document = InvoiceDocument.from_dict(dict(row.snapshot))
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        return f"document illisible : {exc}"
    if document.number != row.number:
        return f"numéro {row.number} en base, {document.number} dans le document"
    if document.issue_date != row.issue_date:
        return (
            f"date de facture {row.issue_date:%d/%m/%Y} en base, "
            f"{document.issue_date:%d/%m/%Y} dans le document"
        )
    if document.total_ttc != row.total_ttc:
        return (
            f"total TTC {format_eur(row.total_ttc)} en base, "
            f"{format_eur(document.total_ttc)} dans le document"
        )
    return ""


def verify_chain(rows: Iterable[LedgerRow]) -> tuple[int, LedgerBreak | None]:
    """Walk one series' chain in sequence order: how many documents hold, and the first
    broken link (None when the whole chain holds). Each document's snapshot must still hash
    to its content hash, link to the previous document's chained hash, carry its number,
    date and total, and the sequence must run 1, 2, 3... without gap nor repeat."""
    previous_chain = ""
    checked = 0
    for expected, row in enumerate(rows, start=1):
        problem = _row_problem(row, expected, previous_chain)
        if problem:
            return checked, LedgerBreak(number=row.number, sequence=row.sequence, problem=problem)
        previous_chain = row.chain_hash
        checked += 1
    return checked, None


__all__ = [
    "CREDITED",
    "CREDIT_NOTE",
    "EU_MEMBER_STATES",
    "KINDS",
    "LATE",
    "PAID",
    "TO_PAY",
    "UNITS",
    "ClauseSource",
    "Corrected",
    "Creditable",
    "DepositBasis",
    "EarlyDiscount",
    "InvoiceFacts",
    "InvoiceRuleError",
    "LatePenalty",
    "LedgerBreak",
    "LedgerRow",
    "LineFacts",
    "PaymentDue",
    "PaymentMethods",
    "Prepared",
    "Prepayment",
    "amount_due",
    "chain_hash",
    "content_hash",
    "credit_excess",
    "creditable",
    "due_date",
    "late_penalty",
    "missing_mentions",
    "payment_status",
    "prepare",
    "remaining_lines",
    "split_by_rate",
    "totals",
    "vat_regime",
    "verify_chain",
]
