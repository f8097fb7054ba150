"""Reads of prepaid credits: a client's balance on a date, explained, and what the billing
run may draw from it (``credit_available``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Sum

from clausier.customers.models import Client
from clausier.metering.models import CreditAccount, CreditEntry, CreditKind
from clausier.rules.explain import Explained, Step
from clausier.rules.money import ZERO
from clausier.rules.wording import Euros, words


@dataclass(frozen=True)
class CreditBalance:
    account: CreditAccount | None
    balance: Explained  # value: Decimal, HT
    threshold: Decimal


def account_of(*, client: Client) -> CreditAccount | None:
    return CreditAccount.objects.filter(client=client, seller_id=client.seller_id).first()


def _sums(account: CreditAccount, on: datetime) -> dict[str, Decimal]:
    rows = (
        CreditEntry.objects.filter(account=account, at__lte=on)
        .values("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["kind"]: Decimal(row["total"]) for row in rows}


def balance_of(*, client: Client, on: datetime) -> CreditBalance:
    """The client's credits on ``on``: bought and granted, less what consumption drew."""
    account = account_of(client=client)
    if account is None:
        return CreditBalance(None, Explained(value=ZERO, rule="credit_balance"), ZERO)
    sums = _sums(account, on)
    bought = sums.get(CreditKind.PURCHASE, ZERO)
    granted = sums.get(CreditKind.GRANT, ZERO)
    drawn = -sums.get(CreditKind.DRAWDOWN, ZERO)
    balance = bought + granted - drawn
    steps = (
        Step(words("crédits achetés : {amount}", amount=Euros(bought)), bought),
        Step(words("crédits offerts : {amount}", amount=Euros(granted)), granted),
        Step(words("consommation déjà déduite : {amount}", amount=Euros(drawn)), drawn),
        Step(words("solde HT = {amount}", amount=Euros(balance)), balance),
    )
    explained = Explained(value=balance, rule="credit_balance", inputs={"on": on}, steps=steps)
    return CreditBalance(account, explained, account.low_balance_threshold)


def credit_available(client: Client, on: datetime) -> Decimal:
    """What the billing run may draw for ``client`` on ``on`` (HT, never negative)."""
    return max(balance_of(client=client, on=on).balance.value, ZERO)
