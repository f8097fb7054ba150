"""Who may read a quote and its specification (seed 002 art. 9): the confidential flag and
the staff named on it. Changed by the owner or a person already named; audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from clausier.kernel.actor import Actor
from clausier.quotes.models import Quote
from clausier.sellers import confidentiality


@transaction.atomic
def set_confidentiality(
    *, quote: Quote, confidential: bool, staff_ids: Iterable[int], by: Actor
) -> Quote:
    """Flag ``quote`` confidential (or not) and name the staff who may read it."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    return confidentiality.change(
        quote,
        confidential=confidential,
        staff_ids=staff_ids,
        by=by,
        verb="quote.confidentiality_changed",
    )
