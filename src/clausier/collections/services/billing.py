"""Billing a late invoice's penalties on a penalty invoice that invoicing issues
(``PenaltiesBilled`` -> ``invoicing.handlers.invoice_penalties``), one line per item, net
of the waivers, outside the scope of VAT: on demand while it is unpaid (the interest since
the previous billing, the indemnity once, never the same day twice), and a final time when
it is paid in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.collections import transitions as states
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
from clausier.rules.money import ZERO, format_eur, format_percent

INDEMNITY_LAW = "C. com. L441-10 II, D441-5"


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _steps(explanation: dict) -> str:
    """The labels of the steps of ``explanation`` (the frozen ``Explained``): what the line
    shows as its calculation."""
    return " ; ".join(step["label"] for step in explanation.get("steps", []) if step.get("label"))


@dataclass(frozen=True, slots=True)
class Share:
    """What a billing of ``late`` bills: the interest run from ``period_from`` to
    ``period_to`` (the days after the previous billing) and the indemnity (the first billing
    only), each net of the waivers and of what earlier billings took; ``final`` when the
    invoice is paid in full."""

    period_from: date
    period_to: date
    interest: Decimal
    indemnity: Decimal
    billed_interest: Decimal
    billed_indemnity: Decimal
    final: bool


def next_share(*, late: LateInvoice) -> Share:
    """The share of ``late``'s penalties (accrued to ``late.accrued_on``) not billed yet."""
    earlier = list(late.billings.order_by("period_to", "id"))
    billed = {
        "interest": sum((b.interest for b in earlier), ZERO),
        "indemnity": sum((b.indemnity for b in earlier), ZERO),
    }
    net = net_owed(late=late)
    last = earlier[-1].period_to if earlier else late.due_date
    return Share(
        period_from=last + timedelta(days=1),
        # The last day interest ran: the day it was paid in full, else the day accrued to.
        period_to=late.due_date + timedelta(days=late.days_late),
        interest=max(ZERO, net[WaivedItem.INTEREST] - billed["interest"]),
        indemnity=max(ZERO, net[WaivedItem.INDEMNITY] - billed["indemnity"]),
        billed_interest=billed["interest"],
        billed_indemnity=billed["indemnity"],
        final=late.paid_in_full,
    )


def _interest_line(late: LateInvoice, share: Share, waived: Decimal) -> str:
    invoice = late.invoice
    explanation = late.explanation or {}
    cited = " ".join(p for p in (explanation.get("clause"), explanation.get("terms")) if p)
    rate = format_percent(late.annual_rate) if late.annual_rate is not None else "-"
    days = (share.period_to - share.period_from).days + 1
    # The base as the accrual computed it (HT share of the TTC due, or the TTC).
    text = (
        f"Intérêts de retard sur la facture {invoice.number} (échéance le "
        f"{_fr(late.due_date)}) : {days} jour(s) de retard du {_fr(share.period_from)} au "
        f"{_fr(share.period_to)}, base {format_eur(late.base)} {late.base_kind or 'TTC'} "
        f"(réduite par chaque paiement à compter du lendemain), taux annuel {rate} "
        f"({explanation.get('law', '')}{', ' + cited if cited else ''})"
    )
    if share.billed_interest:
        text += (
            f" : {format_eur(late.interest)} courus depuis l'échéance ({late.days_late} "
            f"jour(s)), moins {format_eur(share.billed_interest)} déjà facturés"
        )
    else:
        text += f" : {format_eur(late.interest)}"
    if waived > 0:
        text += f", moins {format_eur(waived)} abandonnés"
    if share.billed_interest or waived > 0:
        text += f", soit {format_eur(share.interest)}"
    return text + f". Calcul : {_steps(explanation)}"


def penalty_lines(*, late: LateInvoice, share: Share | None = None) -> list[dict]:
    """The lines of the next penalty invoice of ``late`` (``share``, by default
    :func:`next_share`): the interest of the period (days, base, rate, calculation) and the
    indemnity (once), each net of its waivers and of earlier billings; an item with nothing
    left is left out."""
    share = share or next_share(late=late)
    invoice = late.invoice
    net = net_owed(late=late)
    lines = []
    if share.interest > 0:
        waived = late.interest - net[WaivedItem.INTEREST]
        text = _interest_line(late, share, waived)
        lines.append({"item": "interest", "description": text, "amount": str(share.interest)})
    if share.indemnity > 0:
        waived = late.indemnity - net[WaivedItem.INDEMNITY]
        text = (
            f"Indemnité forfaitaire pour frais de recouvrement ({INDEMNITY_LAW}) : facture "
            f"{invoice.number} payée avec {late.days_late} jour(s) de retard (du "
            f"{_fr(late.due_date + timedelta(days=1))} au {_fr(share.period_to)}), "
            f"{format_eur(late.indemnity)} une fois par facture"
        )
        if waived > 0:
            text += f", moins {format_eur(waived)} abandonnés"
        lines.append({"item": "indemnity", "description": text, "amount": str(share.indemnity)})
    return lines


