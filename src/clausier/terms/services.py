"""Writes on terms versions, clauses and acceptances: validated, atomic, audited.

A published version is immutable: every write below refuses anything but a draft.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import diff, insert_recorded, record_on, save_changes
from clausier.customers.models import Client
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict, only_fields
from clausier.kernel.inputs import check_date_window
from clausier.kernel.uploads import upload_refusal
from clausier.sellers.models import Seller
from clausier.terms import transitions
from clausier.terms.models import Acceptance, AcceptanceMethod, Clause, TermsStatus, TermsVersion
from clausier.terms.schemas import ClauseParametersError, validate_parameters

VERSION_FIELDS = frozenset({"label", "title", "effective_date", "text"})
CLAUSE_FIELDS = frozenset(
    {"clause_id", "kind", "article", "title", "excerpt", "parameters", "position"}
)


class TermsImmutable(Conflict):
    """Published and superseded versions never change; a change is a new version."""


def text_hash(*, text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _require_draft(version: TermsVersion) -> None:
    if version.status != TermsStatus.DRAFT:
        raise TermsImmutable(
            _(
                "La version %(label)s est %(status)s : elle ne peut plus être modifiée. Créez "
                "une nouvelle version."
            )
            % {"label": version.label, "status": version.get_status_display().lower()}
        )


def _locked(version: TermsVersion) -> TermsVersion:
    return TermsVersion.objects.select_for_update().select_related("seller").get(pk=version.pk)


def _locked_draft(version: TermsVersion) -> TermsVersion:
    """``version`` locked, once it is known to be a draft that may still change."""
    version = _locked(version)
    _require_draft(version)
    return version


@transaction.atomic
def create_draft(
    *, seller: Seller, label: str, effective_date: date, text: str, by: Actor, title: str = ""
) -> TermsVersion:
    if isinstance(effective_date, date):
        check_date_window(effective_date, "effective_date")
    version = TermsVersion(
        seller=seller,
        label=label,
        effective_date=effective_date,
        text=text,
        text_sha256=text_hash(text=text),
        **({"title": title} if title else {}),
    )
    insert_recorded(
        instance=version,
        by=by,
        verb="terms.draft_created",
        after={
            "label": label,
            "effective_date": str(effective_date),
            "sha256": version.text_sha256,
        },
    )
    return version


COPIED_CLAUSE_FIELDS = (
    "clause_id",
    "kind",
    "article",
    "title",
    "excerpt",
    "parameters",
    "position",
)


@transaction.atomic
def create_draft_from(
    *,
    source: TermsVersion,
    label: str,
    effective_date: date,
    by: Actor,
    text: str | None = None,
    title: str = "",
) -> TermsVersion:
    """A new draft that starts from ``source``: its text (unless ``text`` is given), its
    title (unless ``title`` is) and a copy of every clause (kind, id, article, title,
    excerpt, parameters, position), so that only what changes is edited. ``source`` is
    read, never changed (a published version is immutable); the draft remembers it."""
    source = _locked(source)
    if isinstance(effective_date, date):
        check_date_window(effective_date, "effective_date")
    text = source.text if text is None else text
    version = TermsVersion(
        seller=source.seller,
        label=label,
        title=title or source.title,
        effective_date=effective_date,
        text=text,
        text_sha256=text_hash(text=text),
        copied_from=source,
    )
    clauses = list(source.clauses.order_by("position", "id"))
    insert_recorded(
        instance=version,
        by=by,
        verb="terms.draft_copied",
        after={
            "label": label,
            "source": source.label,
            "clauses": len(clauses),
            "effective_date": str(effective_date),
            "sha256": version.text_sha256,
        },
    )
    copies = [
        Clause(version=version, **{name: getattr(c, name) for name in COPIED_CLAUSE_FIELDS})
        for c in clauses
    ]
    for copy in copies:
        copy.full_clean()
    Clause.objects.bulk_create(copies)
    return version


@transaction.atomic
def update_draft(*, version: TermsVersion, fields: dict[str, Any], by: Actor) -> TermsVersion:
    version = _locked_draft(version)
    only_fields(fields, VERSION_FIELDS)
    if isinstance(fields.get("effective_date"), date):
        check_date_window(fields["effective_date"], "effective_date")
    before, after = diff(instance=version, fields=fields)
    for name, value in fields.items():
        setattr(version, name, value)
    version.text_sha256 = text_hash(text=version.text)
    version.full_clean()
    version.save()
    if after:
        record_on(obj=version, actor=by, verb="terms.draft_updated", before=before, after=after)
    return version


def _clean_parameters(kind: str, parameters: Any) -> dict[str, Any]:
    try:
        return validate_parameters(kind, parameters)
    except ClauseParametersError as exc:
        raise ValidationError(exc.errors) from None


@transaction.atomic
def add_clause(*, version: TermsVersion, fields: dict[str, Any], by: Actor) -> Clause:
    version = _locked_draft(version)
    data = dict(only_fields(fields, CLAUSE_FIELDS))
    data["parameters"] = _clean_parameters(data.get("kind", ""), data.get("parameters", {}))
    clause = Clause(version=version, **data)
    insert_recorded(
        instance=clause,
        on=version,
        by=by,
        verb="terms.clause_added",
        after={"clause_id": clause.clause_id, "parameters": clause.parameters},
    )
    return clause


@transaction.atomic
def update_clause(*, clause: Clause, fields: dict[str, Any], by: Actor) -> Clause:
    version = _locked_draft(clause.version)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    data = dict(only_fields(fields, CLAUSE_FIELDS))
    if "parameters" in data or "kind" in data:
        data["parameters"] = _clean_parameters(
            data.get("kind", clause.kind), data.get("parameters", clause.parameters)
        )
    save_changes(
        instance=clause,
        fields=data,
        by=by,
        seller=version.seller,
        verb="terms.clause_updated",
        on=version,
        naming={"clause_id": clause.clause_id},
    )
    return clause


@transaction.atomic
def delete_clause(*, clause: Clause, by: Actor) -> None:
    version = _locked_draft(clause.version)
    record_on(
        obj=version, actor=by, verb="terms.clause_deleted", before={"clause_id": clause.clause_id}
    )
    clause.delete()


@transaction.atomic
def publish_version(*, version: TermsVersion, by: Actor) -> TermsVersion:
    """Publish a draft; the seller's previously published version becomes superseded."""
    version = _locked(version)
    transitions.check(
        label=f"CGV {version.label}", current=version.status, target=transitions.PUBLISHED
    )
    if not version.clauses.exists():
        raise ValidationError({"clauses": _("une version sans clause ne peut pas être publiée")})
    previous = list(
        TermsVersion.objects.select_for_update()
        .filter(seller=version.seller, status=TermsStatus.PUBLISHED)
        .exclude(pk=version.pk)
    )
    for old in previous:
        transitions.check(
            label=f"CGV {old.label}", current=old.status, target=transitions.SUPERSEDED
        )
        old.status = TermsStatus.SUPERSEDED
        old.save(update_fields=["status"])
        record_on(obj=old, actor=by, verb="terms.superseded", after={"by": version.label})
    version.status = TermsStatus.PUBLISHED
    version.published_at = timezone.now()
    version.text_sha256 = text_hash(text=version.text)
    version.save(update_fields=["status", "published_at", "text_sha256"])
    record_on(
        obj=version,
        actor=by,
        verb="terms.published",
        after={"label": version.label, "sha256": version.text_sha256},
    )
    return version


