"""The site's archive on written request (seed 002 art. 7, clause ``contract.end``: "la
restitution du site au client, sous forme de fichier Archive ... (fichiers et extraction de
la base de données) si le client en fait la demande écrite"). Asked once the maintenance or
hosting contract has ended or is under notice; the clause sets no delay, staff set the
seller's commitment (prefilled by :data:`clausier.contracts.domain.SELLER_ARCHIVE_DAYS`);
delivered with its evidence."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.contracts import domain, selectors
from clausier.contracts import transitions as t
from clausier.contracts.delivery import acknowledge_archive_after_commit
from clausier.contracts.inputs import past_date
from clausier.contracts.models import ArchiveChannel, ArchiveRequest, Contract
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError

ARCHIVE_CLAUSE = "contract.end"
# A receipt uploaded as delivery evidence: a PDF, an image or a text export.
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


def default_deadline(*, received_on: date):
    """The seller's default delivery day of a request received on ``received_on``."""
    return domain.archive_deadline(
        received_on=received_on, calendar=domain.contract_calendar()
    ).citing(clause=ARCHIVE_CLAUSE, terms="")


@transaction.atomic
def record_archive_request(
    *,
    contract: Contract,
    received_on: date,
    channel: str,
    deadline: date | None = None,
    by: Actor,
    now: datetime | None = None,
) -> ArchiveRequest:
    """A written request for the site's archive received on ``received_on``, to deliver by
    ``deadline`` (the seller's commitment; by default its practice's delay)."""
    at = aware_now(now)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    refused = selectors.archive_refusal(contract)
    if refused:
        raise DomainError(refused)
    if channel not in ArchiveChannel.values:
        raise ValidationError({"channel": _("courrier, e-mail ou portail attendu")})
    received_on = past_date(received_on, "received_on", today=timezone.localdate(at))
    if contract.archive_requests.filter(status=t.REQUESTED).exists():
        raise Conflict(_("Une demande d'archive est déjà en cours pour ce contrat."))
    counted = default_deadline(received_on=received_on).citing(
        clause=ARCHIVE_CLAUSE, terms=contract.terms_label
    )
    if deadline is None:
        deadline = counted.value
    elif deadline < received_on:
        raise ValidationError(
            {"deadline": _("la date de livraison promise ne peut pas précéder la demande")}
        )
    request = ArchiveRequest.objects.create(
        contract=contract,
        received_on=received_on,
        channel=channel,
        deadline=deadline,
        explanation=counted.as_dict() if deadline == counted.value else {},
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_on(
        obj=contract,
        actor=by,
        verb="contract.archive_requested",
        after={
            "request": request.pk,
            "received_on": received_on.isoformat(),
            "channel": channel,
            "deadline": deadline.isoformat(),
        },
    )
    if channel == ArchiveChannel.PORTAL:
        acknowledge_archive_after_commit(request=request)
    return request


def request_archive_online(
    *, contract: Contract, by: Actor, now: datetime | None = None
) -> ArchiveRequest:
    """The client asks for its archive from the portal (a written request), received today
    and acknowledged by e-mail."""
    at = aware_now(now)
    return record_archive_request(
        contract=contract,
        received_on=timezone.localdate(at),
        channel=ArchiveChannel.PORTAL,
        by=by,
        now=at,
    )


@transaction.atomic
def deliver_archive(
    *,
    request: ArchiveRequest,
    delivered_on: date,
    method: str,
    reference: str,
    receipt=None,
    by: Actor,
    now: datetime | None = None,
) -> ArchiveRequest:
    """The archive delivered on ``delivered_on`` by ``method`` (``reference``: the download
    link, the transfer's id), optionally with a receipt file whose SHA-256 is kept."""
    request = ArchiveRequest.objects.select_for_update().get(pk=request.pk)
    if t.DELIVERED not in t.ARCHIVE_TRANSITIONS[request.status]:
        raise Conflict(_("Cette archive est déjà livrée."))
    delivered_on = past_date(delivered_on, "delivered_on", today=timezone.localdate(aware_now(now)))
    if delivered_on < request.received_on:
        raise ValidationError({"delivered_on": _("la livraison ne peut pas précéder la demande")})
    method = " ".join(str(method or "").split())
    reference = str(reference or "").strip()
    if not method:
        raise ValidationError({"method": _("indiquez le moyen de livraison")})
    if not reference:
        raise ValidationError(
            {"reference": _("indiquez la preuve : lien de téléchargement, identifiant d'envoi")}
        )
    if receipt is not None:
        if receipt.size > RECEIPT_MAX_BYTES:
            raise ValidationError({"receipt": _("fichier trop lourd (10 Mo au plus)")})
        digest = hashlib.sha256()
        for chunk in receipt.chunks():
            digest.update(chunk)
        request.receipt_sha256 = digest.hexdigest()
        receipt.seek(0)
        request.receipt.save(f"archive-{request.pk}-{receipt.name}", receipt, save=False)
    request.status = t.DELIVERED
    request.delivered_on = delivered_on
    request.delivery_method, request.delivery_reference = method[:60], reference[:300]
    request.save()
    contract = Contract.objects.get(pk=request.contract_id)
    record_on(
        obj=contract,
        actor=by,
        verb="contract.archive_delivered",
        after={
            "request": request.pk,
            "delivered_on": delivered_on.isoformat(),
            "method": request.delivery_method,
            "reference": request.delivery_reference,
            "receipt_sha256": request.receipt_sha256,
            "late": delivered_on > request.deadline,
        },
    )
    return request
