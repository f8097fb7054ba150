"""The e-mail of a dunning step, in the client's language: what is still due, and from the
penalty step on, the interest and indemnity owed on the day with their explanation
(:func:`clausier.collections.selectors.penalties`). Rendered the same for the queue's preview
and for sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.collections import selectors
from clausier.collections.dunning.plan import FRIENDLY
from clausier.customers.selectors import document_language
from clausier.invoicing.models import Invoice
from clausier.kernel.errors import Incomplete
from clausier.kernel.wording import active_locale, worded
from clausier.rules.formats import format_eur


@dataclass(frozen=True)
class Message:
    language: str
    to: str
    reply_to: tuple[str, ...]
    subject: str
    body: str
    amount_due: Decimal
    interest: Decimal | None
    indemnity: Decimal | None
    explanation: dict[str, Any]


def reply_address(seller) -> tuple[str, ...]:
    """Where a client's answer goes: the seller's accounting address, else its sales one."""
    return tuple(e for e in (seller.email_accounting or seller.email_sales,) if e)


def _value(value: Any, locale: str) -> str:
    if isinstance(value, Decimal):
        return format_eur(value, locale) if abs(value.as_tuple().exponent) <= 2 else str(value)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else str(value)


def explanation_lines(explained) -> list[str]:
    """Each step of ``explained`` as a line in the active language."""
    locale = active_locale()
    lines = []
    for step in explained.steps:
        label = worded(step.label)
        value = _value(step.value, locale)
        lines.append(f"{label} : {value}" if value and value not in label else label)
    return lines


def _subject(kind: str, invoice: Invoice) -> str:
    subjects = {
        FRIENDLY: _("Rappel : facture %(number)s à échéance le %(due)s"),
        "penalties": _("Facture %(number)s impayée : pénalités de retard"),
        "second": _("Deuxième relance : facture %(number)s impayée"),
        "formal_notice": _("Mise en demeure : facture %(number)s"),
    }
    return subjects[kind] % {
        "number": invoice.number,
        "due": date_format(invoice.due_date, "SHORT_DATE_FORMAT"),
    }


def render_message(*, invoice: Invoice, kind: str, on: date) -> Message:
    """The e-mail of step ``kind`` for ``invoice`` on ``on``, in the client's language."""
    client = invoice.client
    seller = invoice.seller
    language = document_language(client=client)
    with translation.override(language):
        owed = None
        if kind != FRIENDLY:
            try:
                owing = selectors.penalties_owed(invoice=invoice, on=on)
                # Net of the waivers staff granted; billed penalties are their own invoice.
                owed = None if owing.billed else owing.owed
            except Incomplete:
                owed = None  # the rate of the period is missing: the e-mail states none
        amount_due = selectors.owed_on(invoice=invoice, on=on)
        context = {
            "kind": kind,
            "seller": seller,
            "client": client,
            "invoice": invoice,
            "due": date_format(invoice.due_date, "SHORT_DATE_FORMAT"),
            "amount_due": format_eur(amount_due, active_locale()),
            "owed": owed,
            "days_late": owed.days_late if owed else 0,
            "interest": format_eur(owed.interest.value, active_locale()) if owed else "",
            "indemnity": format_eur(owed.indemnity.value, active_locale()) if owed else "",
            "total": format_eur(amount_due + owed.total, active_locale()) if owed else "",
            "lines": explanation_lines(owed.explanation) if owed else [],
            "law": owed.explanation.law if owed else "",
            "reply_to": ", ".join(reply_address(seller)),
        }
        body = render_to_string(f"collections/dunning/email/{kind}.txt", context)
        subject = _subject(kind, invoice)
    return Message(
        language=language,
        to=client.email,
        reply_to=reply_address(seller),
        subject=subject,
        body=body,
        amount_due=amount_due,
        interest=owed.interest.value if owed else None,
        indemnity=owed.indemnity.value if owed else None,
        explanation=owed.explanation.as_dict() if owed else {},
    )
