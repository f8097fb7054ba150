"""Writes on sellers and their staff."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_event, save_changes
from clausier.kernel.actor import Actor
from clausier.kernel.inputs import compact_identifier
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
        record_event(actor=by, seller=seller, obj=seller, verb="seller.created", after=fields)
        return seller
    save_changes(instance=seller, fields=fields, by=by, seller=seller, verb="seller.updated")
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
