"""The account statement (relevé de compte) as a PDF: the client, the day, every line with
its running balance, the totals, and the explanation of each figure (the "pourquoi ?" on
paper). Typst prints ``collections/print/statement.typ``."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.collections.statement import Statement
from clausier.documents.colors import brand_color
from clausier.documents.stored import printable_logo
from clausier.documents.typst import compile_pdf
from clausier.kernel.wording import worded_explanation
from clausier.rules.explain import Explained
from clausier.rules.money import format_eur

TEMPLATE = "collections/templates/collections/print/statement.typ"


def _amount(value) -> str:
    return format_eur(value) if value else ""


def _why(title: str, explained: Explained) -> dict[str, Any]:
    data = worded_explanation(explained.as_dict())
    source = " · ".join(
        part
        for part in (
            data.get("law", ""),
            _("clause %(id)s") % {"id": data["clause"]} if data.get("clause") else "",
            _("CGV %(label)s") % {"label": data["terms"]} if data.get("terms") else "",
        )
        if part
    )
    return {"title": title, "source": source, "steps": [s["label"] for s in data["steps"]]}


def print_data(statement: Statement) -> dict[str, Any]:
    seller = statement.client.seller
    title = _("Relevé de compte")
    day = date_format(statement.on, "SHORT_DATE_FORMAT")
    why = [
        _why(
            _("Solde des factures : %(a)s") % {"a": format_eur(statement.principal.value)},
            statement.principal,
        ),
        _why(
            _("Intérêts de retard : %(a)s") % {"a": format_eur(statement.interest.value)},
            statement.interest,
        ),
        _why(
            _("Indemnités : %(a)s") % {"a": format_eur(statement.indemnities.value)},
            statement.indemnities,
        ),
        _why(
            _("Total dû : %(a)s") % {"a": format_eur(statement.total_due.value)},
            statement.total_due,
        ),
    ]
    why += [
        _why(f"{line.label} : {format_eur(line.debit)}", line.explained)
        for line in statement.lines
        if line.kind in ("interest", "indemnity")
    ]
    return {
        "lang": translation.get_language() or "fr",
        "color": brand_color(seller.brand_color),
        "seller_name": seller.legal_name,
        "title": title,
        "number": _("au %(day)s") % {"day": day},
        "facts": [[_("Date du relevé"), day]],
        "client": [_("Client"), statement.client.name],
        "columns": [_("Date"), _("Opération"), _("Débit"), _("Crédit"), _("Solde")],
        "lines": [
            [
                date_format(line.on, "SHORT_DATE_FORMAT"),
                line.label,
                _amount(line.debit),
                _amount(line.credit),
                format_eur(line.balance),
            ]
            for line in statement.lines
        ],
        "totals": [
            [_("Solde des factures"), format_eur(statement.principal.value)],
            [_("Intérêts de retard à date"), format_eur(statement.interest.value)],
            [_("Indemnités de recouvrement"), format_eur(statement.indemnities.value)],
            [_("Total dû"), format_eur(statement.total_due.value)],
        ],
        "why_title": _("Pourquoi ces montants ?"),
        "why": why,
        "missing": [f"{late.invoice.number} : {late.missing}" for late in statement.missing],
        "page_word": _("Page"),
        "footer": f"{seller.legal_name} · {title} · {statement.client.name} · {day}",
    }


def render_statement_pdf(*, statement: Statement, language: str = "fr") -> bytes:
    with translation.override(language):
        data = print_data(statement)
        metadata = {
            "title": f"{data['title']} {statement.client.name} {data['number']}",
            "author": statement.client.seller.legal_name,
            "subject": data["title"],
        }
    return compile_pdf(
        TEMPLATE,
        data,
        metadata=metadata,
        # Dated with the statement's day: the same statement printed twice is the same file.
        timestamp=datetime.combine(statement.on, time(12), tzinfo=UTC),
        logo=printable_logo(statement.client.seller.logo),
        language=language,
    )
