"""Writes on the legal-rate table: :func:`record_legal_rate` (add a period, or correct one
staff entered), atomic and audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_event
from clausier.kernel.actor import Actor
from clausier.legal import domain
from clausier.legal.models import LegalRate
from clausier.legal.selectors import legal_rate_table
from clausier.rules.interest import LegalRateTable

MAX_PERCENT = Decimal("100")


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
        errors[field] = _("taux hors limites : %(value)s (un pourcentage entre 0 et 100)") % {
            "value": value
        }
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


def check_legal_rate(
    *, period: domain.Period | str, professional: Any, consumer: Any, source: str
) -> domain.StaffRate:
    """The rate as :func:`record_legal_rate` would record it, or the ``ValidationError``
    naming each field it refuses (``period``, ``professional``, ``consumer``, ``source``).
    Reads only: the admin form checks with it before saving."""
    errors: dict[str, str] = {}
    checked = _period(period, errors)
    pro = _percent(professional, "professional", errors)
    con = _percent(consumer, "consumer", errors)
    source = (source or "").strip()
    if not source:
        errors["source"] = _(
            "indiquez le texte qui publie le taux : « Arrêté du … (JO du …) » ; un taux "
            "légal n'est jamais saisi sans sa source"
        )
    if checked is not None and checked.semester is None and None not in (pro, con) and pro != con:
        errors["consumer"] = _(
            "%(period)s : un seul taux légal par an avant 2015, les deux taux sont égaux"
        ) % {"period": checked.label}
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


@transaction.atomic
def record_legal_rate(
    *,
    period: domain.Period | str,
    professional: Any,
    consumer: Any,
    source: str,
    by: Actor,
) -> LegalRate:
    """Record the legal rate of ``period`` (``"2026-S2"``) as published: ``professional``
    (creditor acting as a professional, "tous les autres cas") and ``consumer`` (natural
    person not acting for professional purposes), in percent; ``source`` names the text
    (« Arrêté du … (JO du …) »). A period staff entered before is corrected (audited with
    before and after). Refused with a ``ValidationError`` naming the field
    (:func:`check_legal_rate`): a period that contradicts the table shipped with clausier or
    leaves a hole in the table, a rate not written as published, an empty source.
    ``by``: the user, or a label for the command line."""
    # One writer at a time on the table: rows are few, lock them all, then check.
    list(LegalRate.objects.select_for_update().values_list("pk", flat=True))
    rate = check_legal_rate(
        period=period, professional=professional, consumer=consumer, source=source
    )
    checked, pro, con, source = rate.period, rate.professional, rate.consumer, rate.source
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
        }
        verb = "legal_rate.corrected"
    after = {"professional": str(pro), "consumer": str(con), "source": source}
    if before == after:
        return row
    row.professional, row.consumer, row.source = pro, con, source
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
    return row
