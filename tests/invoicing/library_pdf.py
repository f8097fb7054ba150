"""The reference the one-pass Factur-X PDF is compared with: WeasyPrint's plain PDF/A-3b of
the page, then the ``factur-x`` library's own embedding (``generate_from_binary``), which
parses that PDF with pypdf and writes it again."""

from __future__ import annotations

from typing import Any

import facturx as fx
import pydyf

from clausier.invoicing import facturx, pdfa, printing
from clausier.invoicing.document import InvoiceDocument


def _as_the_library_says(document: Any, pdf: pydyf.PDF) -> None:
    # PDF/A wants the Info dictionary and the XMP to agree; the library writes the final file
    # with pypdf and says so in the XMP ("pdf:Producer" = "pypdf").
    pdf.info["Producer"] = pydyf.String("pypdf")
    pdfa.deflate_streams_once(pdf)


def plain_pdf(doc: InvoiceDocument) -> bytes:
    """The printed document as PDF/A-3b, without its XML."""
    return printing._print(
        doc, logo=None, brand_color=None, language="fr", finisher=_as_the_library_says
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
