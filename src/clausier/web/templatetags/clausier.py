"""Template helpers shared by the back-office and the portal.

``markdown``: a terms text as the client reads it (Markdown without raw HTML, then sanitized).
``params``: a clause's parameters in words (``n: 14 · unit: jours ouvrés · from: invoice_date``).
``explanation``: any explanation (an ``Explained``, its ``as_dict()``, a dataclass, a
sentence) as the parts the ``web/_why.html`` component shows.
``eur``: an amount in the page's language.
``query``: the current query string with some parameters replaced (pagination, sorting).
``validity``: a quote's validity date with its badge (amber within 7 days, red once past).
``table_head``: a table's caption for screen readers and its header row.
``table``: a table in its wrapper, or the sentence that says it is empty.
``fields`` / ``other_fields``: some of a form's fields by name, or all the others, in order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import nh3
from django import template
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from clausier.kernel.periods import period_words, unit_words
from clausier.kernel.wording import active_locale, worded
from clausier.rules.deadlines import UNITS
from clausier.rules.money import format_eur, format_number, format_percent, format_unit_price
from clausier.rules.wording import Words
from clausier.web.forms import FORM_TOKEN, new_form_token

register = template.Library()


@cache
def _markdown() -> MarkdownIt:
    # "js-default": CommonMark with raw HTML disabled, plus tables and strikethrough.
    return MarkdownIt("js-default")


@register.filter(is_safe=True)
def markdown(text: str | None) -> SafeString:
    """Render terms Markdown safely: no raw HTML in, and nh3 strips anything unsafe out."""
    html = _markdown().render(text or "")
    return mark_safe(nh3.clean(html))  # sanitized by nh3 just above


def _language() -> str:
    return active_locale()


def _figure(value: Decimal | int | str | None, format_: Callable[..., str]) -> str:
    """``value`` (a number or its text) through ``format_`` in the page's language; "" when
    there is none."""
    if value in (None, ""):
        return ""
    return format_(Decimal(str(value)), locale=_language())


@register.filter
def eur(amount: Decimal | int | str | None) -> str:
    return _figure(amount, format_eur)


@register.filter
def unit_eur(amount: Decimal | int | str | None) -> str:
    """A unit price with every agreed decimal ("45,333 €"), never rounded to the cent."""
    return _figure(amount, format_unit_price)


@register.filter
def percent(rate: Decimal | int | str | None) -> str:
    """A rate stored as a fraction, as a percentage: 0.2 -> "20 %"."""
    return _figure(rate, format_percent)


@register.filter
def qty(value: Decimal | int | str | None) -> str:
    """A quantity without trailing zeros: 2.500 -> "2,5"."""
    return _figure(value, lambda number, locale: format_number(number.normalize(), locale=locale))


def _unit_words(unit: str) -> str:
    return unit_words(unit) if unit in UNITS else unit


def _value_words(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "(" + params(value) + ")"
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(key, v) for v in value) or "—"
    if key == "unit" and isinstance(value, str):
        return _unit_words(value)
    return str(value)


@register.filter
def params(parameters: dict[str, Any] | None) -> str:
    """``{"n": 14, "unit": "jours_ouvres", "from": "invoice_date"}`` ->
    ``n: 14 · unit: jours ouvrés · from: invoice_date``."""
    if not parameters:
        return "—"
    return " · ".join(f"{key}: {_value_words(key, value)}" for key, value in parameters.items())


def _shown(value: Any) -> str:
    """A value inside an explanation, in the page's formats."""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, dict):
        return params(value)
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    return "" if value is None else str(value)


_PARTS = ("text", "value", "rule", "law", "clause", "terms")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _revived(value: Any) -> Any:
    """A value frozen as JSON (``"2026-11-27"``, ``"3200.00"``) back to its type, so that
    it reads in the page's formats."""
    if not isinstance(value, str):
        return value
    try:
        if _ISO_DATE.match(value):
            return date.fromisoformat(value)
        if _ISO_DATETIME.match(value):
            moment = datetime.fromisoformat(value)
            return timezone.localtime(moment) if timezone.is_aware(moment) else moment
        if _DECIMAL.match(value):
            return Decimal(value)
    except ValueError:
        return value
    return value


