"""The penalty of a breached service level (seed 000 art. 10.1.4): 50 % (standard) or 75 %
(critical) of the mean monthly consumption of the client's applications, once per ticket,
credited by invoicing (``SlaPenaltyAssessed``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.rules import sla
from clausier.support import domain, selectors
from clausier.support.events import SlaPenaltyAssessed
from clausier.support.models import SlaPenalty, Ticket

PARIS = ZoneInfo("Europe/Paris")
_TARGET_WORDS = {"intervention": "GTI", "repair": "GTR"}
_SEVERITY_WORDS = {"standard": "standard", "critical": "critique"}


def _reason(*, ticket: Ticket, clocks: domain.Clocks, breached: list[str], explained) -> str:
    """The credit note's words: a French document whatever the reader's language."""
    late = ", ".join(
        f"{_TARGET_WORDS[c.target]} dépassée (échéance "
        f"{c.deadline.astimezone(PARIS):%d/%m/%Y %H:%M})"
        for c in clocks.all
        if c.target in breached
    )
    months = explained.inputs["monthly_consumption_ht"]
    listed = ", ".join(f"{month} : {amount} € HT" for month, amount in months.items())
    rate = (explained.inputs["rate"] * 100).normalize()
    mean = (sum(months.values(), Decimal(0)) / len(months)).quantize(Decimal("0.01"))
    capped = ""
    if explained.inputs["cap"] is not None and explained.value == explained.inputs["cap"]:
        capped = f", plafonnée à {explained.inputs['cap']} € HT"
    source = ticket.sla.get("sources", {}).get(ticket.severity, "")
    return (
        f"Pénalité de niveau de service (CGV {source}), ticket {ticket.reference} "
        f"({_SEVERITY_WORDS[ticket.severity]}) : {late}. "
        f"Moyenne de consommation ({listed}) : {mean} € HT × {rate:f} % = "
        f"{explained.value} € HT{capped}."
    )


@transaction.atomic
def assess_penalty(*, ticket: Ticket, by: Actor, now: datetime | None = None) -> SlaPenalty:
    """The penalty ``ticket``'s breached clocks owe (once per ticket): the rate of its
    severity frozen at opening, times the mean of the client's monthly consumption HT over
    the clause's months before the incident (default: the last three invoiced), capped when
    the clause caps it; published for invoicing to credit."""
    now = aware_now(now)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if SlaPenalty.objects.filter(ticket=ticket).exists():
        raise Conflict(_("Ce ticket a déjà sa pénalité."))
    clocks = selectors.clocks_of(ticket, now=now)
    if clocks is None or "penalty_rates" not in ticket.sla:
        raise ValidationError(
            {"ticket": _("Ce ticket ne relève d'aucun niveau de service : pas de pénalité.")}
        )
    breached = [c.target for c in clocks.all if c.breached]
    if not breached:
        raise ValidationError({"ticket": _("Aucune garantie de ce ticket n'est dépassée.")})
    terms = ticket.sla.get("penalty", {}).get(ticket.severity, {})
    count = terms.get("months", domain.DEFAULT_PENALTY_MONTHS)
    cap = None if terms.get("cap") is None else Decimal(terms["cap"])
    months = selectors.monthly_consumption(
        client=ticket.client, before=ticket.opened_at, count=count
    )
    rates = {k: Decimal(v) for k, v in ticket.sla["penalty_rates"].items()}
    explained = sla.penalty(
        severity=ticket.severity, monthly_consumption_ht=months, rates=rates, cap=cap
    )
    source = ticket.sla.get("sources", {}).get(ticket.severity, "")
    explained = explained.citing(clause=source, terms=ticket.sla.get("terms", ""))
    mean = (sum(months.values(), Decimal(0)) / len(months)) if months else Decimal(0)
    penalty = SlaPenalty.objects.create(
        seller=ticket.seller,
        client=ticket.client,
        ticket=ticket,
        severity=ticket.severity,
        targets=breached,
        rate=rates[ticket.severity],
        months={month: str(amount) for month, amount in months.items()},
        mean_ht=mean.quantize(Decimal("0.01")),
        cap_ht=cap,
        amount_ht=explained.value,
        source=source,
        explanation=explained.as_dict(),
        assessed_at=now,
    )
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.penalty_assessed",
        after={"amount_ht": str(penalty.amount_ht), "months": list(months), "source": source},
    )
    if penalty.amount_ht > 0:
        publish(
            SlaPenaltyAssessed(
                penalty_id=penalty.pk,
                ticket_id=ticket.pk,
                ticket_reference=ticket.reference,
                seller_id=ticket.seller_id,
                client_id=ticket.client_id,
                amount_ht=penalty.amount_ht,
                reason=_reason(
                    ticket=ticket, clocks=clocks, breached=breached, explained=explained
                ),
                at=now,
                by=by,
            )
        )
    return penalty
