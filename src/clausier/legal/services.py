"""Writes on the legal-rate table: :func:`record_legal_rate` (add a period, or correct one
staff entered), atomic and audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_event
from clausier.kernel.actor import Actor
from clausier.legal import domain
from clausier.legal.models import MAX_PLAUSIBLE_PERCENT, EcbRate, LegalRate
from clausier.legal.selectors import (
    ecb_rate_table,
    forget_table_end,
    legal_rate_table,
    semester_span,
)
from clausier.rules.ecb import EcbRateTable
from clausier.rules.interest import LegalRateTable

MAX_PERCENT = Decimal(MAX_PLAUSIBLE_PERCENT)


def _percent(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if isinstance(value, bool | float) or value in (None, ""):
        errors[field] = _("taux en pourcentage attendu, écrit comme au Journal officiel (ex. 3,15)")
        return None
    try:
        rate = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("taux illisible : %(value)r (ex. 3,15 pour 3,15 %%)") % {"value": value}
        return None
    if not rate.is_finite() or rate < 0 or rate > MAX_PERCENT:
        errors[field] = _(
            "taux hors limites : %(value)s (un taux légal plausible est entre 0 et %(max)s %%)"
        ) % {"value": value, "max": MAX_PLAUSIBLE_PERCENT}
        return None
    if rate != rate.quantize(Decimal("0.01")):
        errors[field] = _("%(value)s : le Journal officiel publie le taux avec deux décimales") % {
            "value": value
        }
        return None
    return rate.quantize(Decimal("0.01"))


def _period(value: Any, errors: dict[str, str]) -> domain.Period | None:
    try:
        if isinstance(value, domain.Period):
            return value.checked()
        return domain.Period.parse(value)
    except domain.PeriodError as exc:
        errors["period"] = str(exc)
        return None


def _actor_label(by: Any) -> str:
    if getattr(by, "is_authenticated", False):
        return by.get_username()
    return str(by or "système")[:200]


def published_source(*, decree_date: date | None, journal_reference: str) -> str:
    """The source as it is cited: « Arrêté du 22/06/2026 relatif à la fixation du taux de
    l'intérêt légal, JORF n° 0148 du 27 juin 2026, texte n° 36 »."""
    # Stored and printed as published, in French whatever the language of the page.
    return (
        f"Arrêté du {decree_date:%d/%m/%Y} relatif à la fixation du taux de l'intérêt légal, "
        f"{journal_reference} (C. mon. fin. L313-2)"
    )


def _source_fields(
    source: str, decree_date: Any, journal_reference: str, errors: dict[str, str]
) -> str:
    """The source text: given as such, or made of the arrêté's date and its Journal officiel
    reference, each required once either is given."""
    journal_reference = (journal_reference or "").strip()
    if decree_date in (None, "") and not journal_reference:
        if not source:
            errors["source"] = _(
                "indiquez le texte qui publie le taux : la date de l'arrêté et sa référence "
                "au Journal officiel ; un taux légal n'est jamais saisi sans sa source"
            )
        return source
    if not isinstance(decree_date, date):
        try:
            decree_date = date.fromisoformat(str(decree_date or "").strip())
        except ValueError:
            errors["decree_date"] = _(
                "date de l'arrêté attendue (AAAA-MM-JJ) : la source du taux est obligatoire"
            )
    if not journal_reference:
        errors["journal_reference"] = _(
            "référence au Journal officiel attendue (« JORF n° … du …, texte n° … ») : la "
            "source du taux est obligatoire"
        )
    if "decree_date" in errors or "journal_reference" in errors:
        return source
    return source or published_source(decree_date=decree_date, journal_reference=journal_reference)


