"""The issued document as it is printed: every word and figure of the page, as strings.

:func:`print_data` is what the Typst template (``invoicing/print/invoice.typ``) reads: the
words in the reader's language (gettext), amounts, rates and dates formatted here, so that the
template only lays them out. It reads the frozen snapshot and nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.documents.colors import DEFAULT_COLOR, brand_color, text_on
from clausier.documents.typst import line_columns
from clausier.invoicing import domain, facturx, presenters
from clausier.invoicing.document import Address, InvoiceDocument
from clausier.invoicing.facturx import xmp
from clausier.kernel.wording import worded
from clausier.rules.money import format_eur, format_number, format_unit_price


def _colon(language: str) -> str:
    """A colon as the language writes it: after a space in French (the printer makes it a
    narrow no-break one), straight after the word in English."""
    return " :" if language == "fr" else ":"


def _date(value) -> str:
    """A date as the active language writes it: 12/06/2026 in French (the invoice of record),
    the page's short format in another language, as the sentences worded in it."""
    if presenters.reads_french():
        return f"{value:%d/%m/%Y}"
    return date_format(value, "SHORT_DATE_FORMAT")


def _article(article: str) -> str:
    """ "5" -> "art. 5"; an article already numbered "art. 5" stays as it is."""
    article = article.strip()
    return article if article.lower().startswith("art") else f"art. {article}"


def _address(address: Address, *, join_line2: str = "\n") -> list[str]:
    first = address.line1 + (f"{join_line2}{address.line2}" if address.line2 else "")
    city = f"{address.postal_code} {address.city}"
    if address.country != "FR":
        city += f", {address.country}"
    return [*first.split("\n"), city]


def title(doc: InvoiceDocument) -> str:
    return {
        "standard": _("Facture"),
        "deposit": _("Facture d'acompte"),
        "final": _("Facture de solde"),
        "credit_note": _("Avoir"),
        "penalty": _("Facture de pénalités de retard"),
    }[doc.kind]


def _facts(doc: InvoiceDocument) -> list[list[str]]:
    facts = [[_("Date d'émission"), _date(doc.issue_date)]]
    if doc.service_date is not None and doc.service_date != doc.issue_date:
        facts.append([_("Date de la prestation"), _date(doc.service_date)])
    if doc.is_credit_note:
        corrected = doc.corrected_number
        if doc.corrected_issue_date:
            corrected += " " + _("du") + " " + _date(doc.corrected_issue_date)
        facts.append([_("Facture corrigée"), corrected])
    else:
        facts.append([_("Échéance"), _date(doc.due_date)])
    if doc.quote_reference:
        facts.append([_("Devis"), doc.quote_reference])
    if doc.order_reference:
        facts.append([_("Commande"), doc.order_reference])
    return facts


def _seller_legal(doc: InvoiceDocument, language: str) -> str:
    seller = doc.seller
    if seller.legal_form and seller.share_capital is not None:
        return _("%(form)s au capital de %(capital)s") % {
            "form": seller.legal_form,
            "capital": format_eur(seller.share_capital, locale=language),
        }
    return seller.legal_form


def _party(doc: InvoiceDocument, party, *, is_seller: bool, language: str) -> dict[str, Any]:
    ids = []
    if party.siren:
        ids.append(f"SIREN {party.siren}" + (f" · SIRET {party.siret}" if party.siret else ""))
    if is_seller and party.rcs_city and party.siren:
        ids.append(f"RCS {party.rcs_city} {party.siren}")
    if party.vat_number:
        ids.append(_("N° TVA intracommunautaire") + " " + party.vat_number)
    if party.email:
        ids.append(party.email)
    delivery = None
    if not is_seller and doc.delivery_address not in (None, doc.buyer.address):
        delivery = {
            "label": _("Adresse de livraison"),
            "lines": _address(doc.delivery_address, join_line2=", "),
        }
    return {
        "role": _("Vendeur") if is_seller else _("Client"),
        "name": party.name,
        "legal": _seller_legal(doc, language) if is_seller else "",
        "address": _address(party.address),
        "ids": ids,
        "delivery": delivery,
    }


