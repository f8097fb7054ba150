"""Factur-X EN16931 XML: every kind of document is valid against the official XSD and the
business rules, and a document that breaks a rule is refused with the rule named."""

import dataclasses
from decimal import Decimal as D

import facturx as fx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from clausier.invoicing.document import InvoiceDocument, Line, VatGroup
from clausier.invoicing.facturx import (
    GUIDELINE,
    FacturXInvalid,
    check_document,
    cii_xml,
    validate_xml,
)
from clausier.kernel.errors import DomainError
from tests.invoicing import documents

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
TRADE = "rsm:SupplyChainTradeTransaction/"
SETTLEMENT = TRADE + "ram:ApplicableHeaderTradeSettlement/"
TOTALS = SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
SELLER = TRADE + "ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/"
BUYER = TRADE + "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/"
LINES = TRADE + "ram:IncludedSupplyChainTradeLineItem"


def tree(doc: InvoiceDocument) -> etree._Element:
    return etree.fromstring(cii_xml(doc))


def text(root: etree._Element, path: str) -> str:
    return root.findtext(path, None, NS)


def texts(root: etree._Element, path: str) -> list[str]:
    return [node.text for node in root.findall(path, NS)]


def vat_breakdown(root: etree._Element) -> list[tuple[str, str, str, str, str, str]]:
    return [
        (
            tax.findtext("ram:CategoryCode", "", NS),
            tax.findtext("ram:RateApplicablePercent", "", NS),
            tax.findtext("ram:BasisAmount", "", NS),
            tax.findtext("ram:CalculatedAmount", "", NS),
            tax.findtext("ram:ExemptionReason", "", NS),
            tax.findtext("ram:ExemptionReasonCode", "", NS),
        )
        for tax in root.findall(SETTLEMENT + "ram:ApplicableTradeTax", NS)
    ]


def notes(root: etree._Element) -> dict[str, str]:
    return {
        note.findtext("ram:SubjectCode", "", NS): note.findtext("ram:Content", "", NS)
        for note in root.findall("rsm:ExchangedDocument/ram:IncludedNote", NS)
    }


def refused(doc: InvoiceDocument) -> FacturXInvalid:
    with pytest.raises(FacturXInvalid) as caught:
        validate_xml(cii_xml(doc))
    return caught.value


# --- every kind is valid ------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(documents.EVERY_KIND))
def test_every_kind_of_document_passes_the_official_xsd_and_the_en16931_rules(kind):
    xml = cii_xml(documents.EVERY_KIND[kind]())

    assert fx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    validate_xml(xml)
    root = etree.fromstring(xml)
    assert fx.get_level(root, "factur-x") == "en16931"
    path = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
    assert text(root, path) == GUIDELINE == "urn:cen.eu:en16931:2017"


def test_the_xml_is_made_again_identically_from_the_stored_snapshot():
    doc = documents.final()
    stored = doc.canonical_json()
    assert cii_xml(InvoiceDocument.from_dict(__import__("json").loads(stored))) == cii_xml(doc)


def lxml_pretty_print(xml: bytes) -> bytes:
    """What lxml writes of the tree ``xml`` holds, indented (``pretty_print``)."""
    reparsed = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(reparsed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@pytest.mark.parametrize("kind", list(documents.EVERY_KIND))
def test_the_xml_is_exactly_what_lxml_writes_of_its_own_tree(kind):
    # The writer makes text, not a tree: its bytes must be lxml's pretty print of their
    # parse, so that what is stored, embedded and validated is one canonical layout.
    xml = cii_xml(documents.EVERY_KIND[kind]())

    assert lxml_pretty_print(xml) == xml
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<rsm:CrossIndustryInvoice ")


XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
        + ["\ufffe", "\uffff"],
    ),
    min_size=1,
)


