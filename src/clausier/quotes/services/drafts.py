"""Draft quotes: fields, lines and attachments, changed freely until the quote is sent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, diff, insert_recorded, record_on, save_changes
from clausier.catalog import pricing
from clausier.customers.models import Client
from clausier.documents.glyphs import validate_printable
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict, only_fields
from clausier.kernel.inputs import check_date_window, negative_price_error, vat_rate_error
from clausier.kernel.uploads import upload_refusal
from clausier.quotes.models import (
    AttachmentKind,
    Quote,
    QuoteAttachment,
    QuoteLine,
)
from clausier.quotes.services.support import (
    LINE_FIELDS,
    QUOTE_FIELDS,
    file_sha256,
    locked_draft,
)
from clausier.sellers import confidentiality
from clausier.sellers.models import Seller


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(_("un nombre décimal exact est attendu (pas un flottant)"))
    try:
        result = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("nombre invalide : %(value)r") % {"value": value}) from None
    if not result.is_finite():
        raise ValueError(_("nombre invalide : %(value)r") % {"value": value})
    return result


def _build_line(quote: Quote, position: int, fields: dict[str, Any], key: str) -> QuoteLine:
    """A validated, unsaved line; ValidationError keys are prefixed with ``key``. A quote
    line states its own price: the line checks are the catalog pricer's, not the lookup."""
    errors: dict[str, str] = {}
    pricing.refuse_unknown_fields(fields, allowed=LINE_FIELDS, key=key, errors=errors)
    data = {k: v for k, v in fields.items() if k in LINE_FIELDS}
    for name in ("quantity", "unit_price", "vat_rate", "discount"):
        if name in data:
            try:
                data[name] = _decimal(data[name])
            except ValueError as exc:
                errors[f"{key}.{name}"] = str(exc)
    if not errors:
        if data.get("quantity") is not None:
            pricing.check_quantity(data["quantity"], key=key, errors=errors)
        vat = data.get("vat_rate", Decimal(0))
        if not Decimal(0) <= vat < 1:
            errors[f"{key}.vat_rate"] = _("un taux est une fraction (0.20 pour 20 %)")
        elif problem := vat_rate_error(vat, postal_code=quote.seller.postal_code):
            errors[f"{key}.vat_rate"] = problem
        if data.get("unit_price") is not None and data["unit_price"] < 0:
            errors[f"{key}.unit_price"] = negative_price_error()
        discount = data.get("discount", Decimal(0))
        if not Decimal(0) <= discount <= 1:
            errors[f"{key}.discount"] = _("une remise est une fraction (0.10 pour 10 %)")
    for name in ("description", "product_code"):
        try:
            validate_printable(str(data.get(name) or ""), multiline=name == "description")
        except ValidationError as exc:
            errors[f"{key}.{name}"] = " ".join(exc.messages)
    line = QuoteLine(quote=quote, position=position, **data)
    pricing.model_errors(line, key=key, exclude=["quote"], errors=errors)
    if errors:
        raise ValidationError(errors)
    return line


