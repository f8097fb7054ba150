"""The invoice PDF, read back: what the client and a tax auditor read on it, and the Factur-X
XML inside it, equal to what was generated and validated."""

import dataclasses
import io
import re
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import facturx as fx
import pypdf
import pytest
from PIL import Image

from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.facturx import FacturXInvalid, cii_xml
from clausier.invoicing.printing import render_invoice, render_invoice_pdf
from tests.invoicing import documents
from tests.invoicing.library_pdf import library_facturx_pdf, plain_pdf

RDF_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"


def read_back(text: str) -> str:
    """A page's text as a reader reads it: French spaces (narrow no-break before thousands,
    %, : and ;, no-break before €) as plain ones, words hyphenated at a line end joined
    again (a soft hyphen), and the invisible break points of long words dropped."""
    text = re.sub("\u00ad\n?|\u200b", "", text)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def pages_of(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [read_back(page.extract_text()) for page in reader.pages]


def text_of(content: bytes) -> str:
    return "\n".join(pages_of(content))


def flat(text: str) -> str:
    """The text as one line: sentences read the same wherever the layout wraps them."""
    return re.sub(r"\s+", " ", text)


def xmp_values(xmp: str) -> dict[str, str]:
    """The XMP's simple values by local name (dc:title, dc:creator... by their first item),
    whatever the layout of its RDF."""
    root = ElementTree.fromstring(xmp.split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    values = {}
    for node in root.iter():
        name = node.tag.rsplit("}", 1)[-1]
        items = [li.text or "" for li in node.iter(RDF_LI)]
        if items and name not in ("li", "Alt", "Seq", "Bag"):
            values.setdefault(name, items[0])
        elif len(node) == 0 and name != "li":
            values.setdefault(name, (node.text or "").strip())
    return values


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[InvoiceDocument, bytes, str]]:
    """Every kind of document printed once for the module: (document, PDF, its text)."""
    out = {}
    for kind, build in documents.EVERY_KIND.items():
        doc = build()
        pdf = render_invoice_pdf(doc)
        out[kind] = (doc, pdf, text_of(pdf))
    return out


@pytest.mark.parametrize("kind", list(documents.EVERY_KIND))
def test_every_kind_carries_the_xml_it_was_issued_with(printed, kind):
    doc, pdf, text = printed[kind]

    filename, xml = fx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert xml == cii_xml(doc)
    assert f"n° {doc.number}" in text
    assert "Page 1 / 1" in text
    assert "Conditions appliquées" in text.replace("CONDITIONS APPLIQUÉES", "Conditions appliquées")


@pytest.mark.parametrize("kind", list(documents.EVERY_KIND))
def test_every_kind_is_a_pdf_a_3_declaring_factur_x_en_16931(printed, kind):
    doc, pdf, _text = printed[kind]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]

    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    assert "/OutputIntents" in catalog  # the sRGB profile of the PDF/A-3b
    [spec] = [ref.get_object() for ref in catalog["/AF"].get_object()]
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/F"] == "factur-x.xml"
    # The Info dictionary says what the XMP says.
    title = (
        f"{doc.seller.name} : "
        + ({"credit_note": "Avoir", "deposit": "Facture d'acompte"}.get(doc.kind, "Facture"))
        + f" {doc.number}"
    )
    assert reader.metadata["/Title"] == title
    said = xmp_values(xmp)
    assert said["title"] == title
    assert said.get("Producer") == reader.metadata.get("/Producer")
    assert said["CreatorTool"] == reader.metadata["/Creator"]


