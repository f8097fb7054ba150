"""Helpers shared by the invoicing services: the missing mentions error, the lock, the draft
check, the series and VAT regime of a document, bulk row writes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connection
from django.utils.translation import gettext as _

from clausier.audit.models import Event
from clausier.audit.services import new_event
from clausier.audit.triggers import Trigger
from clausier.customers.models import Client
from clausier.invoicing import domain
from clausier.invoicing import transitions as t
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    Series,
)
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict, Incomplete
from clausier.rules.money import VatRegime
from clausier.sellers.models import Seller


class ZeroTotal(Conflict):
    """An invoice of 0,00 € is issued only when the person issuing it confirms it (a free
    service invoiced for the record is rare; an empty or mistyped draft is not)."""


class MissingMentions(Incomplete):
    """The document lacks mandatory mentions: the message names them in words (« SIREN du
    vendeur »), ``fields`` (and ``missing``) lists their codes (``seller.siren``...)."""

    def __init__(self, document: str, fields: Sequence[str]) -> None:
        self.fields = list(fields)
        # Each mention in words, in the order of ``fields``, for the screens' lists.
        self.labels = [_mention_label(f) for f in self.fields]
        names = "; ".join(self.labels)
        super().__init__(
            _("%(document)s : émission impossible, mentions obligatoires manquantes : %(names)s.")
            % {"document": document, "names": names},
            self.fields,
        )


def _mention_label(field: str) -> str:
    """A mandatory mention's code (``seller.siren``, ``lines[0].description``) in words, in
    the active language (« SIREN du vendeur », « désignation de la ligne 1 »)."""
    labels = {
        "seller.legal_name": _("raison sociale du vendeur"),
        "seller.address_line1": _("adresse du vendeur"),
        "seller.postal_code": _("code postal du vendeur"),
        "seller.city": _("ville du vendeur"),
        "seller.siren": _("SIREN du vendeur"),
        "seller.vat_number": _("numéro de TVA intracommunautaire du vendeur"),
        "client.name": _("nom du client"),
        "client.billing_line1": _("adresse du client"),
        "client.billing_postal_code": _("code postal du client"),
        "client.billing_city": _("ville du client"),
        "client.siren": _("SIREN du client professionnel"),
        "client.vat_number": _("numéro de TVA intracommunautaire du client"),
        "lines": _("au moins une ligne"),
        "payment_due": _("date d'échéance (clause payment.due des CGV)"),
        "corrects": _("facture corrigée par l'avoir"),
    }
    if field in labels:
        return labels[field]
    line = re.fullmatch(r"lines\[(\d+)\]\.(description|quantity)", field)
    if line is not None:
        words = {
            "description": _("désignation de la ligne %(n)s"),
            "quantity": _("quantité de la ligne %(n)s"),
        }[line.group(2)]
        return words % {"n": int(line.group(1)) + 1}
    return _("mention « %(code)s »") % {"code": field}


# --- helpers ---------------------------------------------------------------------------------


def locked_invoice(*, invoice: Invoice) -> Invoice:
    # Order, quote, deposit request and corrected invoice are read only when set: joining
    # them all in the locking query costs more (measured ~10 ms against ~2 ms on PostgreSQL,
    # benchmarks/invoicing.py) than the few primary-key reads an invoice of an order makes.
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=invoice.pk)
    )


def require_draft(*, invoice: Invoice) -> None:
    if not t.can(current=invoice.status, target=t.ISSUED):
        raise Conflict(
            _("%(invoice)s est émise : elle ne se modifie plus, corrigez-la par un avoir.")
            % {"invoice": invoice}
        )


def invoice_series(*, seller: Seller, kind: str) -> tuple[str, str]:
    if kind == InvoiceKind.CREDIT_NOTE:
        return Series.CREDIT_NOTE, seller.credit_note_prefix
    return Series.INVOICE, seller.invoice_prefix


def regime_for(*, seller: Seller, client: Client, kind: str = "") -> VatRegime:
    return domain.vat_regime(
        seller_regime=seller.vat_regime,
        buyer_country=client.billing_country,
        buyer_is_professional=client.is_professional,
        buyer_vat_number=client.vat_number,
        kind=kind,
    )


def keep_waiting(
    *,
    invoice: Invoice,
    reason: str,
    note: str,
    by: Actor,
    with_before: bool = True,
    trigger: Trigger | None = None,
) -> Event:
    """Keep ``invoice`` a draft waiting for ``reason`` (stored on it) and return the unsaved
    ``invoice.issue_deferred`` event, which the caller records (alone or with a run's)."""
    before = {"reason": invoice.issue_blocked_reason} if with_before else None
    invoice.issue_blocked_reason = reason
    invoice.save(update_fields=["issue_blocked_reason", "updated_at"])
    return new_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.issue_deferred",
        before=before,
        after={"kind": invoice.kind, "reason": reason},
        note=note,
        trigger=trigger,
    )


def write_rows(*, model, rows: list, fields: list[str], only_status: str = "") -> None:
    """Write ``fields`` of ``rows`` with one prepared UPDATE run for every row.

    ``QuerySet.bulk_update`` builds one ``CASE WHEN`` per field over the whole batch, which
    costs more than half of a billing run's time in query compilation alone. With
    ``only_status`` the UPDATE touches a row only while it is still in that state (drafts
    being issued): a row that is not is an error, never a silent overwrite of an issued
    document.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in columns)
        + f" WHERE {quote(meta.pk.column)} = %s"
        + (f" AND {quote('status')} = %s" if only_status else "")
    )
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [row.pk]
        + ([only_status] if only_status else [])
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        written = cursor.rowcount
    if only_status and written not in (-1, len(rows)):
        raise Conflict(
            _("%(written)s documents écrits sur %(expected)s : un autre a changé d'état.")
            % {"written": written, "expected": len(rows)}
        )
