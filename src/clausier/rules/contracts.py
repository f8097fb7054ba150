"""The dates and sums of a recurring service contract's life: renewal, notice, end.

- A contract renewed by tacit renewal unless notice is received ``months`` before its term
  (seed 002 art. 7: one month): :func:`notice_deadline` is the last day such a notice may be
  received. A notice period runs backwards from the term and is *not* carried past a
  weekend or a holiday: CPC 642 does not apply to it (Cass. 3e civ., 8 mars 2018,
  n° 17-11.312). When that day is not a working day, the explanation says so and names the
  previous working day, to send in time.
- A consumer must be told of the renewal no earlier than three months and no later than one
  month before that deadline (C. conso. L215-1): :func:`chatel_window`.
- Termination for breach takes effect a number of jours ouvrés after the registered letter
  (seed 002 art. 7: ten), unless remedied: :func:`breach_end`.
- Force majeure is notified within jours ouvrés of the event (seed 002 art. 8: five), and
  either party may terminate once it lasts beyond jours ouvrés from the notification's
  receipt (fifteen): :func:`force_majeure_notice_deadline`,
  :func:`force_majeure_termination_from`.
- Prepaid periods not yet served are refunded pro rata temporis (seed 002 art. 12b):
  :func:`unused_share`.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

from clausier.rules.calendar import (
    FrenchCalendar,
    holiday_words,
    require_count,
    require_date,
    weekday_words,
)
from clausier.rules.deadlines import deadline, period
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.money import CENT, ZERO, non_negative
from clausier.rules.wording import Approx, Euros, Percent, words, words_plural

# CPC 642 carries a period to act, never a notice period counted back from a term.
NOTICE_NOT_CARRIED: Final = LegalFact(
    "un délai de préavis n'est pas reporté au jour ouvrable suivant (CPC 642 inapplicable)",
    "Cass. 3e civ., 8 mars 2018, n° 17-11.312",
)
# The seed terms' notice before each term (seed 002 art. 7: "au moins un mois avant
# l'échéance"), a clause parameter.
SEED_NOTICE_MONTHS: Final = LegalFact(1, "CGV 002 art. 7")
# The professional informs the consumer "au plus tôt trois mois et au plus tard un mois avant
# le terme de la période autorisant le rejet de la reconduction".
CHATEL_EARLIEST_MONTHS: Final = LegalFact(3, "C. conso. L215-1")
CHATEL_LATEST_MONTHS: Final = LegalFact(1, "C. conso. L215-1")
# "Lorsque cette information ne lui a pas été adressée conformément aux dispositions du premier
# alinéa, le consommateur peut mettre gratuitement un terme au contrat, à tout moment à compter
# de la date de reconduction."
CHATEL_SANCTION: Final = LegalFact(
    "le consommateur peut résilier gratuitement à tout moment à compter de la date de reconduction",
    "C. conso. L215-1 al. 2",
)
# A contract in force is terminated de plein droit after a formal notice to the administrator
# to choose whether to continue it, "restée plus d'un mois sans réponse"; a clause ending it
# for the mere opening of the proceedings is void (L622-13 I).
INSOLVENCY_UNANSWERED_MONTHS: Final = LegalFact(1, "C. com. L622-13 III 1°")
INSOLVENCY_LIMIT: Final = LegalFact(
    "la seule ouverture d'une procédure collective ne résilie pas le contrat ; toute clause "
    "contraire est réputée non écrite",
    "C. com. L622-13 I",
)
# Termination for breach: "dix (10) jours ouvrés après l'envoi" of the registered letter.
SEED_BREACH_CURE_DAYS: Final = LegalFact(10, "CGV 002 art. 7")
# Force majeure: notified "dans les cinq (5) jours ouvrés maximum de la survenance";
# termination open when it lasts "au-delà d'un délai de quinze (15) jours ouvrés à compter de
# la date de réception de la notification".
SEED_FORCE_MAJEURE_NOTIFY_DAYS: Final = LegalFact(5, "CGV 002 art. 8")
SEED_FORCE_MAJEURE_TERMINATION_DAYS: Final = LegalFact(15, "CGV 002 art. 8")
# Refusing a price revision at term ends the contract with "un remboursement éventuel des
# prestations à venir au prorata temporis".
PRO_RATA_REFUND: Final = LegalFact(
    "remboursement des prestations à venir au prorata temporis", "CGV 002 art. 12b"
)

_WORKING: Final = "ouvre"


def notice_deadline(*, term_end: date, months: int, calendar: FrenchCalendar) -> Explained:
    """The last day a notice not to renew may be received: ``months`` months before
    ``term_end`` (the last day of the current period), on the same day number or, when the
    month has no such day, on that month's last day.

    Never carried to another day: a notice period is not a period to act (CPC 642 does not
    apply, :data:`NOTICE_NOT_CARRIED`). When the day is a Saturday, a Sunday or a holiday,
    the explanation says so and recommends sending so that the notice arrives by the
    previous working day.
    """
    law = NOTICE_NOT_CARRIED.source
    require_date("term_end", term_end, law)
    require_count("months", months, law)
    _require_calendar(calendar, law)
    value = _minus_months(term_end, months, "months", law)
    steps = [
        Step(words("dernier jour de la période en cours"), term_end),
        _months_back_step(term_end, months, value),
    ]
    law_cited = law
    if not calendar.is_working_day(value, _WORKING):
        earlier = _previous_working_day(value, calendar)
        name = calendar.holiday_name(value)
        if name is None:
            rest = words("{weekday} {day}", weekday=weekday_words(value), day=value)
        else:
            rest = words(
                "{weekday} {day}, {holiday}",
                weekday=weekday_words(value),
                day=value,
                holiday=holiday_words(name),
            )
            law_cited = f"{law}; {calendar.law}"
        steps += [
            Step(
                words(
                    "{day} n'est pas un jour ouvré : le préavis n'est pas reporté au jour "
                    "ouvrable suivant (CPC 642 inapplicable, {source})",
                    day=rest,
                    source=law,
                ),
                value,
            ),
            Step(
                words(
                    "recommandé : envoyer pour une réception au plus tard le {weekday} {day}, "
                    "jour ouvré précédent",
                    weekday=weekday_words(earlier),
                    day=earlier,
                ),
                earlier,
            ),
        ]
    steps.append(Step(words("dernier jour de réception du préavis"), value))
    return Explained(
        value=value,
        rule="notice_deadline",
        law=law_cited,
        inputs={"term_end": term_end, "months": months, "region": calendar.region},
        steps=tuple(steps),
    )


def chatel_window(*, notice_deadline: date) -> Explained:
    """When a consumer must be told of the tacit renewal (C. conso. L215-1): the pair
    ``(earliest, latest)``, three months and one month before ``notice_deadline``, same day
    number or the month's last day, neither carried to a working day."""
    law = CHATEL_EARLIEST_MONTHS.source
    require_date("notice_deadline", notice_deadline, law)
    earliest_months, latest_months = CHATEL_EARLIEST_MONTHS.value, CHATEL_LATEST_MONTHS.value
    earliest = _minus_months(notice_deadline, earliest_months, "notice_deadline", law)
    latest = _minus_months(notice_deadline, latest_months, "notice_deadline", law)
    return Explained(
        value=(earliest, latest),
        rule="chatel_window",
        law=law,
        inputs={"notice_deadline": notice_deadline},
        steps=(
            Step(words("dernier jour pour refuser la reconduction"), notice_deadline),
            _months_back_step(notice_deadline, earliest_months, earliest),
            _months_back_step(notice_deadline, latest_months, latest),
            Step(
                words(
                    "information du consommateur au plus tôt le {earliest}, au plus tard le "
                    "{latest} ({source})",
                    earliest=earliest,
                    latest=latest,
                    source=law,
                ),
                (earliest, latest),
            ),
        ),
    )


