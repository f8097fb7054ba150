"""Every kind of document the suite builds passes what a PDF/A-3B validator checks
(tests/pdfa_checks.py), and each check is shown to catch the fault it names on a
deliberately broken PDF. The Typst layout the Factur-X XMP update relies on is pinned here:
a Typst upgrade that changes it fails this file."""

import dataclasses
import hashlib
import io
import re

import pikepdf
import pypdf
import pytest
import typst
from lxml import etree
from PIL import Image

from clausier.documents.pdf_update import XMP_BAG_END, XMP_RDF_END, PdfLayoutError
from clausier.documents.typst import compile_pdf
from clausier.invoicing import facturx
from clausier.invoicing.facturx.xmp import add_facturx_xmp
from clausier.invoicing.print_data import print_data
from clausier.invoicing.printing import TEMPLATE, print_time, render_invoice
from tests import pdfa_checks as checks
from tests.invoicing import documents
from tests.invoicing.test_printing import pages_of, text_of


def logo_png() -> bytes:
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo, "PNG")
    return logo.getvalue()


def non_latin():
    """Symbols and Japanese the main font lacks, and a word too long for its cell."""
    doc = documents.standard()
    first, second = doc.lines
    first = dataclasses.replace(
        first,
        description="Hébergement ☠ « pirate » : instance M\n日本語のテキスト — 東京 ; "
        "Konstantinopolitanischerdudelsackpfeifenmachergesellenhauptverzeichnis",
    )
    return dataclasses.replace(doc, lines=(first, second))


# kind -> (document, print options)
KINDS = {kind: (build, {}) for kind, build in documents.EVERY_KIND.items()}
KINDS["three_pages"] = (lambda: documents.long_invoice(60), {})
KINDS["logo"] = (documents.franchise, {"logo": logo_png(), "brand_color": "#0f8b8d"})
KINDS["non_latin"] = (non_latin, {})


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[bytes, bytes]]:
    """Every kind printed once for the module: (PDF, the XML it must carry)."""
    out = {}
    for kind, (build, options) in KINDS.items():
        rendered = render_invoice(build(), **options)
        out[kind] = (rendered.pdf, rendered.xml)
    return out


def typst_pdf(doc) -> tuple[bytes, bytes]:
    """Typst's own PDF of ``doc``, the XML attached, before the Factur-X XMP update."""
    xml = facturx.check_document(doc)
    pdf = compile_pdf(
        TEMPLATE,
        print_data(doc),
        metadata=facturx.pdf_metadata(doc),
        timestamp=print_time(doc),
        attachment=xml,
    )
    return pdf, xml


