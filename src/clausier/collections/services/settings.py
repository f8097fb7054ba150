"""A seller's penalty settings: a penalty invoice issued by itself when a late invoice is
paid in full, or only on demand. One row per seller, locked while it changes, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.collections.models import PenaltyInvoicing, PenaltySettings
from clausier.kernel.actor import Actor
from clausier.sellers.models import Seller


@transaction.atomic
def set_penalty_invoicing(*, seller: Seller, invoicing: str, by: Actor) -> PenaltySettings:
    """``seller``'s penalty invoices become ``invoicing`` (:class:`PenaltyInvoicing`).
    Idempotent: the same choice again writes nothing."""
    if invoicing not in PenaltyInvoicing.values:
        raise ValidationError(
            {
                "invoicing": _("choisissez automatique ou à la demande, pas %(value)s")
                % {"value": invoicing}
            }
        )
    Seller.objects.select_for_update().filter(pk=seller.pk).first()
    found, _created = PenaltySettings.objects.get_or_create(seller=seller)
    if found.invoicing == invoicing:
        return found
    before = found.invoicing
    found.invoicing = invoicing
    found.updated_by = acting_user(by=by)
    found.save()
    record_on(
        obj=found,
        actor=by,
        verb="penalty_settings.changed",
        before={"invoicing": before},
        after={"invoicing": invoicing},
    )
    return found
