"""Transfer refunds handed to the bank: a SEPA credit transfer file (pain.001) paying the
selected refunds from the seller's account (its IBAN and BIC, the debtor) to each client's
account (the IBAN staff typed on the refund, the creditor). The refunds are then ``sent``
with the file's message id; the file is kept (:class:`TransferBatch`) and downloadable
again. They are ``settled`` when the debit shows on the statement (marked by staff, or
matched by the statement import through their end-to-end id ``REMB-<refund>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.documents.stored import sha256_of, write_once
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.numbering.services import next_number
from clausier.payments import transitions as t
from clausier.payments.bank import sepa_credit_transfer as sct
from clausier.payments.models import Method, Refund, TransferBatch
from clausier.rules.errors import RuleError
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller

SERIES = "sepa-refunds"
PREFIX = "VIR"


def end_to_end_id(*, refund: Refund) -> str:
    """The id the bank carries to the client's statement and back on the seller's."""
    return f"REMB-{refund.pk}"


def _remittance_text(refund: Refund) -> str:
    if refund.credit_note_id is not None:
        return f"Remboursement avoir {refund.credit_note.number}"
    return f"Remboursement {end_to_end_id(refund=refund)}"


def _checked_refunds(seller: Seller, refund_ids: Sequence[int]) -> list[Refund]:
    refunds = list(
        Refund.objects.select_for_update(of=("self",))
        .filter(seller=seller, pk__in=list(refund_ids))
        .select_related("client", "credit_note")
        .order_by("id")
    )
    errors: dict[str, str] = {}
    if not refunds:
        errors["refunds"] = _("choisissez au moins un remboursement dû par virement")
    for refund in refunds:
        if refund.method != Method.TRANSFER or refund.status != t.OWED:
            errors[f"refunds[{refund.pk}]"] = _(
                "%(refund)s n'est pas un remboursement par virement à effectuer"
            ) % {"refund": refund}
        elif not refund.creditor_iban:
            errors[f"refunds[{refund.pk}].iban"] = _(
                "indiquez l'IBAN du client pour %(refund)s (%(client)s)"
            ) % {"refund": refund, "client": refund.client.name}
    if not seller.iban:
        errors["iban"] = _(
            "le vendeur n'a pas d'IBAN : renseignez-le dans ses réglages, c'est le compte débité"
        )
    if errors:
        raise ValidationError(errors)
    return refunds


@transaction.atomic
def export_transfer_refunds(
    *,
    seller: Seller,
    refund_ids: Sequence[int],
    execution_date: date,
    by: Actor,
    now: datetime | None = None,
) -> TransferBatch:
    """The pain.001 file paying ``refund_ids`` (transfer refunds owed, each with the client's
    IBAN) on ``execution_date``, stored; the refunds are ``sent`` with its message id. Every
    refusal names its field and writes nothing."""
    now = aware_now(now)
    today = timezone.localdate(now)
    if not isinstance(execution_date, date) or execution_date < today:
        raise ValidationError(
            {"execution_date": _("la date d'exécution est aujourd'hui ou plus tard")}
        )
    refunds = _checked_refunds(seller, refund_ids)
    message_id = next_number(seller=seller, series=SERIES, year=today.year, prefix=PREFIX).label
    try:
        content = sct.credit_transfer_file(
            debtor=sct.Debtor(name=seller.legal_name, iban=seller.iban, bic=seller.bic),
            refunds=[
                sct.Refund(
                    creditor_name=refund.creditor_name or refund.client.name,
                    iban=refund.creditor_iban,
                    bic=refund.creditor_bic,
                    amount=refund.amount,
                    reference=_remittance_text(refund),
                    end_to_end_id=end_to_end_id(refund=refund),
                )
                for refund in refunds
            ],
            execution_date=execution_date,
            message_id=message_id,
            created_at=now.astimezone(UTC),
        )
    except RuleError as exc:
        raise ValidationError({exc.argument: exc.described()}) from None
    sha256 = sha256_of(content)
    batch = TransferBatch(
        seller=seller,
        message_id=message_id,
        execution_date=execution_date,
        debtor_iban=seller.iban,
        count=len(refunds),
        total=sum((r.amount for r in refunds), ZERO),
        sha256=sha256,
        created_by=acting_user(by=by),
    )
    batch.file.name = write_once(
        batch.file, f"payments/transfers/{seller.slug}-{message_id}-{sha256[:12]}.xml", content
    )
    batch.save()
    for refund in refunds:
        before = {"status": refund.status}
        t.check_refund(label=str(refund), current=refund.status, target=t.SENT)
        refund.status, refund.sent_on = t.SENT, today
        refund.reference, refund.transfer_batch = message_id, batch
        refund.save(
            update_fields=["status", "sent_on", "reference", "transfer_batch", "updated_at"]
        )
        record_on(
            obj=refund,
            actor=by,
            verb="refund.sent",
            before=before,
            after={"status": refund.status, "sent_on": today.isoformat(), "reference": message_id},
        )
    record_on(
        obj=batch,
        actor=by,
        verb="transfer_batch.created",
        after={
            "message_id": message_id,
            "count": batch.count,
            "total": str(batch.total),
            "sha256": sha256,
            "execution_date": execution_date.isoformat(),
        },
    )
    return batch
