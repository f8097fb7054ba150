"""Cheques handed to the bank: a remittance (bordereau de remise de chèques) of cheques
received and not yet remitted, under a number of its own (``REM<year>-<n>``), its slip
printed and stored. The cheques stay ``pending`` until cashed (:func:`mark_cheque_cashed`,
the existing action): remitting is handing them over, not the money received."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.documents.stored import sha256_of, write_once
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.numbering.services import next_number
from clausier.payments import transitions as t
from clausier.payments.checks import past_day
from clausier.payments.models import ChequeRemittance, Method, Payment, RemittedCheque
from clausier.payments.printing import render_remittance_pdf
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller

SERIES = "cheque-remittances"
PREFIX = "REM"


def _checked_cheques(seller: Seller, payment_ids: Sequence[int]) -> list[Payment]:
    cheques = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(seller=seller, pk__in=list(payment_ids))
        .select_related("client")
        .order_by("received_on", "id")
    )
    errors: dict[str, str] = {}
    if not cheques:
        errors["cheques"] = _("choisissez au moins un chèque reçu")
    remitted = set(
        RemittedCheque.objects.filter(payment__in=cheques).values_list("payment_id", flat=True)
    )
    for cheque in cheques:
        if cheque.method != Method.CHEQUE or cheque.status != t.PENDING:
            errors[f"cheques[{cheque.pk}]"] = _("%(payment)s n'est pas un chèque à remettre") % {
                "payment": cheque
            }
        elif cheque.pk in remitted:
            errors[f"cheques[{cheque.pk}]"] = _("%(payment)s est déjà remis en banque") % {
                "payment": cheque
            }
    if not seller.iban:
        errors["iban"] = _(
            "le vendeur n'a pas d'IBAN : renseignez-le dans ses réglages, c'est le compte crédité"
        )
    if errors:
        raise ValidationError(errors)
    return cheques


@transaction.atomic
def remit_cheques(
    *,
    seller: Seller,
    payment_ids: Sequence[int],
    remitted_on: date,
    by: Actor,
    now: datetime | None = None,
) -> ChequeRemittance:
    """A remittance of the cheques ``payment_ids`` (received, not cashed, not yet remitted)
    on ``remitted_on``: numbered, its slip printed and stored. Every refusal names its field
    and writes nothing."""
    now = aware_now(now)
    errors: dict[str, str] = {}
    day = past_day(remitted_on, "remitted_on", errors, now=now)
    if errors:
        raise ValidationError(errors)
    cheques = _checked_cheques(seller, payment_ids)
    number = next_number(seller=seller, series=SERIES, year=day.year, prefix=PREFIX).label
    remittance = ChequeRemittance.objects.create(
        seller=seller,
        number=number,
        remitted_on=day,
        account_iban=seller.iban,
        count=len(cheques),
        total=sum((c.amount for c in cheques), ZERO),
        created_by=acting_user(by=by),
    )
    RemittedCheque.objects.bulk_create(
        RemittedCheque(remittance=remittance, payment=cheque) for cheque in cheques
    )
    content = render_remittance_pdf(remittance=remittance, cheques=cheques)
    remittance.sha256 = sha256_of(content)
    remittance.pdf.name = write_once(
        remittance.pdf,
        f"payments/remittances/{seller.slug}-{number}-{remittance.sha256[:12]}.pdf",
        content,
        remittance.sha256,
    )
    remittance.save(update_fields=["pdf", "sha256", "updated_at"])
    record_on(
        obj=remittance,
        actor=by,
        verb="cheque_remittance.created",
        after={
            "number": number,
            "remitted_on": day.isoformat(),
            "cheques": [c.pk for c in cheques],
            "total": str(remittance.total),
            "sha256": remittance.sha256,
        },
    )
    return remittance
