"""The codes and constants of the Factur-X EN16931 XML (namespaces, UNTDID/UNCL codes),
and the error a broken document raises."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from clausier.kernel.errors import DomainError

GUIDELINE = "urn:cen.eu:en16931:2017"  # BT-24, the EN16931 profile of Factur-X
FLAVOR, LEVEL = "factur-x", "en16931"

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "qdt": QDT, "ram": RAM, "udt": UDT}

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

# ISO/IEC 6523 ICD of a French SIREN (BT-30/BT-47 scheme), and of a SIRET (BT-29/BT-46).
SIREN_SCHEME = "0002"
SIRET_SCHEME = "0009"
# UNTDID 4461: SEPA credit transfer, what an IBAN on the invoice offers.
SEPA_CREDIT_TRANSFER = "58"
# UNTDID 2005 (BT-8): VAT due on the invoice date, i.e. the seller opted for VAT on debits.
VAT_ON_INVOICE_DATE = "5"
# UNTDID 4451 note subjects the French e-invoicing rules expect (BR-FR-05/06).
NOTE_SUBJECTS = {
    "vat": "TXD",  # tax mention: 293 B, autoliquidation, option for debits
    "late_penalty": "PMD",  # late payment penalties
    "recovery_indemnity": "PMT",  # 40 EUR lump-sum recovery indemnity
    "early_payment_discount": "AAB",  # (no) discount for early payment
    "legal": "REG",  # regulatory information: legal form, capital, RCS
}
# BT-23, the French "cadre de facturation": B goods, S services, M both; 1 invoice to pay,
# 2 invoice already paid, 4 final invoice after a deposit.
NATURE_LETTERS = {"goods": "B", "services": "S", "both": "M"}

# The VAT categories clausier issues and checks (UNCL 5305).
STANDARD, ZERO_RATED, EXEMPT, REVERSE_CHARGE = "S", "Z", "E", "AE"
OUTSIDE_SCOPE = "O"  # late interest and recovery indemnity: no supply, no VAT
CHECKED_CATEGORIES = frozenset({STANDARD, ZERO_RATED, EXEMPT, REVERSE_CHARGE, OUTSIDE_SCOPE})
# UNTDID 5189: a line discount (BG-27) is an allowance of reason "95", discount.
DISCOUNT_REASON_CODE, DISCOUNT_REASON = "95", "Remise"
CREDIT_NOTE_TYPES = frozenset({"261", "381", "396", "502", "503"})


class FacturXInvalid(DomainError):
    """The XML breaks the XSD or a business rule; nothing may be issued from it.

    ``errors`` lists ``(rule, message)`` pairs, the first broken rule first; ``rule`` is the
    first rule's name ("BR-E-10", "BR-CO-15", "XSD"...).
    """

    def __init__(self, errors: Iterable[tuple[str, str]]) -> None:
        self.errors = tuple(errors)
        self.rule = self.errors[0][0] if self.errors else ""
        super().__init__("\n".join(f"{rule} : {message}" for rule, message in self.errors))


def number_text(value: Decimal) -> str:
    """A quantity, unit price or rate with its own decimals: 2.500 -> "2.5", 20.00 -> "20"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")