@settings(max_examples=200, deadline=None)
@given(name=XML_TEXT, email=XML_TEXT)
def test_any_text_xml_can_carry_is_written_escaped_and_read_back_unchanged(name, email):
    doc = dataclasses.replace(
        documents.standard(),
        buyer=dataclasses.replace(
            documents.CLIENT, name=name, einvoice_scheme="EM", einvoice_address=email
        ),
    )
    xml = cii_xml(doc)

    root = etree.fromstring(xml)
    # Line ends are normalised by every XML reader (\r\n and \r read as \n) unless escaped.
    assert text(root, BUYER + "ram:Name") == name
    assert text(root, BUYER + "ram:URIUniversalCommunication/ram:URIID") == email
    assert lxml_pretty_print(xml) == xml


@pytest.mark.parametrize("character", ["\x0b", "\x00", "\x1f", "\ufffe"])
def test_a_character_xml_cannot_carry_is_refused_naming_it(character):
    doc = documents.standard()
    line = dataclasses.replace(doc.lines[0], description=f"Audit{character}SEO")
    doc = dataclasses.replace(doc, lines=(line, *doc.lines[1:]))

    with pytest.raises(FacturXInvalid) as refused:
        check_document(doc)

    assert refused.value.rule == "XML"
    assert f"U+{ord(character):04X} interdit en XML, dans ram:Name : « Audit… »" in str(
        refused.value
    )


def test_a_standard_invoice_breaks_vat_down_per_rate_and_tells_how_to_pay():
    root = tree(documents.standard())

    assert text(root, "rsm:ExchangedDocument/ram:ID") == "F2026-000123"
    assert text(root, "rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") == "20260529"
    # 1 237,50 at 20 % -> 247,50; 100,00 at 10 % -> 10,00.
    assert [(c, r, b, a) for c, r, b, a, *_ in vat_breakdown(root)] == [
        ("S", "20", "1237.50", "247.50"),
        ("S", "10", "100.00", "10.00"),
    ]
    assert texts(root, LINES + "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity") == ["3", "1"]
    units = root.findall(LINES + "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", NS)
    assert [u.get("unitCode") for u in units] == ["MON", "C62"]
    assert text(root, TOTALS + "ram:LineTotalAmount") == "1337.50"
    assert text(root, TOTALS + "ram:TaxBasisTotalAmount") == "1337.50"
    assert text(root, TOTALS + "ram:TaxTotalAmount") == "257.50"
    assert text(root, TOTALS + "ram:GrandTotalAmount") == "1595.00"
    assert text(root, TOTALS + "ram:DuePayableAmount") == "1595.00"
    terms = SETTLEMENT + "ram:SpecifiedTradePaymentTerms/"
    assert text(root, terms + "ram:DueDateDateTime/udt:DateTimeString") == "20260628"
    assert "30 jours après la date de facture" in text(root, terms + "ram:Description")
    means = SETTLEMENT + "ram:SpecifiedTradeSettlementPaymentMeans/"
    assert text(root, means + "ram:TypeCode") == "58"  # SEPA credit transfer
    assert text(root, means + "ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == (
        documents.IBAN
    )
    assert text(root, SETTLEMENT + "ram:PaymentReference") == "F2026-000123"
    # Option for VAT on debits: the VAT is due on the invoice date (UNTDID 2005 code 5).
    assert texts(root, SETTLEMENT + "ram:ApplicableTradeTax/ram:DueDateTypeCode") == ["5", "5"]
    # The mentions a French invoice carries, with the subjects the French rules expect.
    said = notes(root)
    assert "7,86 %" in said["PMD"]
    assert "40,00 €" in said["PMT"]
    assert said["AAB"] == "Pas d'escompte pour paiement anticipé."
    assert said["REG"] == "SAS au capital de 150 000,00 € · RCS Nantes 524172699"
    assert "débits" in said["TXD"]
    agreement = TRADE + "ram:ApplicableHeaderTradeAgreement/"
    assert text(root, agreement + "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID") == (
        "C2026-000045"
    )
    assert text(root, agreement + "ram:ContractReferencedDocument/ram:IssuerAssignedID") == (
        "D2026-000042"
    )
    delivery = TRADE + "ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/"
    assert text(root, delivery + "ram:PostalTradeAddress/ram:CityName") == "Saint-Herblain"


