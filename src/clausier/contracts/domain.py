"""Contracts' pure decisions: a contract's terms, the notice deadline of a term, what a
notice received on a day decides, when the consumer's renewal information is due, and the
sums a termination leaves (final invoice, pro rata refund). No ORM: the services feed them
plain values and freeze what they return.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from clausier.contracts import transitions as t
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.contracts import (
    CHATEL_SANCTION,
    chatel_in_time,
    chatel_window,
    notice_deadline,
    unused_share,
)
from clausier.rules.deadlines import deadline
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.money import CENT, ZERO
from clausier.rules.wording import words

# Terms without a renewal clause set no notice period: never another seller's clause. A
# notice received by a period's last day ends the contract at the end of that period.
NO_NOTICE_MONTHS: Final = 0
# A consumer free to end the contract at any time (L215-1 al. 2): "la résiliation prend
# effet le lendemain de la date d'envoi au professionnel de la notification".
CHATEL_EFFECT_DAYS: Final = LegalFact(1, "C. conso. L215-1 al. 2")
# Seed 002 art. 11: a domain name registered for the client stays payable to the end of its
# registration year, whatever the contract's end.
DOMAIN_PAYABLE_TO_TERM: Final = LegalFact(True, "CGV 002 art. 11")
# How many days before its expiry a domain name is renewed (and invoiced): the seller's own
# practice, not a legal period (the clause sets none); ``CLAUSIER_DOMAIN_RENEWAL_DAYS``
# overrides it.
DOMAIN_RENEWAL_DAYS: Final = 30
# The fee of a restore from a backup (seed 002 art. 11): the clause that sets it, which
# applies only to a contract with the recurring backup option.
RESTORE_FEE_CLAUSE: Final = "hosting.restore_fee"
# Lines of a period-long commitment: served to the term's end even if the contract ends before.
SERVED_TO_TERM_END: Final = frozenset({"domain"})


def contract_calendar() -> FrenchCalendar:
    """The calendar of contracts' deadlines: metropolitan France's holidays."""
    return FrenchCalendar()


def add_months(d: date, months: int) -> date:
    """``d`` + ``months``: same day number, or that month's last day."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def term_of(*, start_on: date, period_months: int, index: int) -> tuple[date, date]:
    """The ``index``-th term (0 = the first) of a contract starting ``start_on``: from
    ``start_on`` + index periods to the day before the next, both included. Counted from the
    start every time, so a start on the 31st never drifts to the 28th."""
    first = add_months(start_on, index * period_months)
    after = add_months(start_on, (index + 1) * period_months)
    return first, after - timedelta(days=1)