@transaction.atomic
def record_acceptance(
    *,
    client: Client,
    version: TermsVersion,
    method: str,
    accepted_by_name: str,
    by: Actor,
    accepted_by=None,
    accepted_at: datetime | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    evidence_file: UploadedFile | None = None,
    message_id: str = "",
) -> Acceptance:
    """Record that ``client`` accepted ``version``, with its evidence.

    Online acceptance (``checkbox``) is made by the contact (``accepted_by``) from the
    portal with IP and user agent; other methods are recorded by staff (``by``) with a file
    or an email's Message-ID as evidence.
    """
    version = TermsVersion.objects.select_for_update().get(pk=version.pk)
    errors: dict[str, str] = {}
    if version.seller_id != client.seller_id:
        errors["version"] = _("cette version appartient à un autre vendeur")
    if version.status != TermsStatus.PUBLISHED:
        errors["version"] = _(
            "seule une version publiée peut être acceptée (la %(label)s est %(status)s)"
        ) % {"label": version.label, "status": version.get_status_display().lower()}
    if method not in AcceptanceMethod.values:
        errors["method"] = _("mode inconnu ; possibles : %(methods)s") % {
            "methods": ", ".join(AcceptanceMethod.values)
        }
    if not accepted_by_name.strip():
        errors["accepted_by_name"] = _("le nom du signataire est obligatoire")
    if method == AcceptanceMethod.EMAIL_CONSENT and not (message_id or evidence_file):
        errors["message_id"] = _(
            "un consentement par e-mail se prouve par son Message-ID ou le fichier .eml"
        )
    if method == AcceptanceMethod.POSTAL_SCAN and not evidence_file:
        errors["evidence_file"] = _("joignez la copie numérisée du courrier « Bon pour accord »")
    if evidence_file and (
        refusal := upload_refusal(
            evidence_file,
            use="postal_scan" if method == AcceptanceMethod.POSTAL_SCAN else "evidence",
        )
    ):
        errors["evidence_file"] = refusal
    if method == AcceptanceMethod.CHECKBOX and accepted_by is None:
        errors["accepted_by"] = _("une acceptation en ligne est faite par un contact connecté")
    if errors:
        raise ValidationError(errors)
    acceptance = Acceptance(
        client=client,
        version=version,
        text_sha256=version.text_sha256,
        accepted_at=accepted_at or timezone.now(),
        method=method,
        accepted_by=accepted_by,
        accepted_by_name=accepted_by_name.strip(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        ip_address=ip_address,
        user_agent=user_agent[:500],
        message_id=message_id,
    )
    if evidence_file is not None:
        acceptance.evidence_file = evidence_file
    insert_recorded(
        instance=acceptance,
        on=client,
        by=by,
        verb="terms.accepted",
        after={
            "version": version.label,
            "method": method,
            "sha256": version.text_sha256,
            "name": acceptance.accepted_by_name,
        },
    )
    return acceptance
