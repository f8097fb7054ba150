"""The Factur-X part of the PDF/A-3, written by WeasyPrint itself instead of a second pass.

The ``factur-x`` library's ``generate_from_binary`` takes a printed PDF, parses it with pypdf
and writes it out again (~20 ms, as long as a tenth of the printing). WeasyPrint can
edit its PDF objects before they are written (``write_pdf(finisher=...)``):
:func:`facturx_finisher` adds there what the library adds, the same way, so the file reads
back with the library (``get_facturx_xml_from_pdf``, flavor factur-x, level en16931):

- ``factur-x.xml`` as an embedded file (``/Subtype /text#2Fxml``, ``/Params`` with its
  MD5 ``/CheckSum``, ``/Size`` and ``/ModDate``), its file specification with
  ``/AFRelationship /Data``, listed in the catalog's ``/Names /EmbeddedFiles`` and ``/AF``;
  ``/PageMode /UseAttachments`` as the library sets it;
- the XMP metadata the library writes: PDF/A-3 part and conformance "B", title, author and
  subject, producer, creator tool and dates, the Factur-X extension schema description
  (``pdfaExtension``) and its properties ``fx:DocumentType`` INVOICE,
  ``fx:DocumentFileName`` factur-x.xml, ``fx:Version`` 1.0 and ``fx:ConformanceLevel``
  EN 16931; it replaces WeasyPrint's own XMP stream, in place;
- the Info dictionary saying the same as the XMP (PDF/A wants both to agree).

Everything else (fonts, sRGB output intent, document identifier, PDF 1.7) is WeasyPrint's
``pdf/a-3b``.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import pydyf
import weasyprint
from facturx.facturx import FACTURX_FILENAME, FACTURX_LEVEL2xmp

FLAVOR_URN = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
DOCUMENT_TYPE = "INVOICE"
FACTURX_VERSION = "1.0"
DESCRIPTION = "Factur-X XML file"
PRODUCER = f"WeasyPrint {weasyprint.__version__}"
CREATOR = "clausier"

# The properties of the fx: schema, described as PDF/A wants any extension schema to be.
_PROPERTIES = (
    ("DocumentFileName", "The name of the embedded XML document"),
    (
        "DocumentType",
        "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER",
    ),
    ("Version", "The actual version of the standard applying to the embedded XML document"),
    ("ConformanceLevel", "The conformance level of the embedded XML document"),
)

Finisher = Callable[[Any, pydyf.PDF], None]


def xmp(
    *,
    title: str,
    author: str,
    subject: str,
    level: str,
    timestamp: datetime,
    producer: str = PRODUCER,
    creator: str = CREATOR,
) -> bytes:
    """The XMP packet of a Factur-X PDF/A-3b (``level`` as the library names it, "en16931")."""
    when = timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    properties = "".join(
        f"""
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>{name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>{escape(text)}</pdfaProperty:description>
            </rdf:li>"""
        for name, text in _PROPERTIES
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
    <pdfaid:part>3</pdfaid:part>
    <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>
      <rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>
    </dc:title>
    <dc:creator>
      <rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq>
    </dc:creator>
    <dc:description>
      <rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt>
    </dc:description>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
    <pdf:Producer>{escape(producer)}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
    <xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>
    <xmp:CreateDate>{when}</xmp:CreateDate>
    <xmp:ModifyDate>{when}</xmp:ModifyDate>
  </rdf:Description>
  <rdf:Description rdf:about=""
      xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
      xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
      xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
    <pdfaExtension:schemas>
      <rdf:Bag>
        <rdf:li rdf:parseType="Resource">
          <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
          <pdfaSchema:namespaceURI>{FLAVOR_URN}</pdfaSchema:namespaceURI>
          <pdfaSchema:prefix>fx</pdfaSchema:prefix>
          <pdfaSchema:property>
            <rdf:Seq>{properties}
            </rdf:Seq>
          </pdfaSchema:property>
        </rdf:li>
      </rdf:Bag>
    </pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:fx="{FLAVOR_URN}">
    <fx:DocumentType>{DOCUMENT_TYPE}</fx:DocumentType>
    <fx:DocumentFileName>{FACTURX_FILENAME}</fx:DocumentFileName>
    <fx:Version>{FACTURX_VERSION}</fx:Version>
    <fx:ConformanceLevel>{FACTURX_LEVEL2xmp[level]}</fx:ConformanceLevel>
  </rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def deflate_streams_once(pdf: pydyf.PDF, level: int = 9) -> None:
    """Deflate each stream of ``pdf`` now, once.

    pydyf deflates a stream each time it serializes it, and with a document identifier (PDF/A
    has one) it serializes every object twice: once to write it, once more to hash the file
    for the identifier. Deflated here, the fonts, page and profile streams are written as they
    are (same bytes, half the zlib time). Call it last in a finisher."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress:
            raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            obj.stream = [zlib.compress(raw, level)]
            obj.extra["Filter"] = "/FlateDecode"
            obj.compress = False


def _pdf_date(timestamp: datetime) -> pydyf.String:
    return pydyf.String(timestamp.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'"))


def _add(pdf: pydyf.PDF, obj: Any) -> str:
    pdf.add_object(obj)
    return obj.reference


def facturx_finisher(
    xml: bytes,
    *,
    level: str,
    metadata: dict[str, str] | None = None,
    timestamp: datetime | None = None,
) -> Finisher:
    """A ``finisher`` for WeasyPrint's ``write_pdf(pdf_variant="pdf/a-3b")`` that embeds
    ``xml`` as ``factur-x.xml`` and declares it as the library does (see the module)."""
    metadata = metadata or {}
    when = (timestamp or datetime.now(UTC)).replace(microsecond=0)

    def finish(document: Any, pdf: pydyf.PDF) -> None:
        checksum = hashlib.md5(xml, usedforsecurity=False).hexdigest()
        embedded = pydyf.Stream(
            [xml],
            pydyf.Dictionary(
                {
                    "Type": "/EmbeddedFile",
                    "Subtype": "/text#2Fxml",
                    "Params": pydyf.Dictionary(
                        {"CheckSum": f"<{checksum}>", "ModDate": _pdf_date(when), "Size": len(xml)}
                    ),
                }
            ),
            compress=True,
        )
        file_ref = _add(pdf, embedded)
        name = pydyf.String(FACTURX_FILENAME)
        spec_ref = _add(
            pdf,
            pydyf.Dictionary(
                {
                    "Type": "/Filespec",
                    "F": name,
                    "UF": name,
                    "Desc": pydyf.String(DESCRIPTION),
                    "AFRelationship": "/Data",
                    "EF": pydyf.Dictionary({"F": file_ref, "UF": file_ref}),
                }
            ),
        )
        catalog = pdf.catalog
        names = catalog.setdefault("Names", pydyf.Dictionary())
        names["EmbeddedFiles"] = pydyf.Dictionary({"Names": pydyf.Array([name, spec_ref])})
        catalog["AF"] = pydyf.Array([spec_ref])
        catalog["PageMode"] = "/UseAttachments"

        packet = xmp(
            title=metadata.get("title", ""),
            author=metadata.get("author", ""),
            subject=metadata.get("subject", ""),
            level=level,
            timestamp=when,
        )
        # WeasyPrint's pdf/a-3b wrote its own XMP stream: give it the Factur-X packet.
        stream = pdf.objects[int(catalog["Metadata"].split()[0])]  # b"24 0 R"
        stream.stream = [packet]

        info = pdf.info
        info.clear()
        info.update(
            {
                "Producer": pydyf.String(PRODUCER),
                "Creator": pydyf.String(CREATOR),
                "Title": pydyf.String(metadata.get("title", "")),
                "Author": pydyf.String(metadata.get("author", "")),
                "Subject": pydyf.String(metadata.get("subject", "")),
                "CreationDate": _pdf_date(when),
                "ModDate": _pdf_date(when),
            }
        )
        deflate_streams_once(pdf)

    return finish


__all__ = ["deflate_streams_once", "facturx_finisher", "xmp"]
