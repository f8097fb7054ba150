"""The Factur-X PDF (Typst's PDF/A-3b, the XML attached by the template, the fx: XMP added by
one incremental update) declares what the ``factur-x`` library's pass over a printed PDF
(``generate_from_binary``) declares: the same attachment, the same XMP values."""

import dataclasses
import hashlib
import io
from datetime import datetime

import facturx as fx
import pypdf
from lxml import etree

from clausier.invoicing import facturx
from clausier.invoicing.printing import print_time, render_facturx_pdf
from tests.invoicing import documents
from tests.invoicing.library_pdf import library_facturx_pdf, plain_pdf
from tests.invoicing.test_printing import text_of

# What differs by design: who wrote the file and when.
RDF_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"
_WHO_AND_WHEN = {"Producer", "CreatorTool", "CreateDate", "ModifyDate"}


def xmp_of(reader: pypdf.PdfReader) -> etree._Element:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return etree.fromstring(data.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def leaves(root: etree._Element) -> list[tuple[str, str]]:
    """Every value of the XMP as (qualified name, text), whatever the layout of the RDF."""
    return sorted(
        (node.tag, (node.text or "").strip())
        for node in root.iter()
        if len(node) == 0 and etree.QName(node).localname not in _WHO_AND_WHEN
    )


def spec_of(reader: pypdf.PdfReader):
    [spec] = [ref.get_object() for ref in reader.trailer["/Root"]["/AF"].get_object()]
    return spec


def test_one_pass_declares_what_the_librarys_pass_declares():
    doc = documents.standard()
    xml = facturx.check_document(doc)
    metadata = facturx.pdf_metadata(doc)
    library = pypdf.PdfReader(
        io.BytesIO(library_facturx_pdf(plain_pdf(doc), xml, metadata=metadata))
    )
    ours = pypdf.PdfReader(io.BytesIO(render_facturx_pdf(doc, xml)))

    assert sorted(ours.trailer["/Root"].keys()) == sorted(library.trailer["/Root"].keys())
    assert ours.trailer["/Root"]["/PageMode"] == "/UseAttachments"
    theirs_spec, our_spec = spec_of(library), spec_of(ours)
    for key in ("/Type", "/F", "/UF", "/Desc", "/AFRelationship"):
        assert our_spec[key] == theirs_spec[key]
    assert sorted(our_spec["/EF"].keys()) == sorted(theirs_spec["/EF"].keys())
    ours_file = our_spec["/EF"]["/F"].get_object()
    theirs_file = theirs_spec["/EF"]["/F"].get_object()
    assert ours_file.get_data() == theirs_file.get_data() == xml
    assert ours_file["/Subtype"] == theirs_file["/Subtype"] == "/text/xml"
    assert ours_file["/Params"]["/Size"] == len(xml)
    checksum = ours_file["/Params"]["/CheckSum"].original_bytes
    assert checksum == theirs_file["/Params"]["/CheckSum"].original_bytes
    assert checksum == hashlib.md5(xml).digest()
    assert sorted(ours_file["/Params"].keys()) == sorted(theirs_file["/Params"].keys())
    assert ours.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"][0] == "factur-x.xml"
    # The XMP: PDF/A-3b, title, author, subject, the fx: extension schema and its values
    # (Typst's XMP says more: document id, page count, language).
    assert set(leaves(xmp_of(library))) <= set(leaves(xmp_of(ours)))
    # The pages are the same.
    assert text_of(render_facturx_pdf(doc, xml)) == text_of(plain_pdf(doc))


def test_the_library_reads_the_xml_back_as_factur_x_en_16931():
    doc = documents.credit_note()
    xml = facturx.check_document(doc)

    pdf = render_facturx_pdf(doc, xml)

    filename, embedded = fx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert (filename, embedded) == ("factur-x.xml", xml)
    root = etree.fromstring(embedded)
    assert (fx.get_flavor(root), fx.get_level(root)) == ("factur-x", "en16931")


def test_the_info_dictionary_says_what_the_xmp_says_even_with_markup_characters():
    doc = documents.franchise()
    doc = dataclasses.replace(
        doc, seller=dataclasses.replace(doc.seller, name="Dupont & Fils <SARL>")
    )
    reader = pypdf.PdfReader(io.BytesIO(render_facturx_pdf(doc, facturx.check_document(doc))))
    info, xmp = reader.metadata, xmp_of(reader)

    assert info["/Author"] == "Dupont & Fils <SARL>"
    assert (
        xmp.findtext(".//{http://purl.org/dc/elements/1.1/}creator//" + RDF_LI) == info["/Author"]
    )
    assert xmp.findtext(".//{http://purl.org/dc/elements/1.1/}title//" + RDF_LI) == info["/Title"]
    assert (
        xmp.findtext(".//{http://purl.org/dc/elements/1.1/}description//" + RDF_LI)
        == info["/Subject"]
    )
    assert xmp.findtext(".//{http://ns.adobe.com/pdf/1.3/}Producer") == info.get("/Producer")
    assert xmp.findtext(".//{http://ns.adobe.com/xap/1.0/}CreatorTool") == info["/Creator"]
    created = xmp.findtext(".//{http://ns.adobe.com/xap/1.0/}CreateDate")
    assert info["/CreationDate"] == info["/ModDate"]
    # Dated with the issue time, not the time of printing: a reprint is the same file.
    assert datetime.fromisoformat(created) == reader.metadata.creation_date == print_time(doc)
