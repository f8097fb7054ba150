"""The issued document as a PDF: what the client reads, with its Factur-X XML inside.

``render_invoice_pdf(doc)`` prints the frozen snapshot (never the live rows) and returns a
Factur-X PDF/A-3: the XML is written and validated *first*, so a document that breaks an
EN 16931 rule raises :class:`~clausier.invoicing.facturx.FacturXInvalid` before anything is
printed; then WeasyPrint prints the page as PDF/A-3b with the XML embedded and declared
as the ``factur-x`` library does it (:mod:`clausier.invoicing.pdfa`), in the same pass.

Throughput: WeasyPrint is the cost. Each thread keeps one ``FontConfiguration`` (Fontconfig
initialisation is the slowest step of a cold render), the parsed house stylesheet, one small
stylesheet per brand colour and an image cache; the template is plain tables and one font.
The page is parsed by libxml2 instead of WeasyPrint's pure-Python HTML5 parser, styled
without the UA's list and footnote pseudo-elements (:class:`_InvoicePage`), and the PDF's
streams are deflated once (:func:`~clausier.invoicing.pdfa.deflate_streams_once`). What
remains is WeasyPrint's layout (about half), styles, drawing and PDF writing; measured,
other table structures (floats, flex, separate borders) cost more, not less.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict, Unpack

import cssselect2
import lxml.html
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from clausier.invoicing import facturx, pdfa, presenters
from clausier.invoicing.document import InvoiceDocument
from clausier.rules.money import format_eur

DEFAULT_COLOR = "#1f4e79"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_STYLESHEET = Path(__file__).parent / "templates" / "invoicing" / "invoice_pdf.css"
_PDF_VARIANT = "pdf/a-3b"  # PDF/A-3 allows the embedded XML; "b": visual appearance

# Image signatures -> MIME type, for the logo's data: URI.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"RIFF", "image/webp"),
)


# WeasyPrint's user-agent stylesheet gives every element these pseudo-elements (list
# markers, footnote and note calls): 6 computed styles for each element of the page, made
# and never used, since the invoice has no list item and no footnote. Without them the
# page is the same (tests/invoicing/test_printing.py compares the drawings).
_UNUSED_UA_RULES = re.compile(
    r"^::(?:marker|footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}\n]*\}$",
    re.MULTILINE,
)
_ua_stylesheet: CSS | None = None


def _invoice_ua_stylesheet() -> CSS:
    global _ua_stylesheet
    if _ua_stylesheet is None:
        # A CounterStyle of its own: the UA's @counter-style rules are already in
        # WeasyPrint's, which every document copies.
        _ua_stylesheet = CSS(
            string=_UNUSED_UA_RULES.sub("", weasyprint_html.UA), counter_style=CounterStyle()
        )
    return _ua_stylesheet


def _element_tree(element: Any) -> ElementTree.Element:
    """lxml's element as the ElementTree element WeasyPrint works on (comments dropped)."""
    copy = ElementTree.Element(element.tag, dict(element.attrib))
    copy.text = element.text
    copy.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_element_tree(child))
        elif child.tail:  # a comment: keep the text after it
            last = copy[-1] if len(copy) else None
            if last is None:
                copy.text = (copy.text or "") + child.tail
            else:
                last.tail = (last.tail or "") + child.tail
    return copy


# The only characters libxml2 reads otherwise than HTML5: NUL (U+FFFD instead of nothing) and
# lone surrogates (the text is cut there). A page with one goes to tinyhtml5.
_LIBXML2_READS_OTHERWISE = re.compile("[\x00\ud800-\udfff]")


class _InvoicePage(HTML):
    """``weasyprint.HTML`` for the invoice template, parsed by libxml2 rather than by
    tinyhtml5: the HTML5 parser in pure Python took 8 ms a page, libxml2 0.5 ms. Both make the
    same tree of this template (it writes every ``<tbody>``; the tests compare the trees)."""

    def __init__(self, string: str, url_fetcher: URLFetcher) -> None:
        if _LIBXML2_READS_OTHERWISE.search(string):
            super().__init__(string=string, url_fetcher=url_fetcher)
            return
        root = _element_tree(lxml.html.document_fromstring(string))
        # The whitespace around <head> and <body> is no text of the page (HTML5 drops it).
        root.text = None
        for child in root:
            child.tail = None
        self.base_url = None
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_invoice_ua_stylesheet()]


