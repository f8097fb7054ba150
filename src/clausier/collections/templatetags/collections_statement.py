"""What collections shows on an invoice's pages, found by name when a template loads
``collections_statement`` (so that invoicing never imports collections).

``{% invoice_late_payment invoice %}``: for an issued invoice late on today (Europe/Paris),
its days late, the interest to date and the recovery indemnity, each with its explanation,
or the message saying which rate is missing. Nothing for a draft, a credit note or an
invoice not late.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from clausier.collections import selectors
from clausier.collections.statement import late_invoice

register = template.Library()


@register.inclusion_tag("collections/statement/_invoice_late.html")
def invoice_late_payment(invoice, *, portal: bool = False) -> dict[str, Any]:
    today = timezone.localdate()
    if (
        not invoice.is_issued
        or invoice.kind not in selectors.LATE_KINDS
        or invoice.due_date >= today
    ):
        return {"visible": False}
    late = late_invoice(invoice=invoice, on=today)
    if late.owed is not None and late.owed.days_late == 0:
        return {"visible": False}
    return {"visible": True, "late": late, "portal": portal, "on": today}
