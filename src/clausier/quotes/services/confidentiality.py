"""Who may read a quote and its specification (seed 002 art. 9): the confidential flag and
the staff named on it. Changed by the owner or a person already named; audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.errors import DomainError
from clausier.quotes.models import Quote
from clausier.sellers import confidentiality


@transaction.atomic
def set_confidentiality(
    *, quote: Quote, confidential: bool, staff_ids: Iterable[int], by: Actor
) -> Quote:
    """Flag ``quote`` confidential (or not) and name the staff who may read it."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if refusal := confidentiality.change_refusal(quote, by=by):
        raise DomainError(refusal)
    staff = confidentiality.named_staff(
        seller_id=quote.seller_id, user_ids=staff_ids, by=by, confidential=bool(confidential)
    )
    before = confidentiality.audit_state(quote)
    quote.confidential = bool(confidential)
    quote.save(update_fields=["confidential", "updated_at"])
    quote.confidential_staff.set(staff)
    after = confidentiality.audit_state(quote)
    if after != before:
        record_on(
            obj=quote,
            actor=by,
            verb="quote.confidentiality_changed",
            before=before,
            after=after,
        )
    return quote
