"""The sent quote as it is printed: every word and figure of the page, as strings.

:func:`print_data` is what the Typst template (``quotes/print/quote.typ``) reads: the words
in the client's language (gettext), amounts, rates and dates formatted here, so that the
template only lays them out. It reads what the quote froze at sending (parties, terms,
totals) and nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clausier.documents.colors import brand_color, text_on
from clausier.documents.typst import line_columns
from clausier.kernel.clock import PARIS
from clausier.kernel.periods import period_words
from clausier.quotes import presenters
from clausier.quotes.models import AttachmentKind, Quote
from clausier.rules.money import format_eur, format_number, format_percent, format_unit_price


def _date(value) -> str:
    return f"{value:%d/%m/%Y}"


def _colon(language: str) -> str:
    """A colon as the language writes it: after a space in French (the printer makes it a
    narrow no-break one), straight after the word in English."""
    return " :" if language == "fr" else ":"


def _seller(seller: dict[str, Any]) -> dict[str, Any]:
    ids = []
    if seller.get("siren"):
        rcs = f" · RCS {seller['rcs_city']}" if seller.get("rcs_city") else ""
        ids.append(f"SIREN {seller['siren']}{rcs}")
    if seller.get("vat_number"):
        ids.append(f"{_('TVA intracommunautaire')} {seller['vat_number']}")
    contact = " · ".join(v for v in (seller.get("email_sales"), seller.get("phone")) if v)
    if contact:
        ids.append(contact)
    lines = [seller.get("address_line1", ""), seller.get("address_line2", "")]
    return {
        "role": _("Prestataire"),
        "name": seller.get("legal_name", ""),
        "legal": seller.get("legal_form", ""),
        "address": [
            *(line for line in lines if line),
            f"{seller.get('postal_code', '')} {seller.get('city', '')}".strip(),
        ],
        "ids": ids,
        "delivery": None,
    }


def _client(client: dict[str, Any]) -> dict[str, Any]:
    ids = []
    if client.get("siren"):
        ids.append(f"SIREN {client['siren']}")
    if client.get("vat_number"):
        ids.append(f"{_('TVA intracommunautaire')} {client['vat_number']}")
    if client.get("email"):
        ids.append(client["email"])
    lines = [client.get("billing_line1", ""), client.get("billing_line2", "")]
    return {
        "role": _("Client"),
        "name": client.get("name", ""),
        "legal": "",
        "address": [
            *(line for line in lines if line),
            f"{client.get('billing_postal_code', '')} {client.get('billing_city', '')}".strip(),
        ],
        "ids": ids,
        "delivery": None,
    }


def _lines(quote: Quote, language: str) -> list[dict[str, Any]]:
    rows = []
    for line in quote.lines.order_by("position", "id"):
        name, _sep, detail = line.description.strip().partition("\n")
        rows.append(
            {
                "name": name.strip(),
                "details": [d.strip() for d in detail.split("\n") if d.strip()],
                "discount": "",
                "quantity": format_number(Decimal(line.quantity).normalize(), locale=language),
                "unit": str(line.get_unit_display()),
                "unit_price": format_unit_price(line.unit_price, locale=language),
                "rate": format_percent(line.vat_rate, locale=language),
                "total": format_eur(line.amount_ht, locale=language),
            }
        )
    return rows


def _payment(quote: Quote, language: str) -> list[list[str]]:
    """The payment box as paragraphs [bold part, rest]: the payment period, the deposit, no
    early-payment discount."""
    params = quote.payment_terms.get("parameters", {})
    law = quote.payment_terms.get("law", "")
    if law:
        box = [
            [
                _("Modalités de paiement") + _colon(language) + " ",
                _(
                    "factures payables %(period)s après l'exécution de la prestation : les CGV "
                    "%(terms)s ne fixant pas de délai de paiement, c'est le délai légal "
                    "(%(law)s)."
                )
                % {
                    "period": period_words(params["n"], params["unit"]),
                    "terms": quote.terms_label,
                    "law": law,
                },
            ]
        ]
        return _payment_rest(quote, language, box)
    starts = {
        "invoice_date": _("date de facture"),
        "invoice_receipt": _("réception de la facture"),
    }
    sentence = _("factures payables %(period)s après la %(from)s (%(article)s des CGV %(terms)s).")
    box = [
        [
            _("Modalités de paiement") + _colon(language) + " ",
            sentence
            % {
                "period": period_words(params["n"], params["unit"]) if params else "",
                "from": starts.get(params.get("from", ""), params.get("from", "")),
                "article": quote.payment_terms.get("article", ""),
                "terms": quote.terms_label,
            },
        ]
    ]
    return _payment_rest(quote, language, box)


def _payment_rest(quote: Quote, language: str, box: list[list[str]]) -> list[list[str]]:
    """The payment box after its period: the deposit, no early-payment discount."""
    if quote.requires_deposit:
        deposit = _(
            "Acompte de %(rate)s %% du montant global HT, soit %(amount)s, à verser à "
            "l'acceptation du devis ; les travaux commencent après son encaissement, le "
            "solde est facturé à l'issue de la prestation (%(article)s des CGV %(terms)s)."
        ) % {
            "rate": f"{(quote.deposit_rate * 100).normalize():f}" if quote.deposit_rate else "",
            "amount": format_eur(quote.deposit_amount, locale=language),
            "article": quote.deposit_terms.get("article", ""),
            "terms": quote.terms_label,
        }
        box.append(["", deposit])
    box.append(["", _("Aucun escompte n'est consenti en cas de paiement anticipé.")])
    return box


def _agreement(quote: Quote) -> list[list[str]]:
    """The terms the acceptance binds the client to, the attached documents, the validity."""
    attachments = list(quote.attachments.order_by("created_at", "id"))
    adhesion = _(
        "L'acceptation de ce devis, sans modification, vaut adhésion pleine et "
        "entière du client aux conditions générales de vente %(terms)s"
    ) % {"terms": quote.terms_label}
    box = [["", f"{adhesion} (SHA-256 {quote.terms_sha256[:16]}…)."]]
    for attachment in attachments:
        if attachment.kind == AttachmentKind.SPECIFICATION:
            text = _(
                "Cahier des charges joint : « %(title)s », seule description "
                "contractuellement valable entre les parties."
            )
        elif attachment.kind == AttachmentKind.MOCKUP:
            text = _("Maquette « %(title)s » : non contractuelle.")
        else:
            continue
        box.append(["", text % {"title": attachment.title}])
    box.append(
        [
            "",
            _(
                "À défaut d'acceptation au plus tard le %(date)s, ce devis est considéré "
                "comme annulé."
            )
            % {"date": _date(quote.valid_until)},
        ]
    )
    return box


def _conditions(quote: Quote) -> dict[str, Any] | None:
    """The "Conditions appliquées" box: the clauses of the terms the quote applies (payment,
    and the deposit when it asks for one)."""
    clauses = [(_("Modalités de paiement"), quote.payment_terms)]
    if quote.requires_deposit:
        clauses.append((_("Acompte"), quote.deposit_terms))
    rows = [
        [label, terms.get("title", ""), "", f"{terms['article']} · {quote.terms_label}"]
        for label, terms in clauses
        if terms.get("article")
    ]
    if quote.payment_terms.get("law"):
        # No clause of the terms: the law's payment term, with its article.
        rows.insert(
            0,
            [
                _("Modalités de paiement"),
                _("délai légal de paiement, à défaut de clause des CGV"),
                "",
                quote.payment_terms["law"],
            ],
        )
    if not rows:
        return None
    return {"title": _("Conditions appliquées"), "rows": rows, "clauses": ""}


def title(quote: Quote) -> str:
    return f"{pgettext('document', 'Devis')} n° {quote.display_number}"


def print_data(quote: Quote, *, language: str = "fr") -> dict[str, Any]:
    """Everything the quote template prints, in ``language``, in the seller's colour."""
    color = brand_color(quote.seller.brand_color)
    seller = quote.parties["seller"]
    with translation.override(language):
        facts = [
            [_("Établi le"), _date(quote.sent_at.astimezone(PARIS))],
            [_("Valable jusqu'au"), _date(quote.valid_until)],
        ]
        if quote.revision > 1:
            facts.append(["", _("révision %(n)s") % {"n": quote.revision}])
        footer = seller.get("legal_name", "")
        if seller.get("siren"):
            footer += f" · SIREN {seller['siren']}"
        totals = [
            (_("Total HT"), quote.total_ht, "first"),
            (_("TVA"), quote.total_vat, "plain"),
            (_("Total TTC"), quote.total_ttc, "grand"),
        ]
        return {
            "lang": language,
            "color": color,
            "on_color": text_on(color),
            "page_word": _("Page"),
            "footer": f"{footer} · {title(quote)}",
            "title": title(quote),
            "seller_name": seller.get("legal_name", ""),
            "facts": facts,
            "parties": [_seller(seller), _client(quote.parties["client"])],
            "nature": [_("Nature des prestations"), quote.nature] if quote.nature else None,
            "columns": line_columns(),
            "charges_vat": presenters.charges_vat(quote),
            "lines": _lines(quote, language),
            "vat_table": None,
            "mentions": [quote.vat_mention] if quote.vat_mention else [],
            "totals": [
                {"label": label, "amount": format_eur(amount, locale=language), "style": style}
                for label, amount, style in totals
            ],
            "payment": _payment(quote, language),
            "agreement": _agreement(quote),
            "conditions": _conditions(quote),
            "signature": {
                "title": _("Bon pour accord"),
                "date": _("Date") + _colon(language),
                "signatory": _("Nom et qualité du signataire") + _colon(language),
                "signature": _("Signature") + _colon(language),
                "stamp": _("Cachet commercial (s'il y a lieu)") + _colon(language),
            },
        }


__all__ = ["print_data", "title"]
