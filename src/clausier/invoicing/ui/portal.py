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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.invoicing import delivery
from clausier.invoicing import domain as invoicing_domain
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.ui.presenters import issued_line
from clausier.quotes import selectors as quote_selectors
from clausier.web.templatetags.clausier import percent

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


def _badge(state: str) -> tuple[str, str]:
    """The badge of a document's state: its CSS variant and its words."""
    return {
        invoicing_domain.TO_PAY: ("soon", _("À payer")),
        invoicing_domain.LATE: ("late", _("En retard")),
        invoicing_domain.PAID: ("paid", _("Payée")),
        invoicing_domain.CREDITED: ("neutral", _("Annulée par avoir")),
        invoice_selectors.CREDIT_NOTE_ROW: ("info", _("Avoir")),
    }.get(state, ("neutral", state))


# VAT categories whose rate the document shows (UNCL 5305: standard, zero rated); an exempt
# (293 B) or reverse-charged line shows why instead.
_RATED = frozenset({"S", "Z"})


def _vat_rows(doc) -> list[tuple[str, Decimal, Decimal]]:
    """The VAT breakdown as the PDF words it: (label, base HT, VAT)."""
    rows = []
    for group in doc.vat_breakdown:
        if group.category in _RATED:
            label = _("TVA %(rate)s") % {"rate": percent(group.rate / 100)}
        elif group.category == "AE":
            label = _("Autoliquidation (0 %)")
        else:
            label = group.exemption_reason or _("Exonération")
        rows.append((label, group.base_ht, group.vat_amount))
    return rows


def _grouped_iban(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


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
            "rows": [(d, *_badge(d.state)) for d in page.object_list],
            "balance": invoice_selectors.client_balance(documents),
            "filters": list(FILTERS.items()),
            "wanted": wanted,
            "has_documents": bool(documents),
        },
    )


@portal_view
def invoice(request: HttpRequest, contact: Contact, invoice_id: int) -> HttpResponse:
    invoice = invoice_selectors.invoice_for_client(client=contact.client, invoice_id=invoice_id)
    doc = invoice.document
    today = timezone.localdate()
    row = invoice_selectors.client_document(invoice, today=today)
    variant, words = _badge(row.state)
    deducted = sum((d.amount_ttc for d in doc.deductions), Decimal("0"))
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
            "badge_variant": variant,
            "badge_words": words,
            "due_explained": explanations.get("due_date"),
            "penalty_explained": explanations.get("late_penalty"),
            "other_prepaid": max(doc.prepaid_amount - deducted, Decimal("0")),
            "iban": _grouped_iban(doc.iban),
            "payment_reference": doc.payment_reference or doc.number,
            "charges_vat": any(line.vat_category in _RATED for line in doc.lines),
            "lines": [
                issued_line(
                    line, vat=percent(line.vat_rate / 100) if line.vat_category in _RATED else "—"
                )
                for line in doc.lines
            ],
            "vat_rows": _vat_rows(doc),
            "order": invoice.order,
            "quote": quote,
            "credit_notes": credit_notes,
        },
    )


@portal_view
def invoice_pdf(request: HttpRequest, contact: Contact, invoice_id: int) -> FileResponse:
    """The Factur-X PDF as stored (printed once, on the first download if not yet)."""
    invoice = invoice_selectors.invoice_for_client(client=contact.client, invoice_id=invoice_id)
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
