"""Who may read a contract (seed 002 art. 9): the confidential flag and the staff named on
it. Changed by the owner or a person already named; audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from clausier.contracts.models import Contract
from clausier.kernel.actor import Actor
from clausier.sellers import confidentiality


@transaction.atomic
def set_confidentiality(
    *, contract: Contract, confidential: bool, staff_ids: Iterable[int], by: Actor
) -> Contract:
    """Flag ``contract`` confidential (or not) and name the staff who may read it."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    return confidentiality.change(
        contract,
        confidential=confidential,
        staff_ids=staff_ids,
        by=by,
        verb="contract.confidentiality_changed",
    )