def edited(pdf: bytes, change) -> bytes:
    """``pdf`` changed by ``change(pikepdf.Pdf)`` and saved again."""
    document = pikepdf.open(io.BytesIO(pdf))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def opened(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


# --- every kind is clean ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_passes_the_pdf_a_3b_checks(printed, kind):
    pdf, xml = printed[kind]

    assert checks.check_pdfa3b(pdf, xml) == []


def test_the_long_invoice_has_three_pages_and_the_logo_is_drawn(printed):
    assert len(pages_of(printed["three_pages"][0])) == 3
    page = pypdf.PdfReader(io.BytesIO(printed["logo"][0])).pages[0]
    assert len(page.images) == 1


def test_symbols_and_japanese_print_with_the_fallback_fonts_and_read_back(printed):
    pdf, _xml = printed["non_latin"]
    text = text_of(pdf)

    assert "☠" in text
    assert "日本語のテキスト" in text
    assert "\ufffd" not in text
    assert "Konstantinopolitanischerdudelsackpfeifenmachergesellenhauptverzeichnis" in re.sub(
        r"-?\n", "", text
    )
    document = opened(pdf)  # its objects live as long as it does
    fonts = {str(font.get("/BaseFont")) for font, _codes in checks.used_codes(document).values()}
    assert any("DejaVuSans" in font for font in fonts)
    assert any("DroidSansFallback" in font for font in fonts)


def test_a_character_no_print_font_has_is_refused_rather_than_drawn_empty():
    doc = documents.standard()
    line = dataclasses.replace(doc.lines[0], description="Hiéroglyphe \U00013000")

    with pytest.raises(typst.TypstError, match="could not be displayed"):
        render_invoice(dataclasses.replace(doc, lines=(line, doc.lines[1])))


def test_a_reprint_is_the_same_file(printed):
    pdf, _xml = printed["standard"]

    assert render_invoice(documents.standard()).pdf == pdf


# --- the Factur-X update ---------------------------------------------------------------------


def test_the_factur_x_xmp_is_one_update_appended_to_typsts_file(printed):
    raw, xml = typst_pdf(documents.standard())
    pdf, _xml = printed["standard"]

    assert pdf.startswith(raw)  # not a byte of Typst's file rewritten
    assert pdf.count(b"%%EOF") == 2
    document = opened(pdf)
    assert document.Root.PageMode == "/UseAttachments"
    embedded = document.Root.AF[0].EF.F
    assert bytes(embedded.Params.CheckSum) == hashlib.md5(xml).digest()
    root = checks.xmp_root(document)
    assert root.findtext(".//fx:ConformanceLevel", namespaces=checks.NS) == "EN 16931"
    assert pypdf.PdfReader(io.BytesIO(pdf)).attachments["factur-x.xml"][0] == xml


def test_without_the_update_the_fx_properties_are_missing():
    raw, xml = typst_pdf(documents.credit_note())

    problems = checks.check_pdfa3b(raw, xml)
    assert any("fx:ConformanceLevel" in p for p in problems)
    assert checks.check_pdfa3b(add_facturx_xmp(raw, xml), xml) == []


# What Typst 0.15 writes in its XMP, in one rdf:Description: the update inserts the fx:
# schema and properties into it.
TYPST_XMP_PROPERTIES = {
    "dc:title",
    "dc:description",
    "dc:creator",
    "dc:language",
    "dc:format",
    "xmp:CreatorTool",
    "xmp:ModifyDate",
    "xmp:CreateDate",
    "xmpMM:History",
    "xmpMM:InstanceID",
    "xmpMM:DocumentID",
    "xmpMM:RenditionClass",
    "xmpTPg:NPages",
    "pdf:PDFVersion",
    "pdfaExtension:schemas",
    "pdfaid:part",
    "pdfaid:conformance",
}


def _xref_problems(raw: bytes) -> list[str]:
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", raw[-64:])
    if found is None:
        return ["no startxref / %%EOF at the end"]
    problems = []
    if not raw.startswith(b"xref", int(found.group(1))):
        problems.append("not a classic xref table (an xref stream, object streams?)")
    if raw.count(b"startxref") != 1:
        problems.append("Typst's file already has several xref sections")
    catalog = re.search(rb"\n(\d+) 0 obj\n(<</Type/Catalog.*?>>)\nendobj", raw, re.S)
    if (
        catalog is None
        or not re.search(rb"/Metadata \d+ 0 R", catalog.group(2))
        or not re.search(rb"/AF\[\d+ 0 R\]", catalog.group(2))
    ):
        problems.append("catalog not written as <</Type/Catalog ... /Metadata N 0 R /AF[N 0 R]>>")
    return problems


def _xmp_problems(packet: bytes) -> list[str]:
    problems = [
        f"XMP anchor {anchor!r} found {packet.count(anchor)} times, 1 expected"
        for anchor in (XMP_BAG_END, XMP_RDF_END)
        if packet.count(anchor) != 1
    ]
    root = etree.fromstring(packet[packet.index(b"?>") + 2 : packet.rindex(b"<?xpacket")])
    descriptions = root.findall("rdf:RDF/rdf:Description", checks.NS)
    if len(descriptions) != 1:
        problems.append(f"{len(descriptions)} rdf:Description, Typst 0.15 writes 1")
    prefix = {uri: name for name, uri in checks.NS.items()}
    properties = {
        f"{prefix.get(etree.QName(p).namespace)}:{etree.QName(p).localname}"
        for p in checks.top_properties(root)
    }
    if properties != TYPST_XMP_PROPERTIES:
        problems.append(
            f"Typst's XMP properties changed: +{sorted(properties - TYPST_XMP_PROPERTIES)} "
            f"-{sorted(TYPST_XMP_PROPERTIES - properties)}"
        )
    if root.find(".//fx:DocumentType", checks.NS) is not None:
        problems.append("Typst writes fx: itself now: the update's fx: part must go")
    return problems


def check_typst_xmp_layout(raw: bytes) -> list[str]:
    """On Typst's own PDF (before the update): what the update finds and edits."""
    problems = _xref_problems(raw)
    document = opened(raw)
    if not str(document.docinfo.get("/Creator", "")).startswith("Typst 0.15"):
        problems.append(f"Creator {document.docinfo.get('/Creator')}: not Typst 0.15")
    metadata = document.Root.Metadata
    if "/Filter" in metadata.stream_dict:
        problems.append("XMP stream filtered")
    problems += _xmp_problems(metadata.read_bytes())
    spec = document.Root.AF[0]
    if set(spec.keys()) != {"/F", "/UF", "/Desc", "/AFRelationship", "/EF", "/Type"}:
        problems.append(f"file spec keys changed: {sorted(spec.keys())}")
    if set(spec.EF.F.stream_dict.Params.keys()) != {"/Size", "/ModDate"}:
        problems.append(f"embedded file /Params changed: {sorted(spec.EF.F.Params.keys())}")
    return problems


def test_typst_writes_the_layout_the_update_relies_on():
    raw, xml = typst_pdf(documents.standard())

    assert check_typst_xmp_layout(raw) == []
    # What a change of Typst's layout looks like, and the update refusing to write then.
    # (Same length, so that every offset of the file holds: the packet's byte-order mark
    # gives its 3 bytes to the whitespace between the two closing tags.)
    moved = raw.replace(XMP_BAG_END, b"</rdf:Bag>   </pdfaExtension:schemas>").replace(
        'begin="\ufeff"'.encode(), b'begin=""'
    )
    assert len(moved) == len(raw)
    assert any("anchor" in p for p in check_typst_xmp_layout(moved))
    with pytest.raises(PdfLayoutError, match="XMP layout"):
        add_facturx_xmp(moved, xml)
    assert any("several xref" in p for p in check_typst_xmp_layout(add_facturx_xmp(raw, xml)))
    resaved = edited(raw, lambda _document: None)  # pikepdf's own layout
    with pytest.raises(PdfLayoutError):
        add_facturx_xmp(resaved, xml)


# --- each check catches what it names --------------------------------------------------------


def test_an_image_with_interpolate_true_is_caught(printed):
    def interpolate(document):
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Subtype") == "/Image":
                obj.Interpolate = True

    assert checks.check_images(opened(printed["logo"][0])) == []
    broken = edited(printed["logo"][0], interpolate)
    assert any("6.2.8-3" in p for p in checks.check_images(opened(broken)))


def test_a_notdef_glyph_a_missing_tounicode_and_wrong_widths_are_caught(printed):
    pdf = printed["standard"][0]

    def notdef(document):
        page = document.pages[0]
        font = next(iter(page.Resources.Font.keys()))
        page.contents_add(
            pikepdf.Stream(document, f"BT {font} 9 Tf 10 10 Td <0000> Tj ET".encode())
        )

    assert any("6.2.11.8-1" in p for p in checks.check_fonts(opened(edited(pdf, notdef))))

    def strip(document):
        for font in document.pages[0].Resources.Font.values():
            del font["/ToUnicode"]
            font.DescendantFonts[0].W = pikepdf.Array([1, [1, 1, 1, 1]])

    problems = checks.check_fonts(opened(edited(pdf, strip)))
    assert any("without ToUnicode" in p for p in problems)
    assert any("6.2.11.5-1" in p for p in problems)


def test_a_font_not_embedded_is_caught(printed):
    def unembed(document):
        for font in document.pages[0].Resources.Font.values():
            del font.DescendantFonts[0].FontDescriptor["/FontFile2"]

    broken = edited(printed["standard"][0], unembed)
    assert any("6.2.11.4.1-1" in p for p in checks.check_fonts(opened(broken)))


def test_info_and_xmp_disagreeing_javascript_and_encryption_are_caught(printed):
    pdf = printed["standard"][0]

    def title_and_script(document):
        document.docinfo["/Title"] = "Autre chose"
        document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")

    problems = checks.check_pdfa3b(edited(pdf, title_and_script))
    assert any("Info /Title" in p for p in problems)
    assert any("JavaScript" in p for p in problems)
    out = io.BytesIO()
    opened(pdf).save(out, encryption=pikepdf.Encryption(owner="o", user=""))
    encrypted = out.getvalue()
    assert any("6.1.3-2" in p for p in checks.check_file_level(opened(encrypted), encrypted))


def _replace_xmp(document, change) -> None:
    packet = change(document.Root.Metadata.read_bytes())
    document.Root.Metadata = document.make_stream(
        packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
    )


def test_an_xmp_that_is_not_pdf_a_3b_or_describes_no_schema_is_caught(printed):
    pdf = printed["standard"][0]
    part_two = edited(
        pdf,
        lambda d: _replace_xmp(d, lambda x: x.replace(b"<pdfaid:part>3<", b"<pdfaid:part>2<")),
    )
    assert any("pdfaid:part" in p for p in checks.check_xmp(opened(part_two)))
    undescribed = edited(
        pdf,
        lambda d: _replace_xmp(
            d,
            lambda x: re.sub(
                rb"<rdf:li[^>]*><pdfaSchema:schema>Factur-X.*?</rdf:Seq>"
                rb"</pdfaSchema:property></rdf:li>",
                b"",
                x,
                flags=re.S,
            ),
        ),
    )
    assert any("6.6.2.3" in p for p in checks.check_xmp(opened(undescribed)))
    # The bytes changed in place (same length, so every offset holds): </rdf:RDF> unclosed.
    last_rdf_end = pdf.rindex(b"</rdf:RDF>")
    broken = pdf[:last_rdf_end] + b"</rdf:RDX>" + pdf[last_rdf_end + len(b"</rdf:RDX>") :]
    assert any("not well-formed" in p for p in checks.check_xmp(opened(broken)))


def test_a_missing_output_intent_is_caught(printed):
    def drop(document):
        del document.Root["/OutputIntents"]

    broken = edited(printed["standard"][0], drop)
    assert any("6.2.3" in p for p in checks.check_output_intent(opened(broken)))


def test_a_file_specification_missing_what_pdf_a_3_wants_is_caught(printed):
    pdf, xml = printed["standard"]

    def strip(document):
        spec = document.Root.AF[0]
        del spec["/UF"]
        spec.AFRelationship = pikepdf.Name.Source
        params = spec.EF.F.stream_dict.Params
        del params["/ModDate"]
        spec.EF.F.stream_dict.Subtype = pikepdf.Name("/xml")

    problems = checks.check_attachments(opened(edited(pdf, strip)), xml)
    assert any("without /UF" in p for p in problems)
    assert any("/ModDate" in p for p in problems)
    assert any("MIME /Subtype" in p for p in problems)
    assert any("/AFRelationship is not /Data" in p for p in problems)

    def no_af(document):
        del document.Root["/AF"]

    assert checks.check_attachments(opened(edited(pdf, no_af))) == ["catalog without /AF [6.8]"]


def test_fx_properties_that_do_not_match_the_xml_are_caught(printed):
    pdf, xml = printed["standard"]
    minimum = xml.replace(
        b"<ram:ID>urn:cen.eu:en16931:2017</ram:ID>", b"<ram:ID>urn:factur-x.eu:1p0:minimum</ram:ID>"
    )

    assert any("ConformanceLevel" in p for p in checks.check_fx(opened(pdf), minimum))
    assert any("not the expected XML" in p for p in checks.check_attachments(opened(pdf), minimum))


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "GIF", "WEBP", "SVG"])
def test_a_logo_in_any_format_a_seller_may_upload_prints_as_pdf_a_3b(image_format):
    if image_format == "SVG":
        logo = (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">'
            b'<rect width="60" height="20" fill="#c81e1e"/></svg>'
        )
    else:
        out = io.BytesIO()
        Image.new("RGB", (40, 120), (200, 30, 30)).save(out, image_format)
        logo = out.getvalue()

    rendered = render_invoice(documents.franchise(), logo=logo)

    assert checks.check_pdfa3b(rendered.pdf, rendered.xml) == []
