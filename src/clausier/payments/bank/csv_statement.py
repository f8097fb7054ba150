"""Bank statements exported as CSV, read through a column mapping saved for each bank.

Every bank writes its own CSV: a few lines about the account before the column titles, a
``;`` and decimal commas, one signed amount or a debit and a credit column, dates as
``02/03/2026``. A :class:`CsvMapping` says all this once (it is kept as JSON), and
:func:`parse_csv_statement` reads a file with it into the same
:class:`~clausier.payments.bank.statement.StatementLine` as a CAMT.053 statement.

Reading is all-or-nothing: the first cell that cannot be read raises
:class:`~clausier.payments.bank.statement.StatementError` naming its line (counted in the
file, from 1) and its column.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from clausier.payments.bank.statement import (
    Direction,
    Statement,
    StatementError,
    StatementLine,
    with_fingerprints,
)
from clausier.rules.errors import RuleError
from clausier.rules.identifiers import compact_identifier

RULE: Final = "correspondance des colonnes du relevé CSV"
MAX_BYTES: Final = 20 * 1024 * 1024
COLUMNS: Final = (
    "date",
    "value_date",
    "amount",
    "debit",
    "credit",
    "label",
    "reference",
    "counterparty",
    "iban",
)

type Column = str | int


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """How one bank writes its CSV statements.

    A column is named by its title in the header row (``"Crédit euros"``, compared without
    case, accents or extra spaces) or by its position (``1`` for the first). ``skip_rows``
    lines come before the header row (or before the first line of data when ``has_header``
    is false), ``skip_footer_rows`` after the last line of data. The amount is either one
    signed ``amount`` column or a ``debit`` and a ``credit`` column.
    """

    date: Column
    amount: Column | None = None
    debit: Column | None = None
    credit: Column | None = None
    value_date: Column | None = None
    label: Column | None = None
    reference: Column | None = None
    counterparty: Column | None = None
    iban: Column | None = None
    bank: str = ""
    delimiter: str = ";"
    encoding: str = "utf-8"
    decimal_comma: bool = True
    date_format: str = "%d/%m/%Y"
    skip_rows: int = 0
    has_header: bool = True
    skip_footer_rows: int = 0
    currency: str = "EUR"

    def __post_init__(self) -> None:
        for name in COLUMNS:
            _check_column(name, getattr(self, name), self.has_header)
        if self.date is None:
            raise RuleError("date", RULE, "la colonne de la date d'opération est obligatoire")
        if (self.amount is None) == (self.debit is None and self.credit is None):
            raise RuleError(
                "amount", RULE, "une colonne montant, ou bien des colonnes débit et crédit"
            )
        if self.amount is None and (self.debit is None or self.credit is None):
            raise RuleError("debit", RULE, "les colonnes débit et crédit vont ensemble")
        if len(self.delimiter) != 1 or self.delimiter in '\r\n"':
            raise RuleError("delimiter", RULE, f"{self.delimiter!r} : un seul caractère")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise RuleError("encoding", RULE, f"encodage {self.encoding!r} inconnu") from None
        if "%" not in self.date_format:
            raise RuleError("date_format", RULE, f"{self.date_format!r} : format strftime attendu")
        for name in ("skip_rows", "skip_footer_rows"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise RuleError(name, RULE, f"{value!r} : un nombre de lignes, 0 ou plus")
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise RuleError("currency", RULE, f"{self.currency!r} : code ISO 4217 attendu")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, data: str | bytes | dict[str, Any]) -> CsvMapping:
        """The mapping :meth:`to_json` saved; an unknown key or a wrong value is refused
        with a :class:`RuleError` naming it."""
        try:
            raw = json.loads(data) if isinstance(data, str | bytes) else data
        except json.JSONDecodeError as exc:
            raise RuleError("mapping", RULE, f"JSON illisible ({exc.msg})") from None
        if not isinstance(raw, dict):
            raise RuleError("mapping", RULE, "un objet JSON est attendu")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise RuleError(unknown[0], RULE, "clé inconnue")
        try:
            return cls(**raw)
        except TypeError as exc:
            raise RuleError("mapping", RULE, str(exc)) from None


def _check_column(name: str, column: Any, has_header: bool) -> None:
    if column is None:
        return
    if isinstance(column, bool) or not isinstance(column, str | int):
        raise RuleError(name, RULE, f"{column!r} : un titre de colonne ou une position")
    if isinstance(column, int) and column < 1:
        raise RuleError(name, RULE, f"{column} : les positions commencent à 1")
    if isinstance(column, str) and not column.strip():
        raise RuleError(name, RULE, "titre de colonne vide")
    if isinstance(column, str) and not has_header:
        raise RuleError(name, RULE, f"« {column} » : un titre suppose une ligne d'en-tête")


def _title(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def _decode(data: bytes, encoding: str) -> str:
    # A byte order mark is no part of the first title.
    if codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StatementError(
            f"ligne {line}", f"le fichier n'est pas encodé en {encoding}", line=line
        ) from None


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: list[str]


def _rows(text: str, delimiter: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    start = 1
    try:
        for cells in reader:
            rows.append(_Row(start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise StatementError(f"ligne {start}", f"CSV mal formé ({exc})", line=start) from None
    return rows


class _Cells:
    """Reads the mapped cells of the rows, naming the line and column of what is wrong."""

    def __init__(self, mapping: CsvMapping, header: _Row | None) -> None:
        self.mapping = mapping
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        titles = (
            {_title(c): i for i, c in reversed(list(enumerate(header.cells)))} if header else {}
        )
        for name in COLUMNS:
            column = getattr(mapping, name)
            if column is None:
                continue
            if isinstance(column, int):
                self.index[name], self.names[name] = column - 1, f"n° {column}"
                continue
            if header is not None and _title(column) not in titles:
                shown = ", ".join(f"« {c.strip()} »" for c in header.cells if c.strip())
                raise StatementError(
                    f"ligne {header.line}",
                    f"colonne « {column} » absente de l'en-tête ({shown})",
                    line=header.line,
                    column=column,
                )
            self.index[name], self.names[name] = titles[_title(column)], f"« {column} »"

    def fail(self, row: _Row, name: str, reason: str) -> StatementError:
        column = self.names[name]
        return StatementError(
            f"ligne {row.line}, colonne {column}", reason, line=row.line, column=column
        )

    def raw(self, row: _Row, name: str) -> str:
        if name not in self.index:
            return ""
        position = self.index[name]
        if position >= len(row.cells):
            raise self.fail(row, name, f"la ligne n'a que {len(row.cells)} colonnes")
        return " ".join(row.cells[position].split())

    def day(self, row: _Row, name: str) -> date | None:
        text = self.raw(row, name)
        if not text:
            if name == "date":
                raise self.fail(row, name, "date absente")
            return None
        try:
            return datetime.strptime(text, self.mapping.date_format).date()  # noqa: DTZ007
        except ValueError:
            raise self.fail(
                row, name, f"date « {text} » illisible (format {self.mapping.date_format})"
            ) from None

    def number(self, row: _Row, name: str) -> Decimal | None:
        text = self.raw(row, name)
        if not text:
            return None
        value = parse_amount(text, decimal_comma=self.mapping.decimal_comma)
        if value is None:
            raise self.fail(row, name, f"montant « {text} » illisible")
        return value


_AMOUNT = re.compile(r"[+-]?[0-9]+(\.[0-9]{1,2})?")


def parse_amount(text: str, *, decimal_comma: bool) -> Decimal | None:
    """``"-1 234,56 €"`` as ``Decimal("-1234.56")``, or ``None`` when it is no amount. A sign
    may lead or trail, and parentheses mean a negative amount."""
    clean = re.sub(r"[\s\u00a0\u202f€]|EUR", "", text)
    negative = clean.startswith("(") and clean.endswith(")")
    if negative:
        clean = clean[1:-1]
    if clean.endswith("-"):
        negative, clean = True, clean[:-1]
    clean = clean.replace(".", "").replace(",", ".") if decimal_comma else clean.replace(",", "")
    if not _AMOUNT.fullmatch(clean):
        return None
    try:
        value = Decimal(clean)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    return -value if negative else value


def _movement(cells: _Cells, row: _Row) -> tuple[Decimal, Direction]:
    if cells.mapping.amount is not None:
        amount = cells.number(row, "amount")
        if not amount:
            raise cells.fail(row, "amount", "montant absent ou nul")
        return abs(amount), Direction.CREDIT if amount > 0 else Direction.DEBIT
    debit, credit = cells.number(row, "debit"), cells.number(row, "credit")
    if debit and credit:
        raise cells.fail(row, "credit", "un débit et un crédit sur la même ligne")
    if not debit and not credit:
        raise cells.fail(row, "credit", "ni débit ni crédit")
    if credit:
        return abs(credit), Direction.CREDIT
    return abs(debit or 0), Direction.DEBIT


def _line(cells: _Cells, row: _Row) -> StatementLine:
    amount, direction = _movement(cells, row)
    iban = cells.raw(row, "iban")
    return StatementLine(
        booking_date=cells.day(row, "date"),
        value_date=cells.day(row, "value_date"),
        amount=amount,
        direction=direction,
        currency=cells.mapping.currency,
        counterparty_name=cells.raw(row, "counterparty"),
        counterparty_iban=compact_identifier(iban),
        remittance=cells.raw(row, "label"),
        bank_reference=cells.raw(row, "reference"),
    )


def parse_csv_statement(
    data: bytes,
    mapping: CsvMapping,
    *,
    account_iban: str = "",
    statement_id: str = "",
    max_bytes: int = MAX_BYTES,
) -> Statement:
    """The lines of a CSV statement of the account ``account_iban``, read with ``mapping``."""
    if len(data) > max_bytes:
        raise StatementError("fichier", f"{len(data)} octets, le maximum est {max_bytes}")
    rows = _rows(_decode(data, mapping.encoding), mapping.delimiter)
    if mapping.skip_footer_rows:
        rows = rows[: -mapping.skip_footer_rows]
    header = None
    body = rows[mapping.skip_rows :]
    if mapping.has_header:
        if not body:
            raise StatementError(
                f"ligne {mapping.skip_rows + 1}",
                "ligne d'en-tête absente",
                line=mapping.skip_rows + 1,
            )
        header, body = body[0], body[1:]
    cells = _Cells(mapping, header)
    lines = [_line(cells, row) for row in body if any(c.strip() for c in row.cells)]
    account = compact_identifier(account_iban)
    dates = [line.booking_date for line in lines if line.booking_date]
    return Statement(
        id=statement_id,
        account_iban=account,
        currency=mapping.currency,
        period_start=min(dates, default=None),
        period_end=max(dates, default=None),
        opening_balance=None,
        closing_balance=None,
        lines=with_fingerprints(account, lines),
    )
