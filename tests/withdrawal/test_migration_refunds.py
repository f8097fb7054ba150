"""Migration withdrawal/0002: the withdrawal's own "refund sent" mark gave way to payments'
refund rows. A refund staff had marked sent on the withdrawal before the migration is carried
to payments' rows (day and bank reference), so that it never reads as owed and overdue."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clausier.payments.models import Refund
from clausier.withdrawal import selectors
from clausier.withdrawal import transitions as t
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered

BEFORE = [("withdrawal", "0001_initial")]
AFTER = [("withdrawal", "0002_refund_read_from_payments")]


@pytest.mark.django_db(transaction=True)
def test_a_refund_marked_sent_on_the_withdrawal_stays_sent(paas, paas_consumer, paas_staff):
    sent = concluded_order(
        paas, paas_consumer, concluded_at=paris(2026, 5, 4, 10, 10), reference="ch_w1"
    )
    owed = concluded_order(
        paas, paas_consumer, concluded_at=paris(2026, 5, 4, 11, 10), reference="ch_w2"
    )
    now = paris(2026, 6, 30, 12, 0)
    marked = registered(sent, received_on=date(2026, 5, 11), by=paas_staff, now=now)
    still_owed = registered(owed, received_on=date(2026, 5, 11), by=paas_staff, now=now)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("withdrawal", "WithdrawalRequest")
    old.objects.filter(pk=marked.pk).update(
        refund_status="sent", refund_sent_on=date(2026, 5, 20), refund_reference="VIR-2026-0520"
    )
    old.objects.filter(pk=still_owed.pk).update(refund_status="owed")
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    [refund] = Refund.objects.filter(payment__order=sent)
    assert (refund.status, refund.sent_on, refund.reference) == (
        "sent",
        date(2026, 5, 20),
        "VIR-2026-0520",
    )
    assert Refund.objects.get(payment__order=owed).status == "owed"
    read = selectors.with_refund(type(marked).objects.filter(pk__in=[marked.pk, still_owed.pk]))
    assert {w.pk: (w.refund_status, w.refund_sent_on) for w in read} == {
        marked.pk: (t.SENT, date(2026, 5, 20)),
        still_owed.pk: (t.OWED, None),
    }