def test_both_parties_are_identified_by_siren_and_vat_number():
    root = tree(documents.standard())

    siren = root.find(SELLER + "ram:SpecifiedLegalOrganization/ram:ID", NS)
    assert (siren.text, siren.get("schemeID")) == ("524172699", "0002")
    assert text(root, SELLER + "ram:SpecifiedTaxRegistration/ram:ID") == "FR87524172699"
    assert text(root, BUYER + "ram:SpecifiedLegalOrganization/ram:ID") == "802314781"
    assert text(root, BUYER + "ram:SpecifiedTaxRegistration/ram:ID") == "FR32802314781"
    address = root.find(SELLER + "ram:URIUniversalCommunication/ram:URIID", NS)
    assert (address.text, address.get("schemeID")) == ("524172699", "0225")


def test_a_document_issued_before_electronic_addresses_gives_the_email_address():
    old = dataclasses.replace(
        documents.standard(),
        seller=dataclasses.replace(documents.PAAS, einvoice_scheme="", einvoice_address=""),
    )

    address = tree(old).find(SELLER + "ram:URIUniversalCommunication/ram:URIID", NS)

    assert (address.text, address.get("schemeID")) == ("commercial@clever-cloud.com", "EM")


def test_a_franchise_invoice_is_exempt_with_the_293_b_mention_as_its_reason():
    root = tree(documents.franchise())

    assert vat_breakdown(root) == [
        (
            "E",
            "0",
            "3411.00",
            "0.00",
            "TVA non applicable, art. 293 B du CGI",
            "VATEX-FR-FRANCHISE",
        )
    ]
    line_taxes = LINES + "/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/"
    assert texts(root, line_taxes + "ram:CategoryCode") == ["E", "E", "E"]
    assert texts(root, line_taxes + "ram:RateApplicablePercent") == ["0", "0", "0"]
    assert text(root, TOTALS + "ram:TaxTotalAmount") == "0.00"
    assert text(root, TOTALS + "ram:GrandTotalAmount") == "3411.00"
    assert notes(root)["TXD"] == "TVA non applicable, art. 293 B du CGI"
    # No VAT number under the franchise: the SIREN identifies the seller for tax (BT-32),
    # which BR-E-02 requires.
    registration = root.find(SELLER + "ram:SpecifiedTaxRegistration/ram:ID", NS)
    assert (registration.text, registration.get("schemeID")) == ("812345676", "FC")
    # A multi-line description: the first line names the item, the rest describes it.
    assert texts(root, LINES + "/ram:SpecifiedTradeProduct/ram:Name")[0] == "Site vitrine 5 pages"
    assert texts(root, LINES + "/ram:SpecifiedTradeProduct/ram:Description") == [
        "maquettes, intégration, mise en ligne"
    ]
    assert texts(root, LINES + "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")[1] == "3.5"


def test_a_reverse_charge_invoice_says_autoliquidation_and_names_both_vat_numbers():
    root = tree(documents.reverse_charge())

    assert vat_breakdown(root) == [("AE", "0", "660.00", "0.00", "Autoliquidation", "VATEX-EU-AE")]
    assert text(root, SELLER + "ram:SpecifiedTaxRegistration/ram:ID") == "FR87524172699"
    assert text(root, BUYER + "ram:SpecifiedTaxRegistration/ram:ID") == "BE0123456749"
    assert text(root, BUYER + "ram:PostalTradeAddress/ram:CountryID") == "BE"
    assert notes(root)["TXD"] == "Autoliquidation"


def test_a_deposit_invoice_is_a_prepayment_invoice():
    root = tree(documents.deposit())

    assert text(root, "rsm:ExchangedDocument/ram:TypeCode") == "386"
    assert text(root, TOTALS + "ram:DuePayableAmount") == "1023.30"