def chatel_in_time(*, notice_deadline: date, sent_on: date | None) -> Explained:
    """Whether the renewal information went out inside the Chatel window
    (:func:`chatel_window`): ``True`` or ``False``; ``sent_on`` is ``None`` when it was never
    sent. Sent too early, too late or never, the consumer may terminate free of charge at any
    time from the renewal date (C. conso. L215-1 al. 2), and the explanation says so."""
    window = chatel_window(notice_deadline=notice_deadline)
    earliest, latest = window.value
    law = CHATEL_SANCTION.source
    steps = [*window.steps]
    if sent_on is None:
        in_time = False
        steps.append(Step(words("information jamais envoyée"), None))
    else:
        require_date("sent_on", sent_on, law)
        in_time = earliest <= sent_on <= latest
        if sent_on < earliest:
            said = words(
                "information envoyée le {day}, avant l'ouverture de la fenêtre", day=sent_on
            )
        elif sent_on > latest:
            said = words("information envoyée le {day}, après la fin de la fenêtre", day=sent_on)
        else:
            said = words("information envoyée le {day}, dans la fenêtre", day=sent_on)
        steps.append(Step(said, sent_on))
    if not in_time:
        steps.append(
            Step(
                words(
                    "le consommateur peut résilier gratuitement à tout moment à compter de la "
                    "date de reconduction ({source})",
                    source=law,
                ),
                False,
            )
        )
    return Explained(
        value=in_time,
        rule="chatel_in_time",
        law=f"{window.law}; {law}" if not in_time else window.law,
        inputs={"notice_deadline": notice_deadline, "sent_on": sent_on},
        steps=tuple(steps),
    )


