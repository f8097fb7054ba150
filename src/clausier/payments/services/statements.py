"""Bank statements imported and reconciled.

:func:`import_statement` reads a CAMT.053 or CSV file (all or nothing: a file that cannot be
read is refused naming the element or the cell and the reason, and nothing is stored),
stores each line once per seller (a line already imported, by this statement or an earlier
one, is a duplicate and pays nothing), and matches each credit to the seller's open invoices
(:mod:`clausier.payments.bank.matching`): a matched line is recorded as a transfer received on
its value date and allocated through :func:`~clausier.payments.services.offline.
record_offline_payment`; the rest waits ``to_review``. Large files go through
:func:`queue_statement` (the file read and accepted at once) and the background task
``payments.tasks.import_bank_statement`` (:func:`run_statement`, chunk by chunk, with its
progress; taken up where it stopped if interrupted).

Staff then settle the lines to review: :func:`match_line` (one or several invoices, a
split), :func:`credit_line` (the client's credit), :func:`ignore_line` (with a reason).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.customers.models import Client
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.uploads import upload_refusal
from clausier.payments import statement_selectors as selectors
from clausier.payments import statement_transitions as st
from clausier.payments.bank.camt053 import parse_camt053
from clausier.payments.bank.csv_statement import CsvMapping, parse_csv_statement
from clausier.payments.bank.matching import Match, match_lines
from clausier.payments.bank.statement import (
    Statement,
    StatementError,
    StatementLine,
    triage,
)
from clausier.payments.checks import positive_amount, single_line
from clausier.payments.models import Method, Payment
from clausier.payments.services.offline import record_offline_payment
from clausier.payments.statement_models import (
    BankCsvMapping,
    BankStatement,
    BankStatementLine,
    StatementFormat,
)
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained
from clausier.rules.money import ZERO, format_eur
from clausier.sellers.models import Seller

CHUNK = 200
# Up to this many lines, a statement uploaded is imported at once; beyond, in the background.
INLINE_LINES = 200
type Progress = Callable[[int, int], None]


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadStatement:
    """What a file says: its account and period, its lines in the file's order."""

    ref: str
    account_iban: str
    period_start: Any
    period_end: Any
    lines: tuple[StatementLine, ...]


def csv_mapping_of(*, mapping: Any) -> CsvMapping:
    """``mapping`` (a saved bank mapping, a :class:`CsvMapping`, its JSON) as a CsvMapping;
    a wrong one is refused naming ``mapping`` and the rule."""
    if isinstance(mapping, CsvMapping):
        return mapping
    if isinstance(mapping, BankCsvMapping):
        mapping = mapping.mapping
    if mapping in (None, "", {}):
        raise ValidationError(
            {"mapping": _("un relevé CSV se lit avec la correspondance de sa banque")}
        )
    try:
        return CsvMapping.from_json(mapping)
    except (RuleError, ValueError, TypeError) as exc:
        raise ValidationError({"mapping": str(exc)}) from None


def _joined(statements: Sequence[Statement]) -> ReadStatement:
    accounts = {s.account_iban for s in statements}
    if len(accounts) > 1:
        raise ValidationError(
            {
                "file": _("un fichier ne porte qu'un compte (%(accounts)s)")
                % {"accounts": ", ".join(sorted(accounts))}
            }
        )
    starts = [s.period_start for s in statements if s.period_start]
    ends = [s.period_end for s in statements if s.period_end]
    return ReadStatement(
        ref=statements[0].id[:140],
        account_iban=statements[0].account_iban,
        period_start=min(starts, default=None),
        period_end=max(ends, default=None),
        lines=tuple(line for s in statements for line in s.lines),
    )


def read_statement(*, data: bytes, format: str, mapping: Any = None) -> ReadStatement:
    """The statement in ``data``, read whole; a file that cannot be read is a
    ValidationError on ``file`` naming the element (or the line and column) and the reason."""
    if format not in StatementFormat.values:
        raise ValidationError({"format": _("camt053 ou csv")})
    csv_mapping = csv_mapping_of(mapping=mapping) if format == StatementFormat.CSV else None
    try:
        if csv_mapping is not None:
            statements = (parse_csv_statement(data, csv_mapping),)
        else:
            statements = parse_camt053(data)
    except StatementError as exc:
        raise ValidationError({"file": f"{exc.where} : {exc.reason}"}) from None
    return _joined(statements)


# --- queuing and running an import -------------------------------------------------------------


