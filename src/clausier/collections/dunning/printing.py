"""The formal notice (mise en demeure) as a PDF: the seller and the client, the invoices with
the principal, the interest to date and the indemnity, the deadline to pay and how it is
counted, the clauses and articles invoked, the registered-letter mention. Typst prints
``collections/dunning/print/formal_notice.typ``, dated with the notice's creation time."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.collections.dunning_models import FormalNotice
from clausier.documents.colors import brand_color
from clausier.documents.stored import printable_logo
from clausier.documents.typst import compile_pdf
from clausier.kernel.wording import active_locale, worded
from clausier.rules.formats import format_eur

TEMPLATE = "collections/templates/collections/dunning/print/formal_notice.typ"


def _day(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _party(role: str, name: str, address: list[str], ids: list[str]) -> dict[str, Any]:
    return {
        "role": role,
        "name": name,
        "legal": "",
        "address": [line for line in address if line],
        "ids": ids,
        "delivery": None,
    }


def print_data(notice: FormalNotice) -> dict[str, Any]:
    """Every word and figure of the page, from the notice and the invoices as frozen in its
    explanation (number, due date, principal, interest, indemnity)."""
    seller, client = notice.seller, notice.client
    locale = active_locale()
    eur = lambda amount: format_eur(amount, locale)  # noqa: E731
    title = _("Mise en demeure")
    explanation = notice.explanation
    rows = explanation["invoices"]
    return {
        "lang": translation.get_language() or "fr",
        "color": brand_color(seller.brand_color),
        "seller_name": seller.legal_name,
        "title": title,
        "number": notice.number,
        "facts": [[_("Date"), _day(notice.issued_on)]],
        "registered": _("Lettre recommandée avec demande d'avis de réception"),
        "parties": [
            _party(
                _("Expéditeur"),
                seller.legal_name,
                [seller.address_line1, seller.address_line2, f"{seller.postal_code} {seller.city}"],
                [f"SIREN {seller.siren}"] if seller.siren else [],
            ),
            _party(
                _("Destinataire"),
                client.name,
                [
                    client.billing_line1,
                    client.billing_line2,
                    f"{client.billing_postal_code} {client.billing_city}",
                ],
                [f"SIREN {client.siren}"] if client.siren else [],
            ),
        ],
        "intro": _(
            "Malgré nos relances, les factures ci-dessous restent impayées. Par la présente, "
            "nous vous mettons en demeure de régler les sommes suivantes, arrêtées au %(day)s."
        )
        % {"day": _day(notice.issued_on)},
        "columns": [_("Facture"), _("Échéance"), _("Principal"), _("Pénalités")],
        "lines": [
            [
                row["number"],
                _day(date.fromisoformat(row["due"])),
                eur(Decimal(row["principal"])),
                eur(Decimal(row["interest"]) + Decimal(row["indemnity"])),
            ]
            for row in rows
        ],
        "totals": [
            [_("Principal"), eur(notice.principal)],
            [_("Intérêts de retard à ce jour"), eur(notice.interest)],
            [_("Indemnité forfaitaire pour frais de recouvrement"), eur(notice.indemnity)],
            [_("Total dû"), eur(notice.total)],
        ],
        "deadline": _(
            "À régler dans un délai de %(period)s à compter de la réception de la présente, "
            "soit au plus tard le %(day)s pour une réception le %(received)s."
        )
        % {
            "period": worded(explanation["deadline"]["period"]),
            "day": _day(notice.pay_by),
            "received": _day(_received(notice)),
        },
        "consequence": _(
            "À défaut de paiement dans ce délai, nous engagerons sans autre avis les "
            "poursuites nécessaires au recouvrement de ces sommes. Les intérêts continuent "
            "de courir jusqu'au complet paiement."
        ),
        "articles_title": _("Clauses et articles invoqués"),
        "articles": [[a["source"], a["label"]] for a in notice.articles],
        "why_title": _("Comment le délai est calculé :"),
        "why": [_step(step) for step in explanation["deadline"]["steps"]],
        "signature": seller.legal_name,
        "page_word": _("Page"),
        "footer": f"{seller.legal_name} · {title} {notice.number}",
    }


def _step(step: dict[str, Any]) -> str:
    label = worded(step["words"]) if "words" in step else step["label"]
    value = step.get("value")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{label} : {_day(date.fromisoformat(value))}"
    return label


def _received(notice: FormalNotice) -> date:
    return notice.received_on or date.fromisoformat(notice.explanation["deadline"]["start"])


def render_formal_notice_pdf(*, notice: FormalNotice, language: str = "fr") -> bytes:
    with translation.override(language):
        data = print_data(notice)
        metadata = {
            "title": f"{data['title']} {notice.number}",
            "author": notice.seller.legal_name,
            "subject": data["title"],
        }
    return compile_pdf(
        TEMPLATE,
        data,
        metadata=metadata,
        timestamp=notice.created_at.astimezone(UTC).replace(microsecond=0),
        logo=printable_logo(notice.seller.logo),
        language=language,
    )
