"""The monthly usage billing run (seed 000 art. 3: billing by consumption): each active
subscription's month rated by metering (:mod:`clausier.metering.rating`, an earlier stage that
invoicing reads), one invoice draft per subscription and month, then issued in chunks by
:func:`~clausier.invoicing.services.billing_run.issue_invoices` (numbers, snapshot,
Factur-X, PDF and e-mail as every billing run).

Exactly once: a :class:`~clausier.invoicing.models.UsageBilling` row per subscription and month,
unique in the database, is written in the transaction that creates the draft; a rerun, a
concurrent run or a run resumed after a crash finds it and skips the subscription (issuing its
draft if the crash came before). The run records its progress (:class:`UsageBillingRun`, one
row per seller or all and month, taken up again by a rerun) and one outcome per subscription;
one subscription's error is its outcome and the others go on.

Late events: events received after a month was billed, dated inside it, are billed on the next
invoice of the subscription: the month rated again with all its events, the difference per
meter billed as an explained adjustment line ("régularisation de consommation d'octobre 2026
reçue après facturation"), and the month's ``billed`` brought up to date in the same
transaction. A month looks back at the 12 months before it. A lower amount (late negative
events) is left for a credit note, not netted.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction

from clausier.catalog.domain import STANDARD_VAT_RATE
from clausier.catalog.units import Unit
from clausier.invoicing.events import PrepaidCreditUsed
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    UsageBilling,
    UsageBillingOutcome,
    UsageBillingRun,
    UsageOutcomeKind,
    UsageRunStatus,
)
from clausier.invoicing.services.billing_run import issue_invoices
from clausier.invoicing.services.drafts import draft_instance, new_draft, new_drafts
from clausier.invoicing.services.support import regime_for
from clausier.invoicing.usage_periods import (
    QUANTITY_PLACES,
    add_months,
    month_bounds,
    month_phrase,
    shown_quantity,
)
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.metering import selectors as metering_selectors
from clausier.metering.credits import balance_of
from clausier.metering.models import CreditAccount, Subscription, SubscriptionStatus
from clausier.metering.rating import RatedLine, RatedPeriod, rate_subscription, rate_subscriptions
from clausier.rules.explain import Explained, Step
from clausier.rules.formats import format_eur
from clausier.rules.money import CENT, ZERO
from clausier.rules.wording import Euros, words
from clausier.sellers.models import Seller

logger = logging.getLogger(__name__)

CHUNK = 100
RATE_AHEAD = 1_000  # subscriptions rated by one grouped query
LOOK_BACK_MONTHS = 12
PRICE_PLACES = Decimal("0.0001")  # what an invoice line's unit price holds


# --- invoice lines ----------------------------------------------------------------------------


def _steps(explained: Any) -> str:
    return " ; ".join(str(step.label) for step in explained.steps)


def _unit_price(line: RatedLine) -> Decimal | None:
    """The one unit price that makes the line's amount, when there is one: one part under a
    per-unit price without allowance nor minimum top-up, the quantity and price exact on the
    invoice line."""
    rated = line.rated.value
    if len(rated.parts) != 1 or rated.minimum_top_up:
        return None
    version = rated.parts[0].version
    if version.scheme != "per_unit" or version.free_allowance:
        return None
    price = Decimal(version.tiers[0][1])
    if line.quantity != line.quantity.quantize(QUANTITY_PLACES) or price != price.quantize(
        PRICE_PLACES
    ):
        return None
    if (line.quantity * price).quantize(CENT, ROUND_HALF_UP) != line.amount:
        return None
    return price


def meter_line(*, position: int, line: RatedLine, period: date, vat_rate: Decimal) -> InvoiceLine:
    """A meter's month on the invoice: its name, quantity and unit, price and amount HT; the
    calculation in the description (as a penalty line carries its own)."""
    meter = line.meter
    label = (
        f"{meter.name} : consommation {month_phrase(period)}, "
        f"{shown_quantity(line.quantity)} {meter.unit}"
    )
    price = _unit_price(line)
    common = {
        "position": position,
        "product_code": meter.code[:60],
        "vat_rate": vat_rate,
    }
    if price is not None:
        return InvoiceLine(
            description=label,
            quantity=line.quantity,
            unit=Unit.METERED,
            unit_label=meter.unit[:60],
            unit_price=price,
            **common,
        )
    return InvoiceLine(
        description=f"{label}. Calcul : {_steps(line.rated)}",
        quantity=Decimal(1),
        unit=Unit.FLAT,
        unit_price=line.amount,
        **common,
    )


@dataclass
class Adjustment:
    """Late events of an invoiced month: the lines billing the difference, and the month's
    ``billed`` once they are."""

    billing: UsageBilling
    lines: list[dict[str, Any]]
    billed: dict[str, Any]
    explanation: dict[str, Any] = field(default_factory=dict)


def _adjustment(billing: UsageBilling, rerated: RatedPeriod) -> Adjustment | None:
    billed = dict(billing.billed)
    lines = []
    for line in rerated.lines:
        key = str(line.meter.pk)
        before = billed.get(key, {"quantity": "0", "amount": "0"})
        difference = line.amount - Decimal(before["amount"])
        if difference <= 0:
            continue
        lines.append(
            {
                "meter": line.meter,
                "amount": difference,
                "description": (
                    f"Régularisation de consommation {month_phrase(billing.period_start)} reçue "
                    f"après facturation : {line.meter.name}, {shown_quantity(line.quantity)} "
                    f"{line.meter.unit} au lieu de {shown_quantity(Decimal(before['quantity']))} "
                    f"facturés, {format_eur(line.amount)} HT au lieu de "
                    f"{format_eur(Decimal(before['amount']))} HT"
                ),
                "explained": line.rated.as_dict(),
            }
        )
        billed[key] = {"quantity": str(line.quantity), "amount": str(line.amount)}
    if not lines:
        return None
    return Adjustment(billing, lines, billed)


def late_adjustments(*, subs: Sequence[Subscription], period: date) -> dict[int, list[Adjustment]]:
    """Per subscription, the earlier months (12 at most) that received events after they were
    billed, rated again: what is left to bill of each."""
    prior = list(
        UsageBilling.objects.filter(
            subscription_id__in=[s.pk for s in subs],
            period_start__lt=period,
            period_start__gte=add_months(period, -LOOK_BACK_MONTHS),
        ).order_by("period_start", "id")
    )
    if not prior:
        return {}
    late = metering_selectors.late_months(
        subscription_ids={b.subscription_id for b in prior},
        start=month_bounds(min(b.period_start for b in prior))[0],
        end=month_bounds(period)[0],
        received_after=min(b.rated_at for b in prior),
    )
    by_id = {s.pk: s for s in subs}
    found: dict[int, list[Adjustment]] = defaultdict(list)
    for billing in prior:
        last = late.get((billing.subscription_id, billing.period_start))
        if last is None or last <= billing.rated_at:
            continue
        start, end = month_bounds(billing.period_start)
        rerated = rate_subscription(
            subscription=by_id[billing.subscription_id], start=start, end=end
        )
        adjustment = _adjustment(billing, rerated)
        if adjustment is not None:
            found[billing.subscription_id].append(adjustment)
    return found


# --- prepaid credits --------------------------------------------------------------------------


CREDIT_CODE = "CREDITS"


@dataclass(frozen=True)
class CreditUse:
    """What a month's draft deducts from the client's prepaid credits (HT), explained."""

    amount: Decimal
    explained: Explained


def credit_use(
    *, sub: Subscription, lines: Sequence[InvoiceLine], on: datetime
) -> CreditUse | None:
    """The client's prepaid credits available on ``on`` (the period's end) drawn up to the
    HT of ``lines``; ``None`` without credits or without anything owed. Read inside the run's
    transaction, after the drafts of the client's subscriptions billed before in the run
    (their draws are in the same transaction): credits are never used twice."""
    ht = sum(
        ((line.quantity * line.unit_price).quantize(CENT, ROUND_HALF_UP) for line in lines), ZERO
    )
    balance = balance_of(client=sub.client, on=on).balance
    before = balance.value.quantize(CENT, ROUND_HALF_UP)
    available = max(before, ZERO)
    if available <= 0 or ht <= 0:
        return None
    used = min(available, ht)
    left = before - used
    steps = (
        *balance.steps,
        Step(words("montant HT de la période : {amount}", amount=Euros(ht)), ht),
        Step(
            words(
                "crédits utilisés = le plus petit du solde et du montant HT : {amount}",
                amount=Euros(used),
            ),
            used,
        ),
        Step(words("solde après : {amount}", amount=Euros(left)), left),
    )
    explained = Explained(
        value=used,
        rule="prepaid_credit_used",
        inputs={"on": on, "period_ht": ht, "balance": before},
        steps=steps,
    )
    return CreditUse(used, explained)


def credit_line(*, use: CreditUse, position: int, vat_rate: Decimal) -> InvoiceLine:
    """The negative line of the credits used, at the usage lines' VAT rate, its calculation
    in the description: balance before, amount used, balance after."""
    before = use.explained.inputs["balance"]
    return InvoiceLine(
        position=position,
        product_code=CREDIT_CODE,
        description=(
            f"Crédits prépayés utilisés : solde avant {format_eur(before)}, "
            f"utilisé {format_eur(use.amount)}, solde après {format_eur(before - use.amount)}"
        ),
        quantity=Decimal(1),
        unit=Unit.FLAT,
        unit_price=-use.amount,
        vat_rate=vat_rate,
    )


# --- one subscription -------------------------------------------------------------------------


def _vat_rate(sub: Subscription) -> Decimal:
    """The rate of the subscription's metered order line (the catalog's), 20 % without one;
    none when the seller and client's regime charges no VAT, as for every other draft."""
    if not regime_for(seller=sub.seller, client=sub.client, kind=InvoiceKind.STANDARD).charges_vat:
        return ZERO
    if sub.order_line is not None:
        return sub.order_line.vat_rate
    return STANDARD_VAT_RATE.value


