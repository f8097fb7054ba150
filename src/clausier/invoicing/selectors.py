"""Reads of invoices: the ledger walk (every chain of every seller) and scoped lists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KT, KeyTransform
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clausier.customers.models import Client
from clausier.invoicing import domain
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    UsageBillingOutcome,
    UsageBillingRun,
    UsageOutcomeKind,
)
from clausier.kernel.replica import report
from clausier.sellers.models import Seller
from clausier.sellers.selectors import StaffScope
from clausier.terms import selectors as terms_selectors
from clausier.terms.models import TermsVersion


@dataclass(frozen=True, slots=True)
class Chain:
    """One hash chain: a seller's series for one year, and how many documents it holds."""

    seller_id: int
    seller: str
    series: str
    year: int
    documents: int


def ledger_chains(*, seller: Seller | None = None) -> list[Chain]:
    """Every chain of issued documents (one per seller, series and year), in order."""
    rows = Invoice.objects.filter(status=InvoiceStatus.ISSUED)
    if seller is not None:
        rows = rows.filter(seller=seller)
    counted = (
        rows.values("seller_id", "seller__slug", "series", "year")
        .annotate(documents=Count("id"))
        .order_by("seller__slug", "series", "year")
    )
    return [
        Chain(
            seller_id=row["seller_id"],
            seller=row["seller__slug"],
            series=row["series"],
            year=row["year"],
            documents=row["documents"],
        )
        for row in counted
    ]


def ledger_rows(chain: Chain, *, chunk_size: int = 500) -> Iterator[domain.LedgerRow]:
    """The documents of ``chain`` in sequence order, streamed (a chain may be long)."""
    rows = (
        Invoice.objects.filter(
            seller_id=chain.seller_id,
            series=chain.series,
            year=chain.year,
            status=InvoiceStatus.ISSUED,
        )
        .order_by("sequence", "id")
        .values_list(
            "number",
            "sequence",
            "issue_date",
            "total_ttc",
            "snapshot",
            "content_hash",
            "previous_hash",
            "chain_hash",
        )
    )
    # On PostgreSQL the iterator is a server-side cursor: closing this generator (a walk that
    # stops at a broken link) closes it at once, inside the transaction that opened it.
    stream = rows.iterator(chunk_size=chunk_size)
    try:
        for values in stream:
            yield domain.LedgerRow(*values)
    finally:
        stream.close()


def invoices_for_seller(*, seller: Seller) -> QuerySet[Invoice]:
    return Invoice.objects.filter(seller=seller).select_related("client")


def invoice_for_seller(*, seller: Seller, invoice_id: int) -> Invoice:
    """One of ``seller``'s invoices or credit notes (drafts too); another seller's is a 404."""
    return get_object_or_404(invoices_for_seller(seller=seller).filter(pk=invoice_id))


def invoice_page_for_seller(*, seller: Seller, invoice_id: int) -> Invoice:
    """:func:`invoice_for_seller`, with what the invoice's page names of the documents it
    belongs with read in the same query (``order_reference``, ``quote_number`` and
    ``quote_revision``, ``corrected_number``: None without them) and who issued it."""
    rows = (
        invoices_for_seller(seller=seller)
        .filter(pk=invoice_id)
        .select_related("issued_by")
        .annotate(
            order_reference=F("order__reference"),
            quote_number=F("quote__number"),
            quote_revision=F("quote__revision"),
            corrected_number=F("corrects__number"),
        )
    )
    return get_object_or_404(rows)


def terms_for(*, invoice: Invoice) -> TermsVersion | None:
    """The terms the document runs by: its order's, else those the client accepted last,
    else the seller's published version."""
    if invoice.terms_version_id:
        return invoice.terms_version
    if invoice.order_id:
        return invoice.order.terms_version
    if invoice.corrects_id and invoice.corrects.terms_version_id:
        return invoice.corrects.terms_version
    return terms_selectors.version_in_force_for_client(
        client=invoice.client
    ) or terms_selectors.current_version(seller=invoice.seller)


def credit_notes_of(*, invoice: Invoice) -> QuerySet[Invoice]:
    """The credit notes issued on ``invoice``, in their series' order."""
    return Invoice.objects.filter(
        corrects=invoice, kind=InvoiceKind.CREDIT_NOTE, status=InvoiceStatus.ISSUED
    ).order_by("sequence", "id")