def check_legal_rate(
    *,
    period: domain.Period | str,
    professional: Any,
    consumer: Any,
    source: str = "",
    decree_date: Any = None,
    journal_reference: str = "",
    new: bool = False,
) -> domain.StaffRate:
    """The rate as :func:`record_legal_rate` would record it, or the ``ValidationError``
    naming each field it refuses (``period``, ``professional``, ``consumer``, ``source``,
    ``decree_date``, ``journal_reference``). ``new``: refuse a period the table in force
    already has (adding, not correcting). Reads only: the forms check with it first."""
    errors: dict[str, str] = {}
    checked = _period(period, errors)
    pro = _percent(professional, "professional", errors)
    con = _percent(consumer, "consumer", errors)
    source = _source_fields((source or "").strip(), decree_date, journal_reference, errors)
    if checked is not None and checked.semester is None and None not in (pro, con) and pro != con:
        errors["consumer"] = _(
            "%(period)s : un seul taux légal par an avant 2015, les deux taux sont égaux"
        ) % {"period": checked.label}
    if checked is not None and new and "period" not in errors and _in_table(checked):
        errors["period"] = _(
            "le taux du %(period)s est déjà au tableau : une période ne se saisit qu'une fois"
        ) % {"period": checked.long_label}
    if errors:
        raise ValidationError(errors)
    rate = domain.StaffRate(period=checked, professional=pro, consumer=con, source=source)
    why = domain.contradiction(LegalRateTable.default(), rate)
    if why:
        raise ValidationError({"period": _("taux refusé : %(why)s.") % {"why": why}})
    if not LegalRate.objects.filter(year=checked.year, semester=checked.semester).exists():
        hole = domain.gap(legal_rate_table(), checked)
        if hole:
            raise ValidationError({"period": _("taux refusé : %(why)s.") % {"why": hole}})
    return rate


def _in_table(period: domain.Period) -> bool:
    if LegalRate.objects.filter(year=period.year, semester=period.semester).exists():
        return True
    return any(
        p.start <= period.end and period.start <= p.end for p in LegalRateTable.default().periods
    )


@transaction.atomic
def record_legal_rate(
    *,
    period: domain.Period | str,
    professional: Any,
    consumer: Any,
    source: str = "",
    decree_date: Any = None,
    journal_reference: str = "",
    new: bool = False,
    by: Actor,
) -> LegalRate:
    """Record the legal rate of ``period`` (``"2026-S2"``) as published: ``professional``
    (creditor acting as a professional, "tous les autres cas") and ``consumer`` (natural
    person not acting for professional purposes), in percent; its source, either
    ``decree_date`` (the arrêté) and ``journal_reference`` (« JORF n° … du …, texte n° … »),
    from which the cited ``source`` is made, or ``source`` as a text. A period staff entered
    before is corrected (audited with before and after), unless ``new`` (the screen that
    adds a semester), which refuses a period the table already has. Refused with a
    ``ValidationError`` naming the field (:func:`check_legal_rate`): a period that
    contradicts the table shipped with clausier or leaves a hole in the table, a rate not
    written as published or beyond plausible (0-20 %), a missing source.
    ``by``: the user, or a label for the command line."""
    # One writer at a time on the table: rows are few, lock them all, then check.
    list(LegalRate.objects.select_for_update().values_list("pk", flat=True))
    rate = check_legal_rate(
        period=period,
        professional=professional,
        consumer=consumer,
        source=source,
        decree_date=decree_date,
        journal_reference=journal_reference,
        new=new,
    )
    checked, pro, con, source = rate.period, rate.professional, rate.consumer, rate.source
    decree = decree_date if isinstance(decree_date, date) else None
    if decree is None and decree_date not in (None, ""):
        decree = date.fromisoformat(str(decree_date).strip())
    journal = (journal_reference or "").strip()
    row = LegalRate.objects.filter(year=checked.year, semester=checked.semester).first()
    if row is None:
        row = LegalRate(year=checked.year, semester=checked.semester)
        before = None
        verb = "legal_rate.recorded"
    else:
        before = {
            "professional": str(row.professional),
            "consumer": str(row.consumer),
            "source": row.source,
            "decree_date": row.decree_date.isoformat() if row.decree_date else "",
            "journal_reference": row.journal_reference,
        }
        verb = "legal_rate.corrected"
    after = {
        "professional": str(pro),
        "consumer": str(con),
        "source": source,
        "decree_date": decree.isoformat() if decree else "",
        "journal_reference": journal,
    }
    if before == after:
        return row
    row.professional, row.consumer, row.source = pro, con, source
    row.decree_date, row.journal_reference = decree, journal
    row.recorded_by = by if getattr(by, "is_authenticated", False) else None
    row.recorded_by_label = _actor_label(by)
    row.full_clean()
    row.save()
    record_event(
        actor=by,
        seller=None,
        obj=row,
        verb=verb,
        before=before,
        after={"period": checked.code, **after},
        note=_("taux de l'intérêt légal (C. mon. fin. L313-2)"),
    )
    # The back-office banner reads where the table stops from a cache: forget it now (this
    # process) and once committed (the others read the row then).
    forget_table_end()
    transaction.on_commit(forget_table_end)
    return row