def _lines(doc: InvoiceDocument, language: str) -> list[dict[str, Any]]:
    lines = []
    for line in doc.lines:
        name, _sep, detail = line.description.strip().partition("\n")
        discount = facturx.line_discount(line)
        lines.append(
            {
                "name": name.strip(),
                "details": [d.strip() for d in detail.strip().split("\n") if d.strip()],
                "discount": _("Remise %(rate)s : -%(amount)s")
                % {
                    "rate": presenters.rate_text(line.discount_rate, language),
                    "amount": format_eur(discount[1], locale=language),
                }
                if discount
                else "",
                "quantity": format_number(Decimal(line.quantity).normalize(), locale=language),
                "unit": line.unit,
                "unit_price": format_unit_price(line.unit_price_ht, locale=language),
                "rate": presenters.rate_text(line.vat_rate, language)
                if line.vat_category in presenters.RATED
                else "—",
                "total": format_eur(line.total_ht, locale=language),
            }
        )
    return lines


def _totals(doc: InvoiceDocument, language: str) -> list[dict[str, str]]:
    def eur(amount: Decimal) -> str:
        return format_eur(amount, locale=language)

    totals = [
        {"label": _("Total HT"), "amount": eur(doc.total_ht), "style": "first"},
        {"label": _("Total TVA"), "amount": eur(doc.total_vat), "style": "plain"},
        {"label": _("Total TTC"), "amount": eur(doc.total_ttc), "style": "grand"},
    ]
    for deduction in doc.deductions:
        label = _("Acompte %(number)s du %(date)s") % {
            "number": deduction.number,
            "date": _date(deduction.issue_date),
        }
        totals.append(
            {"label": label, "amount": "-" + eur(deduction.amount_ttc), "style": "deduction"}
        )
    other_prepaid = max(doc.prepaid_amount - presenters.deducted(doc), Decimal("0"))
    if other_prepaid:
        totals.append(
            {"label": _("Déjà réglé"), "amount": "-" + eur(other_prepaid), "style": "deduction"}
        )
    due = _("Montant de l'avoir") if doc.is_credit_note else _("Net à payer")
    totals.append({"label": due, "amount": eur(doc.amount_due), "style": "due"})
    return totals


def _payment_box(doc: InvoiceDocument, language: str) -> list[list[str]]:
    """The payment box as paragraphs [bold part, rest]."""
    box = []
    if doc.is_credit_note:
        text = _("Avoir sur la facture n° %(number)s") % {"number": doc.corrected_number}
        if doc.corrected_issue_date:
            text += " " + _("du") + " " + _date(doc.corrected_issue_date)
        box.append([text + ".", ""])
        if doc.due_date_explanation:
            box.append(["", doc.due_date_explanation])
    else:
        rest = f" — {doc.due_date_explanation}" if doc.due_date_explanation else ""
        box.append([_("Échéance : %(date)s") % {"date": _date(doc.due_date)}, rest])
        if doc.payment_terms:
            box.append(["", doc.payment_terms])
        if doc.iban:
            iban = presenters.grouped_iban(doc.iban)
            text = _("Règlement par virement") + _colon(language) + f" IBAN {iban}"
            if doc.bic:
                text += f" · BIC {doc.bic}"
            text += " · " + _("référence à indiquer : %(reference)s") % {
                "reference": presenters.transfer_reference(doc)
            }
            box.append(["", text])
        for sentence in (doc.late_penalty, doc.recovery_indemnity, doc.early_payment_discount):
            if sentence:
                box.append(["", sentence])
    box.extend(["", note] for note in doc.notes)
    return box


