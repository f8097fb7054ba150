"""Reads of a client's account statement (relevé de compte) and of a seller's aged balance,
each figure with its explanation.

The statement on a day: every document issued to the client up to that day (invoices owe
what they ask, credit notes give back their total), every payment the seller had by then
(its settlement day) and every refund paid back, in date order with the running balance;
then, for each late invoice, the interest to date and the recovery indemnity
(:func:`clausier.collections.selectors.penalties`). A rate missing from the tables never
stops the statement: the invoice's penalties are left out and the message says why.

The aged balance on a day: the seller's invoices past due and not settled, in four buckets
of days past due (0-30, 31-60, 61-90, more than 90), with the interest accrued and the
indemnities owed on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.collections import selectors, standing_selectors
from clausier.collections.domain import PenaltiesOwed
from clausier.collections.standing_models import Suspension
from clausier.customers.models import Client
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.models import Invoice
from clausier.kernel.errors import Incomplete
from clausier.payments import selectors as payment_selectors
from clausier.payments.models import Payment, Refund
from clausier.payments.transitions import REFUND_SETTLED, SETTLED
from clausier.rules.explain import Explained, Step
from clausier.rules.money import ZERO, format_eur
from clausier.sellers.models import Seller

INVOICE, CREDIT_NOTE, PAYMENT, REFUND = "invoice", "credit_note", "payment", "refund"
INTEREST, INDEMNITY = "interest", "indemnity"
LATE_PAYMENT_LAW: Final = "C. com. L441-10"


def _day(on: date) -> str:
    return date_format(on, "SHORT_DATE_FORMAT")


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line of the statement: what it adds to what the client owes (``debit``) or takes
    off (``credit``), and the balance after it."""

    on: date
    kind: str
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    explained: Explained
    invoice: Invoice | None = None


@dataclass(frozen=True, slots=True)
class LateInvoice:
    """An invoice late on the day, with what its lateness costs (``owed``), or why that
    cannot be computed (``missing``: a rate not in the tables)."""

    invoice: Invoice
    days_late: int
    outstanding: Decimal
    # The due date in force: the invoice's, or brought forward by an acceleration.
    due_date: date
    owed: PenaltiesOwed | None = None
    missing: str = ""
    # Its penalties are billed on a penalty invoice, a document line of its own.
    billed: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    client: Client
    on: date
    lines: list[StatementLine]
    late: list[LateInvoice]
    principal: Explained
    interest: Explained
    indemnities: Explained
    total_due: Explained

    @property
    def missing(self) -> list[LateInvoice]:
        return [late for late in self.late if late.missing]


# --- penalties of one invoice, never crashing on a missing rate ---------------------------


def late_invoice(*, invoice: Invoice, on: date) -> LateInvoice:
    """What ``invoice`` owes for its lateness on ``on``; a missing rate gives its message."""
    outstanding = max(invoice.unpaid, ZERO)
    due = _effective_due(invoice)
    days = max((on - due).days, 0)  # past due, also when a rate is missing
    if invoice.kind not in selectors.LATE_KINDS:
        # A penalty invoice is owed like any other, but bears no interest itself: interest on
        # interest needs a court's order (C. civ. 1343-2).
        return LateInvoice(invoice, days, outstanding, due)
    try:
        owing = selectors.penalties_owed(invoice=invoice, on=on)
    except Incomplete as incomplete:
        return LateInvoice(invoice, days, outstanding, due, missing=str(incomplete))
    owed = owing.owed
    return LateInvoice(invoice, owed.days_late, outstanding, due, owed=owed, billed=owing.billed)


def _effective_due(invoice: Invoice) -> date:
    """The due date in force, as annotated by ``standing_selectors.with_effective_due`` or
    read for this one invoice."""
    found = getattr(invoice, "effective_due", None)
    return found or standing_selectors.effective_due_date(invoice).value


def _sum_explained(
    rule: str, late: Iterable[LateInvoice], pick, *, law: str = "", none: str
) -> Explained:
    """The sum of one penalty over late invoices, each invoice a step."""
    steps = []
    total = ZERO
    for item in late:
        if item.owed is None:
            if item.missing:
                steps.append(Step(f"{item.invoice.number} : {item.missing}"))
            continue
        if item.billed:
            steps.append(
                Step(_("%(number)s : pénalités facturées") % {"number": item.invoice.number})
            )
            continue
        amount = pick(item.owed).value
        if amount:
            total += amount
            steps.append(Step(f"{item.invoice.number} : {format_eur(amount)}", amount))
    if not steps:
        steps.append(Step(none))
    return Explained(value=total, rule=rule, law=law, steps=tuple(steps))


# --- the account statement ----------------------------------------------------------------


def _document_rows(client: Client, on: date) -> list[tuple[date, int, str, Decimal, Invoice]]:
    rows = []
    invoices = invoice_selectors.invoices_for_client(client=client).filter(issue_date__lte=on)
    for invoice in standing_selectors.with_effective_due(invoices):
        if invoice.is_credit_note:
            rows.append((invoice.issue_date, 1, CREDIT_NOTE, invoice.total_ttc, invoice))
        else:
            amount = payment_selectors.payable(invoice=invoice)
            rows.append((invoice.issue_date, 0, INVOICE, amount, invoice))
    return rows