def check_ecb_rate(*, year: Any, semester: Any, rate: Any, source: str) -> Decimal:
    """The ECB rate of ``year`` / ``semester`` as entered, checked: a semester after the
    shipped table (which it never contradicts), following the table without a hole (or
    correcting a semester staff added), a rate in percent within 0-20 written with two
    decimals as published, a source. Raises a ``ValidationError`` naming the field."""
    errors: dict[str, str] = {}
    if semester not in (1, 2):
        errors["semester"] = _("le semestre est 1 (janvier-juin) ou 2 (juillet-décembre)")
    if not isinstance(year, int) or not 1999 <= year <= 2200:
        errors["year"] = _("une année à quatre chiffres est attendue")
    value = _percent(rate, "rate", errors)
    if not (source or "").strip():
        errors["source"] = _("la source est obligatoire : la décision de la BCE qui fixe le taux")
    if errors:
        raise ValidationError(errors)
    start, _end = semester_span(year, semester)
    shipped = EcbRateTable.default().periods
    if start <= shipped[-1].end:
        raise ValidationError(
            {
                "semester": _(
                    "ce semestre est dans la table livrée avec clausier : il ne se saisit pas"
                )
            }
        )
    table_end = ecb_rate_table().periods[-1].end
    own = EcbRate.objects.filter(year=year, semester=semester).exists()
    if not own and (start - table_end).days != 1:
        raise ValidationError(
            {
                "semester": _(
                    "la table s'arrête le %(end)s : saisissez d'abord le semestre suivant"
                )
                % {"end": table_end.strftime("%d/%m/%Y")}
            }
        )
    return value


@transaction.atomic
def record_ecb_rate(*, year: Any, semester: Any, rate: Any, source: str, by: Actor) -> EcbRate:
    """Record the ECB main refinancing rate of ``year`` / ``semester`` (in percent) with its
    source (:func:`check_ecb_rate`); a semester staff entered before is corrected, audited
    with before and after."""
    list(EcbRate.objects.select_for_update().values_list("pk", flat=True))
    value = check_ecb_rate(year=year, semester=semester, rate=rate, source=source)
    source = source.strip()
    row = EcbRate.objects.filter(year=year, semester=semester).first()
    before = None if row is None else {"rate": str(row.rate), "source": row.source}
    after = {"rate": str(value), "source": source}
    if before == after:
        return row
    row = row or EcbRate(year=year, semester=semester)
    row.rate, row.source = value, source
    row.recorded_by = by if getattr(by, "is_authenticated", False) else None
    row.recorded_by_label = _actor_label(by)
    row.full_clean()
    row.save()
    record_event(
        actor=by,
        seller=None,
        obj=row,
        verb="ecb_rate.recorded" if before is None else "ecb_rate.corrected",
        before=before,
        after={"period": str(row), **after},
        note=_("taux de refinancement de la BCE (C. com. L441-10 II)"),
    )
    return row