def test_a_final_invoice_deducts_the_deposit_and_references_its_invoice():
    root = tree(documents.final())

    assert text(root, "rsm:ExchangedDocument/ram:TypeCode") == "380"
    # 3 411,00 - 1 023,30 = 2 387,70.
    assert text(root, TOTALS + "ram:GrandTotalAmount") == "3411.00"
    assert text(root, TOTALS + "ram:TotalPrepaidAmount") == "1023.30"
    assert text(root, TOTALS + "ram:DuePayableAmount") == "2387.70"
    ref = SETTLEMENT + "ram:InvoiceReferencedDocument/"
    assert text(root, ref + "ram:IssuerAssignedID") == "F2026-000005"
    assert text(root, ref + "ram:FormattedIssueDateTime/qdt:DateTimeString") == "20260504"
    # French billing framework: services, final invoice after a deposit.
    process = "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/"
    assert text(root, process + "ram:ID") == "S4"


def test_a_credit_note_is_type_381_and_cites_the_invoice_it_corrects():
    root = tree(documents.credit_note())

    assert text(root, "rsm:ExchangedDocument/ram:TypeCode") == "381"
    ref = SETTLEMENT + "ram:InvoiceReferencedDocument/"
    assert text(root, ref + "ram:IssuerAssignedID") == "F2026-000123"
    assert text(root, ref + "ram:FormattedIssueDateTime/qdt:DateTimeString") == "20260529"
    assert text(root, TOTALS + "ram:GrandTotalAmount") == "110.00"


def test_an_invoice_paid_online_is_framed_as_already_paid():
    doc = dataclasses.replace(
        documents.standard(), prepaid_amount=D("1595.00"), amount_due=D("0.00")
    )
    root = etree.fromstring(check_document(doc))
    process = "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/"
    assert text(root, process + "ram:ID") == "S2"
    assert text(root, TOTALS + "ram:DuePayableAmount") == "0.00"


def test_a_line_discount_is_stated_as_a_line_allowance():
    root = etree.fromstring(check_document(documents.discounted()))

    first = root.findall(LINES, NS)[0]
    allowance = "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/"
    assert text(first, allowance + "ram:ChargeIndicator/udt:Indicator") == "false"
    assert text(first, allowance + "ram:CalculationPercent") == "10"
    # 3 × 412,50 = 1 237,50; 10 % of it = 123,75; 1 237,50 - 123,75 = 1 113,75.
    assert text(first, allowance + "ram:BasisAmount") == "1237.50"
    assert text(first, allowance + "ram:ActualAmount") == "123.75"
    assert text(first, allowance + "ram:Reason") == "Remise"
    assert (
        text(
            first, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"
        )
        == "412.5"
    )
    summation = (
        "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
    )
    assert text(first, summation + "ram:LineTotalAmount") == "1113.75"
    assert text(root, TOTALS + "ram:GrandTotalAmount") == "1446.50"


def test_a_zero_rated_line_has_its_own_breakdown_without_exemption_reason():
    doc = documents.standard()
    line = Line("Frais refacturés", D("1"), "forfait", "LS", D("15.00"), D("0"), "Z", D("15.00"))
    zero = VatGroup("Z", D("0"), D("15.00"), D("0.00"))
    # 1 337,50 + 15,00 = 1 352,50 HT; VAT unchanged 257,50; TTC 1 610,00.
    doc = dataclasses.replace(
        doc,
        lines=(*doc.lines, line),
        vat_breakdown=(*doc.vat_breakdown, zero),
        total_ht=D("1352.50"),
        total_ttc=D("1610.00"),
        amount_due=D("1610.00"),
    )
    validate_xml(cii_xml(doc))

    with_reason = dataclasses.replace(zero, exemption_reason="Exonéré")
    error = refused(dataclasses.replace(doc, vat_breakdown=(*doc.vat_breakdown[:2], with_reason)))
    assert error.rule == "BR-Z-10"


# --- broken documents are refused, the rule named ----------------------------------------