@transaction.atomic
def queue_statement(
    *,
    seller: Seller,
    data: bytes,
    filename: str,
    format: str,
    by: Actor,
    mapping: Any = None,
    now: datetime | None = None,
) -> BankStatement:
    """The file read and accepted (else refused whole, nothing stored), kept as a statement
    ``queued`` for :func:`run_statement`, its progress total the number of its lines."""
    now = aware_now(now)
    read = read_statement(data=data, format=format, mapping=mapping)
    csv_json = None
    if format == StatementFormat.CSV:
        csv_json = json.loads(csv_mapping_of(mapping=mapping).to_json())
    statement = BankStatement.objects.create(
        seller=seller,
        filename=single_line(filename)[:255] or "relevé",
        format=format,
        csv_mapping=csv_json,
        content=bytes(data),
        statement_ref=read.ref,
        account_iban=read.account_iban,
        period_start=read.period_start,
        period_end=read.period_end,
        progress_total=len(read.lines),
        imported_by=acting_user(by=by),
    )
    record_on(
        obj=statement,
        actor=by,
        verb="bank_statement.queued",
        after={"filename": statement.filename, "format": format, "lines": len(read.lines)},
    )
    return statement


def _reread(statement: BankStatement) -> ReadStatement:
    return read_statement(
        data=bytes(statement.content), format=statement.format, mapping=statement.csv_mapping
    )


def _line_row(statement: BankStatement, position: int, line: StatementLine, state: str):
    return BankStatementLine(
        statement=statement,
        seller_id=statement.seller_id,
        position=position,
        fingerprint=line.fingerprint,
        booking_date=line.booking_date,
        value_date=line.value_date,
        amount=line.amount,
        direction=line.direction.value,
        currency=line.currency,
        counterparty_name=line.counterparty_name[:140],
        counterparty_iban=line.counterparty_iban[:34],
        remittance=line.remittance,
        creditor_reference=line.creditor_reference[:35],
        end_to_end_id=line.end_to_end_id[:35],
        bank_reference=line.bank_reference[:35],
        reversal=line.reversal,
        state=state,
    )


def _explanation(explained: Explained) -> dict[str, Any]:
    return {
        "value": explained.value,
        "rule": explained.rule,
        "steps": [
            {"label": str(step.label), "value": str(step.value) if step.value is not None else ""}
            for step in explained.steps
        ],
    }


