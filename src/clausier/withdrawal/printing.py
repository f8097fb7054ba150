"""The acknowledgement of a withdrawal as a PDF (a durable medium, C. conso. L221-21): the
request as received, the decision with its reasons, the period's end, the amount owed after
an early start and the refund with their explanations, in the client's language. Typst
prints ``withdrawal/print/acknowledgement.typ``, dated with the decision: a print later
gives the same bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.documents.colors import brand_color
from clausier.documents.stored import printable_logo
from clausier.documents.typst import compile_pdf
from clausier.kernel.wording import active_locale
from clausier.rules.money import format_eur
from clausier.withdrawal import presenters
from clausier.withdrawal import transitions as t
from clausier.withdrawal.models import WithdrawalRequest

TEMPLATE = "withdrawal/templates/withdrawal/print/acknowledgement.typ"


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _sections(withdrawal: WithdrawalRequest) -> list[dict[str, Any]]:
    period = withdrawal.period_explanation or {}
    sections = [
        {
            "title": _("Fin du délai de rétractation"),
            "value": _day(withdrawal.period_end),
            "law": period.get("law", ""),
            "steps": presenters.step_lines(period),
        }
    ]
    if withdrawal.amount_explanation:
        sections.append(
            {
                "title": _("Montant dû pour le service fourni"),
                "value": format_eur(withdrawal.amount_owed, locale=active_locale()),
                "law": withdrawal.amount_explanation.get("law", ""),
                "steps": presenters.step_lines(withdrawal.amount_explanation),
            }
        )
    if withdrawal.status == t.ACCEPTED:
        refund = withdrawal.refund_explanation or {}
        sections.append(
            {
                "title": _("Remboursement"),
                "value": _(
                    "%(amount)s (sommes reçues %(received)s, moins %(owed)s), au plus tard "
                    "le %(date)s, par le moyen de paiement utilisé"
                )
                % {
                    "amount": format_eur(withdrawal.refund_amount, locale=active_locale()),
                    "received": format_eur(withdrawal.received_total, locale=active_locale()),
                    "owed": format_eur(withdrawal.amount_owed, locale=active_locale()),
                    "date": _day(withdrawal.refund_due_on),
                },
                "law": refund.get("law", ""),
                "steps": presenters.step_lines(refund),
            }
        )
    return sections


def print_data(withdrawal: WithdrawalRequest) -> dict[str, Any]:
    seller = withdrawal.seller
    title = _("Accusé de réception de votre rétractation")
    number = _("Rétractation n° %(id)s") % {"id": withdrawal.pk}
    decision = (
        _("Votre rétractation est acceptée.")
        if withdrawal.status == t.ACCEPTED
        else _("Votre rétractation est refusée.")
    )
    return {
        "lang": translation.get_language() or "fr",
        "color": brand_color(seller.brand_color),
        "seller_name": seller.legal_name,
        "title": title,
        "number": number,
        "facts": [
            [_("Reçue le"), _day(withdrawal.received_on)],
            [_("Commande"), withdrawal.order_reference],
            [_("Reçue par"), str(withdrawal.get_channel_display())],
        ],
        "request_title": _("Votre demande"),
        "statement": withdrawal.statement,
        "request": [
            [_("Commande"), withdrawal.order_reference],
            [_("Nom du consommateur"), withdrawal.consumer_name],
            *(
                [[_("Adresse du consommateur"), " ".join(withdrawal.consumer_address.split())]]
                if withdrawal.consumer_address
                else []
            ),
            [_("Date"), _day(withdrawal.received_on)],
        ],
        "decision": decision,
        "reasons": presenters.reasons(withdrawal),
        "sections": _sections(withdrawal),
        "page_word": _("Page"),
        "footer": f"{seller.legal_name} · {title} · {number}",
    }


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str
    filename: str


def render_acknowledgement(*, withdrawal: WithdrawalRequest) -> RenderedPdf:
    """The acknowledgement of ``withdrawal`` in its client's language."""
    language = withdrawal.language or "fr"
    with translation.override(language):
        data = print_data(withdrawal)
        metadata = {
            "title": f"{data['title']} · {data['number']}",
            "author": withdrawal.seller.legal_name,
            "subject": data["title"],
        }
        filename = _("retractation-%(id)s.pdf") % {"id": withdrawal.pk}
    content = compile_pdf(
        TEMPLATE,
        data,
        metadata=metadata,
        timestamp=withdrawal.decided_at.astimezone(UTC).replace(microsecond=0),
        logo=printable_logo(withdrawal.seller.logo),
        language=language,
    )
    return RenderedPdf(content, hashlib.sha256(content).hexdigest(), filename)
