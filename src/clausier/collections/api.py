"""The collections' REST routers: ``invoice_penalties_router`` at ``/invoices``
(``GET /invoices/{id}/penalties?on=YYYY-MM-DD``: what an invoice owes for its lateness on a
day, past or future, from its payments as recorded)."""

from __future__ import annotations

from datetime import date

from ninja import Router

from clausier.collections import selectors
from clausier.collections.schemas import PenaltiesOut
from clausier.invoicing import selectors as invoice_selectors
from clausier.web.api import responses, today_in_paris, token_of

invoice_penalties_router = Router(tags=["collections"])


@invoice_penalties_router.get(
    "/{invoice_id}/penalties",
    response=responses({200: PenaltiesOut}, 404, 409, 422, incomplete=True),
    summary="Late interest and recovery indemnity an invoice owes on a day",
    description=(
        "From the day after the due date (C. com. L441-10 between professionals): interest "
        "at the invoice's rate on the HT amount still due, day by day, each payment reducing "
        "the base from the next day, rounded half up to the cent once; the 40 EUR indemnity "
        "once per late invoice, professionals only. A consumer owes only what a lawful clause "
        "provides, otherwise the legal rate from a formal notice (C. civ. 1231-6). `on` "
        "defaults to today (Europe/Paris)."
    ),
)
def invoice_penalties(request, invoice_id: int, on: date | None = None):
    invoice = invoice_selectors.invoice_for_seller(
        seller=token_of(request).seller, invoice_id=invoice_id
    )
    day = on or today_in_paris()
    owed = selectors.penalties(invoice=invoice, on=day)
    return PenaltiesOut.build(invoice=invoice, owed=owed, due_date=invoice.due_date)