def _record_match(row: BankStatementLine, match: Match, *, by: Actor, now: datetime) -> bool:
    """The transfer of a matched line recorded and allocated; False (the line left to review
    with the reason) when the payments refuse it."""
    invoices = {
        inv.pk: inv
        for inv in Invoice.objects.filter(
            seller_id=row.seller_id, pk__in=[a.invoice_id for a in match.allocations]
        ).select_related("client")
    }
    clients = {inv.client_id for inv in invoices.values()}
    if len(clients) != 1:
        return _left_to_review(row, _("Les factures citées sont de plusieurs clients"))
    try:
        with transaction.atomic():
            payment = _transfer(
                row,
                client=next(iter(invoices.values())).client,
                allocate_to=[(invoices[a.invoice_id], a.amount) for a in match.allocations],
                by=by,
                now=now,
            )
    except (ValidationError, DomainError) as exc:
        return _left_to_review(row, _refusal(exc))
    row.payment = payment
    row.state = st.MATCHED
    return True


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(f"{k} : {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def _left_to_review(row: BankStatementLine, reason: str) -> bool:
    row.explanation.setdefault("steps", []).append({"label": reason, "value": ""})
    row.explanation["value"] = st.TO_REVIEW
    row.state = st.TO_REVIEW
    row.method = ""
    return False


def _transfer(
    row: BankStatementLine,
    *,
    client: Client,
    allocate_to: list[tuple[Invoice, Decimal]],
    by: Actor,
    now: datetime,
) -> Payment:
    day = row.value_date or row.booking_date
    return record_offline_payment(
        seller=client.seller,
        client=client,
        method=Method.TRANSFER,
        amount=row.amount,
        received_on=row.booking_date or day,
        value_date=day,
        transfer_reference=_reference_of_row(row),
        allocate_to=allocate_to,
        by=by,
        now=now,
    )


def _reference_of_row(row: BankStatementLine) -> str:
    text = single_line(row.end_to_end_id or row.creditor_reference or row.remittance)
    return text[:140]


def _known(seller_id: int, fingerprints: list[str]) -> set[str]:
    return set(
        BankStatementLine.objects.filter(seller_id=seller_id, fingerprint__in=fingerprints)
        .exclude(state=st.DUPLICATE)
        .values_list("fingerprint", flat=True)
    )


def _run_chunk(
    statement: BankStatement,
    lines: Sequence[tuple[int, StatementLine]],
    *,
    by: Actor,
    now: datetime,
) -> None:
    """Store and match ``lines`` (position, line) of ``statement``, skipping those stored by
    an earlier run, and add what became of them to its counts."""
    done = set(
        BankStatementLine.objects.filter(
            statement=statement, position__in=[p for p, _ in lines]
        ).values_list("position", flat=True)
    )
    todo = [(p, line) for p, line in lines if p not in done]
    sorted_ = triage(
        [line for _, line in todo], _known(statement.seller_id, [ln.fingerprint for _, ln in todo])
    )
    new_ids = {id(line) for line in sorted_.new}
    new = [(p, line) for p, line in todo if id(line) in new_ids]
    matches = match_lines(
        [line for _, line in new], selectors.open_invoices_for_matching(seller=statement.seller)
    )
    rows = [
        _line_row(statement, p, line, st.DUPLICATE) for p, line in todo if id(line) not in new_ids
    ]
    for (position, line), match in zip(new, matches, strict=True):
        row = _line_row(statement, position, line, st.TO_REVIEW)
        row.explanation = _explanation(match.explanation)
        row.method = match.method.value if match.matched else ""
        if match.matched:
            _record_match(row, match, by=by, now=now)
        rows.append(row)
    BankStatementLine.objects.bulk_create(rows)
    _count(statement, rows, handled=len(done))


def _count(statement: BankStatement, rows: list[BankStatementLine], *, handled: int) -> None:
    for row in rows:
        if row.state == st.MATCHED:
            statement.matched_count += 1
        elif row.state == st.DUPLICATE:
            statement.duplicate_count += 1
        else:
            statement.to_review_count += 1
    statement.progress_done += len(rows) + handled
    statement.save(
        update_fields=[
            "matched_count",
            "to_review_count",
            "duplicate_count",
            "progress_done",
            "updated_at",
        ]
    )


def _locked_statement(statement: BankStatement) -> BankStatement:
    return BankStatement.objects.select_for_update().select_related("seller").get(pk=statement.pk)


def _lock_seller(seller_id: int) -> None:
    """One import of a seller's statements at a time: two files carrying the same movement,
    imported at once, store it once."""
    Seller.objects.select_for_update().filter(pk=seller_id).values_list("pk", flat=True).get()


def run_statement(
    *,
    statement: BankStatement,
    by: Actor,
    chunk: int = CHUNK,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> BankStatement:
    """Import the lines of a queued (or interrupted) statement, ``chunk`` lines a
    transaction, ``progress(done, total)`` told after each; an imported statement is left
    as it is (running twice changes nothing)."""
    now = aware_now(now)
    if statement.status == st.IMPORTED:
        return statement
    lines = list(enumerate(_reread(statement).lines))
    total = len(lines)
    for start in range(0, max(total, 1), max(chunk, 1)):
        with transaction.atomic():
            _lock_seller(statement.seller_id)
            statement = _locked_statement(statement)
            if statement.status == st.IMPORTED:
                return statement
            if statement.status == st.QUEUED:
                st.check_statement(
                    label=str(statement), current=statement.status, target=st.IMPORTING
                )
                statement.status = st.IMPORTING
                statement.save(update_fields=["status", "updated_at"])
            _run_chunk(statement, lines[start : start + chunk], by=by, now=now)
        if progress is not None:
            progress(statement.progress_done, total)
    return _finish(statement, by=by, now=now)


@transaction.atomic
def _finish(statement: BankStatement, *, by: Actor, now: datetime) -> BankStatement:
    statement = _locked_statement(statement)
    if statement.status == st.IMPORTED:
        return statement
    st.check_statement(label=str(statement), current=statement.status, target=st.IMPORTED)
    statement.status = st.IMPORTED
    statement.imported_at = now
    statement.save(update_fields=["status", "imported_at", "updated_at"])
    record_on(
        obj=statement,
        actor=by,
        verb="bank_statement.imported",
        after={
            "matched": statement.matched_count,
            "to_review": statement.to_review_count,
            "duplicates": statement.duplicate_count,
        },
    )
    return statement


@transaction.atomic
def import_statement(
    *,
    seller: Seller,
    data: bytes,
    filename: str,
    format: str,
    by: Actor,
    mapping: Any = None,
    progress: Progress | None = None,
    chunk: int = CHUNK,
    now: datetime | None = None,
) -> BankStatement:
    """Read, store and match a statement at once, in one transaction: a file that cannot be
    read is refused whole (a ValidationError on ``file`` naming the element and the reason)
    and nothing is stored. Returns the statement with its counts (matched, to review,
    duplicates skipped)."""
    statement = queue_statement(
        seller=seller, data=data, filename=filename, format=format, mapping=mapping, by=by, now=now
    )
    return run_statement(statement=statement, by=by, chunk=chunk, progress=progress, now=now)


def saved_mapping(*, seller: Seller, format: str, bank: str) -> BankCsvMapping | None:
    """The mapping saved for ``bank`` when ``format`` is CSV (none for CAMT.053); an unknown
    bank is refused naming ``mapping``."""
    if format != StatementFormat.CSV:
        return None
    saved = selectors.mapping_named(seller=seller, bank=single_line(bank))
    if saved is None:
        raise ValidationError(
            {
                "mapping": _("aucune correspondance CSV enregistrée pour la banque « %(bank)s »")
                % {"bank": single_line(bank)}
            }
        )
    return saved


def uploaded_bytes(*, file) -> bytes:
    """The content of an uploaded statement, refused (a ValidationError on ``file``) when
    empty or over the size limit (``UPLOAD_MAX_BYTES``)."""
    refusal = upload_refusal(file, use="bank_statement")
    if refusal:
        raise ValidationError({"file": refusal})
    file.seek(0)
    return file.read()


def start_statement_import(
    *,
    seller: Seller,
    data: bytes,
    filename: str,
    format: str,
    by: Actor,
    mapping: Any = None,
    inline_lines: int = INLINE_LINES,
    now: datetime | None = None,
) -> BankStatement:
    """The file read and accepted now (else refused whole); a statement of at most
    ``inline_lines`` lines is imported at once, a larger one by a background task once the
    statement is stored (its page shows the progress)."""
    from clausier.payments.tasks import import_bank_statement

    with transaction.atomic():
        statement = queue_statement(
            seller=seller,
            data=data,
            filename=filename,
            format=format,
            mapping=mapping,
            by=by,
            now=now,
        )
        if statement.progress_total <= inline_lines:
            return run_statement(statement=statement, by=by, now=now)
        transaction.on_commit(lambda: import_bank_statement.enqueue(statement_id=statement.pk))
    return statement


# --- reconciliation -----------------------------------------------------------------------------


def _locked_line(line: BankStatementLine, target: str) -> BankStatementLine:
    locked = (
        BankStatementLine.objects.select_for_update(of=("self",))
        .select_related("statement")
        .get(pk=line.pk)
    )
    st.check_line(label=str(locked), current=locked.state, target=target)
    return locked


def _require_credit(line: BankStatementLine) -> None:
    if st.MATCH not in st.line_actions(line):
        raise Conflict(
            _("%(line)s n'est pas un virement reçu en euros : elle ne paie aucune facture.")
            % {"line": line}
        )


def _reviewed(
    line: BankStatementLine, *, state: str, by: Actor, now: datetime, verb: str, after: dict
) -> BankStatementLine:
    before = {"state": line.state}
    line.state = state
    line.reviewed_by = acting_user(by=by)
    line.reviewed_at = now
    line.save()
    statement = BankStatement.objects.select_for_update().get(pk=line.statement_id)
    statement.to_review_count = max(statement.to_review_count - 1, 0)
    if state == st.IGNORED:
        statement.ignored_count += 1
    else:
        statement.matched_count += 1
    statement.save(
        update_fields=["to_review_count", "ignored_count", "matched_count", "updated_at"]
    )
    record_on(
        obj=statement,
        actor=by,
        verb=verb,
        before=before,
        after={"line": line.position + 1, **after},
    )
    return line


def _split(line: BankStatementLine, allocations, errors: dict[str, str]):
    """The (invoice, amount) pairs, each amount read exactly; their total within the line."""
    pairs = []
    for index, (invoice, amount) in enumerate(allocations):
        value = positive_amount(amount, errors, field=f"allocations[{index}].amount")
        if invoice.seller_id != line.seller_id:
            errors[f"allocations[{index}].invoice"] = _("facture d'un autre vendeur")
        pairs.append((invoice, value))
    if not pairs:
        errors["allocations"] = _("choisissez au moins une facture")
    total = sum((v for _, v in pairs), ZERO)
    if not errors and total > line.amount:
        errors["allocations"] = _(
            "les montants affectés (%(total)s) dépassent le virement (%(amount)s)"
        ) % {"total": format_eur(total), "amount": format_eur(line.amount)}
    if len({invoice.client_id for invoice, _ in pairs}) > 1:
        errors["allocations"] = _("les factures d'un virement sont d'un même client")
    return pairs


@transaction.atomic
def match_line(
    *,
    line: BankStatementLine,
    allocations: Sequence[tuple[Invoice, Any]],
    by: Actor,
    now: datetime | None = None,
) -> BankStatementLine:
    """A line to review paid these invoices: the transfer recorded (its value date) and
    allocated, one amount an invoice (several: a split); what the amounts leave of the
    transfer is the client's credit. Refusals name their field; nothing is written."""
    now = aware_now(now)
    line = _locked_line(line, st.MATCHED)
    _require_credit(line)
    errors: dict[str, str] = {}
    pairs = _split(line, allocations, errors)
    if errors:
        raise ValidationError(errors)
    client = pairs[0][0].client
    line.payment = _transfer(line, client=client, allocate_to=pairs, by=by, now=now)
    line.method = "manual"
    return _reviewed(
        line,
        state=st.MATCHED,
        by=by,
        now=now,
        verb="bank_statement.line_matched",
        after={
            "payment": line.payment.pk,
            "invoices": {invoice.number: str(amount) for invoice, amount in pairs},
        },
    )


@transaction.atomic
def credit_line(
    *, line: BankStatementLine, client: Client, by: Actor, now: datetime | None = None
) -> BankStatementLine:
    """A line to review is a transfer of ``client`` paying no invoice yet: recorded whole as
    the client's credit (usable on a later invoice, or refunded)."""
    now = aware_now(now)
    line = _locked_line(line, st.CREDITED)
    _require_credit(line)
    if client.seller_id != line.seller_id:
        raise ValidationError({"client": _("client d'un autre vendeur")})
    line.payment = _transfer(line, client=client, allocate_to=[], by=by, now=now)
    line.method = "manual"
    return _reviewed(
        line,
        state=st.CREDITED,
        by=by,
        now=now,
        verb="bank_statement.line_credited",
        after={"payment": line.payment.pk, "client": client.pk},
    )


@transaction.atomic
def ignore_line(
    *, line: BankStatementLine, reason: str, by: Actor, now: datetime | None = None
) -> BankStatementLine:
    """A line to review that is no client's payment (a bank fee, a refund sent, an internal
    transfer): set aside with its ``reason``, which is required."""
    now = aware_now(now)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("indiquez pourquoi la ligne est ignorée")})
    line = _locked_line(line, st.IGNORED)
    line.ignored_reason = reason
    return _reviewed(
        line,
        state=st.IGNORED,
        by=by,
        now=now,
        verb="bank_statement.line_ignored",
        after={"reason": reason},
    )