def _bill(*, invoice: Invoice, late: LateInvoice, by: Actor, now: datetime) -> PenaltyBilling:
    share = next_share(late=late)
    if late.billings.filter(period_to__gte=share.period_to).exists():
        raise Conflict(
            _("%(invoice)s : les pénalités jusqu'au %(day)s sont déjà facturées.")
            % {"invoice": invoice.number, "day": _fr(share.period_to)}
        )
    lines = penalty_lines(late=late, share=share)
    if not lines:
        raise Conflict(
            _("%(invoice)s : aucune pénalité à facturer (rien n'est dû, ou tout a été abandonné).")
            % {"invoice": invoice.number}
        )
    if share.final:
        states.check(label=str(late), current=late.status, target=states.BILLED)
    billing = PenaltyBilling.objects.create(
        seller_id=late.seller_id,
        late_invoice=late,
        period_from=share.period_from,
        period_to=share.period_to,
        final=share.final,
        interest=share.interest,
        indemnity=share.indemnity,
        lines=lines,
        created_by=acting_user(by=by),
        created_at=now,
    )
    if share.final:
        late.status = states.BILLED
        late.save(update_fields=["status", "updated_at"])
    record_on(
        obj=late,
        actor=by,
        verb="late_invoice.billed",
        before={"status": states.ACCRUING},
        after={
            "status": late.status,
            "period": f"{share.period_from.isoformat()}/{share.period_to.isoformat()}",
            "interest": str(share.interest),
            "indemnity": str(share.indemnity),
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
    """Staff bill the penalties of the late ``invoice`` accrued to ``on`` (net of waivers and
    of earlier billings), on a penalty invoice: the interest since the previous billing, the
    indemnity once. Refused once billed in full (paid), the same day twice, or when nothing
    is owed."""
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
    """The late invoice ``invoice_id`` is paid in full: its penalties accrued to the day it
    was, less what earlier billings took, are billed (the final billing). Never refuses the
    payment: a penalty that cannot be computed yet (a legal rate missing) stays accruing for
    staff, the reason in the logs' trail."""
    now = aware_now(now)
    try:
        with transaction.atomic():
            invoice, late = locked_late(invoice=Invoice.objects.get(pk=invoice_id))
            if invoice.kind not in LATE_KINDS or paid_on is None:
                return None
            late = accrue(invoice=invoice, late=late, on=paid_on, by=by)
            if late is None or late.status != states.ACCRUING or late.days_late == 0:
                return None
            if not late.paid_in_full:
                return None
            if penalty_lines(late=late) and not _billed_through(late):
                return _bill(invoice=invoice, late=late, by=by, now=now)
            _close_billed(late=late, by=by)
            return None
    except DomainError:
        return None


def _billed_through(late: LateInvoice) -> bool:
    """Whether earlier billings already reach the last day interest ran (a payment recorded
    afterwards with an earlier value date, an acceleration reverted after a billing)."""
    return late.billings.filter(period_to__gte=next_share(late=late).period_to).exists()


def _close_billed(*, late: LateInvoice, by: Actor) -> None:
    """The late invoice is paid in full and nothing is left to bill: its penalties are
    billed (no more accrual). When earlier billings invoiced more interest than the invoice
    finally owes (the payment's value date came before a billing), the excess is stated in
    the trail for staff to credit on the penalty invoice."""
    share = next_share(late=late)
    excess = max(ZERO, share.billed_interest - net_owed(late=late)[WaivedItem.INTEREST]) + max(
        ZERO, share.billed_indemnity - net_owed(late=late)[WaivedItem.INDEMNITY]
    )
    if not late.billings.exists():
        return
    states.check(label=str(late), current=late.status, target=states.BILLED)
    late.status = states.BILLED
    late.save(update_fields=["status", "updated_at"])
    record_on(
        obj=late,
        actor=by,
        verb="late_invoice.closed",
        before={"status": states.ACCRUING},
        after={"status": late.status, "overbilled": format_eur(excess)},
    )


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