def creditable(
    *, invoice: Invoice, credit_notes: Iterable[Invoice] | None = None
) -> domain.Creditable | None:
    """What an issued invoice can still be credited (None for a draft or a credit note).
    ``credit_notes``: its credit notes (:func:`credit_notes_of`), when they are read already."""
    if not invoice.is_issued or invoice.is_credit_note:
        return None
    if credit_notes is None:
        credit_notes = credit_notes_of(invoice=invoice)
    notes = [note.document for note in credit_notes]
    return domain.creditable(invoice=invoice.document, credit_notes=notes)


def overdue(invoices: QuerySet[Invoice], *, today: date) -> QuerySet[Invoice]:
    """The issued invoices of ``invoices`` that are ``late`` on ``today``, in SQL what
    :meth:`Invoice.payment_status` decides: past their due date, neither cancelled whole by
    credit notes nor covered by payments and credit notes. A credit note is never late. The
    one definition of "overdue", for the back-office list and the API alike."""
    return (
        invoices.filter(status=InvoiceStatus.ISSUED, due_date__lt=today)
        .exclude(kind=InvoiceKind.CREDIT_NOTE)
        .exclude(total_ttc__gt=0, credited_amount__gte=F("total_ttc"))
        .filter(amount_due__gt=F("amount_paid") + F("credited_amount"))
    )


@dataclass(frozen=True, slots=True)
class InvoiceFilters:
    """What a list of a seller's invoices and credit notes is narrowed to.

    ``search``: a number, a client's name (part of either) or the start of its SIREN;
    ``status`` and ``kind``: an :class:`InvoiceStatus` / :class:`InvoiceKind` value ("" for
    all); ``client_id``; ``issued_from`` / ``issued_to``: issue dates, both days included
    (drafts have none, so either one leaves them out); ``overdue``: True for the documents
    :func:`overdue` on ``today``, False for all the others (drafts included), None for both.
    ``today`` is needed with ``overdue`` and only then; a credit note is never overdue.
    ``revenue``: only the documents :func:`revenue_documents` counts in the revenue.
    """

    search: str = ""
    status: str = ""
    kind: str = ""
    client_id: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    overdue: bool | None = None
    today: date | None = None
    revenue: bool = False

    def __post_init__(self) -> None:
        if self.overdue is not None and self.today is None:
            raise ValueError("overdue: say on which day (today=) a document is late or not")


def invoice_list(*, scope: StaffScope, filters: InvoiceFilters) -> QuerySet[Invoice]:
    """The scope's seller's invoices and credit notes narrowed by ``filters``, latest first."""
    invoices = invoices_for_seller(seller=scope.seller)
    if filters.search:
        invoices = invoices.filter(
            Q(number__icontains=filters.search)
            | Q(client__name__icontains=filters.search)
            | Q(client__siren__startswith=filters.search)
        )
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.kind:
        invoices = invoices.filter(kind=filters.kind)
    if filters.client_id is not None:
        invoices = invoices.filter(client_id=filters.client_id)
    if filters.issued_from is not None:
        invoices = invoices.filter(issue_date__gte=filters.issued_from)
    if filters.issued_to is not None:
        invoices = invoices.filter(issue_date__lte=filters.issued_to)
    if filters.overdue is not None:
        late = overdue(invoices, today=filters.today)
        invoices = late if filters.overdue else invoices.exclude(pk__in=late.values("pk"))
    if filters.revenue:
        invoices = revenue_documents(invoices)
    return invoices