# --- CSV mappings -------------------------------------------------------------------------------


@transaction.atomic
def save_csv_mapping(
    *, seller: Seller, bank: str, mapping: Any, by: Actor, instance: BankCsvMapping | None = None
) -> BankCsvMapping:
    """The column mapping of ``bank``'s CSV statements saved (created, or ``instance``
    changed); a wrong mapping is refused naming the rule."""
    bank = single_line(bank)[:100]
    if not bank:
        raise ValidationError({"bank": _("indiquez le nom de la banque")})
    checked = csv_mapping_of(mapping=mapping)
    data = json.loads(checked.to_json())
    data["bank"] = bank
    other = BankCsvMapping.objects.filter(seller=seller, bank=bank)
    if instance is not None:
        other = other.exclude(pk=instance.pk)
    if other.exists():
        raise ValidationError({"bank": _("une correspondance existe déjà pour cette banque")})
    if instance is None:
        saved = BankCsvMapping.objects.create(seller=seller, bank=bank, mapping=data)
        before = None
    else:
        saved = BankCsvMapping.objects.select_for_update().get(pk=instance.pk, seller=seller)
        before = {"bank": saved.bank, "mapping": saved.mapping}
        saved.bank, saved.mapping = bank, data
        saved.save()
    record_on(
        obj=saved,
        actor=by,
        verb="bank_csv_mapping.saved",
        before=before,
        after={"bank": bank, "mapping": data},
    )
    return saved
