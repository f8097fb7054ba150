"""An MTA retrying while the first delivery is still being written: the same message sent by
four processes at once to one mailbox is stored once, and every delivery is answered as
received (PostgreSQL: the second insert waits on the unique index, then finds the first)."""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connections

from clausier.inbox.models import InboundMessage
from clausier.kernel.processes import django_pool
from tests.factories.inbox import eml, make_mailbox

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

PROCESSES = 4


def _deliver(raw: bytes, address: str, barrier, results) -> None:
    """Run in a child process: deliver ``raw`` once, report what the service answered."""
    from clausier.inbox import services

    try:
        barrier.wait(timeout=120)
        receipt = services.receive(raw=raw, source="lmtp", recipients=[address], by=None)
        results.put((receipt.message.pk, receipt.duplicate, str(receipt.message.status)))
    finally:
        connections.close_all()


def test_the_same_message_delivered_by_four_processes_at_once_is_stored_once(seller):
    mailbox = make_mailbox(seller)
    raw = eml("attachments")
    with django_pool(PROCESSES) as pool, multiprocessing.get_context("spawn").Manager() as sync:
        barrier, results = sync.Barrier(PROCESSES), sync.Queue()
        workers = [
            pool.apply_async(_deliver, (raw, mailbox.address, barrier, results))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.get(timeout=300)  # a worker's error is raised here
        answers = [results.get(timeout=30) for _ in workers]

    message = InboundMessage.objects.get()
    assert {pk for pk, _, _ in answers} == {message.pk}
    assert sorted(duplicate for _, duplicate, _ in answers) == [False, True, True, True]
    assert message.status == "parsed"
    assert message.attachments.count() == 2
