"""The reference the Factur-X PDF is compared with: the page printed as a plain PDF/A-3b,
without its XML, then the ``factur-x`` library's own embedding (``generate_from_binary``),
which parses that PDF with pypdf and writes it again."""

from __future__ import annotations

import facturx as fx

from clausier.documents.typst import compile_pdf
from clausier.invoicing import facturx, printing
from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.print_data import print_data


def plain_pdf(doc: InvoiceDocument) -> bytes:
    """The printed document as PDF/A-3b, without its XML."""
    return compile_pdf(
        printing.TEMPLATE,
        print_data(doc),
        metadata=facturx.pdf_metadata(doc),
        timestamp=printing.print_time(doc),
    )


def library_facturx_pdf(pdf: bytes, xml: bytes, *, metadata: dict[str, str] | None = None) -> bytes:
    """``pdf`` with ``xml`` embedded by the library, as ``factur-x.xml`` (EN16931)."""
    return fx.generate_from_binary(
        pdf,
        xml,
        flavor=facturx.FLAVOR,
        level=facturx.LEVEL,
        check_xsd=False,
        pdf_metadata=metadata,
        lang="fr-FR",
        afrelationship="data",
    )