def usage_lines(
    *, sub: Subscription, rated: RatedPeriod, adjustments: Sequence[Adjustment], period: date
) -> tuple[list[InvoiceLine], dict[str, Any]]:
    """The lines of ``sub``'s month (its meters, then the adjustments of earlier months)
    and their explanation, before any prepaid credits."""
    vat_rate = _vat_rate(sub)
    lines = [
        meter_line(position=n, line=line, period=period, vat_rate=vat_rate)
        for n, line in enumerate(rated.lines)
        if line.amount > 0
    ]
    for adjustment in adjustments:
        for item in adjustment.lines:
            lines.append(
                InvoiceLine(
                    position=len(lines),
                    product_code=item["meter"].code[:60],
                    description=item["description"],
                    quantity=Decimal(1),
                    unit=Unit.FLAT,
                    unit_price=item["amount"],
                    vat_rate=vat_rate,
                )
            )
    explanation = {
        "meters": {
            line.meter.code: {
                "quantity": line.quantity_explained.as_dict(),
                "amount": line.rated.as_dict(),
            }
            for line in rated.lines
        },
        "adjustments": [
            {
                "period": a.billing.period_start.isoformat(),
                "lines": [
                    {"meter": i["meter"].code, "amount": str(i["amount"]), "rated": i["explained"]}
                    for i in a.lines
                ],
            }
            for a in adjustments
        ],
    }
    return lines, explanation


