"""Legal interest rate, late-payment interest and the recovery indemnity.

The legal rate is data, not code: one row per period in ``data/legal_rates.csv`` (one rate a
year until 2014, two rates per semester since 2015), each row with the text that published
it. The app can build a :class:`LegalRateTable` from staff-entered rows instead. A date the
table does not cover raises :class:`~clausier.rules.errors.MissingRateError`: a legal rate is
never guessed nor carried forward from the previous semester.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Any

from clausier.rules.errors import MissingRateError, RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.money import (
    CENT,
    ZERO,
    non_negative,
)
from clausier.rules.wording import Approx, Euros, Percent, Words, words

LEGAL_RATE_LAW = "C. mon. fin. L313-2"
LATE_PAYMENT_LAW = "C. com. L441-10"

# Since 2015 the legal rate is fixed each semester, with one rate for creditors who are
# natural persons not acting for professional purposes and one for all other cases.
SEMESTER_RATES_SINCE = LegalFact(
    date(2015, 1, 1), "Ordonnance n° 2014-947 du 20 août 2014; C. mon. fin. L313-2"
)
# Between professionals the late-penalty rate may not be below three times the legal rate.
B2B_PENALTY_FLOOR_MULTIPLIER = LegalFact(Decimal("3"), "C. com. L441-10 II")
# Owed per late invoice by a professional debtor; a lump sum, not subject to VAT.
RECOVERY_INDEMNITY = LegalFact(Decimal("40.00"), "C. com. L441-10 II, D441-5")

# Day count for prorata temporis interest: actual days over a 365-day year, in leap years
# too. A convention, not a rule of law: applied the same way to every invoice so that two
# equal delays always cost the same, and stated in every explanation.
DAYS_PER_YEAR = 365

_ONE_DAY = timedelta(days=1)


class Creditor(StrEnum):
    """The two columns of the legal-rate table (C. mon. fin. L313-2)."""

    PROFESSIONNEL = "professionnel"
    """All other cases, including every seller invoicing in the course of business."""
    PARTICULIER = "particulier"
    """A creditor who is a natural person not acting for professional purposes."""


def _creditor(value: Any) -> Creditor:
    try:
        return Creditor(value)
    except ValueError:
        choices = " or ".join(repr(c.value) for c in Creditor)
        raise RuleError(
            "creditor", LEGAL_RATE_LAW, f"unknown creditor category {value!r}: expected {choices}"
        ) from None


def _day(value: Any, argument: str, rule: str) -> date:
    # A datetime is refused rather than truncated: its calendar day depends on a time zone
    # the rules core does not know; the caller converts in the seller's zone.
    if isinstance(value, datetime):
        raise RuleError(argument, rule, f"expected a date, got the datetime {value}: pass .date()")
    if not isinstance(value, date):
        raise RuleError(argument, rule, f"expected a date, got {type(value).__name__} {value!r}")
    return value


def _expected_label(on: date) -> str:
    """The name of the period that should hold ``on``: "2013" or "2026 S2"."""
    if on < SEMESTER_RATES_SINCE.value:
        return str(on.year)
    return f"{on.year} S{1 if on.month <= 6 else 2}"


@dataclass(frozen=True, slots=True)
class LegalRatePeriod:
    """One row of the legal-rate table: rates as fractions, ``start`` and ``end`` inclusive."""

    start: date
    end: date
    professionnel: Decimal
    particulier: Decimal
    source: str

    def __post_init__(self) -> None:
        rule = "legal rate period"
        _day(self.start, "start", rule)
        _day(self.end, "end", rule)
        if self.end < self.start:
            raise RuleError("end", rule, f"period ends {self.end} before it starts {self.start}")
        # Frozen: store the checked Decimals (an int 0 becomes Decimal 0) the only way allowed.
        for column in Creditor:
            rate = non_negative(getattr(self, column.value), column.value, rule)
            object.__setattr__(self, column.value, rate)
        if not isinstance(self.source, str) or not self.source.strip():
            raise RuleError("source", rule, "every legal rate needs the text that published it")

    @classmethod
    def from_percent(
        cls,
        *,
        start: date,
        end: date,
        professionnel: Decimal | str,
        particulier: Decimal | str,
        source: str,
    ) -> LegalRatePeriod:
        """A period from rates written in percent, as published ("2.62" -> 0.0262 exactly)."""
        return cls(
            start=start,
            end=end,
            professionnel=_percent(professionnel, "professionnel"),
            particulier=_percent(particulier, "particulier"),
            source=source,
        )

    @property
    def label(self) -> str:
        """ "2013", "2026 S1", or the dates for any other span."""
        span = ((self.start.month, self.start.day), (self.end.month, self.end.day))
        if self.start.year == self.end.year and span in _NAMED_SPANS:
            return f"{self.start.year}{_NAMED_SPANS[span]}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def rate_for(self, creditor: Creditor) -> Decimal:
        if creditor is Creditor.PARTICULIER:
            return self.particulier
        return self.professionnel


_NAMED_SPANS = {((1, 1), (12, 31)): "", ((1, 1), (6, 30)): " S1", ((7, 1), (12, 31)): " S2"}


def _percent(value: Decimal | str, argument: str) -> Decimal:
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            raise RuleError(argument, LEGAL_RATE_LAW, f"not a percentage: {value!r}") from None
    return non_negative(value, argument, LEGAL_RATE_LAW).scaleb(-2)


class LegalRateTable:
    """The legal interest rates in force, period by period.

    Built from :class:`LegalRatePeriod` rows (the packaged CSV by default, see
    :meth:`default`, or rows staff entered in the database). The periods must follow each
    other without gap or overlap; a bad table raises :class:`RuleError` when built.
    """

    def __init__(self, periods: Iterable[LegalRatePeriod]) -> None:
        rows = list(periods)
        for index, row in enumerate(rows):
            if not isinstance(row, LegalRatePeriod):
                raise RuleError(
                    f"periods[{index}]", "legal rate table", f"expected a LegalRatePeriod: {row!r}"
                )
        rows.sort(key=lambda row: row.start)
        for before, after in pairwise(rows):
            if after.start <= before.end:
                problem = f"{after.label} overlaps {before.label}"
            elif after.start != before.end + _ONE_DAY:
                problem = f"gap between {before.label} and {after.label}"
            else:
                continue
            raise RuleError("periods", "legal rate table", f"periods must be contiguous: {problem}")
        self._periods = tuple(rows)
        self._starts = [row.start for row in rows]

    @classmethod
    def from_csv(cls, text: str) -> LegalRateTable:
        """A table from CSV text with columns start,end,professionnel,particulier,source.

        Dates are ISO (inclusive), rates in percent as published.
        """
        periods = []
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                periods.append(
                    LegalRatePeriod.from_percent(
                        start=date.fromisoformat(row["start"]),
                        end=date.fromisoformat(row["end"]),
                        professionnel=row["professionnel"],
                        particulier=row["particulier"],
                        source=row["source"],
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise RuleError(f"line {number}", "legal rate table", str(exc)) from exc
        return cls(periods)

    @classmethod
    def default(cls) -> LegalRateTable:
        """The table shipped with clausier (``clausier/rules/data/legal_rates.csv``)."""
        return _packaged_table()

    @property
    def periods(self) -> tuple[LegalRatePeriod, ...]:
        return self._periods

    def period_on(self, on: date, *, argument: str = "on") -> LegalRatePeriod:
        """The period in force on ``on``, or :class:`MissingRateError` naming the gap."""
        day = _day(on, argument, LEGAL_RATE_LAW)
        index = bisect_right(self._starts, day) - 1
        if index >= 0 and day <= self._periods[index].end:
            return self._periods[index]
        missing = _expected_label(day)
        raise MissingRateError(
            argument,
            LEGAL_RATE_LAW,
            f"no legal interest rate for {missing} (needed on {day}): staff must "
            "enter the rate published in the Journal officiel; a rate is never guessed or "
            "carried forward",
            period=missing,
            on=day,
        )

    def rate(self, on: date, creditor: str = Creditor.PROFESSIONNEL) -> Explained:
        """The legal rate (a fraction) in force on ``on`` for a creditor category."""
        return _explained_rate(self, on, _creditor(creditor), argument="on")


def _explained_rate(
    table: LegalRateTable, on: date, creditor: Creditor, *, argument: str
) -> Explained:
    period = table.period_on(on, argument=argument)
    value = period.rate_for(creditor)
    return Explained(
        value=value,
        rule="legal_rate",
        law=LEGAL_RATE_LAW,
        inputs={argument: on, "creditor": creditor.value},
        steps=(
            Step(
                words(
                    "période {period} (du {start} au {end})",
                    period=period.label,
                    start=period.start,
                    end=period.end,
                )
            ),
            Step(
                words(
                    "taux de l'intérêt légal, {creditor} : {rate}",
                    creditor=_CREDITOR_WORDS[creditor],
                    rate=Percent(value),
                ),
                value,
            ),
            Step(words("source : {source}", source=period.source)),
        ),
    )


_CREDITOR_WORDS = {
    Creditor.PROFESSIONNEL: words("créancier professionnel"),
    Creditor.PARTICULIER: words("créancier particulier"),
}


@cache
def _packaged_table() -> LegalRateTable:
    text = files("clausier.rules.data").joinpath("legal_rates.csv").read_text(encoding="utf-8")
    return LegalRateTable.from_csv(text)


def legal_rate_explained(
    *, on: date, creditor: str = Creditor.PROFESSIONNEL, table: LegalRateTable | None = None
) -> Explained:
    """The legal interest rate in force on ``on``, with its period and source."""
    return (table or LegalRateTable.default()).rate(on, creditor)


def legal_rate(
    *, on: date, creditor: str = Creditor.PROFESSIONNEL, table: LegalRateTable | None = None
) -> Decimal:
    """The legal interest rate in force on ``on``, as a fraction: Decimal("0.0262")."""
    return legal_rate_explained(on=on, creditor=creditor, table=table).value


def _times_legal_rate(
    *,
    multiplier: Decimal,
    on: date,
    argument: str,
    table: LegalRateTable | None,
    rule: str,
    law: str,
    why: Words,
) -> Explained:
    times = non_negative(multiplier, "multiplier", rule)
    legal = _explained_rate(
        table or LegalRateTable.default(), on, Creditor.PROFESSIONNEL, argument=argument
    )
    value = times * legal.value
    return Explained(
        value=value,
        rule=rule,
        law=law,
        inputs={"multiplier": times, argument: on},
        steps=(
            *legal.steps,
            Step(why),
            Step(
                words(
                    "{times} × {rate} = {result}",
                    times=times,
                    rate=Percent(legal.value),
                    result=Percent(value),
                ),
                value,
            ),
        ),
    )


_SELLER_IS_PROFESSIONAL = words(
    "créancier : le vendeur, qui facture pour les besoins de son activité ; colonne "
    "« professionnel » (tous les autres cas), même si le client est un consommateur"
)


def contractual_late_rate(
    *, multiplier: Decimal, invoice_date: date, table: LegalRateTable | None = None
) -> Explained:
    """A late-penalty rate stated as a multiple of the legal rate on the invoice date.

    Seed 002 art. 6: "trois (3) fois le taux d'intérêt légal (en vigueur au jour de la
    facturation)"; ``multiplier`` is the clause parameter. The creditor of the penalty is the
    seller, who acts as a professional, so the "professionnel" column applies even when the
    client is a consumer.
    """
    return _times_legal_rate(
        multiplier=multiplier,
        on=invoice_date,
        argument="invoice_date",
        table=table,
        rule="contractual_late_rate",
        law=f"{LATE_PAYMENT_LAW}; {LEGAL_RATE_LAW}",
        why=_SELLER_IS_PROFESSIONAL,
    )


def b2b_penalty_floor(*, on: date, table: LegalRateTable | None = None) -> Explained:
    """The lowest late-penalty rate terms may set between professionals: 3 × the legal rate."""
    floor = B2B_PENALTY_FLOOR_MULTIPLIER
    return _times_legal_rate(
        multiplier=floor.value,
        on=on,
        argument="on",
        table=table,
        rule="b2b_penalty_floor",
        law=f"{floor.source}; {LEGAL_RATE_LAW}",
        why=words(
            "plancher légal : {times} fois le taux légal ({source})",
            times=floor.value,
            source=floor.source,
        ),
    )


def _payments(payments: Any, rule: str) -> list[tuple[date, Decimal]]:
    if isinstance(payments, str | bytes) or not isinstance(payments, Iterable):
        raise RuleError("payments", rule, "expected a sequence of (date, amount) pairs")
    checked = []
    for index, payment in enumerate(payments):
        argument = f"payments[{index}]"
        if not isinstance(payment, tuple | list) or len(payment) != 2:
            raise RuleError(argument, rule, f"expected a (date, amount) pair, got {payment!r}")
        day, amount = payment
        checked.append((_day(day, argument, rule), non_negative(amount, argument, rule)))
    return checked


def late_interest(
    *,
    principal: Decimal,
    due: date,
    until: date,
    annual_rate: Decimal,
    payments: Sequence[tuple[date, Decimal]] = (),
) -> Explained:
    """Late-payment interest on ``principal`` from the day after ``due`` to ``until``.

    Simple interest, prorata temporis (C. com. L441-10: due from the day after the due date,
    without reminder), on the balance still owed each day: actual days / 365, in leap years
    too (:data:`DAYS_PER_YEAR`). A payment made on day D still counts as owed for day D and
    reduces the balance from D + 1; payments on or before ``due`` reduce the principal before
    interest starts. A payment beyond the balance floors it at zero (the surplus is a credit
    for the client, settled elsewhere, not an error here). The per-period products are summed
    exactly; the result is rounded half up to the cent once, at the end. ``until <= due``
    gives zero. Seed 002 art. 6 charges the interest on the HT amount: pass that as
    ``principal``.
    """
    rule = "late_interest"
    owed = non_negative(principal, "principal", rule)
    due_day = _day(due, "due", rule)
    end = _day(until, "until", rule)
    rate = non_negative(annual_rate, "annual_rate", rule)
    paid = _payments(payments, rule)
    ordered = sorted(paid, key=lambda payment: payment[0])

    steps = [
        Step(
            words(
                "intérêts simples au taux annuel de {rate}, prorata temporis, base {year} jours, "
                "du lendemain de l'échéance ({due}) au {end} inclus",
                rate=Percent(rate),
                year=DAYS_PER_YEAR,
                due=due_day,
                end=end,
            )
        )
    ]
    balance = owed
    later = []
    for day, amount in ordered:
        if day > due_day:
            later.append((day, amount))
            continue
        balance = max(ZERO, balance - amount)
        steps.append(
            Step(
                words(
                    "paiement du {day} (au plus tard à l'échéance) de {amount} : principal "
                    "ramené à {balance}",
                    day=day,
                    amount=Euros(amount),
                    balance=Euros(balance),
                ),
                balance,
            )
        )

    # Periods of constant balance: (first day, last day, balance owed on those days).
    periods: list[tuple[date, date, Decimal]] = []
    start = due_day + _ONE_DAY
    for day, amount in later:
        if day >= end or balance == 0:
            break
        if start <= day:
            periods.append((start, day, balance))
        balance = max(ZERO, balance - amount)
        start = day + _ONE_DAY
    if balance > 0 and start <= end:
        periods.append((start, end, balance))

    if not periods:
        steps.append(Step(words("aucun jour de retard avec un solde dû : pas d'intérêts")))
    balance_days = ZERO  # Σ balance × days, exact
    for first, last, owed_then in periods:
        days = (last - first).days + 1
        balance_days += owed_then * days
        part = owed_then * days * rate / DAYS_PER_YEAR
        steps.append(
            Step(
                words(
                    "du {first} au {last} : {days} j × {balance} × {rate} / {year} = {part}",
                    first=first,
                    last=last,
                    days=days,
                    balance=Euros(owed_then),
                    rate=Percent(rate),
                    year=DAYS_PER_YEAR,
                    part=Approx(part),
                ),
                part,
            )
        )

    exact = balance_days * rate / DAYS_PER_YEAR
    interest = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    steps.append(
        Step(
            words(
                "total {exact}, arrondi au centime (demi supérieur) = {amount}",
                exact=Approx(exact),
                amount=Euros(interest),
            ),
            interest,
        )
    )
    return Explained(
        value=interest,
        rule=rule,
        law=LATE_PAYMENT_LAW,
        inputs={
            "principal": owed,
            "due": due_day,
            "until": end,
            "annual_rate": rate,
            "payments": paid,
        },
        steps=tuple(steps),
    )


def recovery_indemnity(*, client_is_professional: bool) -> Explained:
    """The lump-sum recovery indemnity owed for a late invoice: 40 EUR, professionals only.

    Due by a professional debtor per invoice paid late, on top of the late penalties, and not
    subject to VAT (C. com. L441-10, D441-5). A consumer owes none: the rule belongs to the
    law on payment terms between professionals.
    """
    rule = "recovery_indemnity"
    if not isinstance(client_is_professional, bool):
        raise RuleError(
            "client_is_professional",
            rule,
            f"expected True or False, got {client_is_professional!r}",
        )
    fact = RECOVERY_INDEMNITY
    if client_is_professional:
        value = fact.value
        steps = (
            Step(
                words(
                    "client professionnel : indemnité forfaitaire pour frais de recouvrement de "
                    "{amount} par facture payée en retard, due de plein droit ({source})",
                    amount=Euros(value),
                    source=fact.source,
                ),
                value,
            ),
            Step(words("indemnité non soumise à la TVA")),
        )
    else:
        value = ZERO.quantize(CENT)
        steps = (
            Step(
                words(
                    "client consommateur : l'indemnité de {amount} n'est due que par un débiteur "
                    "professionnel ({source}) ; un consommateur n'en doit aucune",
                    amount=Euros(fact.value),
                    source=fact.source,
                ),
                value,
            ),
        )
    return Explained(
        value=value,
        rule=rule,
        law=f"{LATE_PAYMENT_LAW}, D441-5",
        inputs={"client_is_professional": client_is_professional},
        steps=steps,
    )
