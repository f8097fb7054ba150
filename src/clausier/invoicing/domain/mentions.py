"""The mandatory mentions of an invoice (CGI ann. II art. 242 nonies A; C. com. L441-9)."""

from __future__ import annotations

from clausier.invoicing.domain.facts import SIREN_REQUIRED_KINDS, InvoiceFacts
from clausier.rules.money import (
    VatRegime,
)

# --- mandatory mentions ---------------------------------------------------------------------

_PLACEHOLDER = "à compléter"


def _blank(value: str | None) -> bool:
    # The agency's seed carries "Adresse à compléter": a placeholder is no address.
    return not value or not value.strip() or _PLACEHOLDER in value.lower()


def _seller_missing(facts: InvoiceFacts, regime: VatRegime) -> list[str]:
    seller = facts.seller
    missing = ["seller.legal_name"] if _blank(seller.name) else []
    missing += [
        key
        for key, value in (
            ("seller.address_line1", seller.address.line1),
            ("seller.postal_code", seller.address.postal_code),
            ("seller.city", seller.address.city),
            ("seller.siren", seller.siren),
        )
        if _blank(value)
    ]
    if regime not in _NO_VAT_NUMBER and _blank(seller.vat_number):
        # A VAT-charging seller, and any seller invoicing an EU reverse charge, prints its
        # VAT number (242 nonies A, I-2°); a seller under the franchise has none to print.
        missing.append("seller.vat_number")
    return missing


def _client_missing(facts: InvoiceFacts) -> list[str]:
    buyer = facts.buyer
    missing = [
        key
        for key, value in (
            ("client.name", buyer.name),
            ("client.billing_line1", buyer.address.line1),
            ("client.billing_postal_code", buyer.address.postal_code),
            ("client.billing_city", buyer.address.city),
        )
        if _blank(value)
    ]
    if (
        facts.client_kind in SIREN_REQUIRED_KINDS
        and (buyer.address.country or "FR").upper() == "FR"
        and _blank(buyer.siren)
    ):
        missing.append("client.siren")
    return missing


def _lines_missing(facts: InvoiceFacts) -> list[str]:
    missing = [] if facts.lines else ["lines"]
    for index, line in enumerate(facts.lines):
        if _blank(line.description):
            missing.append(f"lines[{index}].description")
        if line.quantity <= 0:
            missing.append(f"lines[{index}].quantity")
    return missing


# A seller under the franchise has no VAT number to print; a penalty invoice (outside the
# scope of VAT) is one whatever the seller's regime, and names none (EN 16931 BR-O-02).
_NO_VAT_NUMBER = frozenset({VatRegime.FRANCHISE_293B, VatRegime.OUT_OF_SCOPE})


def missing_mentions(facts: InvoiceFacts, regime: VatRegime) -> list[str]:
    """The mandatory mentions the facts lack (CGI ann. II art. 242 nonies A, C. com. L441-9),
    as field keys: ``seller.siren``, ``client.billing_line1``, ``lines``...
    Empty when the document can be issued. Terms without a payment term miss nothing: the
    due date is then the law's (``rules.payment.LEGAL_PAYMENT_TERM``)."""
    missing = _seller_missing(facts, regime) + _client_missing(facts) + _lines_missing(facts)
    if facts.is_credit_note and facts.corrected is None:
        missing.append("corrects")
    return missing
