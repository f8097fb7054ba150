"""Every write of dunning: the seller's plan created when absent, the due steps queued (once
per invoice and step), a reminder sent or skipped, a formal notice drawn up and printed, its
registered letter recorded. Each one atomic, row-locked and audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.collections import selectors as penalty_selectors
from clausier.collections.dunning import delivery, emails, plan, printing
from clausier.collections.dunning import selectors as dunning_selectors
from clausier.collections.dunning import transitions as t
from clausier.collections.dunning_models import (
    DunningNotice,
    DunningPlan,
    DunningStep,
    FormalNotice,
    NoticeStatus,
    StepKind,
)
from clausier.customers.models import Client
from clausier.customers.selectors import document_language
from clausier.documents.stored import sha256_of, write_once
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import PARIS, aware_now
from clausier.kernel.errors import Conflict
from clausier.numbering.services import next_number
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.deadlines import deadline, period
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller

SERIES = "formal-notices"
PREFIX = "MED"


def today_in_paris(now: datetime | None = None) -> date:
    return timezone.localtime(aware_now(now), PARIS).date()


@transaction.atomic
def ensure_plan(*, seller: Seller, by: Actor = None) -> DunningPlan:
    """``seller``'s dunning plan, the default one (:data:`plan.DEFAULT_PLAN`) created when it
    has none."""
    Seller.objects.select_for_update().filter(pk=seller.pk).first()
    found = DunningPlan.objects.filter(seller=seller).first()
    if found is not None:
        return found
    created = DunningPlan.objects.create(seller=seller)
    DunningStep.objects.bulk_create(
        DunningStep(plan=created, offset_days=step.offset_days, kind=step.kind)
        for step in plan.DEFAULT_PLAN
    )
    record_on(
        obj=created,
        actor=by,
        verb="dunning_plan.created",
        after={"steps": [f"{s.kind} J{s.offset_days:+d}" for s in plan.DEFAULT_PLAN]},
    )
    return created


def _plan_errors(steps: dict[str, tuple[int, bool]]) -> dict[str, str]:
    """What is wrong with ``steps`` (kind -> (offset days, enabled)): each offset its own day,
    the steps in their order (a friendly reminder, the penalties, the second reminder, the
    formal notice), every step but the friendly reminder after the due date."""
    errors: dict[str, str] = {}
    previous: tuple[str, int] | None = None
    for kind in plan.KINDS:
        offset, _enabled = steps[kind]
        if kind != plan.FRIENDLY and offset < 1:
            errors[kind] = _("cette étape vient après l'échéance : au moins J+1")
        elif previous is not None and offset <= previous[1]:
            errors[kind] = _("cette étape vient après « %(previous)s » (J%(offset)+d)") % {
                "previous": StepKind(previous[0]).label,
                "offset": previous[1],
            }
        previous = (kind, offset)
    return errors


@transaction.atomic
def update_plan(
    *,
    seller: Seller,
    steps: dict[str, tuple[int, bool]],
    auto_send_reminders: bool,
    by: Actor,
) -> DunningPlan:
    """``seller``'s plan set to ``steps`` (each kind: its offset in days from the due date and
    whether it is on) and to send reminders by itself or not. Every refusal names its step
    and writes nothing; notices already queued keep the step they were queued for."""
    errors = _plan_errors(steps)
    if errors:
        raise ValidationError(errors)
    found = DunningPlan.objects.select_for_update().get(pk=ensure_plan(seller=seller, by=by).pk)
    rows = {row.kind: row for row in found.steps.all()}
    before = _plan_summary(found, rows.values())
    # Offsets are unique in a plan: park them out of the way before setting the new ones.
    for index, row in enumerate(rows.values()):
        row.offset_days = 100000 + index
        row.save(update_fields=["offset_days"])
    for kind, (offset, enabled) in steps.items():
        row = rows.get(kind) or DunningStep(plan=found, kind=kind)
        row.offset_days, row.enabled = offset, enabled
        row.save()
        rows[kind] = row
    found.auto_send_reminders = auto_send_reminders
    found.save(update_fields=["auto_send_reminders", "updated_at"])
    after = _plan_summary(found, rows.values())
    if after != before:
        record_on(obj=found, actor=by, verb="dunning_plan.changed", before=before, after=after)
    return found


def _plan_summary(found: DunningPlan, rows) -> dict:
    ordered = sorted(rows, key=lambda row: plan.KINDS.index(row.kind))
    return {
        "steps": [
            f"{row.kind} J{row.offset_days:+d}{'' if row.enabled else ' (off)'}" for row in ordered
        ],
        "auto_send_reminders": found.auto_send_reminders,
    }


@transaction.atomic
def queue_due(*, seller: Seller, on: date, by: Actor = None) -> list[DunningNotice]:
    """Queue, for each of ``seller``'s invoices still owed, the step of the plan due on ``on``
    (:func:`plan.due_step`). Idempotent: the plan row is locked while it runs, and a step
    already queued for an invoice is never queued again (unique per invoice and step)."""
    locked = DunningPlan.objects.select_for_update().get(pk=ensure_plan(seller=seller, by=by).pk)
    steps = {s.offset_days: s for s in locked.steps.all() if s.enabled}
    if not steps:
        return []
    plan_steps = [plan.PlanStep(s.offset_days, s.kind) for s in steps.values()]
    invoices = list(
        dunning_selectors.open_invoices(seller=seller, on=on, earliest_offset=min(steps))
    )
    done = dunning_selectors.done_offsets(invoices=invoices)
    queued = []
    for invoice in invoices:
        found = plan.due_step(
            steps=plan_steps,
            due_date=invoice.due_date,
            on=on,
            outstanding=invoice.outstanding,
            done=done.get(invoice.pk, set()),
        )
        if found.value is None:
            continue
        step = steps[found.value.offset_days]
        notice = DunningNotice.objects.create(
            seller=seller,
            invoice=invoice,
            step=step,
            kind=step.kind,
            due_on=found.value.day(invoice.due_date),
            explanation={"step": found.as_dict()},
        )
        record_on(
            obj=notice,
            actor=by,
            verb="dunning_notice.queued",
            after={
                "invoice": invoice.number,
                "kind": step.kind,
                "due_on": notice.due_on.isoformat(),
            },
        )
        queued.append(notice)
    return queued


def _locked_notice(notice: DunningNotice) -> DunningNotice:
    return (
        DunningNotice.objects.select_for_update(of=("self",))
        .select_related("invoice", "invoice__client", "invoice__seller", "seller")
        .get(pk=notice.pk)
    )


@transaction.atomic
def send_notice(*, notice: DunningNotice, by: Actor, now: datetime | None = None) -> DunningNotice:
    """Send the e-mail of the queued reminder ``notice`` to the client, in the client's
    language, Reply-To the seller; the amounts and their explanation frozen in it. Recorded
    sent now; the e-mail leaves after the commit (:func:`delivery.deliver_after_commit`). A notice
    already sent or skipped is refused (:class:`InvalidTransition`): never twice."""
    now = aware_now(now)
    notice = _locked_notice(notice)
    t.check(label=str(notice), current=notice.status, target=t.SENT)
    if notice.kind == StepKind.FORMAL_NOTICE:
        raise Conflict(_("Une mise en demeure part par lettre recommandée, pas par e-mail."))
    message = emails.render_message(
        invoice=notice.invoice, kind=notice.kind, on=today_in_paris(now)
    )
    if not message.to:
        raise ValidationError({"email_to": _("le client n'a pas d'e-mail de facturation")})
    # Recorded under the notice's lock: a second click waits, then finds it sent. The e-mail
    # leaves once this commits (:mod:`delivery`): a rollback sends nothing.
    notice.status = NoticeStatus.SENT
    notice.sent_at = now
    notice.email_to = message.to
    notice.language = message.language
    notice.subject = message.subject
    notice.body = message.body
    notice.amount_due = message.amount_due
    notice.interest = message.interest
    notice.indemnity = message.indemnity
    notice.explanation = {**notice.explanation, "penalties": message.explanation}
    notice.save()
    record_on(
        obj=notice,
        actor=by,
        verb="dunning_notice.sent",
        before={"status": t.QUEUED},
        after={
            "status": t.SENT,
            "email_to": message.to,
            "amount_due": str(message.amount_due),
            "interest": str(message.interest) if message.interest is not None else None,
            "indemnity": str(message.indemnity) if message.indemnity is not None else None,
        },
    )
    delivery.deliver_after_commit(notice=notice)
    return notice


@transaction.atomic
def skip_notice(*, notice: DunningNotice, by: Actor) -> DunningNotice:
    """Skip the queued ``notice``: it is never sent, and its step never queued again."""
    notice = _locked_notice(notice)
    t.check(label=str(notice), current=notice.status, target=t.SKIPPED)
    notice.status = NoticeStatus.SKIPPED
    notice.save(update_fields=["status", "updated_at"])
    record_on(
        obj=notice,
        actor=by,
        verb="dunning_notice.skipped",
        before={"status": t.QUEUED},
        after={"status": t.SKIPPED},
    )
    return notice


def _deadline(start: date) -> dict:
    n, unit = plan.FORMAL_NOTICE_PERIOD.value
    explained = deadline(start=start, n=n, unit=unit, calendar=FrenchCalendar())
    return {
        **explained.as_dict(),
        "start": start.isoformat(),
        "period": period(n, unit).as_dict(),
        "source": plan.FORMAL_NOTICE_PERIOD.source,
    }


def _articles(invoices: Sequence[Invoice]) -> list[dict[str, str]]:
    """The clauses and articles a formal notice invokes: each invoice's late clause as cited,
    L441-10 between professionals, C. civ. 1231-6 and 1344 always."""
    articles: list[dict[str, str]] = []
    professional = False
    for invoice in invoices:
        terms = penalty_selectors.late_terms(invoice=invoice)
        professional |= terms.professional
        cited = {"source": terms.clause_cited, "label": _("pénalités de retard des CGV")}
        if terms.clause_cited and cited not in articles:
            articles.append(cited)
    facts = [plan.LATE_PAYMENT] if professional else []
    facts += [plan.DAMAGES_INTEREST, plan.FORMAL_NOTICE_LAW]
    labels = {
        plan.LATE_PAYMENT.source: _("pénalités de retard et indemnité de recouvrement"),
        plan.DAMAGES_INTEREST.source: _("intérêts au taux légal dus du jour de la sommation"),
        plan.FORMAL_NOTICE_LAW.source: _(
            "mise en demeure par lettre recommandée ou acte portant interpellation suffisante"
        ),
    }
    articles += [{"source": fact.source, "label": labels[fact.source]} for fact in facts]
    return articles


def _invoice_rows(invoices: Sequence[Invoice], on: date) -> list[dict]:
    rows = []
    for invoice in invoices:
        owing = penalty_selectors.penalties_owed(invoice=invoice, on=on, formal_notice_on=on)
        owed = owing.owed  # net of waivers
        principal = penalty_selectors.owed_on(invoice=invoice, on=on)
        if principal <= 0:
            continue
        # Penalties already billed are claimed by their own invoice, never twice.
        rows.append(
            {
                "id": invoice.pk,
                "number": invoice.number,
                "due": invoice.due_date.isoformat(),
                "principal": principal,
                "interest": ZERO if owing.billed else owed.interest.value,
                "indemnity": ZERO if owing.billed else owed.indemnity.value,
                "explanation": owed.explanation.as_dict(),
            }
        )
    return rows


@transaction.atomic
def draw_up_formal_notice(
    *,
    seller: Seller,
    client: Client,
    invoices: Sequence[Invoice],
    by: Actor,
    now: datetime | None = None,
) -> FormalNotice:
    """A formal notice to ``client`` for what ``invoices`` still owe today: numbered
    (``MED<year>-<n>``), the interest to date and the indemnity of each invoice, the deadline
    to pay counted from the letter's assumed receipt, the articles invoked; printed and
    stored. The queued formal notice steps of those invoices are marked sent."""
    now = aware_now(now)
    on = today_in_paris(now)
    invoices = [i for i in invoices if i.seller_id == seller.pk and i.client_id == client.pk]
    rows = _invoice_rows(invoices, on)
    if not rows:
        raise ValidationError({"invoices": _("aucune facture de ce client ne reste due")})
    covered = [i for i in invoices if i.pk in {row["id"] for row in rows}]
    total = {k: sum((row[k] for row in rows), ZERO) for k in ("principal", "interest", "indemnity")}
    start = on + timedelta(days=plan.POSTAL_DELAY.value)
    due = _deadline(start)
    notice = FormalNotice.objects.create(
        seller=seller,
        client=client,
        number=next_number(seller=seller, series=SERIES, year=on.year, prefix=PREFIX).label,
        issued_on=on,
        principal=total["principal"],
        interest=total["interest"],
        indemnity=total["indemnity"],
        total=total["principal"] + total["interest"] + total["indemnity"],
        pay_within_days=plan.FORMAL_NOTICE_PERIOD.value[0],
        pay_by=date.fromisoformat(due["value"]),
        explanation={"deadline": due, "invoices": _plain_rows(rows)},
        articles=_articles(covered),
        created_by=acting_user(by=by),
    )
    notice.invoices.set(covered)
    _mark_steps_sent(covered, now=now)
    content = printing.render_formal_notice_pdf(
        notice=notice, language=document_language(client=client)
    )
    notice.sha256 = sha256_of(content)
    notice.pdf.name = write_once(
        notice.pdf,
        f"collections/formal_notices/{seller.slug}-{notice.number}-{notice.sha256[:12]}.pdf",
        content,
        notice.sha256,
    )
    notice.save(update_fields=["pdf", "sha256", "updated_at"])
    record_on(
        obj=notice,
        actor=by,
        verb="formal_notice.created",
        after={
            "number": notice.number,
            "client": client.name,
            "invoices": [i.number for i in covered],
            "total": str(notice.total),
            "pay_by": notice.pay_by.isoformat(),
            "sha256": notice.sha256,
        },
    )
    return notice


def _plain_rows(rows: list[dict]) -> list[dict]:
    return [{k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows]


def _mark_steps_sent(invoices: Sequence[Invoice], *, now: datetime) -> None:
    for notice in DunningNotice.objects.select_for_update().filter(
        invoice__in=invoices, kind=StepKind.FORMAL_NOTICE, status=NoticeStatus.QUEUED
    ):
        notice.status = NoticeStatus.SENT
        notice.sent_at = now
        notice.save(update_fields=["status", "sent_at", "updated_at"])


def _letter_errors(
    notice: FormalNotice,
    tracking_number: str,
    sent_on: date | None,
    received_on: date | None,
    today: date,
) -> dict[str, str]:
    errors = {}
    if not tracking_number.strip():
        errors["tracking_number"] = _("le numéro de suivi de la lettre recommandée est requis")
    if sent_on is None:
        errors["sent_on"] = _("la date d'envoi est requise")
    elif sent_on < notice.issued_on or sent_on > today:
        errors["sent_on"] = _("la date d'envoi va du jour de la mise en demeure à aujourd'hui")
    if received_on is not None and (
        received_on > today or (sent_on is not None and received_on < sent_on)
    ):
        errors["received_on"] = _("la date de réception va du jour d'envoi à aujourd'hui")
    return errors


@transaction.atomic
def record_registered_letter(
    *,
    notice: FormalNotice,
    tracking_number: str,
    sent_on: date | None,
    received_on: date | None = None,
    by: Actor,
    now: datetime | None = None,
) -> FormalNotice:
    """Record the registered letter of ``notice``: its postal tracking number, the day it was
    sent and, once the receipt is back, the day it was received, from which the deadline to
    pay is counted again. Every refusal names its field and writes nothing."""
    notice = FormalNotice.objects.select_for_update().get(pk=notice.pk)
    errors = _letter_errors(notice, tracking_number, sent_on, received_on, today_in_paris(now))
    if errors:
        raise ValidationError(errors)
    fields = ("tracking_number", "sent_on", "received_on", "pay_by")
    before = {f: _plain(getattr(notice, f)) for f in fields}
    notice.tracking_number = tracking_number.strip()
    notice.sent_on = sent_on
    notice.received_on = received_on
    if received_on is not None:
        due = _deadline(received_on)
        notice.pay_by = date.fromisoformat(due["value"])
        notice.explanation = {**notice.explanation, "deadline": due}
    notice.save()
    after = {f: _plain(getattr(notice, f)) for f in fields}
    changed = [f for f in fields if before[f] != after[f]]
    record_on(
        obj=notice,
        actor=by,
        verb="formal_notice.letter_recorded",
        before={f: before[f] for f in changed},
        after={f: after[f] for f in changed},
    )
    return notice


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
