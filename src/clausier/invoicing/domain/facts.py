"""The facts an invoice is computed from (no ORM: the services pass them in), the invoicing
constants with their sources, and the VAT regime."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from clausier.invoicing.document import (
    Address,
    ClauseUsed,
    Deduction,
    Party,
)
from clausier.kernel.errors import DomainError
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.explain import LegalFact
from clausier.rules.interest import (
    LegalRateTable,
)
from clausier.rules.money import (
    ZERO,
    VatRegime,
)
from clausier.rules.wording import Words, words

KINDS: Final = ("standard", "deposit", "final", "credit_note", "penalty")
CREDIT_NOTE: Final = "credit_note"
# An invoice of late interest and recovery indemnity (C. com. L441-10): damages, outside the
# scope of VAT whatever the seller's regime.
PENALTY: Final = "penalty"

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
CATEGORY_OUTSIDE: Final = "O"  # "services outside scope of tax"
REVERSE_CHARGE_CODE: Final = "VATEX-EU-AE"
OUT_OF_SCOPE_CODE: Final = "VATEX-EU-O"

# Between professionals, terms that set no late-penalty rate get the ECB refinancing rate plus
# 10 points. The penalty mention and the 40 € indemnity are mentions of invoices between
# professionals (C. com. L441-9, L441-10): none is printed for a consumer without a clause.
DEFAULT_PENALTY = LegalFact(Decimal("10"), "C. com. L441-10 II")
# A consumer owes no penalty the terms do not provide, and the legal interest from a formal
# notice to pay.
CONSUMER_LATE_INTEREST = LegalFact("intérêts au taux légal après mise en demeure", "C. civ. 1231-6")
NO_DISCOUNT = LegalFact(words("Pas d'escompte pour paiement anticipé."), "C. com. L441-9 I")
VAT_ON_DEBITS = LegalFact(
    "Option pour le paiement de la taxe d'après les débits", "CGI ann. II art. 242 nonies A"
)
# The VAT mentions the law requires in French (rules.money), as sentences: an English page
# prints them in French followed by their translation.
VAT_MENTION_WORDS: Final[Mapping[VatRegime, Words]] = {
    VatRegime.FRANCHISE_293B: words("TVA non applicable, art. 293 B du CGI"),
    VatRegime.REVERSE_CHARGE_EU: words("Autoliquidation"),
    VatRegime.OUT_OF_SCOPE: words(
        "TVA non applicable : hors champ d'application de la TVA, indemnité sans contrepartie"
    ),
}
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

# The same labels as sentences, worded in the reader's language on the page.
UNIT_WORDS: Final[Mapping[str, Words]] = {
    "flat": words("forfait"),
    "hour": words("heure"),
    "day": words("jour"),
    "month": words("mois"),
    "year": words("an"),
    "unit": words("unité"),
    "metered": words("unité"),
}

PAYMENT_METHODS_FR: Final = {
    "card": "carte bancaire",
    "paypal": "PayPal",
    "cheque": "chèque",
    "transfer": "virement bancaire",
    "direct_debit": "prélèvement",
}
PAYMENT_METHOD_WORDS: Final[Mapping[str, Words]] = {
    "card": words("carte bancaire"),
    "paypal": words("PayPal"),
    "cheque": words("chèque"),
    "transfer": words("virement bancaire"),
    "direct_debit": words("prélèvement"),
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
    def cited(self) -> Words:
        """:attr:`cite` as a sentence, worded in the reader's language."""
        article, terms = self.article.strip(), self.terms_label.strip()
        if article and terms:
            return words("{article} CGV {terms}", article=article, terms=terms)
        if terms:
            return words("CGV {terms}", terms=terms)
        if article:
            return words("{article} CGV", article=article)
        return words("CGV")

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


# How an invoice issued after an online payment names its means ("paiement en ligne stripe
# ch_123", services.automatic).
ONLINE_PAYMENT: Final = "paiement en ligne"


def means_words(means: str) -> Words | str:
    """The means of a payment received before the invoice, as a sentence: an online payment
    is worded in the reader's language, its provider and reference kept as they are."""
    if means == ONLINE_PAYMENT:
        return words("paiement en ligne")
    if means.startswith(ONLINE_PAYMENT + " "):
        return words("paiement en ligne {reference}", reference=means[len(ONLINE_PAYMENT) + 1 :])
    return means


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
    service_date: date | None = None  # when the service was done; None: the issue date
    vat_on_debits: bool = False
    iban: str = ""
    bic: str = ""
    order_reference: str = ""
    quote_reference: str = ""
    notes: tuple[str | Words, ...] = ()
    calendar: FrenchCalendar = field(default_factory=FrenchCalendar)
    rate_table: LegalRateTable | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE


# --- VAT regime -----------------------------------------------------------------------------


def vat_regime(
    *,
    seller_regime: str,
    buyer_country: str,
    buyer_is_professional: bool,
    buyer_vat_number: str,
    kind: str = "",
) -> VatRegime:
    """The regime of one document: the seller's, except for services sold by a VAT-charging
    seller to a business established in another EU state that gave its VAT number, where the
    customer self-assesses the VAT (reverse charge, CGI art. 259-1), and for a penalty
    invoice, outside the scope of VAT (damages, no supply: CGI art. 256 I)."""
    if kind == PENALTY:
        return VatRegime.OUT_OF_SCOPE
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