def _document_line(kind: str, amount: Decimal, invoice: Invoice):
    if kind == CREDIT_NOTE:
        label = _("Avoir %(number)s") % {"number": invoice.number}
        corrects = invoice.corrects.number if invoice.corrects_id else ""
        steps = [Step(_("Total TTC de l'avoir"), amount)]
        if corrects:
            steps.append(Step(_("Corrige la facture %(number)s") % {"number": corrects}))
        return label, ZERO, amount, steps
    label = _("Facture %(number)s") % {"number": invoice.number}
    steps = [
        Step(_("Total TTC"), invoice.total_ttc),
        Step(_("Net à payer (acomptes déduits)"), amount),
        Step(_("Échéance le %(day)s") % {"day": _day(invoice.due_date)}),
    ]
    due = _effective_due(invoice)
    if due != invoice.due_date:
        steps.append(Step(_("Exigible par anticipation le %(day)s") % {"day": _day(due)}))
    return label, amount, ZERO, steps


def _money_rows(client: Client, on: date) -> list[tuple[date, int, str, Decimal, object]]:
    rows: list[tuple[date, int, str, Decimal, object]] = []
    payments = Payment.objects.filter(
        client=client, status__in=SETTLED, settled_on__isnull=False, settled_on__lte=on
    )
    for payment in payments:
        rows.append((payment.settled_on, 2, PAYMENT, payment.amount, payment))
    refunds = Refund.objects.filter(
        client=client, status=REFUND_SETTLED, settled_on__isnull=False, settled_on__lte=on
    )
    for refund in refunds:
        rows.append((refund.settled_on, 3, REFUND, refund.amount, refund))
    return rows


def _money_line(kind: str, amount: Decimal, row) -> tuple[str, Decimal, Decimal, list[Step]]:
    if kind == PAYMENT:
        label = _("Paiement n° %(id)s (%(method)s)") % {
            "id": row.pk,
            "method": row.get_method_display(),
        }
        steps = [Step(_("Reçu et acquis le %(day)s") % {"day": _day(row.settled_on)}, amount)]
        return label, ZERO, amount, steps
    label = _("Remboursement n° %(id)s") % {"id": row.pk}
    steps = [Step(_("Remboursé le %(day)s") % {"day": _day(row.settled_on)}, amount)]
    return label, amount, ZERO, steps


def _principal_lines(client: Client, on: date) -> list[StatementLine]:
    rows = sorted(
        [*_document_rows(client, on), *_money_rows(client, on)], key=lambda r: (r[0], r[1])
    )
    lines = []
    balance = ZERO
    for day, _rank, kind, amount, row in rows:
        if kind in (INVOICE, CREDIT_NOTE):
            label, debit, credit, steps = _document_line(kind, amount, row)
        else:
            label, debit, credit, steps = _money_line(kind, amount, row)
        before = balance
        balance = balance + debit - credit
        steps.append(
            Step(
                _("Solde : %(before)s + %(debit)s − %(credit)s = %(after)s")
                % {
                    "before": format_eur(before),
                    "debit": format_eur(debit),
                    "credit": format_eur(credit),
                    "after": format_eur(balance),
                }
            )
        )
        explained = Explained(value=debit or credit, rule=f"statement_{kind}", steps=tuple(steps))
        invoice = row if kind in (INVOICE, CREDIT_NOTE) else None
        lines.append(StatementLine(day, kind, label, debit, credit, balance, explained, invoice))
    return lines


def _late_of_client(client: Client, on: date) -> list[LateInvoice]:
    """The client's invoices that were late on some day up to ``on`` (paid late included:
    their interest runs until they were paid)."""
    found = []
    invoices = invoice_selectors.invoices_for_client(client=client).filter(
        kind__in=selectors.LATE_KINDS, issue_date__lte=on
    )
    for invoice in standing_selectors.with_effective_due(invoices).filter(effective_due__lt=on):
        late = late_invoice(invoice=invoice, on=on)
        if late.billed:
            continue  # its penalty invoice is among the documents
        if late.missing or (late.owed is not None and late.owed.days_late > 0):
            found.append(late)
    return found


def _penalty_lines(late: list[LateInvoice], on: date, balance: Decimal) -> list[StatementLine]:
    lines = []
    for item in late:
        if item.owed is None:
            continue
        number = item.invoice.number
        for kind, explained, label in (
            (INTEREST, item.owed.interest, _("Intérêts de retard, facture %(number)s")),
            (INDEMNITY, item.owed.indemnity, _("Indemnité de recouvrement, facture %(number)s")),
        ):
            if explained.value:
                balance += explained.value
                lines.append(
                    StatementLine(
                        on,
                        kind,
                        label % {"number": number},
                        explained.value,
                        ZERO,
                        balance,
                        explained,
                        item.invoice,
                    )
                )
    return lines


