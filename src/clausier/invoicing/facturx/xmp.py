"""The Factur-X declarations of the PDF/A-3: what Typst's PDF lacks to be a Factur-X file.

Typst attaches the XML itself (``pdf.attach`` in the invoice template: ``factur-x.xml``,
``/AFRelationship /Data``, ``/Subtype /text#2Fxml``, listed in ``/AF`` and
``/Names /EmbeddedFiles``). :func:`add_facturx_xmp` adds the rest by one incremental update
(:func:`clausier.documents.pdf_update.extend_xmp`), as the ``factur-x`` library writes it
(Factur-X 1.0.07 specification, section 6.2.2 "XMP metadata"):

- the XMP extension schema ``fx:`` described in ``pdfaExtension:schemas`` (PDF/A wants any
  schema outside the predefined ones described), and its four properties:
  ``fx:DocumentType`` INVOICE, ``fx:DocumentFileName`` factur-x.xml, ``fx:Version`` 1.0 and
  ``fx:ConformanceLevel``, read from the XML's guideline id (BT-24);
- ``/PageMode /UseAttachments`` in the catalog (readers open the attachment pane);
- the embedded file's MD5 ``/CheckSum`` in its ``/Params``.
"""

from __future__ import annotations

import hashlib
import re

from clausier.documents.pdf_update import extend_xmp

NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
FILENAME = "factur-x.xml"
DESCRIPTION = "Factur-X XML file"
VERSION = "1.0"
DOCUMENT_TYPE = "INVOICE"  # credit notes too: the XML's type code (381) says which
# BT-24 (GuidelineSpecifiedDocumentContextParameter/ID) -> fx:ConformanceLevel.
LEVELS = {
    "urn:factur-x.eu:1p0:minimum": "MINIMUM",
    "urn:factur-x.eu:1p0:basicwl": "BASIC WL",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": "BASIC",
    "urn:cen.eu:en16931:2017": "EN 16931",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": "EXTENDED",
}
_GUIDELINE = re.compile(
    rb"<ram:GuidelineSpecifiedDocumentContextParameter>\s*<ram:ID>([^<]+)</ram:ID>"
)
PROPERTIES = (
    ("DocumentFileName", "The name of the embedded XML document"),
    ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
    ("Version", "The actual version of the standard applying to the embedded XML document"),
    ("ConformanceLevel", "The conformance level of the embedded XML document"),
)
SCHEMA = (
    '<rdf:li rdf:parseType="Resource">'
    "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
    f"<pdfaSchema:namespaceURI>{NAMESPACE}</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>fx</pdfaSchema:prefix>"
    "<pdfaSchema:property><rdf:Seq>"
    + "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{text}</pdfaProperty:description>"
        "</rdf:li>"
        for name, text in PROPERTIES
    )
    + "</rdf:Seq></pdfaSchema:property></rdf:li>"
).encode()


def conformance_level(xml: bytes) -> str:
    """fx:ConformanceLevel from the XML's guideline id (BT-24). :class:`ValueError` when it
    is missing or not a Factur-X profile."""
    found = _GUIDELINE.search(xml)
    if found is None or found.group(1).decode() not in LEVELS:
        raise ValueError("Factur-X XML: unknown or missing guideline id (BT-24)")
    return LEVELS[found.group(1).decode()]


def fx_description(level: str) -> bytes:
    """The ``rdf:Description`` of the four fx: properties."""
    return (
        f'<rdf:Description rdf:about="" xmlns:fx="{NAMESPACE}">'
        f"<fx:DocumentType>{DOCUMENT_TYPE}</fx:DocumentType>"
        f"<fx:DocumentFileName>{FILENAME}</fx:DocumentFileName>"
        f"<fx:Version>{VERSION}</fx:Version>"
        f"<fx:ConformanceLevel>{level}</fx:ConformanceLevel>"
        "</rdf:Description>"
    ).encode()


def add_facturx_xmp(pdf: bytes, xml: bytes) -> bytes:
    """Typst's PDF/A-3b with ``xml`` attached, made a Factur-X file (see the module).
    :class:`~clausier.documents.pdf_update.PdfLayoutError` if Typst laid it out otherwise."""
    checksum = hashlib.md5(xml, usedforsecurity=False).hexdigest().encode()
    return extend_xmp(
        pdf,
        schema=SCHEMA,
        description=fx_description(conformance_level(xml)),
        catalog_entries=b"/PageMode/UseAttachments",
        params=b"/CheckSum<%s>" % checksum,
    )


__all__ = ["DESCRIPTION", "FILENAME", "NAMESPACE", "add_facturx_xmp", "conformance_level"]