@dataclass
class _Printer:
    """What one thread reuses from one render to the next."""

    fonts: FontConfiguration = field(default_factory=FontConfiguration)
    # The logo is a data: URI and nothing else is fetched. WeasyPrint's default fetcher
    # builds an SSL context (loading every CA certificate, ~45 ms) for each document.
    fetcher: URLFetcher = field(default_factory=lambda: URLFetcher(allowed_protocols=["data"]))
    house: CSS | None = None
    brands: dict[tuple[str, str, str], CSS] = field(default_factory=dict)
    images: dict[str, Any] = field(default_factory=dict)

    def stylesheets(self, color: str, page_word: str) -> list[CSS]:
        if self.house is None:
            self.house = CSS(
                string=_STYLESHEET.read_text("utf-8"),
                font_config=self.fonts,
                url_fetcher=self.fetcher,
            )
        key = (color, page_word, _text_on(color))
        if key not in self.brands:
            self.brands[key] = CSS(
                string=_brand_css(*key), font_config=self.fonts, url_fetcher=self.fetcher
            )
        return [self.house, self.brands[key]]


_local = threading.local()


def _printer() -> _Printer:
    printer = getattr(_local, "printer", None)
    if printer is None:
        printer = _local.printer = _Printer()
    return printer


def _text_on(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1b1f24" if luminance > 0.35 else "#ffffff"


def _brand_css(color: str, page_word: str, text: str) -> str:
    word = page_word.replace("\\", "").replace('"', "")
    return f"""
@page {{ @bottom-right {{ content: "{word} " counter(page) " / " counter(pages);
  font-size: 7pt; color: #5b636d; vertical-align: top; padding-top: 3mm; }} }}
h1, .seller-name {{ color: {color}; }}
.parties > tbody > tr > td {{ border-top-color: {color}; }}
.box {{ border-left-color: {color}; }}
table.totals tr.due td {{ background: {color}; color: {text}; }}
"""


def _logo_uri(logo: bytes | str | Path | None) -> str:
    if logo is None or logo == b"" or logo == "":
        return ""
    data = Path(logo).read_bytes() if isinstance(logo, str | Path) else bytes(logo)
    head = data[:512].lstrip()
    mime = next((m for sig, m in _SIGNATURES if data.startswith(sig)), "")
    if not mime and (head.startswith(b"<?xml") or head.startswith(b"<svg")):
        mime = "image/svg+xml"
    if not mime:
        raise ValueError("logo: PNG, JPEG, GIF, WebP or SVG expected")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _color(brand_color: str | None) -> str:
    color = brand_color or DEFAULT_COLOR
    if not _COLOR.match(color):
        raise ValueError(f"brand_color: a colour as #RRGGBB expected, not {color!r}")
    return color.lower()


def _article(article: str) -> str:
    """ "5" -> "art. 5"; an article already numbered "art. 5" stays as it is."""
    article = article.strip()
    return article if article.lower().startswith("art") else f"art. {article}"


def _context(doc: InvoiceDocument, *, logo: str, language: str) -> dict[str, Any]:
    titles = {
        "standard": _("Facture"),
        "deposit": _("Facture d'acompte"),
        "final": _("Facture de solde"),
        "credit_note": _("Avoir"),
    }
    natures = {
        "services": _("prestations de services"),
        "goods": _("livraison de biens"),
        "both": _("livraison de biens et prestations de services"),
    }
    seller = doc.seller
    legal = seller.legal_form
    if legal and seller.share_capital is not None:
        legal = _("%(form)s au capital de %(capital)s") % {
            "form": legal,
            "capital": format_eur(seller.share_capital, locale=language),
        }
    lines = []
    for line in doc.lines:
        name, _sep, detail = line.description.strip().partition("\n")
        discount = facturx.line_discount(line)
        lines.append(
            {
                "name": name.strip(),
                "detail": detail.strip(),
                "discount": _("Remise %(rate)s : -%(amount)s")
                % {
                    "rate": presenters.rate_text(line.discount_rate, language),
                    "amount": format_eur(discount[1], locale=language),
                }
                if discount
                else "",
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price_ht,
                "rate": presenters.rate_text(line.vat_rate, language)
                if line.vat_category in presenters.RATED
                else "—",
                "total": line.total_ht,
            }
        )
    mentions = list(doc.vat_mentions)
    if doc.vat_on_debits:
        mentions.append(_("Option pour le paiement de la TVA d'après les débits."))
    delivery = doc.delivery_address
    if delivery is not None and delivery == doc.buyer.address:
        delivery = None
    return {
        "doc": doc,
        "language": language,
        "title": titles[doc.kind],
        "nature": natures.get(doc.nature, doc.nature),
        "logo": logo,
        "parties": [(_("Vendeur"), seller, True), (_("Client"), doc.buyer, False)],
        "seller_legal": legal,
        "delivery": delivery,
        "lines": lines,
        # Under 293 B or reverse charge no line bears French VAT: no VAT column then.
        "charges_vat": presenters.charges_vat(doc),
        "vat_rows": presenters.vat_rows(doc, language=language),
        "vat_mentions": mentions,
        "other_prepaid": max(doc.prepaid_amount - presenters.deducted(doc), Decimal("0")),
        "iban": presenters.grouped_iban(doc.iban),
        "clauses": [(_article(c.article), c.title) for c in doc.clauses],
        "payment_reference": doc.payment_reference or doc.number,
    }


def render_html(
    doc: InvoiceDocument, *, logo: bytes | str | Path | None = None, language: str = "fr"
) -> str:
    """The HTML WeasyPrint prints (the portal may show the same page)."""
    with translation.override(language):
        return render_to_string(
            "invoicing/invoice_pdf.html",
            _context(doc, logo=_logo_uri(logo), language=language),
        ).strip()


def _print(
    doc: InvoiceDocument,
    *,
    logo: bytes | str | Path | None,
    brand_color: str | None,
    language: str,
    finisher: pdfa.Finisher,
) -> bytes:
    color = _color(brand_color)
    printer = _printer()
    html = render_html(doc, logo=logo, language=language)
    with translation.override(language):
        page_word = _("Page")
    return _InvoicePage(html, printer.fetcher).write_pdf(
        font_config=printer.fonts,
        stylesheets=printer.stylesheets(color, page_word),
        pdf_variant=_PDF_VARIANT,
        cache=printer.images,
        finisher=finisher,
    )


def render_facturx_pdf(
    doc: InvoiceDocument,
    xml: bytes,
    *,
    logo: bytes | str | Path | None = None,
    brand_color: str | None = None,
    language: str = "fr",
) -> bytes:
    """The Factur-X PDF/A-3b of ``doc`` with ``xml``, an already validated XML (as
    :func:`~clausier.invoicing.facturx.check_document` returns it), as ``factur-x.xml``.

    What the ``factur-x`` library makes of the printed PDF/A-3b and the XML, without its
    second pass over the PDF: WeasyPrint writes the attachment and the Factur-X XMP itself
    (:mod:`clausier.invoicing.pdfa`)."""
    finisher = pdfa.facturx_finisher(xml, level=facturx.LEVEL, metadata=facturx.pdf_metadata(doc))
    return _print(doc, logo=logo, brand_color=brand_color, language=language, finisher=finisher)


@dataclass(frozen=True)
class RenderedInvoice:
    """The two files an issued document is stored as, with their SHA-256."""

    pdf: bytes
    xml: bytes

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    @property
    def xml_sha256(self) -> str:
        return hashlib.sha256(self.xml).hexdigest()


class PrintOptions(TypedDict, total=False):
    """How a document is printed: the seller's logo and brand colour, the reader's language
    (``"fr"`` by default)."""

    logo: bytes | str | Path | None
    brand_color: str | None
    language: str


def render_invoice(doc: InvoiceDocument, **options: Unpack[PrintOptions]) -> RenderedInvoice:
    """The Factur-X PDF and its XML (the same bytes as the PDF's ``factur-x.xml``), made at
    issue and stored once. Raises :class:`~clausier.invoicing.facturx.FacturXInvalid`,
    before printing anything, when the document breaks an EN 16931 rule."""
    xml = facturx.check_document(doc)
    return RenderedInvoice(pdf=render_facturx_pdf(doc, xml, **options), xml=xml)


def render_invoice_pdf(doc: InvoiceDocument, **options: Unpack[PrintOptions]) -> bytes:
    """The Factur-X PDF of an issued document: PDF/A-3b with ``factur-x.xml`` (EN16931).

    The XML is validated before anything is printed: an invalid document raises
    :class:`~clausier.invoicing.facturx.FacturXInvalid` naming the broken rule.
    """
    return render_invoice(doc, **options).pdf


__all__ = [
    "RenderedInvoice",
    "render_facturx_pdf",
    "render_html",
    "render_invoice",
    "render_invoice_pdf",
]
