"""Confidentiality agreements (seed 002 art. 9, clause ``confidentiality.nda_on_request``):
the seller signs one when the client asks. A request (the client's, from the portal while
the clause offers it, or noted by staff) is signed (the signed PDF stored with its SHA-256
and its effective period) or declined; staff may also record an agreement signed at once."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, insert_recorded, record_on
from clausier.contracts import selectors
from clausier.contracts import transitions as t
from clausier.contracts.inputs import past_date
from clausier.contracts.models import Nda
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import DomainError, InvalidTransition
from clausier.kernel.inputs import check_date_window
from clausier.kernel.uploads import upload_refusal
from clausier.terms import selectors as terms_selectors


def offers_nda(*, client) -> bool:
    """Whether the client's terms (those it accepted, else the seller's published ones)
    offer a confidentiality agreement on request."""
    version = terms_selectors.version_in_force_for_client(
        client=client
    ) or terms_selectors.current_version(seller=client.seller)
    clause = selectors.confidentiality_clause(version=version)
    return bool(clause and clause.parameters.get("nda_on_request"))


def _title(title: str) -> str:
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationError({"title": _("indiquez l'objet de l'accord")})
    return title[:200]


def _linked(*, client, quote, contract) -> None:
    if quote is not None and quote.client_id != client.pk:
        raise ValidationError({"quote": _("ce devis est celui d'un autre client")})
    if contract is not None and contract.client_id != client.pk:
        raise ValidationError({"contract": _("ce contrat est celui d'un autre client")})


@transaction.atomic
def request_nda(
    *,
    client,
    title: str,
    by: Actor,
    scope: str = "",
    by_client: bool = False,
    quote=None,
    contract=None,
    now: datetime | None = None,
) -> Nda:
    """A confidentiality agreement asked for: from the portal (``by_client``) only while the
    client's terms offer one on request."""
    if by_client and not offers_nda(client=client):
        raise DomainError(
            _("Vos conditions générales ne prévoient pas d'accord de confidentialité sur demande.")
        )
    _linked(client=client, quote=quote, contract=contract)
    nda = Nda(
        seller=client.seller,
        client=client,
        quote=quote,
        contract=contract,
        title=_title(title),
        scope=str(scope or "").strip(),
        status=t.NDA_REQUESTED,
        requested_on=timezone.localdate(aware_now(now)),
        requested_by_client=by_client,
        recorded_by=acting_user(by=by),
    )
    insert_recorded(
        instance=nda,
        by=by,
        verb="nda.requested",
        after={"title": nda.title, "client": client.name, "by_client": by_client},
    )
    return nda


def _period(effective_from, effective_until) -> None:
    if not isinstance(effective_from, date):
        raise ValidationError({"effective_from": _("date attendue (AAAA-MM-JJ)")})
    check_date_window(effective_from, "effective_from")
    if effective_until is not None:
        check_date_window(effective_until, "effective_until")
        if effective_until < effective_from:
            raise ValidationError(
                {"effective_until": _("la fin de l'accord ne peut précéder son début")}
            )


def _sha256(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _store_signed(
    nda: Nda, *, file: File, signed_on, effective_from, effective_until, today: date
) -> None:
    errors: dict[str, str] = {}
    if file is None:
        errors["file"] = _("joignez l'accord signé (PDF)")
    elif refusal := upload_refusal(file, use="nda"):
        errors["file"] = refusal
    if errors:
        raise ValidationError(errors)
    nda.signed_on = past_date(signed_on, "signed_on", today=today)
    _period(effective_from, effective_until)
    nda.effective_from = effective_from
    nda.effective_until = effective_until
    nda.sha256 = _sha256(file)
    nda.status = t.NDA_SIGNED
    nda.file.save(PurePath(file.name or "accord.pdf").name, file, save=False)


@transaction.atomic
def record_signed_nda(
    *,
    client,
    title: str,
    file: File,
    signed_on: date,
    effective_from: date,
    by: Actor,
    effective_until: date | None = None,
    scope: str = "",
    quote=None,
    contract=None,
    now: datetime | None = None,
) -> Nda:
    """An agreement signed with ``client`` (no request before it), its PDF stored."""
    today = timezone.localdate(aware_now(now))
    _linked(client=client, quote=quote, contract=contract)
    nda = Nda(
        seller=client.seller,
        client=client,
        quote=quote,
        contract=contract,
        title=_title(title),
        scope=str(scope or "").strip(),
        recorded_by=acting_user(by=by),
    )
    _store_signed(
        nda,
        file=file,
        signed_on=signed_on,
        effective_from=effective_from,
        effective_until=effective_until,
        today=today,
    )
    insert_recorded(instance=nda, by=by, verb="nda.signed", after=_signed_data(nda))
    return nda


def _signed_data(nda: Nda) -> dict:
    return {
        "title": nda.title,
        "signed_on": nda.signed_on.isoformat(),
        "effective_from": nda.effective_from.isoformat(),
        "effective_until": nda.effective_until.isoformat() if nda.effective_until else None,
        "sha256": nda.sha256,
    }


def _locked_requested(nda: Nda, target: str) -> Nda:
    nda = Nda.objects.select_for_update().get(pk=nda.pk)
    if target not in t.NDA_TRANSITIONS[nda.status]:
        raise InvalidTransition(str(nda), nda.status, target, set(t.NDA_TRANSITIONS[nda.status]))
    return nda


@transaction.atomic
def sign_nda(
    *,
    nda: Nda,
    file: File,
    signed_on: date,
    effective_from: date,
    by: Actor,
    effective_until: date | None = None,
    now: datetime | None = None,
) -> Nda:
    """The requested agreement signed: its PDF stored with its SHA-256."""
    nda = _locked_requested(nda, t.NDA_SIGNED)
    _store_signed(
        nda,
        file=file,
        signed_on=signed_on,
        effective_from=effective_from,
        effective_until=effective_until,
        today=timezone.localdate(aware_now(now)),
    )
    nda.full_clean()
    nda.save()
    record_on(
        obj=nda,
        actor=by,
        verb="nda.signed",
        before={"status": t.NDA_REQUESTED},
        after=_signed_data(nda),
    )
    return nda


@transaction.atomic
def decline_nda(*, nda: Nda, reason: str, by: Actor) -> Nda:
    """The requested agreement declined, with the reason told to the client."""
    nda = _locked_requested(nda, t.NDA_DECLINED)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": _("indiquez le motif du refus")})
    nda.status = t.NDA_DECLINED
    nda.decline_reason = reason
    nda.save(update_fields=["status", "decline_reason"])
    record_on(
        obj=nda,
        actor=by,
        verb="nda.declined",
        before={"status": t.NDA_REQUESTED},
        after={"status": t.NDA_DECLINED, "reason": reason},
    )
    return nda