def insolvency_termination_from(
    *,
    formal_notice_received_on: date,
    calendar: FrenchCalendar,
    months: int = INSOLVENCY_UNANSWERED_MONTHS.value,
) -> Explained:
    """The first day a contract ends for an insolvent party: the day after the month the
    administrator (or liquidator) had to answer a formal notice received on
    ``formal_notice_received_on`` (C. com. L622-13 III 1°), that month counted as the CPC
    counts. The explanation recalls that the opening of the proceedings alone never ends the
    contract (L622-13 I), whatever the terms say."""
    counted = deadline(start=formal_notice_received_on, n=months, unit="mois", calendar=calendar)
    value = counted.value + timedelta(days=1)
    return Explained(
        value=value,
        rule="insolvency_termination_from",
        law=f"{INSOLVENCY_UNANSWERED_MONTHS.source}; {counted.law}",
        inputs={**counted.inputs, "formal_notice_received_on": formal_notice_received_on},
        steps=(
            Step(words("mise en demeure reçue par l'administrateur"), formal_notice_received_on),
            *counted.steps,
            Step(
                words(
                    "sans réponse dans ce délai : résiliation de plein droit à compter de ce jour"
                ),
                value,
            ),
            Step(
                words(
                    "attention : {limit} ({source})",
                    limit=words(
                        "la seule ouverture d'une procédure collective ne résilie pas le "
                        "contrat ; toute clause contraire est réputée non écrite"
                    ),
                    source=INSOLVENCY_LIMIT.source,
                ),
                None,
            ),
        ),
    )


def breach_end(
    *, sent_on: date, calendar: FrenchCalendar, days: int = SEED_BREACH_CURE_DAYS.value
) -> Explained:
    """The day a contract terminated for breach ends unless the breach is remedied: ``days``
    jours ouvrés after the registered letter was sent (the sending day not counted), as the
    CPC counts (:func:`~clausier.rules.deadlines.deadline`). A remedy recorded on that day
    or before keeps the contract; from the next day it has ended."""
    counted = deadline(start=sent_on, n=days, unit="jours_ouvres", calendar=calendar)
    return replace(
        counted,
        rule="breach_end",
        law=f"{SEED_BREACH_CURE_DAYS.source}; {counted.law}",
        inputs={**counted.inputs, "sent_on": sent_on},
        steps=(
            Step(words("lettre recommandée de résiliation envoyée"), sent_on),
            *counted.steps,
            Step(
                words(
                    "sans remède au plus tard ce jour, le contrat prend fin ({period})",
                    period=period(days, "jours_ouvres"),
                ),
                counted.value,
            ),
        ),
    )


def force_majeure_notice_deadline(
    *, event_on: date, calendar: FrenchCalendar, days: int = SEED_FORCE_MAJEURE_NOTIFY_DAYS.value
) -> Explained:
    """The last day to notify a force majeure event that began on ``event_on``: ``days``
    jours ouvrés after it (the event's day not counted)."""
    counted = deadline(start=event_on, n=days, unit="jours_ouvres", calendar=calendar)
    return replace(
        counted,
        rule="force_majeure_notice_deadline",
        law=f"{SEED_FORCE_MAJEURE_NOTIFY_DAYS.source}; {counted.law}",
        inputs={**counted.inputs, "event_on": event_on},
        steps=(Step(words("survenance de l'événement de force majeure"), event_on), *counted.steps),
    )