def test_an_exempt_line_with_a_vat_rate_is_refused_by_br_e_05():
    doc = documents.franchise()
    first = dataclasses.replace(doc.lines[0], vat_rate=D("20.00"))
    error = refused(dataclasses.replace(doc, lines=(first, *doc.lines[1:])))

    assert error.rule == "BR-E-05"
    assert str(error).startswith("BR-E-05 : la ligne 1 est exonérée (E)")
    assert isinstance(error, DomainError)  # the API answers 409 with the message


def test_an_exempt_breakdown_charging_vat_is_refused():
    doc = documents.franchise()
    # 3 411,00 at 20 % would be 682,20: an exempt breakdown carries no VAT at all.
    group = dataclasses.replace(doc.vat_breakdown[0], rate=D("20.00"), vat_amount=D("682.20"))
    error = refused(
        dataclasses.replace(
            doc,
            vat_breakdown=(group,),
            total_vat=D("682.20"),
            total_ttc=D("4093.20"),
            amount_due=D("4093.20"),
        )
    )

    assert "BR-E-09 : la TVA d'une ventilation exonérée (E) doit être 0" in str(error)


def test_an_exempt_breakdown_without_its_reason_is_refused_by_br_e_10():
    doc = documents.franchise()
    group = dataclasses.replace(doc.vat_breakdown[0], exemption_reason="", exemption_reason_code="")
    error = refused(dataclasses.replace(doc, vat_breakdown=(group,)))

    assert error.rule == "BR-E-10"
    assert "293 B" in str(error)


def test_a_franchise_seller_without_siren_nor_vat_number_is_refused_by_br_e_02():
    doc = documents.franchise()
    seller = dataclasses.replace(doc.seller, siren="", siret="")
    error = refused(dataclasses.replace(doc, seller=seller))

    assert "BR-E-02" in str(error)
    assert "BR-CO-26" in str(error)


def test_totals_that_do_not_add_up_are_refused_naming_each_sum():
    doc = documents.standard()

    # 1 337,50 + 257,50 = 1 595,00, not 1 600,00.
    wrong_ttc = dataclasses.replace(doc, total_ttc=D("1600.00"), amount_due=D("1600.00"))
    assert refused(wrong_ttc).rule == "BR-CO-15"
    # The lines add up to 1 337,50, not 1 340,00.
    wrong_ht = dataclasses.replace(
        doc, total_ht=D("1340.00"), total_ttc=D("1597.50"), amount_due=D("1597.50")
    )
    assert refused(wrong_ht).rule == "BR-CO-10"
    # 247,50 + 10,00 = 257,50, not 250,00.
    wrong_vat = dataclasses.replace(
        doc, total_vat=D("250.00"), total_ttc=D("1587.50"), amount_due=D("1587.50")
    )
    assert refused(wrong_vat).rule == "BR-CO-14"
    # 1 595,00 - 0 = 1 595,00 due, not 1 500,00.
    assert refused(dataclasses.replace(doc, amount_due=D("1500.00"))).rule == "BR-CO-16"


def test_a_vat_amount_that_is_not_base_times_rate_is_refused():
    doc = documents.standard()
    # 1 237,50 × 20 % = 247,50, not 247,00 (the totals follow, so only the rate is wrong).
    group = dataclasses.replace(doc.vat_breakdown[0], vat_amount=D("247.00"))
    error = refused(
        dataclasses.replace(
            doc,
            vat_breakdown=(group, doc.vat_breakdown[1]),
            total_vat=D("257.00"),
            total_ttc=D("1594.50"),
            amount_due=D("1594.50"),
        )
    )

    assert error.rule == "BR-CO-17"
    assert "BR-S-09" in str(error)