def revenue_documents(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """The documents of ``invoices`` that make the revenue: the issued invoices and credit
    notes, but deposit invoices and the credit notes that correct them. A deposit is an advance
    on the order (PCG account 4191); the final invoice bills the whole order again and deducts
    it from what is left to pay, so counting the deposit as well would count it twice."""
    return (
        invoices.filter(status=InvoiceStatus.ISSUED)
        .exclude(kind=InvoiceKind.DEPOSIT)
        .exclude(kind=InvoiceKind.CREDIT_NOTE, corrects__kind=InvoiceKind.DEPOSIT)
    )


def credit_note_ids(*, invoice: Invoice) -> list[int]:
    """The ids of the credit notes issued on ``invoice``, in their series' order."""
    return list(credit_notes_of(invoice=invoice).values_list("pk", flat=True))


def invoice_lines(*, invoice: Invoice) -> list[InvoiceLine]:
    """The lines of ``invoice`` in the order they are printed."""
    return list(invoice.lines.order_by("position", "id"))


def invoices_for_client(*, client: Client) -> QuerySet[Invoice]:
    """What a client sees: its issued documents only, never drafts."""
    return Invoice.objects.filter(client=client, status=InvoiceStatus.ISSUED)


# --- the client's own documents (portal) -------------------------------------------------------

CREDIT_NOTE_ROW = "credit_note"  # a credit note in a client's list: an "avoir", nothing to pay


@dataclass(frozen=True, slots=True)
class ClientDocument:
    """An issued document as its client sees it on a day: ``state`` is a
    :func:`domain.payment_status` (``to_pay``, ``late``, ``paid``, ``credited``) or
    ``credit_note``; ``outstanding`` what remains to pay (0 once paid, and for an avoir)."""

    invoice: Invoice
    state: str
    outstanding: Decimal


@dataclass(frozen=True, slots=True)
class ClientBalance:
    """What a client owes on a day: everything still to pay (late included) and the late part."""

    to_pay: Decimal
    to_pay_count: int
    late: Decimal
    late_count: int


def client_document(invoice: Invoice, *, today: date) -> ClientDocument:
    if invoice.is_credit_note:
        return ClientDocument(invoice, CREDIT_NOTE_ROW, Decimal("0"))
    state = invoice.payment_status(today=today)
    remaining = invoice.unpaid
    owed = state in (domain.TO_PAY, domain.LATE) and remaining > 0
    return ClientDocument(invoice, state, remaining if owed else Decimal("0"))


# The due date sentence in its words (``InvoiceDocument.wording``), worded in the reader's
# language by the ``worded`` filter; None for a document issued before (``due_why`` then).
_DUE_WORDS = KeyTransform("due_date_explanation", KeyTransform("wording", "snapshot"))


def client_documents(*, client: Client, now: datetime) -> list[ClientDocument]:
    """The client's issued invoices and credit notes, newest first, each with where it stands
    on the day ``now`` falls in Europe/Paris (``TIME_ZONE``): an invoice due on the 12th is
    late from midnight in Paris, whatever the hour in UTC. The snapshot stays in the database
    but its due date sentence (``due_why``)."""
    today = timezone.localdate(now)
    rows = (
        invoices_for_client(client=client)
        .select_related("corrects")
        .defer("snapshot", "explanations", "corrects__snapshot", "corrects__explanations")
        .annotate(due_why=KT("snapshot__due_date_explanation"), due_words=_DUE_WORDS)
        .order_by("-issue_date", "-issued_at", "-id")
    )
    return [client_document(invoice, today=today) for invoice in rows]


def client_balance(documents: Iterable[ClientDocument]) -> ClientBalance:
    owed = [d for d in documents if d.outstanding > 0]
    late = [d for d in owed if d.state == domain.LATE]
    return ClientBalance(
        to_pay=sum((d.outstanding for d in owed), Decimal("0")),
        to_pay_count=len(owed),
        late=sum((d.outstanding for d in late), Decimal("0")),
        late_count=len(late),
    )


def invoice_for_client(*, client: Client, invoice_id: int) -> Invoice:
    """One issued document of ``client``; a draft or another client's is a 404."""
    return get_object_or_404(
        invoices_for_client(client=client)
        .select_related("seller", "order", "quote", "corrects")
        .filter(pk=invoice_id)
    )


# --- the ledger screens (back-office invoice list, its CSV export, the order page) ----------


def deposit_invoices(*, deposit_request) -> QuerySet[Invoice]:
    """The issued deposit invoices of a deposit request (one, unless it was credited and
    invoiced again)."""
    return Invoice.objects.filter(
        deposit_request=deposit_request, kind=InvoiceKind.DEPOSIT, status=InvoiceStatus.ISSUED
    ).order_by("sequence", "id")


def invoices_of_order(*, order) -> QuerySet[Invoice]:
    """Every document of an order (deposit, final, standard, credit notes), in issue order,
    drafts last."""
    return Invoice.objects.filter(seller_id=order.seller_id, order=order).order_by(
        F("issue_date").asc(nulls_last=True), "series", "sequence", "id"
    )


def drafts_waiting(*, seller: Seller) -> QuerySet[Invoice]:
    """Drafts an automatic issue left waiting (a mention missing...), with their reason."""
    return (
        Invoice.objects.filter(seller=seller, status=InvoiceStatus.DRAFT)
        .exclude(issue_blocked_reason="")
        .select_related("client", "order")
        .order_by("created_at", "id")
    )


_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(Decimal("0.00"), output_field=_MONEY)
_TEXT = TextField()


def _signed(field: str) -> Case:
    # A credit note reduces what was invoiced: the ledger counts it negative.
    return Case(
        When(kind=InvoiceKind.CREDIT_NOTE, then=-F(field)),
        default=F(field),
        output_field=_MONEY,
    )


def _balance(today: date) -> dict[str, Case]:
    # ``outstanding`` and ``pay_state`` in SQL, shared by the ledger list and the dashboards.
    invoice = Q(status=InvoiceStatus.ISSUED) & ~Q(kind=InvoiceKind.CREDIT_NOTE)
    covered = F("amount_paid") + F("credited_amount")
    return {
        "outstanding": Case(
            When(invoice, then=Greatest(F("amount_due") - covered, _ZERO, output_field=_MONEY)),
            default=_ZERO,
            output_field=_MONEY,
        ),
        "pay_state": Case(
            When(~invoice, then=Value("")),
            When(
                Q(total_ttc__gt=0, credited_amount__gte=F("total_ttc")),
                then=Value(domain.CREDITED),
            ),
            When(amount_due__lte=covered, then=Value(domain.PAID)),
            When(due_date__lt=today, then=Value(domain.LATE)),
            default=Value(domain.TO_PAY),
        ),
    }


def _client_label(part: str) -> Coalesce:
    return Coalesce(
        NullIf(KT(f"snapshot__buyer__{part}"), Value("")), F(f"client__{part}"), output_field=_TEXT
    )


def _figures(today: date) -> dict[str, Case]:
    return {
        "signed_ht": _signed("total_ht"),
        "signed_vat": _signed("total_vat"),
        "signed_ttc": _signed("total_ttc"),
        **_balance(today),
    }


def with_balance(rows: QuerySet[Invoice], *, today: date) -> QuerySet[Invoice]:
    """``rows`` annotated in SQL for the ledger screens, so that a list filters, sorts and
    sums on them without a query per row:

    - ``signed_ht``, ``signed_vat``, ``signed_ttc``: the totals, negative for a credit note;
    - ``outstanding``: what the client still owes on an issued invoice (net to pay minus
      payments and credit notes, never below zero; zero for drafts and credit notes);
    - ``pay_state``: what :func:`clausier.invoicing.domain.payment_status` says on ``today``
      (``to_pay``, ``paid``, ``late``, ``credited``), "" for drafts and credit notes;
    - ``client_label``, ``client_siren``: the client as the issued document names it (its
      frozen snapshot), the live client for a draft.
    """
    return rows.annotate(
        **_figures(today),
        client_label=_client_label("name"),
        client_siren=_client_label("siren"),
    )


def with_balance_aliases(rows: QuerySet[Invoice], *, today: date) -> QuerySet[Invoice]:
    """:func:`with_balance` for a page of the list: the figures are SQL aliases (a filter, a
    sort and :func:`ledger_totals` use them) and only ``client_label`` is read with each row;
    :func:`read_balance` gives each row read its figures, by the same rules in Python."""
    return rows.alias(**_figures(today)).annotate(client_label=_client_label("name"))


def read_balance(invoice: Invoice, *, today: date) -> None:
    """Set on ``invoice`` the figures :func:`with_balance` reads in SQL, from its own fields:
    the signed totals, ``outstanding`` and ``pay_state`` (:meth:`Invoice.payment_status`)."""
    credit_note = invoice.is_credit_note
    for figure in ("ht", "vat", "ttc"):
        total = getattr(invoice, f"total_{figure}")
        setattr(invoice, f"signed_{figure}", -total if credit_note else total)
    owed = invoice.is_issued and not credit_note
    invoice.outstanding = max(invoice.unpaid, _ZERO.value) if owed else _ZERO.value
    invoice.pay_state = invoice.payment_status(today=today)


def ledger_totals(rows: QuerySet[Invoice]) -> dict[str, Decimal | int]:
    """Totals of ``rows`` (annotated by :func:`with_balance`) in one query: HT, VAT and TTC
    (credit notes deducted), paid and still due, over the issued documents only (a draft is
    not in the books yet: ``drafts`` counts them and ``draft_*`` sums them apart), and
    ``documents``, how many rows there are in all (the list's count).

    The query sums by status and kind (a few rows), which are then added up here: the same
    figures as sums filtered in SQL, for a fraction of the work of building that query."""
    groups = (
        rows.order_by()
        .values("status", "kind")
        .annotate(
            ht=Sum("total_ht"),
            vat=Sum("total_vat"),
            ttc=Sum("total_ttc"),
            paid=Sum("amount_paid"),
            due=Sum("outstanding"),
            count=Count("id"),
        )
    )
    zero = Decimal("0.00")
    totals: dict[str, Decimal | int] = dict.fromkeys(
        ("ht", "vat", "ttc", "paid", "due", "draft_ht", "draft_vat", "draft_ttc"), zero
    ) | dict.fromkeys(("issued", "drafts", "documents"), 0)
    for group in groups:
        totals["documents"] += group["count"]
        if group["status"] == InvoiceStatus.DRAFT:
            totals["drafts"] += group["count"]
            for figure in ("ht", "vat", "ttc"):
                totals[f"draft_{figure}"] += group[figure]
        elif group["status"] == InvoiceStatus.ISSUED:
            # A credit note reduces what was invoiced: the ledger counts it negative.
            credit_note = group["kind"] == InvoiceKind.CREDIT_NOTE
            totals["issued"] += group["count"]
            for figure in ("ht", "vat", "ttc"):
                totals[figure] += -group[figure] if credit_note else group[figure]
            totals["due"] += group["due"]
            if not credit_note:
                totals["paid"] += group["paid"]
    return totals


# --- the dashboards (back-office home, portal home) --------------------------------------------

DASHBOARD_MONTHS = 12  # the revenue chart: this month and the eleven before it


@dataclass(frozen=True, slots=True)
class Receivables:
    """What is owed on ``today`` over issued invoices (credit notes deducted from the invoice
    they correct, never below zero on one): ``outstanding`` (late included) and the ``overdue``
    part, each with how many invoices; ``next_due``, the earliest due date still to come."""

    outstanding: Decimal
    outstanding_count: int
    overdue: Decimal
    overdue_count: int
    next_due: date | None


def receivables(invoices: QuerySet[Invoice], *, today: date) -> Receivables:
    """The :class:`Receivables` of ``invoices`` on ``today``, in one query: the figures of the
    ledger list's ``outstanding`` and ``pay_state`` (:func:`with_balance`), summed in SQL."""
    late = Q(pay_state=domain.LATE)
    totals = (
        invoices.filter(status=InvoiceStatus.ISSUED)
        .exclude(kind=InvoiceKind.CREDIT_NOTE)
        .annotate(**_balance(today))
        .order_by()
        .aggregate(
            owed=Coalesce(Sum("outstanding"), _ZERO),
            owed_count=Count("id", filter=Q(outstanding__gt=0)),
            late=Coalesce(Sum("outstanding", filter=late), _ZERO),
            late_count=Count("id", filter=late),
            next_due=Min("due_date", filter=Q(pay_state=domain.TO_PAY)),
        )
    )
    return Receivables(
        outstanding=totals["owed"],
        outstanding_count=totals["owed_count"],
        overdue=totals["late"],
        overdue_count=totals["late_count"],
        next_due=totals["next_due"],
    )


@dataclass(frozen=True, slots=True)
class MonthRevenue:
    month: date  # its first day
    ht: Decimal


@dataclass(frozen=True, slots=True)
class SellerFigures:
    """A seller's money on ``today``: revenue HT (:func:`revenue_documents`, credit notes
    deducted, by issue date) this month, this year and month by month over the last
    :data:`DASHBOARD_MONTHS` months (oldest first, this month last), and its receivables."""

    today: date
    month_ht: Decimal
    year_ht: Decimal
    months: list[MonthRevenue]
    receivables: Receivables

    @property
    def month_start(self) -> date:
        return self.today.replace(day=1)

    @property
    def year_start(self) -> date:
        return self.today.replace(month=1, day=1)


def month_starts(today: date, count: int = DASHBOARD_MONTHS) -> list[date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


@report
def seller_figures(*, seller: Seller, today: date) -> SellerFigures:
    """The back-office home's figures in two queries, whatever the number of invoices. An
    issue date is the day in Europe/Paris the document was issued, so months are Paris months."""
    months = month_starts(today)
    per_month = dict(
        revenue_documents(Invoice.objects.filter(seller=seller))
        .filter(issue_date__gte=months[0], issue_date__lte=today)
        .annotate(month=TruncMonth("issue_date"), signed_ht=_signed("total_ht"))
        .order_by()
        .values("month")
        .annotate(ht=Sum("signed_ht"))
        .values_list("month", "ht")
    )
    series = [MonthRevenue(m, per_month.get(m) or Decimal("0.00")) for m in months]
    return SellerFigures(
        today=today,
        month_ht=series[-1].ht,
        year_ht=sum((m.ht for m in series if m.month.year == today.year), Decimal("0.00")),
        months=series,
        receivables=receivables(Invoice.objects.filter(seller=seller), today=today),
    )


@dataclass(frozen=True, slots=True)
class ClientFigures:
    """What a client owes on ``today`` (:class:`Receivables`) and the invoices behind it, the
    earliest due first (at most ``shown`` of them), each annotated with ``outstanding``,
    ``pay_state`` and ``due_why`` (the due date sentence of its snapshot)."""

    receivables: Receivables
    owed: list[Invoice]

    @property
    def late(self) -> list[Invoice]:
        return [i for i in self.owed if i.pay_state == domain.LATE]

    @property
    def next_due(self) -> list[Invoice]:
        """The invoices due on the next due date (among those shown)."""
        day = self.receivables.next_due
        return [i for i in self.owed if i.pay_state == domain.TO_PAY and i.due_date == day]

    @property
    def more(self) -> int:
        return self.receivables.outstanding_count - len(self.owed)


@report
def client_figures(*, client: Client, today: date, shown: int = 10) -> ClientFigures:
    """The portal home's figures for ``client`` in two queries (its issued documents only)."""
    invoices = invoices_for_client(client=client)
    owed = (
        invoices.exclude(kind=InvoiceKind.CREDIT_NOTE)
        .defer("snapshot", "explanations")
        .annotate(
            **_balance(today), due_why=KT("snapshot__due_date_explanation"), due_words=_DUE_WORDS
        )
        .filter(outstanding__gt=0)
        .order_by("due_date", "issue_date", "id")
    )
    return ClientFigures(receivables=receivables(invoices, today=today), owed=list(owed[:shown]))


def usage_run_summary(*, run: UsageBillingRun, seller: Seller | None = None) -> dict[str, int]:
    """How many subscriptions of ``run`` (of ``seller``'s only, when given) ended in each
    outcome."""
    outcomes = UsageBillingOutcome.objects.filter(run=run)
    if seller is not None:
        outcomes = outcomes.filter(subscription__seller=seller)
    counts = dict(
        outcomes.order_by()
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return {kind.value: counts.get(kind.value, 0) for kind in UsageOutcomeKind}


def usage_runs_for_seller(*, seller: Seller) -> QuerySet[UsageBillingRun]:
    """The usage billing runs a seller's staff sees: its own and those of every seller,
    latest month first."""
    return UsageBillingRun.objects.filter(Q(seller=seller) | Q(seller__isnull=True)).order_by(
        "-period_start", "-id"
    )


def usage_run_for_seller(*, seller: Seller, run_id: int) -> UsageBillingRun:
    return get_object_or_404(usage_runs_for_seller(seller=seller), pk=run_id)


def usage_run_outcomes(*, run: UsageBillingRun, seller: Seller) -> QuerySet[UsageBillingOutcome]:
    """The outcomes of ``run`` for ``seller``'s subscriptions, errors first, with their
    subscription, client and invoice."""
    return (
        UsageBillingOutcome.objects.filter(run=run, subscription__seller=seller)
        .select_related("subscription__client", "invoice")
        .order_by(
            Case(When(outcome=UsageOutcomeKind.ERROR, then=Value(0)), default=Value(1)),
            "subscription_id",
        )
    )