def test_a_standard_invoice_shows_every_mandatory_mention(printed):
    _doc, _pdf, text = printed["standard"]

    assert "Facture\nn° F2026-000123" in text
    assert "Date d'émission 29/05/2026" in text
    assert "Échéance 28/06/2026" in text
    # Seller: name, legal form and capital, address, SIREN, RCS, VAT number.
    assert "Clever Cloud" in text
    assert "SAS au capital de 150 000,00 €" in text
    assert "3 rue de l'Allier\n44000 Nantes" in text
    assert "SIREN 524172699" in text
    assert "RCS Nantes 524172699" in text
    assert "N° TVA intracommunautaire FR87524172699" in text
    # Client, and the delivery address since it differs.
    assert "Boulangerie Martin SARL" in text
    assert "SIREN 802314781" in text
    assert "N° TVA intracommunautaire FR32802314781" in text
    assert "Adresse de livraison\nZI de la Lande\n44800 Saint-Herblain" in text
    assert "Nature de l'opération : prestations de services" in text
    assert "Devis D2026-000042" in text
    assert "Commande C2026-000045" in text
    # Lines: quantity, unit, unit price HT, VAT rate, amount HT.
    assert "Hébergement PaaS, instance M 3 mois 412,50 € 20 % 1 237,50 €" in text
    assert "Formation en ligne 1 forfait 100,00 € 10 % 100,00 €" in text
    # VAT per rate and totals: 1 237,50 × 20 % = 247,50; 100,00 × 10 % = 10,00.
    assert "TVA 20 % 1 237,50 € 247,50 €" in text
    assert "TVA 10 % 100,00 € 10,00 €" in text
    assert "Total HT 1 337,50 €" in text
    assert "Total TVA 257,50 €" in text
    assert "Total TTC 1 595,00 €" in text
    assert "Net à payer 1 595,00 €" in text
    # Due date with its explanation, payment, penalties, indemnity, no discount.
    assert "Échéance : 28/06/2026 — 30 jours après la date de facture, art. 5 CGV v1.1" in text
    assert "IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP882" in text
    assert "référence à indiquer : F2026-000123" in flat(text)
    assert "pénalités au taux annuel de 7,86 %" in flat(text)
    assert "40,00 €" in text
    assert "Pas d'escompte pour paiement anticipé." in text
    assert "Option pour le paiement de la TVA d'après les débits." in text
    # The "Conditions appliquées" box: each figure with its reason and source.
    assert "Pénalités de retard 7,86 % — 3 × taux légal 2026 S1 (2,62 %) C. com. L441-10" in text
    assert "CGV v1.1 : art. 5 (Modalités de paiement) · art. 6 (Retard de paiement)" in text


def test_a_franchise_invoice_shows_no_vat_and_the_293_b_mention(printed):
    _doc, _pdf, text = printed["franchise_293b"]

    assert "TVA non applicable, art. 293 B du CGI" in text
    # No VAT column and no VAT table: a line reads quantity, unit, price, amount.
    assert "DÉSIGNATION QTÉ UNITÉ PU HT MONTANT HT" in text
    assert "Site vitrine 5 pages\nmaquettes, intégration, mise en ligne" in text
    assert "1 forfait 2 400,00 € 2 400,00 €" in text
    assert "Rédaction des contenus 3,5 jour 250,00 € 875,00 €" in text
    assert "BASE HT" not in text
    # 2 400,00 + 875,00 + 136,00 = 3 411,00.
    assert "Total HT 3 411,00 €" in text
    assert "Total TVA 0,00 €" in text
    assert "Total TTC 3 411,00 €" in text
    assert "Échéance : 18/06/2026 — 14 jours ouvrés après la date de facture, art. 5 CGV v3.0" in (
        text
    )
    assert "SIREN 812345676 · SIRET 81234567600015" in text
    assert "N° TVA intracommunautaire" not in text.split("CLIENT")[0]


def test_a_reverse_charge_invoice_says_autoliquidation(printed):
    _doc, _pdf, text = printed["reverse_charge"]

    assert "Autoliquidation" in text  # the mention, the only place the word appears
    assert "Hébergement PaaS, instance S 12 mois 55,00 € 660,00 €" in text
    assert "Rue Neuve 10\n1000 Bruxelles, BE" in text
    assert "N° TVA intracommunautaire BE0123456749" in text
    assert "Total TTC 660,00 €" in text
    assert "Adresse de livraison" not in text


def test_a_deposit_invoice_is_titled_as_such(printed):
    _doc, _pdf, text = printed["deposit"]

    assert "Facture d'acompte\nn° F2026-000005" in text
    assert "Acompte de 30 % sur le devis D2026-000031 (3 411,00 € HT)" in flat(text)
    assert "Net à payer 1 023,30 €" in text
    assert "Échéance : 27/05/2026" in text


def test_a_final_invoice_deducts_the_deposit_invoice(printed):
    _doc, _pdf, text = printed["final"]

    assert "Facture de solde\nn° F2026-000008" in text
    assert "Total TTC 3 411,00 €" in text
    assert "Acompte F2026-000005 du 04/05/2026 -1 023,30 €" in flat(text)
    # 3 411,00 - 1 023,30 = 2 387,70.
    assert "Net à payer 2 387,70 €" in text


def test_a_credit_note_names_the_invoice_it_corrects(printed):
    _doc, _pdf, text = printed["credit_note"]

    assert "Avoir\nn° AV2026-000007" in text
    assert "Facture corrigée F2026-000123 du 29/05/2026" in flat(text)
    assert "Avoir sur la facture n° F2026-000123 du 29/05/2026." in text
    # 100,00 + 10 % = 110,00 credited.
    assert "Montant de l'avoir 110,00 €" in text
    assert "Net à payer" not in text
    assert "Échéance" not in text
    assert "Avoir partiel 110,00 € — formation non dispensée" in flat(text)


