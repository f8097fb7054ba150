"""Pure decisions about quotes: numbers shown, totals, deposit, validity, acceptance.

No ORM here: services pass plain values in and freeze what comes out (``Explained.as_dict``)
into the quote when it is sent. Refusals are sentences in the active language (gettext, French
by default); explanations are :class:`~clausier.rules.wording.Words`, frozen with their
parameters so that a page words them again in its language. What is kept as evidence (the
statement the client ticks) stays in French, the language of the contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.quotes import transitions as t
from clausier.rules.explain import Explained, Step
from clausier.rules.money import (
    ZERO,
    Line,
    VatRegime,
    deposit_amount,
    document_totals,
    format_eur,
    format_percent,
)
from clausier.rules.payment import LEGAL_PAYMENT_TERM
from clausier.rules.wording import Words, words, words_plural
from clausier.terms.schemas import ClauseKind

QUOTE_RULES_CLAUSE: Final = ClauseKind.QUOTE_RULES
PAYMENT_DUE_CLAUSE: Final = ClauseKind.PAYMENT_DUE
DEPOSIT_CLAUSE: Final = ClauseKind.PAYMENT_DEPOSIT


def display_number(*, number: str, revision: int) -> str:
    """``D2026-000003`` for the first revision, ``D2026-000003-R2`` for the second."""
    if not number:
        return ""
    return number if revision <= 1 else f"{number}-R{revision}"


@dataclass(frozen=True, slots=True)
class LineFacts:
    """A quote line as the rules core needs it (amounts HT, rates as fractions)."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal = ZERO
    discount: Decimal = ZERO


def quote_totals(*, lines: Sequence[LineFacts], regime: VatRegime | str) -> Explained:
    """HT, VAT and TTC totals: each line rounded half up to the cent, VAT per rate, TTC = HT +
    VAT; under the 293 B franchise no VAT whatever the line rates, with the mention
    (:func:`clausier.rules.money.document_totals`). ``lines``: any lines with the figures of
    a :class:`LineFacts` (a ``QuoteLine`` has them)."""
    return document_totals(lines=money_lines(lines), regime=regime)


def money_lines(lines: Iterable[LineFacts]) -> list[Line]:
    """The rules core's lines (:class:`clausier.rules.money.Line`) of any document's lines that
    carry its figures: description, quantity, unit price HT, VAT rate and discount as
    fractions."""
    return [
        Line(
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            discount=line.discount,
        )
        for line in lines
    ]


def deposit(
    *, total_ht: Decimal, rate: Decimal, clause: str, article: str, terms: str
) -> Explained:
    """The deposit asked on acceptance: ``rate`` × HT total, rounded half up, attributed to the
    deposit clause of the terms version the quote names."""
    explained = deposit_amount(total_ht=total_ht, rate=rate).citing(clause=clause, terms=terms)
    return Explained(
        value=explained.value,
        rule=explained.rule,
        law=explained.law,
        inputs=explained.inputs | {"article": article},
        steps=explained.steps,
        clause=explained.clause,
        terms=explained.terms,
    )


def default_valid_until(*, sent_on: date, validity_days: int) -> date:
    """The validity date when the terms fix one: ``validity_days`` calendar days after the day
    the quote is sent. A contractual period, not a procedural one: no carry-over to the next
    working day."""
    return sent_on + timedelta(days=validity_days)


def acceptance_deadline(*, valid_until: date, tz: tzinfo) -> datetime:
    """The first instant at which the quote can no longer be accepted: midnight at the end of
    its validity day, local time (a quote valid until 31/05 can be accepted at 23:59:59 on
    31/05 in Paris, not at 00:00 on 01/06). A date at the very end of the calendar (a quote
    saved before typed dates were bounded) stops two days short of it instead of overflowing."""
    day = min(valid_until, date.max - timedelta(days=2)) + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=tz)


def is_valid_at(*, valid_until: date, at: datetime, tz: tzinfo) -> bool:
    return at < acceptance_deadline(valid_until=valid_until, tz=tz)