def force_majeure_termination_from(
    *,
    notice_received_on: date,
    calendar: FrenchCalendar,
    days: int = SEED_FORCE_MAJEURE_TERMINATION_DAYS.value,
) -> Explained:
    """The first day either party may terminate for a force majeure that still lasts: the
    day after the ``days``-th jour ouvré following the notification's receipt (the event
    must last *beyond* that period). Termination then takes effect when the other party
    receives the registered letter."""
    law = SEED_FORCE_MAJEURE_TERMINATION_DAYS.source
    require_date("notice_received_on", notice_received_on, law)
    require_count("days", days, law)
    _require_calendar(calendar, law)
    last = calendar.add_working_days(notice_received_on, days, _WORKING)
    value = last + timedelta(days=1)
    skipped = calendar.holidays_between(notice_received_on + timedelta(days=1), last)
    steps = [
        Step(words("notification de la force majeure reçue (jour non compté)"), notice_received_on),
        *(
            Step(words("jour férié sauté : {day} {holiday}", day=d, holiday=holiday_words(name)), d)
            for d, name in skipped
            if d.weekday() < 5
        ),
        Step(
            words(
                "fin du délai : {start} + {period}",
                start=notice_received_on,
                period=period(days, "jours_ouvres"),
            ),
            last,
        ),
        Step(
            words("premier jour où la résiliation est possible, sans dommages et intérêts"),
            value,
        ),
    ]
    return Explained(
        value=value,
        rule="force_majeure_termination_from",
        law=f"{law}; {calendar.law}" if skipped else law,
        inputs={"notice_received_on": notice_received_on, "days": days, "region": calendar.region},
        steps=tuple(steps),
    )


def unused_share(
    *, amount: Decimal, period_start: date, period_end: date, last_day_served: date
) -> Explained:
    """The part of ``amount``, paid for the period from ``period_start`` through
    ``period_end`` (both included), that covers the days after ``last_day_served``:
    ``amount`` × days left / days in the period, rounded once to the cent, half up.

    ``last_day_served`` may be the day before ``period_start`` (nothing served: the whole
    amount) and any day up to ``period_end`` or later (nothing left: 0)."""
    law = PRO_RATA_REFUND.source
    value = non_negative(amount, "amount", law)
    require_date("period_start", period_start, law)
    require_date("period_end", period_end, law)
    require_date("last_day_served", last_day_served, law)
    if period_end < period_start:
        raise RuleError(
            "period_end",
            law,
            words(
                "la période finit le {end}, avant son début le {start}",
                end=period_end,
                start=period_start,
            ),
        )
    if last_day_served < period_start - timedelta(days=1):
        raise RuleError(
            "last_day_served",
            law,
            words(
                "le dernier jour servi ({day}) précède la veille du début de la période ({start})",
                day=last_day_served,
                start=period_start,
            ),
        )
    total = (period_end - period_start).days + 1
    left = max((period_end - last_day_served).days, 0)
    exact = value * left / total
    share = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    steps = [
        Step(
            words_plural(
                "période du {start} au {end} : {count} jour",
                "période du {start} au {end} : {count} jours",
                total,
                start=period_start,
                end=period_end,
            ),
            total,
        ),
        Step(words("dernier jour servi"), last_day_served),
    ]
    if not left:
        steps.append(Step(words("rien ne reste à servir"), ZERO))
    else:
        steps.append(
            Step(
                words_plural(
                    "{count} jour restant, du {first} au {end}",
                    "{count} jours restants, du {first} au {end}",
                    left,
                    first=last_day_served + timedelta(days=1),
                    end=period_end,
                ),
                left,
            )
        )
    steps += [
        Step(
            words(
                "{amount} × {left} / {total} jours = {exact}",
                amount=Euros(value),
                left=left,
                total=total,
                exact=Approx(exact),
            ),
            exact,
        ),
        Step(words("arrondi au centime, au demi supérieur : {amount}", amount=Euros(share)), share),
    ]
    return Explained(
        value=share,
        rule="unused_share",
        law=law,
        inputs={
            "amount": value,
            "period_start": period_start,
            "period_end": period_end,
            "last_day_served": last_day_served,
        },
        steps=tuple(steps),
    )


def _months_back_step(start: date, months: int, value: date) -> Step:
    if value.day == start.day or not months:
        label = words("{start} - {period}", start=start, period=period(months, "mois"))
    else:
        label = words(
            "{start} - {period} (pas de {day} ce mois-là : dernier jour du mois)",
            start=start,
            period=period(months, "mois"),
            day=start.day,
        )
    return Step(label, value)


def _previous_working_day(d: date, calendar: FrenchCalendar) -> date:
    current = d
    try:
        while not calendar.is_working_day(current, _WORKING):
            current -= timedelta(days=1)
    except OverflowError:
        raise RuleError("term_end", calendar.law, f"no working day before {d}") from None
    return current


def _minus_months(d: date, months: int, argument: str, law: str) -> date:
    index = d.month - 1 - months
    year, month = d.year + index // 12, index % 12 + 1
    if year < date.min.year:
        raise RuleError(argument, law, f"the period runs before {date.min}")
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def _require_calendar(calendar: object, law: str) -> None:
    if not isinstance(calendar, FrenchCalendar):
        raise RuleError(
            "calendar", law, f"expected a FrenchCalendar, got {type(calendar).__name__}"
        )


