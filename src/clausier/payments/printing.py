"""The cheque remittance slip (bordereau de remise de chèques) as a PDF: the seller, the
account the cheques are credited to, the day, and each cheque (number, bank, drawer,
amount) with their count and total. Typst prints ``payments/print/remittance.typ``, dated
with the remittance's creation time: a download later gives the same bytes."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.documents.colors import brand_color
from clausier.documents.stored import printable_logo
from clausier.documents.typst import compile_pdf
from clausier.invoicing.presenters import grouped_iban
from clausier.payments.models import ChequeRemittance, Payment
from clausier.rules.money import format_eur

TEMPLATE = "payments/templates/payments/print/remittance.typ"


def print_data(remittance: ChequeRemittance, cheques: list[Payment]) -> dict[str, Any]:
    seller = remittance.seller
    title = _("Bordereau de remise de chèques")
    return {
        "lang": translation.get_language() or "fr",
        "color": brand_color(seller.brand_color),
        "seller_name": seller.legal_name,
        "title": title,
        "number": remittance.number,
        "facts": [
            [_("Date de remise"), date_format(remittance.remitted_on, "SHORT_DATE_FORMAT")],
            [_("Compte crédité"), grouped_iban(remittance.account_iban)],
            *([[_("BIC"), seller.bic]] if seller.bic else []),
        ],
        "holder": [_("Titulaire du compte"), seller.legal_name],
        "columns": [
            _("N°"),
            _("Numéro du chèque"),
            _("Banque"),
            _("Tireur (client)"),
            _("Montant"),
        ],
        "lines": [
            [
                str(rank),
                cheque.cheque_number,
                cheque.cheque_bank or "—",
                cheque.client.name,
                format_eur(cheque.amount),
            ]
            for rank, cheque in enumerate(cheques, start=1)
        ],
        "count": [_("Nombre de chèques"), str(remittance.count)],
        "total": [_("Total de la remise"), format_eur(remittance.total)],
        "signature": _("Signature du remettant"),
        "page_word": _("Page"),
        "footer": f"{seller.legal_name} · {title} {remittance.number}",
    }


def render_remittance_pdf(
    *, remittance: ChequeRemittance, cheques: list[Payment], language: str = "fr"
) -> bytes:
    with translation.override(language):
        data = print_data(remittance, cheques)
        metadata = {
            "title": f"{data['title']} {remittance.number}",
            "author": remittance.seller.legal_name,
            "subject": data["title"],
        }
    return compile_pdf(
        TEMPLATE,
        data,
        metadata=metadata,
        timestamp=remittance.created_at.astimezone(UTC).replace(microsecond=0),
        logo=printable_logo(remittance.seller.logo),
        language=language,
    )
