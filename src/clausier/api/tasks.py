"""Background jobs of the API shell (django.tasks, worked by ``clausier db_worker``)."""

from __future__ import annotations

from django.tasks import task

from clausier.api.idempotency import purge_expired


@task
def purge_idempotency_keys() -> dict[str, int]:
    """Delete the idempotency keys past their lifetime (ignored anyway: this reclaims
    space). Idempotent."""
    return {"deleted": purge_expired()}
