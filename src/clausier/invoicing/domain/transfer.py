"""The SEPA payment QR code of an invoice (EPC069-12): what the client's banking app fills in
when it scans the code printed on the invoice or shown in the portal.

**The reference the transfer carries is the invoice's payment reference as remittance text**
(``payment_reference``: the invoice number, followed by the quote's when there is one), not
the ISO 11649 creditor reference (``RF..``) of the number as a structured reference. Why:

- the number is written into a document last, under the series lock, in place of a slot
  (:class:`~clausier.invoicing.domain.ledger.Unnumbered`): every text that holds the number,
  the snapshot (and so this code's text) and the Factur-X XML, must give the number's text
  by a plain substitution. The check digits of an ``RF`` reference depend on the number and
  would have to be computed again under the lock;
- it is the reference the invoice already asks for, in words on the page, in the e-mail, in
  the portal and in the Factur-X XML (BT-83): a client who types it by hand, in the one free
  field most French banking apps offer ("libellé", "motif"), gives the same text the code
  gives; a reference they recognise is typed more reliably than ``RF47 F202 6000 0123``;
- the bank statement matching (payments) finds an invoice number in the remittance text
  whatever the spaces, dashes, case or the prefix a payer adds ("Facture", "Réf"...), as it
  finds an ``RF`` reference: nothing is lost on the matching side.

What the code says is frozen in the document at issue (``InvoiceDocument.transfer_qr``): the
beneficiary (the seller's name), its IBAN and BIC, the amount due and this reference. A web
page shows the same code with what remains to pay on the day (:func:`transfer_request` with
``amount``).

Pure: no Django, no ORM.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

import segno

from clausier.invoicing.document import InvoiceDocument
from clausier.rules.epc_qr import (
    MAX_NAME,
    MAX_TEXT,
    TransferRequest,
    epc_payload,
)
from clausier.rules.errors import RuleError

# The quiet zone around the code: 4 modules, as ISO/IEC 18004 asks for a QR code.
QUIET_ZONE: Final = 4
TRANSFER: Final = "transfer"  # the payment method of the terms (``PaymentMethods``)


def remittance_text(doc: InvoiceDocument) -> str:
    """The reference the client quotes on the transfer (see the module's docstring): the
    document's payment reference, its number alone when that would not fit the code."""
    reference = " ".join((doc.payment_reference or doc.number).split())
    return reference if len(reference) <= MAX_TEXT else doc.number


def transfer_request(
    doc: InvoiceDocument, *, amount: Decimal | None = None
) -> TransferRequest | None:
    """The transfer that pays ``amount`` (the document's amount due by default) of ``doc``;
    None when there is nothing to pay by transfer: a credit note, no IBAN, nothing left to
    pay. The beneficiary's name is cut to the 70 characters the standard allows."""
    due = doc.amount_due if amount is None else amount
    if doc.is_credit_note or not doc.iban or due <= 0:
        return None
    return TransferRequest(
        name=" ".join(doc.seller.name.split())[:MAX_NAME].rstrip(),
        iban=doc.iban,
        bic=doc.bic,
        amount=due,
        text=remittance_text(doc),
    )


def transfer_payload(doc: InvoiceDocument, *, accepts_transfer: bool = True) -> str:
    """The text of the code frozen at issue (``InvoiceDocument.transfer_qr``); "" when the
    terms do not take transfers (``accepts_transfer``), when there is nothing to pay by
    transfer, or when the standard refuses the document's figures (an amount above
    999 999 999,99 €): the page then gives the transfer details in words only."""
    request = transfer_request(doc) if accepts_transfer else None
    if request is None:
        return ""
    try:
        return epc_payload(request)
    except RuleError:
        return ""


def qr_code(payload: str) -> segno.QRCode:
    """The code of a frozen payload, drawn as :func:`clausier.rules.epc_qr.epc_qr` draws it:
    byte mode (UTF-8), error correction level M, as EPC069-12 requires."""
    return segno.make_qr(payload.encode(), error="m", boost_error=False)


def dark_runs(qr: segno.QRCode) -> tuple[int, list[tuple[int, int, int]]]:
    """The code as the page draws it: its width in modules, quiet zone included, and its dark
    modules as horizontal runs ``(column, row, length)``."""
    return len(qr.matrix[0]) + 2 * QUIET_ZONE, list(_runs(qr.matrix))


def _runs(matrix) -> Iterator[tuple[int, int, int]]:
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x] & 1:
                x += 1
                continue
            start = x
            while x < len(row) and row[x] & 1:
                x += 1
            yield start + QUIET_ZONE, y + QUIET_ZONE, x - start


__all__ = [
    "QUIET_ZONE",
    "TRANSFER",
    "dark_runs",
    "qr_code",
    "remittance_text",
    "transfer_payload",
    "transfer_request",
]