def _step_value(label: str, value: Any) -> str:
    """A step's value as the page shows it, or "" when its label already says it (the
    arithmetic "12 × 55,00 € = 660,00 €" needs no ": 660.00" after it)."""
    value = _revived(value)
    if isinstance(value, Decimal):
        shown = formats.number_format(value, use_l10n=True, force_grouping=True)
    else:
        shown = _shown(value)
    said = _SPACES.sub(" ", label or "")
    if not shown or _SPACES.sub(" ", shown) in said:
        return ""
    if isinstance(value, date) and date_format(value, "SHORT_DATE_FORMAT") in said:
        return ""
    return shown


register.filter("worded", worded)


@register.filter
def explanation(value: Any) -> dict[str, Any]:
    """The parts of an explanation: ``text``, ``value``, ``rule``, ``law``, ``clause``,
    ``terms`` (strings, maybe empty) and ``steps`` (``[(label, value)]``), whatever shape
    ``value`` comes in."""
    parts: dict[str, Any] = dict.fromkeys(_PARTS, "") | {"steps": []}
    if value is None or value == "":
        return parts
    if isinstance(value, str | Words):
        return parts | {"text": worded(value)}
    if hasattr(value, "as_dict") and not isinstance(value, type):
        data = dict(value.as_dict())
        data["value"] = getattr(value, "value", data.get("value"))
        data["steps"] = [(worded(s.label), s.value) for s in getattr(value, "steps", ())]
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    elif isinstance(value, dict):
        data = dict(value)
    else:
        return parts | {"text": _shown(value)}
    steps = [
        (worded(s.get("words") or s.get("label", "")), s.get("value"))
        if isinstance(s, dict)
        else tuple(s)
        for s in data.pop("steps", None) or []
    ]
    parts["steps"] = [(label, _step_value(label, v)) for label, v in steps]
    for key in _PARTS:
        if data.get(key) not in (None, ""):
            parts[key] = _shown(data[key])
    extra = {
        k: v
        for k, v in data.items()
        if k not in (*_PARTS, "inputs") and v not in (None, "", [], {})
    }
    if extra and not parts["text"]:
        parts["text"] = params(extra)
    return parts


