"""Reads of collections: what an issued invoice says about its late payment, the sums that
settled it, and what it owes on a day (``penalties``), from the invoice's payments as
recorded."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.collections.domain import LateTerms, PenaltiesOwed, Settlement, penalties_on
from clausier.collections.models import (
    FormalNotice,
    LateInvoice,
    LateStatus,
    WaivedItem,
    Waiver,
)
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.kernel.errors import Conflict, Incomplete
from clausier.legal import selectors as legal_selectors
from clausier.payments import selectors as payment_selectors
from clausier.payments.models import Allocation
from clausier.payments.transitions import SETTLED
from clausier.rules.errors import MissingRateError
from clausier.rules.explain import Step
from clausier.rules.wording import Euros, Words, words
from clausier.terms import selectors as terms_selectors
from clausier.terms.schemas import ClauseKind, parse_parameters

# Invoices that may be late: issued sales documents (a credit note owes nothing).
LATE_KINDS = (InvoiceKind.STANDARD, InvoiceKind.DEPOSIT, InvoiceKind.FINAL)


def _clause_terms(invoice: Invoice) -> dict:
    """The late-penalty clause of the invoice's terms, as ``LateTerms`` fields."""
    version = invoice_selectors.terms_for(invoice=invoice)
    if version is None:
        return {}
    clause = terms_selectors.clause_of_kind(version=version, kind=ClauseKind.LATE_PENALTY)
    if clause is None:
        return {"terms_label": version.label}
    params = parse_parameters(clause.kind, clause.parameters)
    article = clause.article.strip()
    title = clause.title.strip()
    cited = " ".join(
        part for part in (article, f"« {title} »" if title else "", f"CGV {version.label}") if part
    )
    return {
        "of": params.of,
        "multiplier": params.multiplier,
        "plus_points": params.plus_points,
        "rate_date": params.rate_date,
        "base": params.base,
        "clause_id": clause.clause_id,
        "terms_label": version.label,
        "clause_cited": cited,
    }


def late_terms(
    *,
    invoice: Invoice,
    due_date: date | None = None,
    formal_notice_on: date | None = None,
    due_note: str | Words = "",
) -> LateTerms:
    """The late-payment facts of an issued invoice: its document of record (dates, totals,
    the client's capacity, the rate it states) and its terms' clause. ``due_date`` replaces
    the invoice's (acceleration)."""
    if invoice.status != InvoiceStatus.ISSUED or invoice.kind not in LATE_KINDS:
        raise Conflict(_("Seule une facture émise (pas un avoir) peut être payée en retard."))
    document = invoice.document
    stated = document.late_penalty_rate if document is not None else None
    return LateTerms(
        number=invoice.number or "",
        issue_date=invoice.issue_date,
        due_date=due_date or invoice.due_date,
        amount_due=payment_selectors.payable(invoice=invoice),
        total_ht=invoice.total_ht,
        total_ttc=invoice.total_ttc,
        professional=document.buyer.is_professional if document else invoice.client.is_professional,
        stated_rate=None if stated is None else Decimal(stated) / 100,
        formal_notice_on=formal_notice_on,
        due_note=due_note,
        **_clause_terms(invoice),
    )


def settlements(*, invoice: Invoice) -> list[Settlement]:
    """The sums that settled ``invoice``, on the day the seller had them: its allocations of
    money received (the payment's settlement day) and its credit notes (their issue day)."""
    found = [
        Settlement(
            on=allocation.payment.settled_on,
            amount=allocation.amount,
            label=f"paiement n° {allocation.payment_id}",
        )
        for allocation in Allocation.objects.filter(
            invoice=invoice, payment__status__in=SETTLED
        ).select_related("payment")
        if allocation.payment.settled_on is not None
    ]
    found += [
        Settlement(on=credit.issue_date, amount=credit.total_ttc, label=f"avoir {credit.number}")
        for credit in invoice_selectors.credit_notes_of(invoice=invoice)
    ]
    return sorted(found, key=lambda settlement: settlement.on)


def owed_on(*, invoice: Invoice, on: date) -> Decimal:
    """What the client still owes on ``invoice`` on ``on``: what payments are to cover
    (``payments.selectors.payable``) less the sums that settled it by then, never below zero,
    to the cent (ROUND_HALF_UP)."""
    paid = sum((s.amount for s in settlements(invoice=invoice) if s.on <= on), Decimal(0))
    owed = max(Decimal(0), payment_selectors.payable(invoice=invoice) - paid)
    return owed.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def formal_notice_received(*, invoice: Invoice) -> date | None:
    """The day the client received the first formal notice naming ``invoice`` (its registered
    letter's receipt, recorded by staff): a consumer's legal interest runs from then
    (C. civ. 1231-6)."""
    return (
        FormalNotice.objects.filter(invoices=invoice, received_on__isnull=False)
        .order_by("received_on")
        .values_list("received_on", flat=True)
        .first()
    )


