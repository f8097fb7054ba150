"""A withdrawal as shown: its decision and reasons in the reader's language, its clocks (the
period's end, the refund's deadline, the days a refund is overdue), and every figure with its
explanation; shared by the back-office, the portal, the PDF, the e-mail and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from clausier.kernel.wording import worded, worded_explanation
from clausier.withdrawal import transitions as t
from clausier.withdrawal.models import WithdrawalRequest


def reasons(withdrawal: WithdrawalRequest) -> list[str]:
    """The decision's sentences, worded in the active language."""
    return [worded(sentence) for sentence in withdrawal.reason or []]


def step_lines(explanation: dict[str, Any] | None) -> list[str]:
    """An explanation's steps as lines of text in the active language ("label : value" when
    the label does not already say its date)."""
    lines = []
    for step in (explanation or {}).get("steps") or []:
        label = worded(step.get("words") or step.get("label", ""))
        value = step.get("value")
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            shown = date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
            if shown not in label:
                label = f"{label} : {shown}"
        lines.append(label)
    return lines


@dataclass(frozen=True)
class Clocks:
    """Where a withdrawal's refund stands on ``today``: ``days_left`` before its deadline,
    ``days_late`` once past it (a refund still owed), ``overdue`` then."""

    refund_due_on: date | None
    days_left: int | None
    days_late: int
    overdue: bool


def clocks(withdrawal: WithdrawalRequest, *, today: date | None = None) -> Clocks:
    today = today or timezone.localdate()
    due = withdrawal.refund_due_on
    if getattr(withdrawal, "refund_status", t.NONE) != t.OWED or due is None:
        return Clocks(refund_due_on=due, days_left=None, days_late=0, overdue=False)
    late = (today - due).days
    return Clocks(
        refund_due_on=due,
        days_left=max(-late, 0),
        days_late=max(late, 0),
        overdue=late > 0,
    )


def badge(withdrawal: WithdrawalRequest) -> str:
    """The badge's style of the decision: accepted reads as done, refused as late."""
    return {t.ACCEPTED: "accepted", t.REFUSED: "refused"}.get(withdrawal.status, "draft")


def as_api(withdrawal: WithdrawalRequest, *, today: date | None = None) -> dict[str, Any]:
    """The withdrawal as the API answers it: amounts as decimal strings, every figure with
    its explanation (``Explained`` JSON, its sentences worded in the active language)."""
    c = clocks(withdrawal, today=today)
    money = lambda value: str(Decimal(value).quantize(Decimal("0.01")))  # noqa: E731
    return {
        "id": withdrawal.pk,
        "order_id": withdrawal.order_id,
        "order_reference": withdrawal.order_reference,
        "client_id": withdrawal.client_id,
        "channel": withdrawal.channel,
        "received_on": withdrawal.received_on,
        "status": withdrawal.status,
        "reason_code": withdrawal.reason_code,
        "reasons": reasons(withdrawal),
        "period_end": withdrawal.period_end,
        "period_explanation": worded_explanation(withdrawal.period_explanation),
        "amount_owed": money(withdrawal.amount_owed),
        "amount_explanation": worded_explanation(withdrawal.amount_explanation) or None,
        "received_total": money(withdrawal.received_total),
        "refund_amount": money(withdrawal.refund_amount),
        "refund_status": getattr(withdrawal, "refund_status", t.NONE),
        "refund_due_on": withdrawal.refund_due_on,
        "refund_explanation": worded_explanation(withdrawal.refund_explanation) or None,
        "refund_sent_on": getattr(withdrawal, "refund_sent_on", None),
        "refund_days_late": c.days_late,
        "acknowledged_at": withdrawal.acknowledged_at,
    }
