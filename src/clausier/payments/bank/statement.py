"""What a bank statement says, whatever its format: the statement, its balances and its lines.

:mod:`~clausier.payments.bank.camt053` and :mod:`~clausier.payments.bank.csv_statement` both
return a :class:`Statement` of :class:`StatementLine`. Each line carries a stable
``fingerprint``: importing the same statement twice (or two statements whose periods overlap)
gives the same fingerprints, so the domain stores each line once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Direction(StrEnum):
    """Money in (``credit``: a client pays) or out (``debit``: a refund, a fee)."""

    CREDIT = "credit"
    DEBIT = "debit"


class StatementError(ValueError):
    """A statement that cannot be read: nothing of it is imported.

    ``where`` names the place: the element's path in a CAMT.053 file
    (``/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt``, its line in ``line``), or the CSV line
    and column (``line`` and ``column``). ``reason`` says what is wrong, in French.
    """

    def __init__(self, where: str, reason: str, *, line: int | None = None, column: str = ""):
        self.where = where
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(f"{where} : {reason}")


@dataclass(frozen=True, slots=True)
class Balance:
    """A balance of the account on a day, signed: negative when the account is overdrawn."""

    amount: Decimal
    currency: str
    on: date | None


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One movement of the account (a CAMT.053 transaction, a CSV row).

    ``amount`` is positive, its sense in ``direction``. ``remittance`` is the unstructured
    remittance information (the payer's free text, several parts joined by a space);
    ``creditor_reference`` the structured one (an ISO 11649 ``RF`` reference, as given).
    ``bank_reference`` is the bank's own reference of the movement (CAMT ``AcctSvcrRef``),
    empty when the bank gives none.
    """

    booking_date: date | None
    value_date: date | None
    amount: Decimal
    direction: Direction
    currency: str
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    creditor_reference: str = ""
    end_to_end_id: str = ""
    bank_reference: str = ""
    reversal: bool = False
    fingerprint: str = ""

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.direction is Direction.CREDIT else -self.amount


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement of one account over a period, with its lines in the bank's order."""

    id: str
    account_iban: str
    currency: str
    period_start: date | None
    period_end: date | None
    opening_balance: Balance | None
    closing_balance: Balance | None
    lines: tuple[StatementLine, ...]


# The fields that tell a movement when the bank gives no reference of its own.
def _identity(line: StatementLine) -> tuple[str, ...]:
    if line.bank_reference:
        return ("ref", line.bank_reference)
    return (
        "content",
        line.booking_date.isoformat() if line.booking_date else "",
        line.value_date.isoformat() if line.value_date else "",
        f"{line.amount:f}",
        line.direction.value,
        line.currency,
        line.counterparty_iban,
        " ".join(line.counterparty_name.split()).upper(),
        " ".join(line.remittance.split()).upper(),
        line.creditor_reference,
        line.end_to_end_id,
    )


def fingerprint(account: str, identity: Sequence[str], occurrence: int) -> str:
    """A hex SHA-256 of the account, the movement's identity and its occurrence."""
    text = "\x1f".join([account, *identity, str(occurrence)])
    return hashlib.sha256(text.encode()).hexdigest()


def with_fingerprints(account: str, lines: Iterable[StatementLine]) -> tuple[StatementLine, ...]:
    """``lines`` with their fingerprint set.

    A line the bank references is identified by the account and that reference: the same
    reference twice is the same movement (a duplicate line). A line without a reference is
    identified by its content and its rank among lines of the same content in the statement:
    two identical transfers of one day stay two payments, and the same statement imported
    again gives the same fingerprints.
    """
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for line in lines:
        identity = _identity(line)
        occurrence = 0 if line.bank_reference else seen[identity]
        seen[identity] += 1
        out.append(replace(line, fingerprint=fingerprint(account, identity, occurrence)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Triage:
    """The lines of a statement split into the ``new`` ones and the ``duplicates`` (already
    known, or repeated inside the statement)."""

    new: tuple[StatementLine, ...]
    duplicates: tuple[StatementLine, ...]


def triage(lines: Iterable[StatementLine], known: Iterable[str] = ()) -> Triage:
    """Splits ``lines`` by fingerprint: the first line of each fingerprint not in ``known``
    is new, every other one a duplicate."""
    seen = set(known)
    new, duplicates = [], []
    for line in lines:
        (duplicates if line.fingerprint in seen else new).append(line)
        seen.add(line.fingerprint)
    return Triage(tuple(new), tuple(duplicates))