def _checked_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` of a quote, once known to be ones a quote takes, its validity date in the
    plausible window and its printed texts printable (a ValidationError names each field)."""
    only_fields(fields, QUOTE_FIELDS)
    errors: dict[str, list[str]] = {}
    valid_until = fields.get("valid_until")
    if isinstance(valid_until, str) and valid_until:
        try:
            valid_until = date.fromisoformat(valid_until)
        except ValueError:
            valid_until = None  # the model's own check names the format
    if isinstance(valid_until, date):
        try:
            check_date_window(valid_until, "valid_until")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name in ("nature", "notes"):
        try:
            validate_printable(fields.get(name) or "", multiline=name == "notes")
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


def _line_summary(line: QuoteLine) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit": line.unit,
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
    }


# --- drafts -----------------------------------------------------------------------------


@transaction.atomic
def create_quote(
    *,
    seller: Seller,
    client: Client,
    fields: dict[str, Any],
    by: Actor,
    lines: list[dict[str, Any]] | None = None,
    confidential: bool = False,
    confidential_staff: list | None = None,
) -> Quote:
    """A draft quote for ``client``; ``fields`` among nature, notes, requires_deposit,
    valid_until; ``lines`` as for :func:`set_lines`; ``confidential`` with the ids of the
    staff named on it (seed 002 art. 9, whoever creates it named too unless the owner)."""
    if client.seller_id != seller.pk:
        raise ValidationError({"client": _("ce client appartient à un autre vendeur")})
    quote = Quote(
        seller=seller,
        client=client,
        created_by=acting_user(by=by),
        **_checked_fields(fields),
    )
    staff = confidentiality.named_staff(
        seller_id=seller.pk, user_ids=confidential_staff or [], by=by, confidential=confidential
    )
    quote.confidential = bool(confidential)
    quote.full_clean()
    quote.save()
    quote.confidential_staff.set(staff)
    built = [
        _build_line(quote, position, line, f"lines[{position}]")
        for position, line in enumerate(lines or [])
    ]
    QuoteLine.objects.bulk_create(built)
    record_on(
        obj=quote,
        actor=by,
        verb="quote.created",
        after={
            "client": client.name,
            **{
                k: v if isinstance(v, bool | str) or v is None else str(v)
                for k, v in fields.items()
            },
            "lines": [_line_summary(line) for line in built],
            **(confidentiality.audit_state(quote) if confidential else {}),
        },
    )
    return quote


@transaction.atomic
def update_quote(
    *, quote: Quote, fields: dict[str, Any], by: Actor, lines: list[dict[str, Any]] | None = None
) -> Quote:
    """Change some fields of a draft and, when ``lines`` is given, replace all its lines (as
    :func:`set_lines`), both or neither."""
    quote = locked_draft(quote=quote)
    save_changes(
        instance=quote,
        fields=_checked_fields(fields),
        by=by,
        seller=quote.seller,
        verb="quote.updated",
    )
    if lines is not None:
        set_lines(quote=quote, lines=lines, by=by)
    return quote


@transaction.atomic
def set_lines(*, quote: Quote, lines: list[dict[str, Any]], by: Actor) -> list[QuoteLine]:
    """Replace the lines of a draft. Each line: description, quantity, unit (``LineUnit``),
    unit_price (HT), vat_rate (fraction, default 0), discount (fraction, default 0),
    product_code (optional). Amounts are Decimals, ints or decimal strings, never floats."""
    quote = locked_draft(quote=quote)
    built = [
        _build_line(quote, position, line, f"lines[{position}]")
        for position, line in enumerate(lines)
    ]
    before = [_line_summary(line) for line in quote.lines.all()]
    quote.lines.all().delete()
    QuoteLine.objects.bulk_create(built)
    record_on(
        obj=quote,
        actor=by,
        verb="quote.lines_set",
        before={"lines": before},
        after={"lines": [_line_summary(line) for line in built]},
    )
    return list(quote.lines.order_by("position", "id"))


@transaction.atomic
def add_line(*, quote: Quote, fields: dict[str, Any], by: Actor) -> QuoteLine:
    """Append a line to a draft (fields as for :func:`set_lines`)."""
    quote = locked_draft(quote=quote)
    last = quote.lines.order_by("-position").values_list("position", flat=True).first()
    line = _build_line(quote, 0 if last is None else last + 1, fields, "line")
    line.save()
    record_on(obj=quote, actor=by, verb="quote.line_added", after=_line_summary(line))
    return line


@transaction.atomic
def update_line(*, line: QuoteLine, fields: dict[str, Any], by: Actor) -> QuoteLine:
    quote = locked_draft(quote=line.quote)
    line = QuoteLine.objects.select_for_update().get(pk=line.pk, quote=quote)
    current = {name: getattr(line, name) for name in LINE_FIELDS}
    updated = _build_line(quote, line.position, current | fields, "line")
    before, after = diff(instance=line, fields={name: getattr(updated, name) for name in fields})
    if not after:
        return line
    updated.pk = line.pk
    updated.save()
    record_on(
        obj=quote,
        actor=by,
        verb="quote.line_updated",
        before={"position": line.position, **before},
        after=after,
    )
    return updated


@transaction.atomic
def delete_line(*, line: QuoteLine, by: Actor) -> None:
    quote = locked_draft(quote=line.quote)
    line = QuoteLine.objects.select_for_update().get(pk=line.pk, quote=quote)
    record_on(obj=quote, actor=by, verb="quote.line_deleted", before=_line_summary(line))
    line.delete()


@transaction.atomic
def add_attachment(
    *, quote: Quote, kind: str, file: File, by: Actor, title: str = ""
) -> QuoteAttachment:
    """Attach the specification (cahier des charges, one PDF, contractual once accepted) or a
    mockup (PDF or image, never contractual) to a draft."""
    quote = locked_draft(quote=quote)
    errors: dict[str, str] = {}
    if kind not in AttachmentKind.values:
        errors["kind"] = _("type inconnu ; possibles : %(kinds)s") % {
            "kinds": ", ".join(AttachmentKind.values)
        }
    name = PurePath(file.name or "").name
    # A specification is a PDF, a mockup a PDF or an image: read from the content.
    if kind in AttachmentKind.values and (refusal := upload_refusal(file, use=kind)):
        errors["file"] = refusal
    if (
        kind == AttachmentKind.SPECIFICATION
        and quote.attachments.filter(kind=AttachmentKind.SPECIFICATION).exists()
    ):
        errors["kind"] = _("ce devis a déjà un cahier des charges : retirez-le d'abord")
    if errors:
        raise ValidationError(errors)
    attachment = QuoteAttachment(
        quote=quote, kind=kind, title=(title or name).strip()[:200], sha256=file_sha256(file=file)
    )
    attachment.file.save(name, file, save=False)
    insert_recorded(
        instance=attachment,
        on=quote,
        by=by,
        verb="quote.attachment_added",
        after={"kind": kind, "title": attachment.title, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: QuoteAttachment, by: Actor) -> None:
    quote = locked_draft(quote=attachment.quote)
    attachment = QuoteAttachment.objects.select_for_update().get(pk=attachment.pk, quote=quote)
    record_on(
        obj=quote,
        actor=by,
        verb="quote.attachment_removed",
        before={"kind": attachment.kind, "title": attachment.title, "sha256": attachment.sha256},
    )
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    # Revisions share their files: delete the file only once nothing refers to it.
    if not QuoteAttachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def delete_draft(*, quote: Quote, by: Actor) -> None:
    """Delete a draft that was never sent (it holds no number). A revision is part of a
    numbered quote's history and cannot be deleted."""
    quote = locked_draft(quote=quote)
    if quote.number:
        raise Conflict(
            _(
                "%(quote)s est une révision du devis %(number)s : elle fait partie de son "
                "historique et ne peut pas être supprimée."
            )
            % {"quote": quote, "number": quote.number}
        )
    record_on(obj=quote, actor=by, verb="quote.deleted", before={"id": quote.pk})
    for attachment in list(quote.attachments.all()):
        remove_attachment(attachment=attachment, by=by)
    quote.delete()
