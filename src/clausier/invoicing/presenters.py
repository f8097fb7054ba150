"""The invoice as shown, built once for every audience: the PDF, the portal, the
back-office, the e-mail and the API.

Everything here reads the frozen document (:class:`~clausier.invoicing.document.InvoiceDocument`)
or a state already decided (:mod:`clausier.invoicing.transitions`,
:func:`clausier.invoicing.domain.payment_status`); nothing is computed again. Words follow the
active language, numbers are formatted for ``language`` where a string is built here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.invoicing import domain, facturx
from clausier.invoicing.document import InvoiceDocument, Line
from clausier.invoicing.selectors import CREDIT_NOTE_ROW
from clausier.kernel.wording import active_locale, worded
from clausier.rules.epc_qr import TransferRequest, epc_qr
from clausier.rules.errors import RuleError
from clausier.rules.money import format_percent
from clausier.web.presenters import DocumentLine

# VAT categories whose rate the document shows (UNCL 5305: standard, zero rated); an exempt
# (293 B) or reverse-charged line shows why instead.
RATED = frozenset({facturx.STANDARD, facturx.ZERO_RATED})


@dataclass(frozen=True)
class Badge:
    """A state as a word in a coloured badge (never colour alone): the CSS variant and the
    words."""

    variant: str
    label: str


# Late in one calm red, due soon in amber (the UI brief); one map for every screen.
_BADGES = {
    domain.TO_PAY: ("soon", gettext_lazy("À payer")),
    domain.LATE: ("late", gettext_lazy("En retard")),
    domain.PAID: ("paid", gettext_lazy("Payée")),
    domain.CREDITED: ("neutral", gettext_lazy("Annulée par avoir")),
    CREDIT_NOTE_ROW: ("info", gettext_lazy("Avoir")),
}


def payment_badge(state: str) -> Badge:
    """The badge of a payment state (``to_pay``, ``late``, ``paid``, ``credited``) or of a
    credit-note row; an unknown state shows as itself, neutral."""
    variant, label = _BADGES.get(state, ("neutral", state))
    return Badge(variant=variant, label=str(label))


@dataclass(frozen=True)
class VatRow:
    """One line of the VAT breakdown as the document words it."""

    label: str
    base: Decimal
    amount: Decimal


def rate_text(rate: Decimal, language: str) -> str:
    """A rate stored in percent, written for ``language``: 20 -> "20 %"."""
    return format_percent(Decimal(rate) / 100, locale=language)


def reads_french(language: str | None = None) -> bool:
    """Whether ``language`` (the active one by default) is French, the invoice's language."""
    return active_locale(language) == "fr"


def for_reader(doc: InvoiceDocument) -> InvoiceDocument:
    """``doc`` as the reader reads it: as issued in French; in another language, its sentences
    worded again in it (a document issued before they were kept as words stays French)."""
    return doc if reads_french() else doc.worded(worded)


def vat_rows(doc: InvoiceDocument, *, language: str) -> list[VatRow]:
    """The VAT breakdown: "TVA 20 %" for a rated group, the reason otherwise (reverse
    charge, or the exemption's words such as "TVA non applicable, art. 293 B du CGI")."""
    rows = []
    for group in doc.vat_breakdown:
        if group.category in RATED:
            label = _("TVA %(rate)s") % {"rate": rate_text(group.rate, language)}
        elif group.category == facturx.REVERSE_CHARGE:
            label = _("Autoliquidation (0 %)")
        else:
            label = group.exemption_reason or _("Exonération")
        rows.append(VatRow(label=label, base=group.base_ht, amount=group.vat_amount))
    return rows


def charges_vat(doc: InvoiceDocument) -> bool:
    """Whether any line bears French VAT (under 293 B or reverse charge none does: no VAT
    column then)."""
    return any(line.vat_category in RATED for line in doc.lines)


def grouped_iban(iban: str) -> str:
    """The IBAN in groups of four, as banks print it."""
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def transfer_reference(doc: InvoiceDocument) -> str:
    """The reference the client quotes on a transfer, as the page, the PDF and the e-mail
    give it: the very text of the SEPA payment QR code for a document that carries one
    (:func:`clausier.invoicing.domain.remittance_text`), the payment reference as issued
    otherwise."""
    if doc.transfer_qr:
        return domain.remittance_text(doc)
    return doc.payment_reference or doc.number


@dataclass(frozen=True)
class TransferBox:
    """How to pay a document by transfer, as a page shows it: the beneficiary, its IBAN in
    groups of four, its BIC, the amount still due, the reference to quote and the SEPA
    payment QR code that carries them all (inline SVG; None on a document issued before the
    code was printed, which shows the words only)."""

    name: str
    iban: str
    bic: str
    amount: Decimal
    reference: str
    svg: SafeString | None


def _qr_svg(request: TransferRequest) -> SafeString | None:
    """The SEPA payment QR code of ``request`` as inline SVG (drawn here: no script, no style
    attribute, nothing fetched); None if the standard refuses it."""
    return _drawn_qr_svg(request, str(_("Code QR de paiement SEPA")))


@lru_cache(maxsize=512)
def _drawn_qr_svg(request: TransferRequest, title: str) -> SafeString | None:
    """Encoding a QR code costs tens of milliseconds of Python: each code (an invoice, its
    amount still due, the page's language) is drawn once per process."""
    try:
        qr = epc_qr(request)
    except RuleError:
        return None
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=4,
        border=domain.QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr-code",
        lineclass=None,
        omitsize=True,  # a viewBox: the page's CSS sizes it
    )
    return mark_safe(buffer.getvalue().decode())  # segno's own SVG, nothing from a user


def transfer_box(doc: InvoiceDocument, *, outstanding: Decimal) -> TransferBox | None:
    """What a page shows to pay ``doc`` by transfer, for the ``outstanding`` amount (what
    remains to pay on the day); None for a credit note, a document without IBAN, and one with
    nothing left to pay. The code is the printed one (``doc.transfer_qr``) with the amount
    still due: the same bytes while nothing has been paid."""
    if doc.is_credit_note or not doc.iban or outstanding <= 0:
        return None
    request = domain.transfer_request(doc, amount=outstanding) if doc.transfer_qr else None
    svg = _qr_svg(request) if request is not None else None
    return TransferBox(
        name=doc.seller.name,
        iban=grouped_iban(doc.iban),
        bic=doc.bic,
        amount=outstanding,
        reference=transfer_reference(doc),
        svg=svg,
    )


def deducted(doc: InvoiceDocument) -> Decimal:
    """What the deposit invoices listed on a final invoice already asked (TTC)."""
    return sum((d.amount_ttc for d in doc.deductions), Decimal("0"))


def issued_line(line: Line, **vat_shown: str) -> DocumentLine:
    """A line of an issued document as the lines partial shows it; each screen says how its VAT
    is shown (``vat``, ``vat_category``). The document prints rates in percent."""
    return DocumentLine(
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price_ht,
        amount=line.total_ht,
        discount_rate=line.discount_rate or None,
        **vat_shown,
    )