def revised_price(*, lines: tuple[tuple[str, Decimal, Decimal], ...], law: str) -> Explained:
    """A price revised at term (seed 002 art. 12b, "revu à la hausse à échéance"): the pair
    ``(current total, new total)`` HT per period of ``lines`` (``(description, current,
    new)``), each line's amount kept or raised, never lowered, and one at least raised.
    ``law`` cites the terms' clause and version."""
    if not lines:
        raise RuleError("lines", law, words("aucune ligne à réviser"))
    steps = []
    current_total = new_total = ZERO.quantize(CENT)
    for description, current, new in lines:
        current = non_negative(current, "current", law).quantize(CENT, rounding=ROUND_HALF_UP)
        new = non_negative(new, "new", law).quantize(CENT, rounding=ROUND_HALF_UP)
        if new < current:
            raise RuleError(
                "new",
                law,
                words(
                    "{line} : le tarif ne peut être revu qu'à la hausse ({new} < {current})",
                    line=description,
                    new=Euros(new),
                    current=Euros(current),
                ),
            )
        current_total += current
        new_total += new
        steps.append(
            Step(
                words(
                    "{line} : {current} -> {new} HT par période",
                    line=description,
                    current=Euros(current),
                    new=Euros(new),
                ),
                new,
            )
        )
    if new_total == current_total:
        raise RuleError("new", law, words("aucun montant n'est revu à la hausse"))
    steps += [
        Step(words("total actuel HT par période"), current_total),
        Step(words("nouveau total HT par période"), new_total),
        Step(
            words(
                "la tacite reconduction de cette échéance devient caduque : accepté, le "
                "contrat est reconduit au nouveau tarif ; refusé ou sans réponse, il prend fin "
                "à l'échéance, les prestations à venir remboursées au prorata temporis ({source})",
                source=law,
            ),
            None,
        ),
    ]
    return Explained(
        value=(current_total, new_total),
        rule="revised_price",
        law=law,
        inputs={"lines": [[d, str(c), str(n)] for d, c, n in lines]},
        steps=tuple(steps),
    )


# Seed 002 art. 10: "limitée au montant hors taxes n'excédant pas la moitié de la somme totale
# hors taxes, effectivement payée par le client pour le service ... à la date de la
# réclamation". The ratio is the clause's parameter (``liability.cap``), never a literal here.
# "N'excédant pas": the cap is rounded down to the cent, so that it never exceeds the share.
LIABILITY_CAP_ROUNDING: Final = "arrondi au centime inférieur, une seule fois"


def liability_cap(*, paid_ht: Decimal, ratio: Fraction | Decimal, claim_date: date) -> Explained:
    """The most the seller owes on a proven claim received on ``claim_date``: ``ratio`` of
    ``paid_ht`` (the HT total the client actually paid for the service by that day), rounded
    once down to the cent (:data:`LIABILITY_CAP_ROUNDING`: the clause's "n'excédant pas"), so
    never above ``paid_ht`` × ``ratio``, and less than a cent below it; 0 when nothing was
    paid.
    The caller cites the clause and terms version (:meth:`Explained.citing`)."""
    rule = "liability_cap"
    require_date("claim_date", claim_date, rule)
    paid = non_negative(paid_ht, "paid_ht", rule)
    if isinstance(ratio, Fraction):
        share = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    else:
        share = non_negative(ratio, "ratio", rule)
    if share < 0 or share > 1:
        raise RuleError("ratio", rule, f"a ratio is a fraction in [0, 1], got {ratio}")
    exact = paid * share
    cap = exact.quantize(CENT, rounding=ROUND_DOWN)
    steps = (
        Step(words("réclamation reçue (lettre recommandée)"), claim_date),
        Step(
            words(
                "total HT effectivement payé pour le service à cette date : {amount}",
                amount=Euros(paid),
            ),
            paid,
        ),
        Step(
            words(
                "{ratio} × {amount} = {exact}",
                ratio=Percent(share),
                amount=Euros(paid),
                exact=Approx(exact),
            ),
            exact,
        ),
        Step(words("arrondi au centime inférieur : {amount}", amount=Euros(cap)), cap),
    )
    return Explained(
        value=cap,
        rule=rule,
        inputs={
            "paid_ht": paid,
            "ratio": share,
            "claim_date": claim_date,
            "rounding": LIABILITY_CAP_ROUNDING,
        },
        steps=steps,
    )