def test_a_line_discount_is_printed_with_its_amount(printed):
    _doc, _pdf, text = printed["discounted"]

    # 3 × 412,50 = 1 237,50 less 10 % (123,75) = 1 113,75.
    assert "Hébergement PaaS, instance M\nRemise 10 % : -123,75 €" in text
    assert "3 mois 412,50 € 20 % 1 113,75 €" in text
    assert "Total TTC 1 446,50 €" in text


def test_a_long_invoice_runs_over_pages_numbered_page_x_of_y():
    doc = documents.long_invoice(60)
    pages = pages_of(render_invoice_pdf(doc))

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in page
        assert "F2026-000123" in page  # the footer names the document on every page
    assert "DÉSIGNATION" in pages[1]  # the table header repeats
    # 60 × 10,00 = 600,00 HT; 20 % = 120,00; 720,00 TTC, on the last page.
    assert "Total TTC 720,00 €" in pages[-1]
    assert "Consommation à l'usage, application n° 60" in "\n".join(pages)


def test_the_sellers_logo_and_colour_are_printed():
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo, "PNG")

    pdf = render_invoice_pdf(documents.franchise(), logo=logo.getvalue(), brand_color="#0f8b8d")

    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    # #0f8b8d is 15/255, 139/255, 141/255 in the page's fill colour operators.
    fills = {
        tuple(round(float(c) * 255) for c in found.split())
        for found in re.findall(rb"((?:[\d.]+ ){3})(?:rg|scn?)\b", page.get_contents().get_data())
    }
    assert (15, 139, 141) in fills


def test_a_colour_or_logo_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="brand_color"):
        render_invoice_pdf(documents.standard(), brand_color="red; background: url(x)")
    with pytest.raises(ValueError, match="logo"):
        render_invoice_pdf(documents.standard(), logo=b"not an image")


def test_an_invalid_document_is_not_printed_and_the_rule_is_named():
    doc = documents.franchise()
    group = dataclasses.replace(doc.vat_breakdown[0], exemption_reason="", exemption_reason_code="")

    with pytest.raises(FacturXInvalid, match="BR-E-10"):
        render_invoice_pdf(dataclasses.replace(doc, vat_breakdown=(group,)))


def test_the_stored_files_are_the_pdf_and_the_xml_it_embeds():
    doc = documents.standard()
    rendered = render_invoice(doc)

    assert rendered.xml == cii_xml(doc)
    assert fx.get_xml_from_pdf(rendered.pdf, check_xsd=False)[1] == rendered.xml
    assert len(rendered.pdf_sha256) == len(rendered.xml_sha256) == 64


def test_a_paid_invoice_shows_what_was_already_paid():
    doc = dataclasses.replace(
        documents.standard(), prepaid_amount=D("1595.00"), amount_due=D("0.00")
    )
    text = text_of(render_invoice_pdf(doc))

    assert "Déjà réglé -1 595,00 €" in text
    assert "Net à payer 0,00 €" in text


def test_the_factur_x_library_takes_the_printed_pdf_a_3b_and_a_broken_document_is_not_printed():
    doc = documents.deposit()

    pdf = library_facturx_pdf(plain_pdf(doc), cii_xml(doc))
    assert fx.get_xml_from_pdf(pdf, check_xsd=True)[1] == cii_xml(doc)
    broken = dataclasses.replace(doc, total_ttc=D("1000.00"))
    with pytest.raises(FacturXInvalid, match="BR-CO-15"):
        render_invoice_pdf(broken)


def test_documents_print_side_by_side_in_a_thread_pool():
    kinds = ["standard", "franchise_293b", "credit_note", "final"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda kind: render_invoice_pdf(documents.EVERY_KIND[kind]()), kinds))

    for kind, pdf in zip(kinds, pdfs, strict=True):
        doc = documents.EVERY_KIND[kind]()
        assert fx.get_xml_from_pdf(pdf, check_xsd=False)[1] == cii_xml(doc)
        assert f"n° {doc.number}" in text_of(pdf)


def test_clause_articles_read_as_the_terms_number_them():
    doc = documents.standard()
    clauses = (
        dataclasses.replace(doc.clauses[0], article="art. 4.2"),
        dataclasses.replace(doc.clauses[1], article="6"),
    )
    text = flat(text_of(render_invoice_pdf(dataclasses.replace(doc, clauses=clauses))))

    assert "CGV v1.1 : art. 4.2 (Modalités de paiement) · art. 6 (Retard de paiement)" in text
    assert "art. art." not in text


def test_an_invoice_printed_in_english_reads_as_english_typography_wants():
    text = flat(text_of(render_invoice_pdf(documents.standard(), language="en")))

    assert "Nature of the transaction: supply of services" in text
    assert "Total incl. VAT €1,595.00" in text
    assert ": IBAN FR76 3000 6000 0112 3456 7890 189" in text
    assert " : IBAN" not in text
    assert "CGV v1.1: art. 5" in text