def _draft_fields(sub: Subscription, period: date) -> dict[str, Any]:
    """What a month's draft says besides its lines: the terms, the note, the service date."""
    _start, end = month_bounds(period)
    return {
        "seller": sub.seller,
        "client": sub.client,
        "kind": InvoiceKind.STANDARD,
        "terms_version": sub.terms_version,
        "notes": (
            f"Consommation {month_phrase(period)} de l'abonnement {sub.external_id} "
            f"(commande {sub.order.reference})"
        ),
        "service_date": (end - timedelta(days=1)).date(),
    }


def _billing(
    *,
    sub: Subscription,
    rated: RatedPeriod,
    period: date,
    invoice: Invoice | None,
    explanation: dict[str, Any],
    now: datetime,
) -> UsageBilling:
    return UsageBilling(
        seller=sub.seller,
        subscription=sub,
        period_start=period,
        invoice=invoice,
        billed={
            str(line.meter.pk): {"quantity": str(line.quantity), "amount": str(line.amount)}
            for line in rated.lines
        },
        rated_at=now,
        explanation=explanation,
    )


def _bring_up_to_date(adjustments: Sequence[Adjustment], now: datetime) -> None:
    for adjustment in adjustments:
        UsageBilling.objects.filter(pk=adjustment.billing.pk).update(
            billed=adjustment.billed, rated_at=now
        )