def term_index(*, start_on: date, period_months: int, term_start: date) -> int:
    """Which term starts on ``term_start``."""
    months = (term_start.year - start_on.year) * 12 + term_start.month - start_on.month
    return max(months // period_months, 0)


def term_containing(*, start_on: date, period_months: int, day: date) -> tuple[date, date]:
    """The term (first and last day) of a contract starting ``start_on`` that contains
    ``day`` (the first term for a day before the start)."""
    months = (day.year - start_on.year) * 12 + day.month - start_on.month
    index = max(months // period_months, 0)
    first, last = term_of(start_on=start_on, period_months=period_months, index=index)
    while index > 0 and first > day:
        index -= 1
        first, last = term_of(start_on=start_on, period_months=period_months, index=index)
    while last < day:
        index += 1
        first, last = term_of(start_on=start_on, period_months=period_months, index=index)
    return first, last


def deadline_of(*, term_end: date, months: int, calendar: FrenchCalendar) -> Explained:
    """The last day a notice not to renew the term ending ``term_end`` may be received."""
    return notice_deadline(term_end=term_end, months=months, calendar=calendar)


@dataclass(frozen=True)
class ContractFacts:
    """What a notice decision reads of a contract."""

    start_on: date
    period_months: int
    term_start: date
    term_end: date
    notice_months: int
    tacit_renewal: bool
    consumer: bool
    free_termination_from: date | None

    @classmethod
    def of(cls, contract) -> ContractFacts:
        """The facts of a contract row (its fields only, no query)."""
        return cls(
            start_on=contract.start_on,
            period_months=contract.period_months,
            term_start=contract.term_start,
            term_end=contract.term_end,
            notice_months=contract.notice_months,
            tacit_renewal=contract.tacit_renewal,
            consumer=contract.consumer,
            free_termination_from=contract.free_termination_from,
        )


@dataclass(frozen=True)
class NoticeDecision:
    """A notice received on a day: the term it ends, its deadline, whether that deadline was
    met (``in_time``; a late notice ends the *next* term instead), the contract's last day
    (``effective_on``) and why (``reason``, a :mod:`transitions` end reason)."""

    term_end: date
    deadline: Explained
    in_time: bool
    effective_on: date
    reason: str


def end_reason(*, consumer: bool, effective_on: date, term_end: date) -> str:
    """Why a notice ends a contract: at a term, or at any time (L215-1 al. 2)."""
    if consumer and effective_on < term_end:
        return t.CHATEL_ANY_TIME
    return t.NOTICE_AT_TERM


def _notice_deadline(contract: ContractFacts, *, calendar: FrenchCalendar) -> Explained:
    """The current term's notice deadline; without a notice period in the contract's terms,
    the explanation says the notice ends the contract at the end of the period it is
    received in."""
    deadline = deadline_of(
        term_end=contract.term_end, months=contract.notice_months, calendar=calendar
    )
    if contract.notice_months:
        return deadline
    step = Step(
        words(
            "aucun préavis prévu par les conditions du contrat : un préavis reçu au plus tard "
            "le dernier jour de la période y met fin à cette date"
        ),
        contract.term_end,
    )
    return replace(deadline, steps=(*deadline.steps, step))


def freed_effective_on(*, sent_on: date, free_from: date) -> date:
    """The last day of a consumer's contract ended at any time (C. conso. L215-1 al. 2):
    the day after the notice was sent, never before the renewal that freed them."""
    return max(sent_on + timedelta(days=CHATEL_EFFECT_DAYS.value), free_from)


def decide_notice(
    *,
    contract: ContractFacts,
    received_on: date,
    sent_on: date | None,
    calendar: FrenchCalendar,
    by_seller: bool = False,
) -> NoticeDecision:
    """What a notice not to renew received on ``received_on`` does.

    - A consumer whose renewal information was not sent in time may end the contract at any
      time from the renewal date (C. conso. L215-1 al. 2): it ends the day after the notice
      was sent (received, for one given online), never before that date. The seller's own
      notice never has this effect: it is the consumer's right.
    - Received no later than the current term's deadline: the contract ends at that term.
    - Received after it: the contract was renewed (seed 002 art. 7); it ends at the next term.
    """
    free = contract.free_termination_from
    if contract.consumer and not by_seller and free is not None and received_on >= free:
        effective = freed_effective_on(sent_on=sent_on or received_on, free_from=free)
        deadline = deadline_of(
            term_end=contract.term_end, months=contract.notice_months, calendar=calendar
        )
        return NoticeDecision(
            term_end=contract.term_end,
            deadline=deadline,
            in_time=True,
            effective_on=min(effective, contract.term_end),
            reason=t.CHATEL_ANY_TIME,
        )
    deadline = _notice_deadline(contract, calendar=calendar)
    if received_on <= deadline.value:
        return NoticeDecision(
            term_end=contract.term_end,
            deadline=deadline,
            in_time=True,
            effective_on=contract.term_end,
            reason=t.NOTICE_AT_TERM,
        )
    index = term_index(
        start_on=contract.start_on,
        period_months=contract.period_months,
        term_start=contract.term_start,
    )
    _, next_end = term_of(
        start_on=contract.start_on, period_months=contract.period_months, index=index + 1
    )
    next_deadline = deadline_of(term_end=next_end, months=contract.notice_months, calendar=calendar)
    return NoticeDecision(
        term_end=next_end,
        deadline=next_deadline,
        in_time=False,
        effective_on=next_end,
        reason=t.NOTICE_AT_TERM,
    )


def renewal_letter_due(*, notice_deadline_on: date, today: date) -> bool:
    """Whether the consumer's renewal information should leave today: from the Chatel
    window's opening (three months before the deadline) until the deadline itself (late, it
    still tells the consumer how to terminate, and the contract says they may at any time)."""
    earliest, _latest = chatel_window(notice_deadline=notice_deadline_on).value
    return earliest <= today <= notice_deadline_on


def letter_in_time(*, notice_deadline_on: date, sent_on: date | None) -> Explained:
    """Whether the information went out in the Chatel window (C. conso. L215-1)."""
    return chatel_in_time(notice_deadline=notice_deadline_on, sent_on=sent_on)


CHATEL_CONSEQUENCE: Final = CHATEL_SANCTION


@dataclass(frozen=True)
class EndedLine:
    """One line's final sums: ``owed`` (HT) for the work done from ``owed_from`` to
    ``served_through`` and not yet paid, ``refund`` (HT) for the prepaid days after it (pro
    rata temporis, seed 002 art. 12b)."""

    description: str
    kind: str
    vat_rate: Decimal
    owed_from: date
    served_through: date
    owed: Decimal
    refund: Decimal


@dataclass(frozen=True)
class LineFacts:
    """One line for the final sums: its amount per period (HT), its kind and the last day
    paid for (None: nothing of the current term)."""

    key: str
    kind: str
    amount: Decimal
    paid_through: date | None


@dataclass(frozen=True)
class LineSums:
    key: str
    owed_from: date
    served_through: date
    owed: Decimal
    refund: Decimal
    explanations: tuple[Explained, ...]


def _left(amount: Decimal, start: date, end: date, last_day: date) -> Explained:
    last = min(max(last_day, start - timedelta(days=1)), end)
    return unused_share(amount=amount, period_start=start, period_end=end, last_day_served=last)


def final_sums(
    *, lines: tuple[LineFacts, ...], term_start: date, term_end: date, effective_on: date
) -> tuple[LineSums, ...]:
    """Seed 002 art. 7 and 12b: on termination effective ``effective_on`` (the last day
    served), each line's work done and not yet paid is owed (pro rata temporis of the
    current term), and what was prepaid beyond it is refunded (pro rata temporis,
    :func:`clausier.rules.contracts.unused_share`). A domain name stays payable to its
    term's end (seed 002 art. 11): it is served to the term's end and never refunded."""
    sums = []
    for line in lines:
        served = term_end if line.kind in SERVED_TO_TERM_END else min(effective_on, term_end)
        paid = line.paid_through if line.paid_through is not None else term_start - timedelta(1)
        left_served = _left(line.amount, term_start, term_end, served)
        left_paid = _left(line.amount, term_start, term_end, paid)
        owed = refund = ZERO.quantize(CENT)
        if paid < served:
            owed = left_paid.value - left_served.value
        elif paid > served:
            refund = left_served.value - left_paid.value
        sums.append(
            LineSums(
                key=line.key,
                owed_from=max(paid + timedelta(days=1), term_start),
                served_through=served,
                owed=owed,
                refund=refund,
                explanations=(left_served, left_paid),
            )
        )
    return tuple(sums)


# What a line's description says of its nature (seed 002 art. 7 lists hosting, maintenance,
# content updates, reports; art. 11 domain names; the backup option).
_KIND_WORDS: Final = (
    ("domain", ("nom de domaine", "domaine", "domain")),
    ("backup", ("sauvegarde", "backup")),
    ("maintenance", ("maintenance", "mco", "tierce maintenance")),
    ("content", ("mise à jour de contenu", "contenu", "content")),
    ("reports", ("rapport", "report")),
    ("hosting", ("hébergement", "hosting", "instance", "serveur")),
)
# Units of a recurring line, and the months of its period: a service billed on its monthly
# consumption (seed 000 art. 3) runs by the calendar month too.
PERIOD_MONTHS: Final = {"month": 1, "year": 12, "metered": 1}


def kind_of(description: str) -> str:
    """A recurring line's nature read from its description; ``other`` when unsaid."""
    text = description.lower()
    for kind, words_ in _KIND_WORDS:
        if any(w in text for w in words_):
            return kind
    return "other"


def months_of(unit: str, quantity: Decimal) -> int | None:
    """How many months a recurring line covers: ``quantity`` months or years (at least
    one), one month for a metered service; None for a line that does not recur."""
    if unit not in PERIOD_MONTHS:
        return None
    if unit == "metered":
        return 1
    return max(int(quantity), 1) * PERIOD_MONTHS[unit]


def recurring_period(lines: list[tuple[str, Decimal]]) -> int | None:
    """The period (months) of a document whose lines are ``(unit, quantity)``: the longest
    a recurring line covers (an accepted quote's "12 mois" of hosting is a yearly term);
    None when no line recurs."""
    months = [m for unit, quantity in lines if (m := months_of(unit, quantity))]
    return max(months) if months else None


# Seed 002 art. 7 sets no delay to deliver the site's archive on written request: the
# seller commits to one when recording it. This is the seller's own practice, prefilled on
# the form and changed by staff, not a legal nor a contractual delay.
# Its source is the article that owes the archive; the explanation's last step says the delay
# is the seller's own.
SELLER_ARCHIVE_DAYS: Final = LegalFact(30, "CGV art. 7")
# The services whose site is given back as an archive (seed 002 art. 7: "un accord de
# maintenance"; the hosting holds the files and the database).
ARCHIVED_LINE_KINDS: Final = frozenset({"maintenance", "hosting"})


def archive_deadline(*, received_on: date, calendar: FrenchCalendar) -> Explained:
    """The seller's default delivery day of an archive asked on ``received_on``:
    :data:`SELLER_ARCHIVE_DAYS` calendar days later (staff may set another)."""
    counted = deadline(
        start=received_on, n=SELLER_ARCHIVE_DAYS.value, unit="jours_calendaires", calendar=calendar
    )
    return replace(
        counted,
        rule="archive_deadline",
        law=SELLER_ARCHIVE_DAYS.source,
        steps=(
            Step(words("demande écrite d'archive reçue"), received_on),
            *counted.steps,
            Step(words("délai proposé par le prestataire, non fixé par la loi ni les CGV"), None),
        ),
    )