def validity(*, valid_until: date, tz: tzinfo, clause: dict) -> Explained:
    """Until when the quote may be accepted, and why: the quote's own date (terms leaving it
    open, ``validity_days`` null) or the terms' period."""
    end = acceptance_deadline(valid_until=valid_until, tz=tz)
    days = clause.get("validity_days")
    source = (
        words("durée fixée par le devis (les CGV la laissent à chaque devis)")
        if days is None
        else words_plural(
            "{count} jour après l'envoi (CGV)", "{count} jours après l'envoi (CGV)", days
        )
    )
    return Explained(
        value=valid_until,
        rule="quote_validity",
        inputs={"valid_until": valid_until, "validity_days": days, "tz": str(tz)},
        steps=(
            Step(
                words(
                    "validité : {source}, jusqu'au {until} inclus", source=source, until=valid_until
                ),
                valid_until,
            ),
            Step(
                words("acceptation possible jusqu'au {end} exclu (heure locale)", end=end),
                end,
            ),
        ),
        clause=clause.get("clause", ""),
        terms=clause.get("terms", ""),
    )


def consent_statement(*, number: str, terms_label: str, has_specification: bool) -> Words:
    """What the client ticks in the portal (art. 3: the quote is returned without change;
    accepting it accepts the specification attached and the terms it names), in the words
    of the language the client reads."""
    if has_specification:
        return words(
            "J'accepte le devis n° {number} sans modification, le cahier des charges joint et "
            "les CGV {terms}.",
            number=number,
            terms=terms_label,
        )
    return words(
        "J'accepte le devis n° {number} sans modification et les CGV {terms}.",
        number=number,
        terms=terms_label,
    )


EMAIL_EVIDENCE: Final = "email"
POSTAL_EVIDENCE: Final = "post"


def _cgv_reference(terms_label: str) -> str:
    if terms_label:
        return _("art. 3 des CGV %(terms)s") % {"terms": terms_label}
    return _("art. 3 des CGV")


def _expired(*, number: str, valid_until: date | None, cgv: str) -> str:
    if valid_until is None:
        return _(
            "Le devis %(number)s a expiré : il ne peut plus être accepté. Un devis expiré est "
            "considéré comme annulé (%(cgv)s) ; demandez un nouveau devis."
        ) % {"number": number, "cgv": cgv}
    return _(
        "Le devis %(number)s a expiré le %(until)s à minuit (heure de Paris) : il ne peut plus "
        "être accepté. Un devis expiré est considéré comme annulé (%(cgv)s) ; demandez un "
        "nouveau devis."
    ) % {"number": number, "until": f"{valid_until:%d/%m/%Y}", "cgv": cgv}


def _late_evidence(
    *, number: str, valid_until: date, at: datetime, tz: tzinfo, evidence: str, cgv: str
) -> str:
    local = at.astimezone(tz)
    values = {
        "number": number,
        "until": f"{valid_until:%d/%m/%Y}",
        "day": f"{local:%d/%m/%Y}",
        "time": f"{local:%H:%M}",
        "cgv": cgv,
    }
    if evidence == EMAIL_EVIDENCE:
        return (
            _(
                "Le devis %(number)s a expiré le %(until)s à minuit (heure de Paris), avant "
                "l'e-mail du client daté du %(day)s à %(time)s : il ne peut plus être accepté. Un "
                "devis expiré est considéré comme annulé (%(cgv)s) ; demandez un nouveau devis."
            )
            % values
        )
    return (
        _(
            "Le devis %(number)s a expiré le %(until)s à minuit (heure de Paris), avant "
            "l'exemplaire signé daté du %(day)s : il ne peut plus être accepté. Un devis "
            "expiré est considéré comme annulé (%(cgv)s) ; demandez un nouveau devis."
        )
        % values
    )


def evidence_in_time(*, valid_until: date | None, at: datetime, tz: tzinfo) -> bool:
    """Whether consent dated ``at`` (an email's ``Date``, the first instant of the day a copy
    returned by post is signed) was given within the quote's validity."""
    return valid_until is not None and is_valid_at(valid_until=valid_until, at=at, tz=tz)


