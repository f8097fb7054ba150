"""The client's invoices and credit notes in the portal: "Mes factures" (issue 6; seed 000
art. 4: "la facture est disponible dans l'espace client").

The list shows every issued document of the client (never a draft), newest first, with where
it stands today in Paris (à payer, en retard, payée; an avoir for a credit note), what
remains to pay and the due date with its "Pourquoi ?"; the totals say what is owed and how
much of it is late. The document page shows the invoice as it was issued: everything is read
from its frozen snapshot (``Invoice.document``), never from the live rows, so a later change
of the seller's address or of a price does not change what the client reads. The PDF
(Factur-X) and its XML are the stored files (``invoicing.delivery``), downloaded as
attachments named after the document's number.

Every view starts from ``portal_contact`` (through ``portal_view``) and reads through
``invoicing.selectors``: another client's document, or a draft, is a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.invoicing import delivery, presenters
from clausier.invoicing import domain as invoicing_domain
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.presenters import issued_line
from clausier.invoicing.ui import downloads
from clausier.quotes import selectors as quote_selectors

INVOICES_PER_PAGE = 20

# The list's filters (``?etat=``), kept in the URL. "À payer" is everything still owed, late
# included: a late invoice is still to pay.
FILTERS: dict[str, Any] = {
    "a_payer": gettext_lazy("À payer"),
    "en_retard": gettext_lazy("En retard"),
    "payees": gettext_lazy("Payées"),
    "avoirs": gettext_lazy("Avoirs"),
}


def _kept(document: invoice_selectors.ClientDocument, wanted: str) -> bool:
    state = document.state
    if wanted == "a_payer":
        return document.outstanding > 0
    if wanted == "en_retard":
        return state == invoicing_domain.LATE
    if wanted == "payees":
        return state in (invoicing_domain.PAID, invoicing_domain.CREDITED)
    if wanted == "avoirs":
        return state == invoice_selectors.CREDIT_NOTE_ROW
    return True


@portal_view
def invoices(request: HttpRequest, contact: Contact) -> HttpResponse:
    documents = invoice_selectors.client_documents(client=contact.client, now=timezone.now())
    wanted = request.GET.get("etat", "")
    if wanted not in FILTERS:
        wanted = ""
    shown = [d for d in documents if _kept(d, wanted)]
    page = Paginator(shown, INVOICES_PER_PAGE).get_page(request.GET.get("page"))
    return render_portal(
        request,
        contact,
        "invoicing/portal/list.html",
        {
            "page": page,
            "rows": [
                (d, badge.variant, badge.label)
                for d in page.object_list
                for badge in [presenters.payment_badge(d.state)]
            ],
            "balance": invoice_selectors.client_balance(documents),
            "filters": list(FILTERS.items()),
            "wanted": wanted,
            "has_documents": bool(documents),
        },
    )


@portal_view
def invoice(request: HttpRequest, contact: Contact, invoice_id: int) -> HttpResponse:
    invoice = invoice_selectors.invoice_for_client(client=contact.client, invoice_id=invoice_id)
    doc = presenters.for_reader(invoice.document)
    today = timezone.localdate()
    row = invoice_selectors.client_document(invoice, today=today)
    badge = presenters.payment_badge(row.state)
    language = translation.get_language() or "fr"
    quote = invoice.quote or (invoice.order.quote if invoice.order else None)
    if (
        quote is not None
        and not quote_selectors.quotes_for_client(client=contact.client)
        .filter(pk=quote.pk)
        .exists()
    ):
        quote = None
    credit_notes = [
        (note, note.document) for note in invoice_selectors.credit_notes_of(invoice=invoice)
    ]
    explanations = invoice.explanations or {}
    return render_portal(
        request,
        contact,
        "invoicing/portal/detail.html",
        {
            "invoice": invoice,
            "doc": doc,
            "row": row,
            "badge_variant": badge.variant,
            "badge_words": badge.label,
            "due_explained": explanations.get("due_date"),
            "penalty_explained": explanations.get("late_penalty"),
            "other_prepaid": max(doc.prepaid_amount - presenters.deducted(doc), Decimal("0")),
            "iban": presenters.grouped_iban(doc.iban),
            "payment_reference": doc.payment_reference or doc.number,
            "charges_vat": presenters.charges_vat(doc),
            "lines": [
                issued_line(
                    line,
                    vat=presenters.rate_text(line.vat_rate, language)
                    if line.vat_category in presenters.RATED
                    else "—",
                )
                for line in doc.lines
            ],
            "vat_rows": presenters.vat_rows(doc, language=language),
            "order": invoice.order,
            "quote": quote,
            "credit_notes": credit_notes,
            "translated": not presenters.reads_french(language),
        },
    )


@portal_view
def invoice_pdf(
    request: HttpRequest, contact: Contact, invoice_id: int
) -> FileResponse | HttpResponse:
    """The Factur-X PDF as stored (printed once, on the first download if not yet); a reader
    of another language gets a courtesy translation in it (``?original=1``: the stored
    French PDF)."""
    invoice = invoice_selectors.invoice_for_client(client=contact.client, invoice_id=invoice_id)
    language = downloads.wants_translation(request)
    if language:
        return downloads.translated_download(invoice, language)
    invoice = delivery.ensure_pdf(invoice)
    response = FileResponse(
        invoice.pdf.open("rb"),
        as_attachment=True,
        filename=f"{invoice.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Document-SHA256"] = invoice.pdf_sha256
    return response


@portal_view
def invoice_xml(request: HttpRequest, contact: Contact, invoice_id: int) -> HttpResponse:
    """The Factur-X XML (CII, EN 16931), the very bytes embedded in the PDF."""
    invoice = invoice_selectors.invoice_for_client(client=contact.client, invoice_id=invoice_id)
    response = HttpResponse(delivery.xml_bytes(invoice), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response