def _total(lines: list[StatementLine], kind: str, side: str) -> Decimal:
    return sum((getattr(line, side) for line in lines if line.kind == kind), ZERO)


def account_statement(*, client: Client, on: date) -> Statement:
    """The account statement of ``client`` on ``on`` (every figure explained)."""
    lines = _principal_lines(client, on)
    principal_value = lines[-1].balance if lines else ZERO
    late = _late_of_client(client, on)
    lines += _penalty_lines(late, on, principal_value)
    principal = Explained(
        value=principal_value,
        rule="statement_principal",
        steps=(
            Step(_("Factures émises (net à payer)"), _total(lines, INVOICE, "debit")),
            Step(_("Remboursements versés"), _total(lines, REFUND, "debit")),
            Step(_("Avoirs"), _total(lines, CREDIT_NOTE, "credit")),
            Step(_("Paiements acquis"), _total(lines, PAYMENT, "credit")),
            Step(_("Solde des factures au %(day)s") % {"day": _day(on)}, principal_value),
        ),
    )
    interest = _sum_explained(
        "statement_interest", late, lambda o: o.interest, none=_("Aucune facture en retard.")
    )
    indemnities = _sum_explained(
        "statement_indemnities",
        late,
        lambda o: o.indemnity,
        law=LATE_PAYMENT_LAW,
        none=_("Aucune indemnité due."),
    )
    total = principal_value + interest.value + indemnities.value
    total_due = Explained(
        value=total,
        rule="statement_total_due",
        steps=(
            Step(_("Solde des factures"), principal_value),
            Step(_("Intérêts de retard à date"), interest.value),
            Step(_("Indemnités forfaitaires de recouvrement"), indemnities.value),
            Step(
                _("%(principal)s + %(interest)s + %(indemnities)s = %(total)s")
                % {
                    "principal": format_eur(principal_value),
                    "interest": format_eur(interest.value),
                    "indemnities": format_eur(indemnities.value),
                    "total": format_eur(total),
                }
            ),
        ),
    )
    return Statement(client, on, lines, late, principal, interest, indemnities, total_due)


# --- the seller's aged balance ------------------------------------------------------------

# (key, first day past due, last day past due or None)
BUCKETS: Final = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))


def bucket_of(days_past_due: int) -> str:
    for key, first, last in BUCKETS:
        if days_past_due >= first and (last is None or days_past_due <= last):
            return key
    return BUCKETS[0][0]


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    first: int
    last: int | None
    amount: Explained
    count: int
    invoices: list[LateInvoice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AgedBalance:
    seller: Seller
    on: date
    buckets: list[Bucket]
    late: list[LateInvoice]
    total: Explained
    interest: Explained
    indemnities: Explained
    # The clients suspended for non-payment (seed 002 art. 6), latest first.
    suspended: list[Suspension] = field(default_factory=list)

    @property
    def missing(self) -> list[LateInvoice]:
        return [late for late in self.late if late.missing]


def _bucket(key: str, first: int, last: int | None, items: list[LateInvoice]) -> Bucket:
    amount = sum((item.outstanding for item in items), ZERO)
    steps = [
        Step(
            _("%(number)s, %(client)s : %(days)s jours de retard, %(amount)s restant dû")
            % {
                "number": item.invoice.number,
                "client": item.invoice.client.name,
                "days": item.days_late,
                "amount": format_eur(item.outstanding),
            },
            item.outstanding,
        )
        for item in items
    ] or [Step(_("Aucune facture dans cette tranche."))]
    explained = Explained(
        value=amount, rule="aged_balance_bucket", inputs={"bucket": key}, steps=tuple(steps)
    )
    return Bucket(key, first, last, explained, len(items), items)


def aged_balance(*, seller: Seller, on: date) -> AgedBalance:
    """``seller``'s invoices past due on ``on`` and not settled, by days past due (the
    days after the due date in force, brought forward by an acceleration), with the interest
    and indemnities they owe on that day."""
    overdue = standing_selectors.overdue_on(
        invoice_selectors.invoices_for_seller(seller=seller), on=on
    )
    late = [late_invoice(invoice=invoice, on=on) for invoice in overdue]
    buckets = [
        _bucket(key, first, last, [i for i in late if bucket_of(i.days_late) == key])
        for key, first, last in BUCKETS
    ]
    total_value = sum((b.amount.value for b in buckets), ZERO)
    total = Explained(
        value=total_value,
        rule="aged_balance",
        steps=tuple(
            Step(
                _("%(bucket)s jours : %(count)s facture(s)") % {"bucket": b.key, "count": b.count},
                b.amount.value,
            )
            for b in buckets
        ),
    )
    interest = _sum_explained(
        "aged_interest", late, lambda o: o.interest, none=_("Aucune facture en retard.")
    )
    indemnities = _sum_explained(
        "aged_indemnities",
        late,
        lambda o: o.indemnity,
        law=LATE_PAYMENT_LAW,
        none=_("Aucune indemnité due."),
    )
    suspended = list(standing_selectors.open_suspensions(seller=seller))
    return AgedBalance(seller, on, buckets, late, total, interest, indemnities, suspended)
