"""Writes on sellers and their staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_event, save_changes
from clausier.documents.typst import check_image
from clausier.kernel.actor import Actor
from clausier.kernel.uploads import upload_refusal
from clausier.rules.identifiers import compact_identifier
from clausier.sellers.domain import IDENTITY_FIELDS, SETTINGS_FIELDS
from clausier.sellers.models import Role, Seller, StaffMembership

IDENTIFIER_FIELDS = ("siren", "siret", "vat_number", "iban", "bic")


@transaction.atomic
def upsert_seller(*, slug: str, fields: dict[str, Any], by: Actor) -> Seller:
    """Create the seller ``slug`` or update the given fields; validated, audited.
    Registration numbers are stored without the spaces typed for readability."""
    fields = {
        name: compact_identifier(value) if name in IDENTIFIER_FIELDS else value
        for name, value in fields.items()
    }
    seller = Seller.objects.select_for_update().filter(slug=slug).first()
    if seller is None:
        seller = Seller(slug=slug, **fields)
        seller.full_clean()
        seller.save()
        after = {
            k: v if v is None or isinstance(v, str | bool | int) else str(v)
            for k, v in fields.items()
        }
        record_event(actor=by, seller=seller, obj=seller, verb="seller.created", after=after)
        return seller
    save_changes(instance=seller, fields=fields, by=by, seller=seller, verb="seller.updated")
    return seller


def _checked_logo(logo) -> None:
    """A ``ValidationError`` on ``logo`` unless it is a PNG or JPEG image (what every PDF
    reader shows and Factur-X viewers expect) of at most ``UPLOAD_MAX_BYTES["logo"]``, small
    enough to keep each PDF light, that the printer can decode."""
    refusal = upload_refusal(logo, use="logo")
    if refusal is None:
        logo.seek(0)
        image = logo.read()
        logo.seek(0)
        try:
            check_image(image)
        except ValueError:
            refusal = _("Cette image est illisible (fichier tronqué ou abîmé).")
    if refusal is not None:
        raise ValidationError({"logo": refusal})


@transaction.atomic
def update_settings(
    *,
    seller: Seller,
    fields: dict[str, Any],
    by: Actor,
    logo=None,
    remove_logo: bool = False,
) -> Seller:
    """The seller's settings (identity, tax, bank, branding, numbering) changed by its owner:
    validated like every seller (``full_clean``, each identifier's check), the logo a PNG or
    JPEG the printer reads; nothing is written when a value is refused. One audit event,
    ``seller.settings_updated``, with the changed fields before and after. Changing the
    identity replaces a fictitious demo identity: it is no longer marked as such.

    Issued documents keep the identity they froze; the next quote sent or invoice issued
    prints the new one."""
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise ValueError(f"not a settings field: {', '.join(sorted(unknown))}")
    capital = fields.get("share_capital")
    if capital is not None and Decimal(str(capital)) < 0:
        raise ValidationError({"share_capital": _("Le capital social ne peut pas être négatif.")})
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    changes = dict(fields)
    if logo is not None:
        _checked_logo(logo)
        changes["logo"] = logo
    elif remove_logo and seller.logo:
        changes["logo"] = ""
    if seller.demo_identity and any(
        name in IDENTITY_FIELDS and getattr(seller, name) != value
        for name, value in changes.items()
    ):
        changes["demo_identity"] = False
    save_changes(
        instance=seller, fields=changes, by=by, seller=seller, verb="seller.settings_updated"
    )
    return seller


@transaction.atomic
def set_staff_role(*, seller: Seller, user, role: str, by: Actor) -> StaffMembership:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("rôle inconnu %(role)r ; possibles : %(roles)s")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    membership, created = StaffMembership.objects.select_for_update().get_or_create(
        user=user, seller=seller, defaults={"role": role}
    )
    if created or membership.role != role:
        before = None if created else {"role": membership.role}
        membership.role = role
        membership.save()
        record_event(
            actor=by,
            seller=seller,
            obj=membership,
            verb="staff.role_set",
            before=before,
            after={"user": user.get_username(), "role": role},
        )
    return membership