def bill_subscription(
    *,
    sub: Subscription,
    rated: RatedPeriod,
    adjustments: Sequence[Adjustment],
    period: date,
    by: Actor,
    now: datetime,
) -> UsageBilling:
    """The draft of ``sub``'s month (its meters, then the adjustments of earlier months) and
    the month's :class:`UsageBilling` row, in the caller's transaction. No draft when nothing
    is owed; the unique row raises ``IntegrityError`` when the month is billed already."""
    lines, explanation = usage_lines(sub=sub, rated=rated, adjustments=adjustments, period=period)
    invoice = None
    _start, end = month_bounds(period)
    use = credit_use(sub=sub, lines=lines, on=end) if lines else None
    if use is not None:
        lines.append(credit_line(use=use, position=len(lines), vat_rate=_vat_rate(sub)))
        explanation["prepaid_credits"] = use.explained.as_dict()
    if lines:
        invoice = new_draft(**_draft_fields(sub, period), lines=lines, by=by)
        if use is not None:
            publish(
                PrepaidCreditUsed(
                    client_id=sub.client_id,
                    seller_id=sub.seller_id,
                    amount=use.amount,
                    reference=f"{sub.external_id}/{period:%Y-%m}",
                    invoice_id=invoice.pk,
                    at=end,
                    by=by,
                )
            )
        _bring_up_to_date(adjustments, now)
    billing = _billing(
        sub=sub, rated=rated, period=period, invoice=invoice, explanation=explanation, now=now
    )
    billing.save(force_insert=True)
    return billing


def bill_subscriptions(
    *,
    items: Sequence[tuple[Subscription, RatedPeriod, Sequence[Adjustment]]],
    period: date,
    by: Actor,
    now: datetime,
) -> dict[int, UsageBilling]:
    """:func:`bill_subscription` for many subscriptions whose clients hold no prepaid
    credits, written in bulk in the caller's transaction: the same drafts, lines, events
    and :class:`UsageBilling` rows, in one INSERT each (``invoicing.services.drafts.new_drafts``).
    Any failure (a draft refused, a month billed meanwhile) raises: the caller then bills
    them one by one, so that each error is its subscription's own."""
    drafts: list[tuple[Invoice, list[InvoiceLine]]] = []
    billings: list[UsageBilling] = []
    for sub, rated, adjustments in items:
        lines, explanation = usage_lines(
            sub=sub, rated=rated, adjustments=adjustments, period=period
        )
        invoice = None
        if lines:
            invoice = draft_instance(**_draft_fields(sub, period), lines=lines, by=by)
            drafts.append((invoice, lines))
        billings.append(
            _billing(
                sub=sub,
                rated=rated,
                period=period,
                invoice=invoice,
                explanation=explanation,
                now=now,
            )
        )
    new_drafts(drafts=drafts, by=by)
    for billing, (_sub, _rated, adjustments) in zip(billings, items, strict=True):
        if billing.invoice is not None:
            billing.invoice_id = billing.invoice.pk
            _bring_up_to_date(adjustments, now)
    return {b.subscription_id: b for b in UsageBilling.objects.bulk_create(billings)}


# --- the run ----------------------------------------------------------------------------------


def _open_run(*, seller: Seller | None, period: date, now: datetime, total: int) -> UsageBillingRun:
    """The run of ``seller`` (or all) and ``period``, created or taken up again (running)."""
    fields = {"status": UsageRunStatus.RUNNING, "total": total, "error": "", "finished_at": None}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                run, created = UsageBillingRun.objects.select_for_update().get_or_create(
                    seller=seller, period_start=period, defaults={"started_at": now, **fields}
                )
                if not created:
                    for name, value in fields.items():
                        setattr(run, name, value)
                    run.started_at = now
                    run.save()
                return run
        except IntegrityError:  # a concurrent run created it first: take it
            continue
    raise RuntimeError("the usage billing run could not be opened")  # pragma: no cover


