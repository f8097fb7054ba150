"""The order state tables and the pure waiting reasons."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from clausier.kernel.errors import InvalidTransition
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.orders.models import DepositStatus, OrderStatus

DEPOSIT = domain.DepositFacts(
    status=t.REQUESTED,
    rate=Decimal("0.30"),
    base_ht=Decimal("5000.00"),
    amount=Decimal("1500.00"),
    clause_id="payment.deposit",
    article="art. 5",
    terms_label="v3.0",
)


def test_the_tables_cover_every_status():
    assert set(t.TRANSITIONS) == set(OrderStatus.values)
    assert set(t.DEPOSIT_TRANSITIONS) == set(DepositStatus.values)


@pytest.mark.parametrize(
    "path",
    [
        [t.AWAITING_DEPOSIT, t.READY, t.IN_PROGRESS, t.COMPLETED],
        [t.DRAFT, t.CONFIRMED, t.AWAITING_PAYMENT, t.PAID, t.ACTIVE, t.COMPLETED],
        [t.AWAITING_PAYMENT, t.CANCELLED],  # a rejected payment cancels the order
    ],
    ids=["agency", "online", "payment_failed"],
)
def test_both_flows_run_through_the_table(path):
    for current, target in itertools.pairwise(path):
        t.check(label="Commande", current=current, target=target)


def test_work_cannot_skip_the_deposit():
    with pytest.raises(InvalidTransition):
        t.check(label="Commande", current=t.AWAITING_DEPOSIT, target=t.IN_PROGRESS)


def test_the_refusal_to_start_work_cites_the_clause_and_the_amount():
    assert domain.work_start_refusal(status=t.AWAITING_DEPOSIT, deposit=DEPOSIT) == (
        "Travaux impossibles à démarrer, en attente d'acompte : art. 5 CGV v3.0, "
        "30\u202f% du total HT (1\u202f500,00\u00a0€) à encaisser avant le début des travaux."
    )
    assert domain.work_start_refusal(status=t.READY, deposit=None) is None


def test_a_deposit_clears_work_once_cashed_or_invoiced_when_the_terms_say_so():
    assert not domain.deposit_clears_work(DEPOSIT)
    assert domain.deposit_clears_work(replace(DEPOSIT, status=t.CASHED, cashed_on=date(2026, 5, 1)))
    invoiced = replace(DEPOSIT, status=t.INVOICED)
    assert not domain.deposit_clears_work(invoiced)
    assert domain.deposit_clears_work(replace(invoiced, work_starts_after="deposit_invoiced"))
    assert "à facturer" in str(
        domain.awaiting_deposit_sentence(replace(DEPOSIT, work_starts_after="deposit_invoiced"))
    )


def test_online_orders_say_what_they_wait_for():
    reason = domain.waiting_reason(status=t.AWAITING_PAYMENT, terms_label="v1.1", deposit=None)
    assert (reason.waiting, reason.why, reason.terms) == (
        True,
        "en attente du paiement du client",
        "v1.1",
    )
