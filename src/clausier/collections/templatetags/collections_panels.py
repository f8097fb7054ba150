"""What collections shows on the pages of earlier domains, found by name when a template
loads ``collections_panels`` (so that invoicing never imports collections).

``{% invoice_penalties invoice %}``: on an issued invoice's page, "Pénalités de retard": the
days late, the HT base, the annual rate, the interest and the indemnity to date, each with
its "Pourquoi ?", the waivers, the penalty invoice once billed and, for staff, the actions
the state allows (bill, waive). ``portal=True``: the client's read-only view of the same
figures. Nothing for an invoice never late; on a penalty invoice, the invoice it bills.
A legal rate missing from the tables is said, never guessed.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from clausier.collections import penalty_selectors, selectors, services
from clausier.collections import transitions as states
from clausier.collections.ui.penalties import WaiverForm
from clausier.invoicing.models import InvoiceKind
from clausier.kernel.errors import Incomplete

register = template.Library()


def _live(invoice, late) -> dict[str, Any]:
    """The figures to today, from the invoice's payments as recorded."""
    on = timezone.localdate()
    try:
        owed = selectors.penalties(
            invoice=invoice, on=on, due_date=late.due_date if late is not None else None
        )
    except Incomplete as missing:
        return {"on": on, "missing": str(missing)}
    return {
        "on": on,
        "days_late": owed.days_late,
        "base_ht": owed.base_ht,
        "annual_rate": owed.annual_rate,
        "interest": owed.interest.value,
        "interest_explained": owed.interest,
        "indemnity": owed.indemnity.value,
        "indemnity_explained": owed.indemnity,
        "total": owed.total,
        "explained": owed.explanation,
    }


def _frozen(late) -> dict[str, Any]:
    """The figures as they stood when the penalties were billed or waived."""
    return {
        "on": late.accrued_on,
        "days_late": late.days_late,
        "base_ht": late.base_ht,
        "annual_rate": late.annual_rate,
        "interest": late.interest,
        "indemnity": late.indemnity,
        "total": late.interest + late.indemnity,
        "explained": late.explanation,
    }


@register.inclusion_tag("collections/penalties/_invoice_panel.html", takes_context=True)
def invoice_penalties(context: template.Context, invoice, *, portal: bool = False) -> dict:
    shown: dict[str, Any] = {
        "visible": False,
        "portal": portal,
        "invoice": invoice,
        "seller": context.get("seller"),
        "can": context.get("can"),
    }
    if not invoice.is_issued:
        return shown
    if invoice.kind == InvoiceKind.PENALTY:
        return shown | {"visible": True, "billed_from": _billed_from(invoice)}
    if invoice.kind not in selectors.LATE_KINDS:
        return shown
    late = penalty_selectors.late_record(invoice=invoice)
    figures = _live(invoice, late) if late is None or late.status == states.ACCRUING else {}
    past_due = figures.get("missing") and invoice.due_date < figures["on"]
    if late is None and not figures.get("days_late") and not past_due:
        return shown
    figures = figures or _frozen(late)
    waivers = list(late.waivers.all()) if late is not None else []
    net = None
    if "interest" in figures:
        net = services.net_of(
            interest=figures["interest"], indemnity=figures["indemnity"], waivers=waivers
        )
    return shown | {
        "visible": True,
        "late": late,
        "figures": figures,
        "waivers": waivers,
        "net": net,
        "billings": penalty_selectors.billings_of(late),
        "actions": states.allowed_actions(late) if late is not None else _first_actions(figures),
        "waiver_form": context.get("waiver_form") or WaiverForm(),
    }


def _first_actions(figures: dict) -> frozenset[str]:
    """An invoice late but not accrued yet: staff may bill or waive (the service accrues
    first)."""
    if figures.get("days_late"):
        return frozenset({states.BILL, states.WAIVE})
    return frozenset()


def _billed_from(invoice):
    return penalty_selectors.billed_from(penalty_invoice=invoice)