def penalties(
    *,
    invoice: Invoice,
    on: date,
    due_date: date | None = None,
    formal_notice_on: date | None = None,
) -> PenaltiesOwed:
    """What ``invoice`` owes for its lateness on ``on``, from its payments as recorded. The
    due date is ``due_date`` if given, else the one in force: brought forward by an
    acceleration (seed 002 art. 6, ``standing_selectors.effective_due_date``) or the
    invoice's own."""
    due_note: str | Words = ""
    if formal_notice_on is None:
        formal_notice_on = formal_notice_received(invoice=invoice)
    if due_date is None:
        # Read here: standing_selectors builds on this module.
        from clausier.collections.standing_selectors import effective_due_date

        effective = effective_due_date(invoice)
        if effective.acceleration is not None:
            due_date, due_note = effective.value, effective.due_note
    terms = late_terms(
        invoice=invoice,
        due_date=due_date,
        formal_notice_on=formal_notice_on,
        due_note=due_note,
    )
    try:
        return penalties_on(
            terms,
            settlements=settlements(invoice=invoice),
            on=on,
            legal_table=legal_selectors.legal_rate_table(),
            ecb_table=legal_selectors.ecb_rate_table(),
        )
    except MissingRateError as missing:
        raise Incomplete(
            _(
                "Le taux de %(period)s manque (%(law)s) : il doit être ajouté à la table des "
                "taux ; un taux n'est jamais deviné."
            )
            % {"period": missing.period, "law": missing.rule},
            [f"rate:{missing.rule}:{missing.period}"],
        ) from missing


def accrual_candidates(*, on: date, seller_id: int | None = None):
    """Ids of the issued invoices (all sellers, or ``seller_id``'s) whose accrual the nightly
    task brings to ``on``: past their due date and not yet paid in full, or with penalties
    still accruing."""
    # Past its own due date, or past the one an acceleration in force brought forward.
    past_due = Q(due_date__lt=on) | Q(
        accelerations__reverted=False, accelerations__new_due_date__lt=on
    )
    unpaid = Invoice.objects.filter(
        past_due,
        status=InvoiceStatus.ISSUED,
        kind__in=LATE_KINDS,
        amount_paid__lt=F("amount_due"),
    )
    accruing = LateInvoice.objects.filter(status="accruing", paid_in_full=False)
    if seller_id is not None:
        unpaid = unpaid.filter(seller_id=seller_id)
        accruing = accruing.filter(seller_id=seller_id)
    unpaid = unpaid.values_list("id", flat=True)
    accruing = accruing.values_list("invoice_id", flat=True)
    return sorted(set(unpaid) | set(accruing))


def invoice_by_id(invoice_id: int) -> Invoice:
    return Invoice.objects.select_related("seller", "client").get(pk=invoice_id)


@dataclass(frozen=True, slots=True)
class Owing:
    """What a late invoice owes the client's account on a day: its penalties net of the
    waivers staff granted (``owed``), or nothing more once they are billed on a penalty
    invoice (``billed``: the penalty invoice is then a document of its own)."""

    owed: PenaltiesOwed
    billed: bool = False


def _waived(waiver: Waiver):
    """What ``waiver`` takes off its item: all of it (``None``) or its amount, and why."""

    def label(cut):
        return words(
            "renonciation du {day} ({reason}) : − {amount}",
            day=timezone.localdate(waiver.created_at),
            reason=waiver.reason,
            amount=Euros(cut),
        )

    return (None if waiver.full else waiver.amount), label


def _billed(billing, amount: Decimal):
    """What an earlier billing took of an item: its amount, for its period."""

    def label(cut):
        return words(
            "déjà facturé pour la période du {start} au {end} : − {amount}",
            start=billing.period_from,
            end=billing.period_to,
            amount=Euros(cut),
        )

    return amount, label


def _net(explained, cuts):
    """``explained`` less each cut (``(amount or None for all, label)``), never below 0."""
    value = explained.value
    steps = list(explained.steps)
    for amount, label in cuts:
        cut = value if amount is None else min(value, amount)
        if not cut and amount:
            continue
        value -= cut
        steps.append(Step(label(cut), value))
    return replace(explained, value=value, steps=tuple(steps))


def penalties_owed(*, invoice: Invoice, on: date, formal_notice_on: date | None = None) -> Owing:
    """:func:`penalties` as the client's account sees them: net of waivers, and billed or not
    (a missing rate raises ``Incomplete`` as there)."""
    owed = penalties(invoice=invoice, on=on, formal_notice_on=formal_notice_on)
    record = LateInvoice.objects.filter(invoice=invoice).first()
    if record is None:
        return Owing(owed)
    if record.status == LateStatus.BILLED:
        return Owing(owed, billed=True)
    waivers = list(record.waivers.all())
    billings = list(record.billings.all())
    if not waivers and not billings:
        return Owing(owed)
    cuts = {str(WaivedItem.INTEREST): [], str(WaivedItem.INDEMNITY): []}
    for waiver in waivers:
        cuts[waiver.item].append(_waived(waiver))
    for billing in billings:
        cuts[WaivedItem.INTEREST].append(_billed(billing, billing.interest))
        cuts[WaivedItem.INDEMNITY].append(_billed(billing, billing.indemnity))
    interest = _net(owed.interest, cuts[WaivedItem.INTEREST])
    indemnity = _net(owed.indemnity, cuts[WaivedItem.INDEMNITY])
    total = interest.value + indemnity.value
    explanation = replace(
        owed.explanation,
        value=total,
        steps=(
            *owed.explanation.steps,
            Step(words("reste à facturer : {total}", total=Euros(total)), total),
        ),
    )
    return Owing(replace(owed, interest=interest, indemnity=indemnity, explanation=explanation))