def test_a_breakdown_whose_base_is_not_its_lines_is_refused_by_br_s_08():
    doc = documents.standard()
    # The 10 % lines add up to 100,00; a base of 90,00 (tax 9,00) leaves them out.
    group = VatGroup("S", D("10.00"), D("90.00"), D("9.00"))
    error = refused(
        dataclasses.replace(
            doc,
            vat_breakdown=(doc.vat_breakdown[0], group),
            total_vat=D("256.50"),
            total_ttc=D("1594.00"),
            amount_due=D("1594.00"),
        )
    )

    assert "BR-S-08 : base de la TVA S à 10 % (BT-116) = 90.00 EUR" in str(error)


def test_a_standard_rated_line_at_zero_percent_is_refused_by_br_s_05():
    doc = documents.standard()
    line = dataclasses.replace(doc.lines[1], vat_rate=D("0"))
    assert "BR-S-05" in str(refused(dataclasses.replace(doc, lines=(doc.lines[0], line))))


def test_reverse_charge_needs_the_buyers_vat_number_and_the_word_autoliquidation():
    doc = documents.reverse_charge()

    no_vat = dataclasses.replace(doc, buyer=dataclasses.replace(doc.buyer, vat_number=""))
    assert refused(no_vat).rule == "BR-AE-02"
    group = dataclasses.replace(
        doc.vat_breakdown[0], exemption_reason="Exonéré", exemption_reason_code=""
    )
    assert refused(dataclasses.replace(doc, vat_breakdown=(group,))).rule == "BR-AE-10"


def test_a_credit_note_without_the_invoice_it_corrects_is_refused():
    doc = dataclasses.replace(
        documents.credit_note(), corrected_number="", corrected_issue_date=None
    )
    assert refused(doc).rule == "BR-FR-CO-05"


def test_an_amount_with_a_third_decimal_is_refused_not_rounded():
    doc = documents.standard()
    line = dataclasses.replace(doc.lines[1], total_ht=D("100.005"))
    error = refused(dataclasses.replace(doc, lines=(doc.lines[0], line)))

    assert "BR-DEC-23" in str(error)
    assert "100.005" in str(error)


def test_a_unit_outside_the_un_ece_list_is_refused():
    doc = documents.standard()
    line = dataclasses.replace(doc.lines[1], unit_code="FORFAIT")
    assert refused(dataclasses.replace(doc, lines=(doc.lines[0], line))).rule == "BR-CL-23"


def test_a_vat_category_clausier_does_not_issue_is_refused():
    doc = documents.standard()
    line = Line(
        "Livraison intracommunautaire", D("1"), "unité", "C62", D("10.00"), D("0"), "K", D("10.00")
    )
    with pytest.raises(FacturXInvalid, match="BT-151"):
        check_document(dataclasses.replace(doc, lines=(*doc.lines, line)))


def test_an_amount_due_without_due_date_nor_terms_is_refused_by_br_co_25():
    root = tree(documents.standard())
    terms = root.find(SETTLEMENT + "ram:SpecifiedTradePaymentTerms", NS)
    for child in list(terms):
        terms.remove(child)

    with pytest.raises(FacturXInvalid, match="BR-CO-25"):
        validate_xml(etree.tostring(root))


def test_xml_outside_the_official_schema_is_refused_by_the_xsd():
    root = tree(documents.standard())
    header = root.find("rsm:ExchangedDocument", NS)
    header.remove(header.find("ram:TypeCode", NS))

    with pytest.raises(FacturXInvalid) as caught:
        validate_xml(etree.tostring(root))
    assert caught.value.rule == "XSD"
    assert "IssueDateTime" in str(caught.value)


def test_every_broken_rule_is_listed_first_one_first():
    doc = documents.franchise()
    group = dataclasses.replace(doc.vat_breakdown[0], exemption_reason="", exemption_reason_code="")
    doc = dataclasses.replace(doc, vat_breakdown=(group,), total_ttc=D("3412.00"))

    error = refused(doc)
    assert [rule for rule, _ in error.errors] == ["BR-CO-15", "BR-CO-16", "BR-E-10"]
    assert str(error).splitlines()[0].startswith("BR-CO-15 : total TTC (BT-112) = 3412.00 EUR")