@register.filter
def changes(summary: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """An audit event's ``{"before": ..., "after": ...}`` as ``(field, before, after)`` rows;
    ``before`` is ``None`` for what was created, ``after`` for what was removed."""
    if not summary:
        return []
    before = summary.get("before") or {}
    after = summary.get("after") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", _shown(before) or None, _shown(after))]
    rows = [
        (
            field,
            _shown(before[field]) if field in before else None,
            _shown(after[field]) if field in after else None,
        )
        for field in dict.fromkeys([*before, *after])
    ]
    if summary.get("note"):
        rows.append((_("note"), None, summary["note"]))
    return rows


@register.simple_tag(takes_context=True)
def query(context, **changes: Any) -> str:
    """``?q=...&kind=...&page=2``: the request's query string with ``changes`` applied (a
    ``None`` or empty value removes the parameter)."""
    params_ = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params_.pop(key, None)
        else:
            params_[key] = value
    encoded = params_.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def badge(value: str, label: str) -> str:
    """A state as a word in a coloured badge (``badge--<value>``), never colour alone."""
    return format_html('<span class="badge badge--{}">{}</span>', value, label)


@dataclasses.dataclass(frozen=True)
class Column:
    """A header cell with a class: ``"amount"|column:_("Total TTC")`` (the class first:
    Django's tag parser reads a ``_("…")`` followed by a filter as an unfinished string)."""

    label: str
    css: str


@register.filter
def column(css: str, label: str) -> Column:
    return Column(label, css)


@register.filter
def when(value: Any, condition: Any) -> Any:
    """``value`` if ``condition`` holds, else "": a table column shown on a condition."""
    return value if condition else ""


def _label(column_: str | Column) -> str:
    return column_.label if isinstance(column_, Column) else column_


def _header_cell(column_: str | Column) -> SafeString:
    if isinstance(column_, Column):
        return format_html('<th scope="col" class="{}">{}</th>', column_.css, column_.label)
    return format_html('<th scope="col">{}</th>', column_)


@register.simple_tag
def table_head(*columns: str | Column, caption: str = "", actions: bool = False) -> SafeString:
    """A table's caption, read by screen readers only (when given), then its header row: a
    cell a label (or a ``|column``), a column without a label left out, and with ``actions`` a
    last column for the row's buttons, whose header only screen readers read."""
    cells = format_html_join("\n", "{}", ((_header_cell(c),) for c in columns if _label(c)))
    if actions:
        cells = format_html(
            '{}\n<th scope="col"><span class="visually-hidden">{}</span></th>', cells, _("Actions")
        )
    head = format_html("<thead><tr>\n{}\n</tr></thead>", cells)
    if caption:
        return format_html('<caption class="visually-hidden">{}</caption>\n{}', caption, head)
    return head


@register.simple_block_tag
def table(content: str, rows: Any, empty: str = "", css: str = "") -> SafeString:
    """``{% table rows empty=_("…") %}<thead>…<tbody>…{% endtable %}``: the table (of class
    ``css``) in its scrolling wrapper while there are ``rows``, otherwise the ``empty`` sentence."""
    if not rows:
        return format_html('<p class="empty">{}</p>', empty)
    opening = format_html('<table class="{}">', css) if css else mark_safe("<table>")
    return format_html('<div class="table-wrap">{}{}</table></div>', opening, content)


def _names(names: str) -> list[str]:
    return [name.strip() for name in names.split(",") if name.strip()]


@register.filter
def fields(form: Any, names: str) -> list[Any]:
    """``form|fields:"siren,vat_number"``: those bound fields of ``form``, in that order."""
    return [form[name] for name in _names(names)]


@register.filter
def other_fields(form: Any, names: str) -> list[Any]:
    """``form|other_fields:"siren,vat_number"``: every other bound field, in the form's order."""
    left_out = set(_names(names))
    return [field for field in form if field.name not in left_out]


# A quote still waiting for an answer: its validity date is a deadline.
_OPEN_QUOTE_STATES = frozenset({"draft", "sent"})
SOON_DAYS = 7


@register.simple_tag
def validity(quote: Any, today: date) -> str:
    """``12/06/2026`` and, while the quote waits for an answer, a badge in words: amber
    "expire dans 3 jours" within 7 days, red "expiré" once the day is past."""
    valid_until = getattr(quote, "valid_until", None)
    if valid_until is None:
        return "—"
    shown = date_format(valid_until, "SHORT_DATE_FORMAT")
    days = (valid_until - today).days
    if quote.status == "expired" or (quote.status in _OPEN_QUOTE_STATES and days < 0):
        return format_html('{} <span class="badge badge--late">{}</span>', shown, _("expiré"))
    if quote.status not in _OPEN_QUOTE_STATES or days > SOON_DAYS:
        return shown
    if days == 0:
        words = _("expire aujourd'hui")
    elif days == 1:
        words = _("expire demain")
    else:
        words = _("expire dans %(n)s jours") % {"n": days}
    return format_html('{} <span class="badge badge--soon">{}</span>', shown, words)


@register.filter
def payment_wording(terms: dict[str, Any] | None) -> str:
    """A frozen payment clause (``quote.payment_terms``) as its PDF words it: "Factures
    payables 14 jours ouvrés après la date de facture"; "" without its parameters. Terms
    without a payment clause leave the law's term (``law``: its article), said as such."""
    parameters = (terms or {}).get("parameters") or {}
    n, unit = parameters.get("n"), parameters.get("unit")
    if not isinstance(n, int) or unit not in UNITS:
        return ""
    if (terms or {}).get("law"):
        return _(
            "Factures payables %(period)s après l'exécution de la prestation : délai légal, à "
            "défaut de clause de délai de paiement dans les CGV (%(law)s)"
        ) % {"period": period_words(n, unit), "law": terms["law"]}
    start = parameters.get("from", "")
    starts = {"invoice_date": _("date de facture"), "invoice_receipt": _("réception de la facture")}
    return _("Factures payables %(period)s après la %(start)s") % {
        "period": period_words(n, unit),
        "start": starts.get(start, start),
    }


@register.simple_tag
def form_token() -> SafeString:
    """The hidden one-time token of a create form (``web.forms.OneTimeFormMiddleware``): a
    new one each time a form is shown."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN, new_form_token())
