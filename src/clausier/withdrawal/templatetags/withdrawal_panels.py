"""What withdrawals show on other pages: the refunds owed after a withdrawal and overdue
(C. conso. L221-24), days late in red (``{% load withdrawal_panels %}{% overdue_refunds
seller %}``: the back-office dashboard, the withdrawals list). Found by name at render time,
never imported."""

from __future__ import annotations

from django import template
from django.utils import timezone

from clausier.withdrawal import presenters, selectors

register = template.Library()


@register.inclusion_tag("withdrawal/backoffice/_overdue_refunds.html")
def overdue_refunds(seller, limit: int = 20):
    today = timezone.localdate()
    overdue = [
        (w, presenters.clocks(w, today=today))
        for w in selectors.overdue_refunds(seller=seller, today=today)[:limit]
    ]
    return {"overdue": overdue, "seller": seller}
