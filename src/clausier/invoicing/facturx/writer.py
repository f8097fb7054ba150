"""Writing the CII XML of a frozen document, as text in one pass."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from clausier.invoicing.document import Address, InvoiceDocument, Line, Party
from clausier.invoicing.facturx.codes import (
    CENT,
    DISCOUNT_REASON,
    DISCOUNT_REASON_CODE,
    GUIDELINE,
    NATURE_LETTERS,
    NOTE_SUBJECTS,
    NSMAP,
    OUTSIDE_SCOPE,
    SEPA_CREDIT_TRANSFER,
    SIREN_SCHEME,
    SIRET_SCHEME,
    STANDARD,
    VAT_ON_INVOICE_DATE,
    ZERO,
    FacturXInvalid,
    number_text,
)
from clausier.rules.money import format_eur


def _amount(value: Decimal) -> str:
    """An amount with 2 decimals; never rounded here (BR-DEC catches a third decimal)."""
    value = Decimal(value)
    if value.as_tuple().exponent < -2 and value != value.quantize(CENT):  # type: ignore[operator]
        return format(value, "f")
    return format(value.quantize(CENT), "f")


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


def _party(
    w: _Writer, parent: _Node, tag: str, party: Party, *, seller: bool, outside: bool = False
) -> None:
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
    scheme, address = party.einvoice_scheme, party.einvoice_address
    if not address and party.email:  # a document issued before addresses were configurable
        scheme, address = "EM", party.email
    if address:
        uri = w.sub(node, "ram:URIUniversalCommunication")
        w.sub(uri, "ram:URIID", address, schemeID=scheme)  # BT-34 / BT-49
    if party.vat_number and not outside:
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


def _line_item(w: _Writer, transaction: _Node, position: int, line: Line) -> None:
    """One invoice line (BG-25)."""
    item = w.sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
    w.sub(w.sub(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(position))
    product = w.sub(item, "ram:SpecifiedTradeProduct")
    name, _, rest = line.description.strip().partition("\n")
    w.sub(product, "ram:Name", name.strip())  # BT-153
    if rest.strip():
        w.sub(product, "ram:Description", rest.strip())  # BT-154
    # A line that deducts (a negative unit price: prepaid credits used, a discount line) is
    # a negative quantity at a positive price: the net price may not be negative (BR-27).
    sign = -1 if line.unit_price_ht < 0 else 1
    agreement = w.sub(item, "ram:SpecifiedLineTradeAgreement")
    price = w.sub(agreement, "ram:NetPriceProductTradePrice")
    w.sub(price, "ram:ChargeAmount", number_text(sign * line.unit_price_ht))  # BT-146
    delivery = w.sub(item, "ram:SpecifiedLineTradeDelivery")
    w.sub(
        delivery, "ram:BilledQuantity", number_text(sign * line.quantity), unitCode=line.unit_code
    )  # BT-129, BT-130
    settlement = w.sub(item, "ram:SpecifiedLineTradeSettlement")
    tax = w.sub(settlement, "ram:ApplicableTradeTax")
    w.sub(tax, "ram:TypeCode", "VAT")
    w.sub(tax, "ram:CategoryCode", line.vat_category)  # BT-151
    w.sub(tax, "ram:RateApplicablePercent", number_text(line.vat_rate))  # BT-152
    discount = line_discount(line)
    if discount is not None:  # BG-27
        gross, taken = discount
        allowance = w.sub(settlement, "ram:SpecifiedTradeAllowanceCharge")
        w.sub(w.sub(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
        w.sub(allowance, "ram:CalculationPercent", number_text(line.discount_rate))  # BT-138
        w.sub(allowance, "ram:BasisAmount", _amount(gross))  # BT-137
        w.sub(allowance, "ram:ActualAmount", _amount(taken))  # BT-136
        w.sub(allowance, "ram:ReasonCode", DISCOUNT_REASON_CODE)  # BT-140
        w.sub(allowance, "ram:Reason", DISCOUNT_REASON)  # BT-139
    summation = w.sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    w.sub(summation, "ram:LineTotalAmount", _amount(line.total_ht))  # BT-131


def _settlement(w: _Writer, transaction: _Node, doc: InvoiceDocument) -> None:
    """The header's settlement: payment means, VAT breakdown, terms, totals, preceding
    invoices."""
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
        w.sub(tax, "ram:RateApplicablePercent", number_text(group.rate))  # BT-119
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
        _line_item(w, transaction, position, line)

    agreement = w.sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    # A document outside the scope of VAT names no VAT identifier of either party (BR-O-02).
    outside = any(group.category == OUTSIDE_SCOPE for group in doc.vat_breakdown)
    _party(w, agreement, "ram:SellerTradeParty", doc.seller, seller=True, outside=outside)  # BG-4
    _party(w, agreement, "ram:BuyerTradeParty", doc.buyer, seller=False, outside=outside)  # BG-7
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
    if doc.service_date is not None:  # BT-72
        event = w.sub(delivery, "ram:ActualDeliverySupplyChainEvent")
        w.date(event, "ram:OccurrenceDateTime", doc.service_date)

    _settlement(w, transaction, doc)
    return root
