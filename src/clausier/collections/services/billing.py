"""Billing a late invoice's penalties: once, on a penalty invoice that invoicing issues
(``PenaltiesBilled`` -> ``invoicing.handlers.invoice_penalties``), one line per item, net
of the waivers, outside the scope of VAT. When the late invoice is paid in full, or on
demand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.collections import selectors
from clausier.collections import transitions as states
from clausier.collections.domain import interest_base
from clausier.collections.domain.penalties import HT_REMAINING
from clausier.collections.events import PenaltiesBilled
from clausier.collections.models import LateInvoice, PenaltyBilling, WaivedItem
from clausier.collections.selectors import LATE_KINDS
from clausier.collections.services.accruals import accrue, locked_late
from clausier.collections.services.waivers import net_owed
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.payments import selectors as payment_selectors
from clausier.rules.money import CENT, format_eur, format_percent

INDEMNITY_LAW = "C. com. L441-10 II, D441-5"


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _steps(explanation: dict) -> str:
    """The labels of the steps of ``explanation`` (the frozen ``Explained``): what the line
    shows as its calculation."""
    return " ; ".join(step["label"] for step in explanation.get("steps", []) if step.get("label"))


def penalty_lines(*, late: LateInvoice) -> list[dict]:
    """The lines of the penalty invoice of ``late``: the interest (days, base, rate, period
    and calculation) and the indemnity, each net of its waivers; an item with nothing left
    is left out."""
    invoice = late.invoice
    net = net_owed(late=late)
    start = late.due_date + timedelta(days=1)
    end = late.due_date + timedelta(days=late.days_late)
    payable = payment_selectors.payable(invoice=invoice)
    # The base the interest ran on: the HT share of what is due (an HT clause), else the TTC.
    on_ht = interest_base(selectors.late_terms(invoice=invoice)) == HT_REMAINING
    share = invoice.total_ht / invoice.total_ttc if invoice.total_ttc and on_ht else Decimal(1)
    base = (payable * share).quantize(CENT, rounding=ROUND_HALF_UP)
    base_kind = "HT" if on_ht else "TTC"
    waived = {
        item: accrued - net[item]
        for item, accrued in (
            (WaivedItem.INTEREST, late.interest),
            (WaivedItem.INDEMNITY, late.indemnity),
        )
    }
    explanation = late.explanation or {}
    cited = " ".join(p for p in (explanation.get("clause"), explanation.get("terms")) if p)
    lines = []
    if net[WaivedItem.INTEREST] > 0:
        rate = format_percent(late.annual_rate) if late.annual_rate is not None else "-"
        text = (
            f"Intérêts de retard sur la facture {invoice.number} (échéance le "
            f"{_fr(late.due_date)}) : {late.days_late} jour(s) de retard du {_fr(start)} au "
            f"{_fr(end)}, base {format_eur(base)} {base_kind} (réduite par chaque paiement à "
            f"compter du lendemain), taux annuel {rate} ({explanation.get('law', '')}"
            f"{', ' + cited if cited else ''}) : {format_eur(late.interest)}"
        )
        if waived[WaivedItem.INTEREST] > 0:
            text += f", moins {format_eur(waived[WaivedItem.INTEREST])} abandonnés"
        text += f". Calcul : {_steps(explanation)}"
        lines.append({"item": "interest", "description": text, "amount": str(net["interest"])})
    if net[WaivedItem.INDEMNITY] > 0:
        text = (
            f"Indemnité forfaitaire pour frais de recouvrement ({INDEMNITY_LAW}) : facture "
            f"{invoice.number} payée avec {late.days_late} jour(s) de retard (du {_fr(start)} "
            f"au {_fr(end)}), {format_eur(late.indemnity)} une fois par facture"
        )
        if waived[WaivedItem.INDEMNITY] > 0:
            text += f", moins {format_eur(waived[WaivedItem.INDEMNITY])} abandonnés"
        lines.append({"item": "indemnity", "description": text, "amount": str(net["indemnity"])})
    return lines


def _bill(*, invoice: Invoice, late: LateInvoice, by: Actor, now: datetime) -> PenaltyBilling:
    lines = penalty_lines(late=late)
    if not lines:
        raise Conflict(
            _("%(invoice)s : aucune pénalité à facturer (rien n'est dû, ou tout a été abandonné).")
            % {"invoice": invoice.number}
        )
    states.check(label=str(late), current=late.status, target=states.BILLED)
    net = net_owed(late=late)
    billing = PenaltyBilling.objects.create(
        seller_id=late.seller_id,
        late_invoice=late,
        interest=net["interest"],
        indemnity=net["indemnity"],
        lines=lines,
        created_by=acting_user(by=by),
        created_at=now,
    )
    late.status = states.BILLED
    late.save(update_fields=["status", "updated_at"])
    record_on(
        obj=late,
        actor=by,
        verb="late_invoice.billed",
        before={"status": states.ACCRUING},
        after={
            "status": states.BILLED,
            "interest": str(net["interest"]),
            "indemnity": str(net["indemnity"]),
        },
    )
    publish(
        PenaltiesBilled(
            billing_id=billing.pk,
            late_invoice_id=late.pk,
            invoice_id=invoice.pk,
            seller_id=invoice.seller_id,
            client_id=invoice.client_id,
            lines=tuple(lines),
            at=now,
            by=by,
        )
    )
    return billing


@transaction.atomic
def bill_penalties(
    *, invoice: Invoice, on: date, by: Actor, now: datetime | None = None
) -> PenaltyBilling:
    """Staff bill the penalties of the late ``invoice`` accrued to ``on`` (net of waivers),
    on a penalty invoice. Refused when already billed (never twice) or nothing is owed."""
    now = aware_now(now)
    invoice, late = locked_late(invoice=invoice)
    late = accrue(invoice=invoice, late=late, on=on, by=by)
    if late is None:
        raise Conflict(_("%(invoice)s n'est pas en retard.") % {"invoice": invoice.number})
    if late.status != states.ACCRUING:
        raise Conflict(
            _("Les pénalités de %(invoice)s sont déjà %(status)s.")
            % {"invoice": invoice.number, "status": late.get_status_display().lower()}
        )
    return _bill(invoice=invoice, late=late, by=by, now=now)


def bill_when_paid(
    *, invoice_id: int, paid_on: date | None, by: Actor, now: datetime | None = None
) -> PenaltyBilling | None:
    """The late invoice ``invoice_id`` is paid in full: its penalties, accrued to the day it
    was, are billed once. Never refuses the payment: a penalty that cannot be computed yet
    (a legal rate missing) stays accruing for staff, the reason in the logs' trail."""
    now = aware_now(now)
    try:
        with transaction.atomic():
            invoice, late = locked_late(invoice=Invoice.objects.get(pk=invoice_id))
            if invoice.kind not in LATE_KINDS or paid_on is None:
                return None
            late = accrue(invoice=invoice, late=late, on=paid_on, by=by)
            if late is None or late.status != states.ACCRUING or late.days_late == 0:
                return None
            if not late.paid_in_full or not penalty_lines(late=late):
                return None
            return _bill(invoice=invoice, late=late, by=by, now=now)
    except DomainError:
        return None


@transaction.atomic
def record_penalty_invoice(*, billing_id: int, invoice_id: int, by: Actor) -> PenaltyBilling:
    """The penalty invoice invoicing made for ``billing_id``. Idempotent."""
    billing = PenaltyBilling.objects.select_for_update().get(pk=billing_id)
    if billing.penalty_invoice_id == invoice_id:
        return billing
    billing.penalty_invoice_id = invoice_id
    billing.save(update_fields=["penalty_invoice"])
    penalty = Invoice.objects.get(pk=invoice_id)
    record_on(
        obj=billing.late_invoice,
        actor=by,
        verb="late_invoice.penalty_invoiced",
        after={"penalty_invoice": penalty.number or str(penalty)},
    )
    return billing
