"""The state tables of imported bank statements and of their lines.

A statement is ``queued`` once its file is read and accepted (every line parsed: a file that
cannot be read is refused and nothing is stored), ``importing`` while its lines are stored
and matched, then ``imported``. An import interrupted midway is taken up where it stopped
(the lines already stored are not stored again).

A line is ``matched`` (a transfer recorded and allocated to the invoices it pays), ``to_review``
(staff decide), ``credited`` (the transfer recorded as the client's credit), ``ignored`` (not
a client's payment: a fee, a refund out, with its reason), or ``duplicate`` (a line already
imported by an earlier statement, or repeated in this one: kept for the record, never paid
twice). Only a line ``to_review`` may still change.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

QUEUED, IMPORTING, IMPORTED = "queued", "importing", "imported"

STATEMENT_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    QUEUED: frozenset({IMPORTING}),
    IMPORTING: frozenset({IMPORTING, IMPORTED}),
    IMPORTED: frozenset(),
}

MATCHED, TO_REVIEW, CREDITED, IGNORED, DUPLICATE = (
    "matched",
    "to_review",
    "credited",
    "ignored",
    "duplicate",
)

LINE_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    TO_REVIEW: frozenset({MATCHED, CREDITED, IGNORED}),
    MATCHED: frozenset(),
    CREDITED: frozenset(),
    IGNORED: frozenset(),
    DUPLICATE: frozenset(),
}

# What staff may do with a line to review.
MATCH, CREDIT, IGNORE = "match", "credit", "ignore"


def check_statement(*, label: str, current: str, target: str) -> None:
    if target not in STATEMENT_TRANSITIONS[current]:
        raise InvalidTransition(label, current, target, set(STATEMENT_TRANSITIONS[current]))


def check_line(*, label: str, current: str, target: str) -> None:
    if target not in LINE_TRANSITIONS[current]:
        raise InvalidTransition(label, current, target, set(LINE_TRANSITIONS[current]))


def line_actions(line) -> frozenset[str]:
    """What staff may do with ``line`` now: a credit in euros to review may be matched to
    invoices (one or several: a split) or kept as the client's credit; any line to review
    may be ignored."""
    if line.state != TO_REVIEW:
        return frozenset()
    if line.direction == "credit" and line.currency == "EUR" and not line.reversal:
        return frozenset({MATCH, CREDIT, IGNORE})
    return frozenset({IGNORE})