def _transfer(doc: InvoiceDocument) -> dict[str, Any] | None:
    """The SEPA payment QR code the document carries (``transfer_qr``, frozen at issue), as
    the template draws it: its width in modules and its dark runs; None when it has none."""
    if not doc.transfer_qr:
        return None
    size, runs = domain.dark_runs(domain.qr_code(doc.transfer_qr))
    return {
        "caption": _("Payer par virement : scannez avec l'application de votre banque"),
        "size": size,
        "runs": [list(run) for run in runs],
    }


def _conditions(doc: InvoiceDocument, language: str) -> dict[str, Any] | None:
    if not (doc.conditions or doc.clauses):
        return None
    clauses = ""
    if doc.clauses:
        clauses = f"{doc.terms_version}{_colon(language)} " + " · ".join(
            f"{_article(c.article)} ({c.title})" for c in doc.clauses
        )
    return {
        "title": _("Conditions appliquées"),
        "rows": [[c.label, c.value, c.explanation, c.source] for c in doc.conditions],
        "clauses": clauses,
    }


def _footer(doc: InvoiceDocument) -> str:
    footer = doc.seller.name
    if doc.seller.siren:
        footer += f" · SIREN {doc.seller.siren}"
    footer += f" · {title(doc)} {doc.number}"
    if doc.terms_version:
        footer += " · " + _("conditions : %(terms)s") % {"terms": doc.terms_version}
    return footer


def _vat(doc: InvoiceDocument, language: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The VAT table (none when no line bears French VAT: 293 B, reverse charge) and the
    VAT mentions."""
    mentions = list(doc.vat_mentions)
    if doc.vat_on_debits:
        mentions.append(_("Option pour le paiement de la TVA d'après les débits."))
    if not presenters.charges_vat(doc):
        return None, mentions
    rows = [
        [r.label, format_eur(r.base, locale=language), format_eur(r.amount, locale=language)]
        for r in presenters.vat_rows(doc, language=language)
    ]
    return {"headers": [_("TVA"), _("Base HT"), _("Montant TVA")], "rows": rows}, mentions


def print_data(
    doc: InvoiceDocument,
    *,
    language: str = "fr",
    color: str | None = None,
    courtesy: bool = False,
) -> dict[str, Any]:
    """Everything the invoice template prints, in ``language``, in the seller's ``color``
    (``#rrggbb``; :class:`ValueError` otherwise). In French the document's sentences are
    printed as issued; in another language they are worded again from the snapshot.
    ``courtesy``: a translation, headed by a notice that the French invoice is the invoice
    of record."""
    color = brand_color(color)
    with translation.override(language):
        if not presenters.reads_french(language):
            doc = doc.worded(worded)
        natures = {
            "services": _("prestations de services"),
            "goods": _("livraison de biens"),
            "both": _("livraison de biens et prestations de services"),
        }
        vat_table, mentions = _vat(doc, language)
        return {
            "lang": language,
            "color": color,
            "on_color": text_on(color),
            "page_word": _("Page"),
            "footer": _footer(doc),
            "title": title(doc),
            "number": _("n° %(number)s") % {"number": doc.number},
            "notice": _(
                "Traduction de courtoisie : la facture en français, seule envoyée et archivée, "
                "fait foi."
            )
            if courtesy
            else None,
            "seller_name": doc.seller.name,
            "facts": _facts(doc),
            "parties": [
                _party(doc, doc.seller, is_seller=True, language=language),
                _party(doc, doc.buyer, is_seller=False, language=language),
            ],
            "nature": [
                _("Nature de l'opération") + _colon(language),
                str(natures.get(doc.nature, doc.nature)),
            ],
            "columns": line_columns(),
            "charges_vat": presenters.charges_vat(doc),
            "lines": _lines(doc, language),
            "vat_table": vat_table,
            "mentions": mentions,
            "totals": _totals(doc, language),
            "box": _payment_box(doc, language),
            "transfer": _transfer(doc),
            "conditions": _conditions(doc, language),
            "attachment": {"name": xmp.FILENAME, "description": xmp.DESCRIPTION},
        }


__all__ = ["DEFAULT_COLOR", "brand_color", "print_data", "text_on", "title"]
