"""Who may read a contract (seed 002 art. 9): the confidential flag and the staff named on
it. Changed by the owner or a person already named; audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from clausier.audit.services import record_on
from clausier.contracts.models import Contract
from clausier.kernel.actor import Actor
from clausier.kernel.errors import DomainError
from clausier.sellers import confidentiality


@transaction.atomic
def set_confidentiality(
    *, contract: Contract, confidential: bool, staff_ids: Iterable[int], by: Actor
) -> Contract:
    """Flag ``contract`` confidential (or not) and name the staff who may read it."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if refusal := confidentiality.change_refusal(contract, by=by):
        raise DomainError(refusal)
    staff = confidentiality.named_staff(
        seller_id=contract.seller_id, user_ids=staff_ids, by=by, confidential=bool(confidential)
    )
    before = confidentiality.audit_state(contract)
    contract.confidential = bool(confidential)
    contract.save(update_fields=["confidential", "updated_at"])
    contract.confidential_staff.set(staff)
    after = confidentiality.audit_state(contract)
    if after != before:
        record_on(
            obj=contract,
            actor=by,
            verb="contract.confidentiality_changed",
            before=before,
            after=after,
        )
    return contract