def active_subscriptions(*, seller: Seller | None, period: date):
    """The subscriptions a run of ``period`` bills: active, started before the month ends."""
    _start, end = month_bounds(period)
    subs = Subscription.objects.filter(status=SubscriptionStatus.ACTIVE, started_at__lt=end)
    if seller is not None:
        subs = subs.filter(seller=seller)
    return subs.select_related(
        "seller", "client", "order", "order_line", "offer", "terms_version"
    ).order_by("id")


def _error(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__


def _rated(
    todo: list[Subscription], period: date, errors: dict[int, str]
) -> list[RatedPeriod | None]:
    """``todo`` rated in one grouped query; when one of them cannot be rated, one by one, so
    that its error is its own (``errors``) and the others are rated."""
    start, end = month_bounds(period)
    try:
        return list(rate_subscriptions(subscriptions=todo, start=start, end=end))
    except Exception:
        pass
    rated: list[RatedPeriod | None] = []
    for sub in todo:
        try:
            rated.append(rate_subscription(subscription=sub, start=start, end=end))
        except Exception as exc:
            errors[sub.pk] = _error(exc)
            rated.append(None)
    return rated


@dataclass
class Ahead:
    """The month rated ahead for the next :data:`RATE_AHEAD` subscriptions of a run (one
    grouped query for all of them rather than one per chunk: each query scans the month's
    events), and the errors of those that could not be rated."""

    period: date
    rated: dict[int, RatedPeriod | None] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    def of(
        self, todo: list[Subscription], following: list[Subscription]
    ) -> tuple[list[RatedPeriod | None], dict[int, str]]:
        """``todo`` rated (and their errors): from what was rated ahead, else ``following``
        (``todo`` first, then the run's next subscriptions not billed yet) rated now."""
        if any(sub.pk not in self.rated for sub in todo):
            billed = set(
                UsageBilling.objects.filter(
                    subscription__in=following, period_start=self.period
                ).values_list("subscription_id", flat=True)
            )
            ahead = [sub for sub in following if sub.pk not in billed]
            self.errors = {}
            self.rated = dict(
                zip(
                    (sub.pk for sub in ahead),
                    _rated(ahead, self.period, self.errors),
                    strict=True,
                )
            )
        errors = {sub.pk: self.errors[sub.pk] for sub in todo if sub.pk in self.errors}
        return [self.rated.get(sub.pk) for sub in todo], errors


def _new_billings(
    todo: list[Subscription],
    period: date,
    *,
    by: Actor,
    now: datetime,
    rated: list[RatedPeriod | None],
    errors: dict[int, str],
) -> tuple[dict[int, UsageBilling], dict[int, str]]:
    """The drafts of ``todo`` (one transaction, a savepoint each): the billings written, and
    the errors by subscription."""
    adjustments = late_adjustments(subs=todo, period=period)
    written: dict[int, UsageBilling] = {}
    with transaction.atomic():
        holders = set(
            CreditAccount.objects.filter(client_id__in={s.client_id for s in todo}).values_list(
                "client_id", flat=True
            )
        )
        bulk = [
            (sub, figures, adjustments.get(sub.pk, []))
            for sub, figures in zip(todo, rated, strict=True)
            if figures is not None and sub.client_id not in holders
        ]
        if bulk:
            try:
                with transaction.atomic():
                    written = bill_subscriptions(items=bulk, period=period, by=by, now=now)
            except Exception as exc:  # each one on its own below: its error is its own
                logger.info("usage billing in bulk failed, one by one: %s", exc)
        # Clients with prepaid credits one by one, in order: each draw is read by the next.
        for sub, figures in zip(todo, rated, strict=True):
            if figures is None or sub.pk in written:
                continue
            try:
                with transaction.atomic():
                    written[sub.pk] = bill_subscription(
                        sub=sub,
                        rated=figures,
                        adjustments=adjustments.get(sub.pk, []),
                        period=period,
                        by=by,
                        now=now,
                    )
            except IntegrityError:  # billed by a concurrent run meanwhile
                found = UsageBilling.objects.filter(subscription=sub, period_start=period).first()
                if found is None:
                    raise
                written[sub.pk] = found
            except Exception as exc:
                logger.warning("usage billing of subscription %s failed: %s", sub.pk, exc)
                errors[sub.pk] = _error(exc)
    return written, errors


def _issue(billings: dict[int, UsageBilling], *, by: Actor, now: datetime) -> dict[int, str]:
    """The drafts among ``billings`` issued (by seller); the reasons of those left waiting."""
    drafts: dict[int, list[Invoice]] = defaultdict(list)
    invoices = Invoice.objects.filter(
        pk__in=[b.invoice_id for b in billings.values() if b.invoice_id],
        status=InvoiceStatus.DRAFT,
    ).order_by("id")
    for invoice in invoices:
        drafts[invoice.seller_id].append(invoice)
    blocked = {}
    for seller_drafts in drafts.values():
        result = issue_invoices(invoices=seller_drafts, by=by, now=now, chunk=len(seller_drafts))
        blocked.update({i.pk: i.issue_blocked_reason for i in result.blocked})
    return blocked


def _outcomes(
    run: UsageBillingRun,
    chunk: list[Subscription],
    billings: dict[int, UsageBilling],
    errors: dict[int, str],
    blocked: dict[int, str],
    now: datetime,
) -> None:
    rows = []
    for sub in chunk:
        billing = billings.get(sub.pk)
        if billing is None:
            outcome, invoice_id, message = UsageOutcomeKind.ERROR, None, errors.get(sub.pk, "")
        elif billing.invoice_id is None:
            outcome, invoice_id, message = UsageOutcomeKind.NOTHING, None, ""
        elif billing.invoice_id in blocked:
            outcome, invoice_id = UsageOutcomeKind.ERROR, billing.invoice_id
            message = blocked[billing.invoice_id]
        else:
            outcome, invoice_id, message = UsageOutcomeKind.INVOICED, billing.invoice_id, ""
        rows.append(
            UsageBillingOutcome(
                run=run,
                subscription=sub,
                outcome=outcome,
                invoice_id=invoice_id,
                message=message,
                at=now,
            )
        )
    with transaction.atomic():
        UsageBillingOutcome.objects.filter(run=run, subscription__in=chunk).delete()
        UsageBillingOutcome.objects.bulk_create(rows)
        run.done = UsageBillingOutcome.objects.filter(run=run).count()
        UsageBillingRun.objects.filter(pk=run.pk).update(done=run.done)


def bill_usage(
    *,
    period: date,
    by: Actor,
    seller: Seller | None = None,
    now: datetime | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> UsageBillingRun:
    """Bill ``period`` (a month) of every active subscription of ``seller`` (or of every
    seller), by chunks of ``chunk`` subscriptions: rated in one grouped query, their drafts
    written in one transaction, issued, their outcomes recorded. Idempotent and resumable (see
    the module). ``progress(done, total)`` after each chunk."""
    now = aware_now(now)
    period = period.replace(day=1)
    subs = list(active_subscriptions(seller=seller, period=period))
    run = _open_run(seller=seller, period=period, now=now, total=len(subs))
    ahead = Ahead(period)
    size = max(chunk, 1)
    try:
        for begin in range(0, len(subs), size):
            part = subs[begin : begin + size]
            billings = {
                b.subscription_id: b
                for b in UsageBilling.objects.filter(subscription__in=part, period_start=period)
            }
            todo = [s for s in part if s.pk not in billings]
            errors: dict[int, str] = {}
            if todo:
                rated, errors = ahead.of(todo, subs[begin : begin + max(RATE_AHEAD, size)])
                written, errors = _new_billings(
                    todo, period, by=by, now=now, rated=rated, errors=errors
                )
                billings.update(written)
            blocked = _issue(billings, by=by, now=now)
            _outcomes(run, part, billings, errors, blocked, now)
            if progress is not None:
                progress(run.done, run.total)
    except BaseException as exc:
        UsageBillingRun.objects.filter(pk=run.pk).update(
            status=UsageRunStatus.FAILED, error=str(exc)[:2000], finished_at=aware_now(None)
        )
        raise
    UsageBillingRun.objects.filter(pk=run.pk).update(
        status=UsageRunStatus.FINISHED, finished_at=aware_now(None)
    )
    run.refresh_from_db()
    return run
