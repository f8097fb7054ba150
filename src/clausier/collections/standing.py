"""Writes on a client's standing (seed 002 art. 6): due dates brought forward when another
invoice is late (and reverted by staff), the suspension for non-payment and its lifting."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.collections import standing_selectors as sel
from clausier.collections.standing_events import ClientResumed, ClientSuspended
from clausier.collections.standing_models import Acceleration, Suspension
from clausier.customers.models import Client
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.rules.explain import Explained, Step
from clausier.rules.wording import words


def _explanation(*, invoice: Invoice, cause: Invoice, on: date, found: sel.Consequences) -> dict:
    return (
        Explained(
            value=on,
            rule="acceleration",
            inputs={"invoice": invoice.number, "original_due_date": invoice.due_date},
            steps=(
                Step(
                    words("échéance de la facture {number}", number=invoice.number),
                    invoice.due_date,
                ),
                Step(
                    words(
                        "la facture {cause}, échue le {due}, est en retard le {on}",
                        cause=cause.number,
                        due=cause.due_date,
                        on=on,
                    ),
                    on,
                ),
                Step(
                    words(
                        "{clause} : « exigibilité immédiate de toute somme restant due »",
                        clause=found.cited,
                    ),
                    on,
                ),
            ),
        )
        .citing(clause=found.clause_id, terms=found.terms_label)
        .as_dict()
    )


@transaction.atomic
def accelerate(
    *, late_invoice: Invoice, by: Actor, on: date | None = None, now: datetime | None = None
) -> list[Acceleration]:
    """``late_invoice`` is late: when its terms make every sum due at once (``all_sums_due``),
    each other open invoice of the client not yet due is due ``on`` (the first day of lateness
    by default). Idempotent: an invoice already brought forward is left as it is."""
    now = aware_now(now)
    on = on or late_invoice.due_date + timedelta(days=1)
    found = sel.consequences(invoice=late_invoice)
    if found is None or not found.all_sums_due:
        return []
    Client.objects.select_for_update().get(pk=late_invoice.client_id)
    made = []
    for invoice in sel.open_invoices(client=late_invoice.client).exclude(pk=late_invoice.pk):
        effective = sel.effective_due_date(invoice)
        if effective.acceleration is not None or invoice.due_date <= on:
            continue
        # Only the sums owed when the lateness began become due at once; and an acceleration
        # staff reverted is not made again by the next nightly pass.
        if invoice.issue_date > on or invoice.accelerations.filter(caused_by=late_invoice).exists():
            continue
        acceleration = Acceleration.objects.create(
            seller=invoice.seller,
            client=invoice.client,
            invoice=invoice,
            caused_by=late_invoice,
            original_due_date=invoice.due_date,
            new_due_date=on,
            clause_cited=found.cited,
            explanation=_explanation(invoice=invoice, cause=late_invoice, on=on, found=found),
            created_at=now,
        )
        record_on(
            obj=invoice,
            actor=by,
            verb="invoice.accelerated",
            before={"due_date": invoice.due_date.isoformat()},
            after={"due_date": on.isoformat(), "caused_by": late_invoice.number},
        )
        made.append(acceleration)
    return made


def accelerate_late(*, seller, on: date, by: Actor = None) -> list[Acceleration]:
    """The nightly pass: every invoice of ``seller`` late on ``on`` brings its client's other
    invoices forward (idempotent, resumable)."""
    made = []
    for invoice in sel.newly_late(seller=seller, on=on):
        made += accelerate(late_invoice=invoice, by=by)
    return made


@transaction.atomic
def revert_acceleration(
    *, acceleration: Acceleration, reason: str, by: Actor, now: datetime | None = None
) -> Acceleration:
    """Staff waive the acceleration: the invoice is due on its own date again."""
    if not reason.strip():
        raise Conflict(_("Indiquez le motif de l'annulation de l'exigibilité anticipée."))
    acceleration = Acceleration.objects.select_for_update().get(pk=acceleration.pk)
    if acceleration.reverted:
        raise Conflict(_("Cette exigibilité anticipée est déjà annulée."))
    acceleration.reverted = True
    acceleration.reverted_at = aware_now(now)
    acceleration.reverted_by = acting_user(by=by)
    acceleration.revert_reason = reason.strip()
    acceleration.save(update_fields=["reverted", "reverted_at", "reverted_by", "revert_reason"])
    record_on(
        obj=acceleration.invoice,
        actor=by,
        verb="invoice.acceleration_reverted",
        before={"due_date": acceleration.new_due_date.isoformat()},
        after={"due_date": acceleration.original_due_date.isoformat(), "reason": reason},
    )
    return acceleration


def suspension_refusal(*, client: Client, on: date) -> str:
    """Why staff may not suspend ``client`` on ``on`` (``""``: they may)."""
    if sel.open_suspension(client=client) is not None:
        return _("Ce client est déjà suspendu pour impayé.")
    late, found = sel.suspension_basis(client=client, on=on)
    if late is None:
        return _("Aucune facture de ce client n'est en retard : il ne peut pas être suspendu.")
    if found is None:
        return _(
            "Les CGV de ses factures en retard ne prévoient pas la suspension des travaux ni "
            "des nouvelles commandes."
        )
    return ""


@transaction.atomic
def suspend(*, client: Client, by: Actor, now: datetime | None = None) -> Suspension:
    """Staff suspend ``client`` for non-payment (seed 002 art. 6: « suspendre l'exécution de la
    prestation en cours et surseoir à toute nouvelle commande »)."""
    now = aware_now(now)
    client = Client.objects.select_for_update().get(pk=client.pk)
    refusal = suspension_refusal(client=client, on=timezone.localdate(now))
    if refusal:
        raise Conflict(refusal)
    _late, found = sel.suspension_basis(client=client, on=timezone.localdate(now))
    suspension = Suspension.objects.create(
        seller=client.seller,
        client=client,
        clause_cited=found.cited,
        started_at=now,
        started_by=acting_user(by=by),
    )
    record_on(obj=client, actor=by, verb="client.suspension_decided", after={"clause": found.cited})
    publish(
        ClientSuspended(
            client_id=client.pk,
            seller_id=client.seller_id,
            suspension_id=suspension.pk,
            clause_cited=found.cited,
            at=now,
            by=by,
            services=sel.running_services(client=client),
        )
    )
    return suspension


@transaction.atomic
def resume(*, client: Client, reason: str, by: Actor, now: datetime | None = None) -> Suspension:
    """Lift ``client``'s suspension: its running services resume, orders are welcome again."""
    now = aware_now(now)
    client = Client.objects.select_for_update().get(pk=client.pk)
    suspension = sel.open_suspension(client=client)
    if suspension is None:
        raise Conflict(_("Ce client n'est pas suspendu."))
    suspension.ended_at = now
    suspension.ended_by = acting_user(by=by)
    suspension.end_reason = reason
    suspension.save(update_fields=["ended_at", "ended_by", "end_reason"])
    record_on(obj=client, actor=by, verb="client.suspension_lifted", after={"reason": reason})
    publish(
        ClientResumed(
            client_id=client.pk,
            seller_id=client.seller_id,
            suspension_id=suspension.pk,
            reason=reason,
            at=now,
            by=by,
            services=sel.running_services(client=client),
        )
    )
    return suspension


def resume_if_settled(*, client: Client, by: Actor, now: datetime | None = None) -> None:
    """Lift the suspension once the client owes nothing late anymore."""
    now = aware_now(now)
    if sel.open_suspension(client=client) is None:
        return
    if sel.late_invoices(client=client, on=timezone.localdate(now)):
        return
    resume(client=client, reason=_("factures en retard réglées"), by=by, now=now)