def refusal_to_accept(
    *,
    status: str,
    number: str,
    valid_until: date | None,
    at: datetime,
    tz: tzinfo,
    terms_label: str,
    successor: str = "",
    evidence: str = "",
) -> str | None:
    """Why the quote cannot be accepted at ``at`` (a sentence in the active language), or
    None if it can.

    Only a sent quote within its validity can be accepted; the validity is checked here too,
    so a quote past its date is refused even before the expiry task has marked it.

    ``evidence`` (:data:`EMAIL_EVIDENCE`, :data:`POSTAL_EVIDENCE`) is set when staff record
    the client's consent received by email or by post; ``at`` is then the date that evidence
    bears. Art. 3 of the agency's terms: consent given within the validity accepts the quote,
    so such evidence dated in time accepts it even once the expiry task has marked it
    ``expired`` (``transitions.CONDITIONS``); evidence dated later is refused naming both
    dates. Online (no ``evidence``) the acceptance is dated when it is made, and an expired
    quote is refused.
    """
    cgv = _cgv_reference(terms_label)
    if status == t.SUPERSEDED:
        if successor:
            return _(
                "Le devis %(number)s a été remplacé par sa révision %(successor)s : il ne peut "
                "plus être accepté. Seule la dernière révision du devis peut l'être."
            ) % {"number": number, "successor": successor}
        return _(
            "Le devis %(number)s a été remplacé par une révision : il ne peut plus être "
            "accepté. Seule la dernière révision du devis peut l'être."
        ) % {"number": number}
    in_time = evidence_in_time(valid_until=valid_until, at=at, tz=tz)
    if status == t.EXPIRED:
        if not evidence:
            return _expired(number=number, valid_until=valid_until, cgv=cgv)
        if in_time:
            return None
        if valid_until is None:  # pragma: no cover - an expired quote always has its date
            return _expired(number=number, valid_until=valid_until, cgv=cgv)
        return _late_evidence(
            number=number, valid_until=valid_until, at=at, tz=tz, evidence=evidence, cgv=cgv
        )
    if status == t.SENT and valid_until is not None and not in_time:
        return _expired(number=number, valid_until=valid_until, cgv=cgv)
    if status == t.DRAFT:
        return _("Ce devis n'a pas encore été envoyé au client : il ne peut pas être accepté.")
    if status == t.ACCEPTED:
        return _("Le devis %(number)s est déjà accepté.") % {"number": number}
    if status == t.REFUSED:
        return _("Le devis %(number)s a été refusé : il ne peut plus être accepté.") % {
            "number": number
        }
    if status == t.WITHDRAWN:
        return _(
            "Le devis %(number)s a été retiré par le prestataire : il ne peut plus être accepté."
        ) % {"number": number}
    return None


# The mentions art. 3 of the agency's terms asks of the copy returned by post.
POSTAL_MENTIONS: Final = {
    "bon_pour_accord": gettext_lazy("la mention « Bon pour accord »"),
    "signature": gettext_lazy("la signature"),
    "date": gettext_lazy("la date"),
    "stamp": gettext_lazy("le cachet commercial"),
}


def missing_postal_mentions(
    *, bon_pour_accord: bool, signature: bool, date: bool, stamp: bool, stamp_required: bool
) -> list[str]:
    """The keys of :data:`POSTAL_MENTIONS` the staff did not confirm on the signed copy (the
    stamp only for a company: "cachet commercial s'il y a lieu")."""
    shown = {"bon_pour_accord": bon_pour_accord, "signature": signature, "date": date}
    if stamp_required:
        shown["stamp"] = stamp
    return [key for key, ok in shown.items() if not ok]


def postal_refusal(missing: Sequence[str], *, number: str, terms_label: str) -> str:
    items = [str(POSTAL_MENTIONS[key]) for key in missing]
    listed = (
        items[0]
        if len(items) == 1
        else _("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
    )
    return _(
        "L'exemplaire signé ne vaut pas acceptation du devis %(number)s : il y manque "
        "%(missing)s (art. 3 des CGV %(terms)s)."
    ) % {"number": number, "missing": listed, "terms": terms_label}


def legal_payment_terms(*, terms_label: str) -> dict:
    """The payment terms a quote freezes when the seller's terms ``terms_label`` set no
    payment term (no ``payment.due`` clause): the law's, the 30th day after the execution
    of the service (C. com. L441-10 I, al. 1, :data:`rules.payment.LEGAL_PAYMENT_TERM`, the
    term an invoice under the same terms is due by). Shaped as a clause's snapshot, with no
    clause id and ``law`` its source."""
    return {
        "clause": "",
        "kind": str(PAYMENT_DUE_CLAUSE),
        "article": "",
        "title": "",
        "excerpt": "",
        "parameters": {
            "n": LEGAL_PAYMENT_TERM.value,
            "unit": "jours_calendaires",
            "from": "execution",
        },
        "terms": terms_label,
        "law": LEGAL_PAYMENT_TERM.source,
    }


def deposit_sentence(*, rate: Decimal, amount: Decimal, article: str, terms: str) -> str:
    """ "art. 5 CGV v3.0, 30 % du total HT (1 500,00 €)"."""
    return f"{article} CGV {terms}, {format_percent(rate)} du total HT ({format_eur(amount)})"
