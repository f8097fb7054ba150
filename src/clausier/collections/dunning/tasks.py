"""The daily dunning run: each seller's due steps queued (idempotent: a step already queued
for an invoice is never queued again), and the reminders sent at once for the sellers who
chose it (formal notices always stay for staff)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.tasks import task

from clausier.collections.dunning import services
from clausier.collections.dunning_models import DunningNotice, NoticeStatus, StepKind
from clausier.kernel.errors import DomainError
from clausier.sellers.models import Seller

logger = logging.getLogger("clausier.collections")


@task
def queue_dunning() -> int:
    """Queue the steps due today for every seller; send the reminders of the sellers whose
    plan sends them by itself. Returns how many notices were queued."""
    on = services.today_in_paris()
    count = 0
    for seller in Seller.objects.order_by("pk").iterator():
        count += len(services.queue_due(seller=seller, on=on))
        _send_automatic(seller)
    return count


def _send_automatic(seller: Seller) -> None:
    plan = getattr(seller, "dunning_plan", None)
    if plan is None or not plan.auto_send_reminders:
        return
    queued = DunningNotice.objects.filter(seller=seller, status=NoticeStatus.QUEUED).exclude(
        kind=StepKind.FORMAL_NOTICE
    )
    for notice in queued:
        try:
            services.send_notice(notice=notice, by=None)
        except (DomainError, ValidationError, OSError) as error:  # stays queued, for staff
            logger.warning("dunning notice %s not sent: %s", notice.pk, error)
