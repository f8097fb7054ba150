"""The low-balance e-mail of prepaid credits, a daily task: when the estimated consumption of
the client's current period (HT, its active subscriptions rated so far) exceeds its balance
less its threshold, the client's billing contacts are warned, once per crossing (the warning
is forgotten once the balance is back above the threshold)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clausier.customers.selectors import document_language
from clausier.documents.email import send_email
from clausier.metering import credits, usage
from clausier.metering.models import CreditAccount, Subscription, SubscriptionStatus
from clausier.metering.services.credits import record_low_balance_warning
from clausier.rules.formats import format_eur
from clausier.rules.money import ZERO


def _recipients(client) -> list[str]:
    emails = [c.email for c in client.contacts.filter(is_billing=True).order_by("id") if c.email]
    return emails or [client.email]


def estimated_consumption(*, client, now: datetime) -> Decimal:
    """The client's active subscriptions' current periods so far, HT."""
    subs = list(
        Subscription.objects.filter(client=client, status=SubscriptionStatus.ACTIVE)
        .select_related("seller", "offer")
        .order_by("pk")
    )
    return sum((e.total_ht for e in usage.estimates(subscriptions=subs, now=now).values()), ZERO)


def _body(client, *, estimate: Decimal, balance: Decimal, threshold: Decimal, language: str) -> str:
    link = settings.BASE_URL + reverse("portal:consumption")
    return "\n\n".join(
        [
            _("Bonjour,"),
            _(
                "La consommation estimée de votre période en cours (%(estimate)s HT) dépasse "
                "votre solde de crédits prépayés (%(balance)s HT) diminué de votre seuil "
                "d'alerte (%(threshold)s HT). Au-delà du solde, la consommation est facturée."
            )
            % {
                "estimate": format_eur(estimate, language),
                "balance": format_eur(balance, language),
                "threshold": format_eur(threshold, language),
            },
            _("Le détail, avec son calcul, est dans votre espace client : %(link)s")
            % {"link": link},
            str(client.seller),
        ]
    )


def check_account(account: CreditAccount, *, now: datetime) -> bool:
    """Warn ``account``'s client if its consumption crossed the threshold and it was not
    warned yet; forget the warning once back above. True if an e-mail left."""
    client = account.client
    estimate = estimated_consumption(client=client, now=now)
    balance = credits.balance_of(client=client, on=now)
    crossed = estimate > balance.balance.value - account.low_balance_threshold
    if not crossed:
        if account.low_balance_warned_at is not None:
            record_low_balance_warning(account=account, warned_at=None)
        return False
    if account.low_balance_warned_at is not None:
        return False
    to = _recipients(client)
    language = document_language(client=client)
    with translation.override(language):
        subject = _("Vos crédits prépayés arrivent à leur seuil d'alerte")
        body = _body(
            client,
            estimate=estimate,
            balance=balance.balance.value,
            threshold=account.low_balance_threshold,
            language=language,
        )
    send_email(to=to, subject=subject, body=body)
    record_low_balance_warning(account=account, warned_at=now, to=to)
    return True


@task
def warn_low_balances(now: str | None = None) -> int:
    """Daily: every credit account checked; returns how many e-mails left."""
    at = datetime.fromisoformat(now) if now else timezone.now()
    accounts = CreditAccount.objects.select_related("client", "client__seller").order_by("pk")
    return sum(check_account(account, now=at) for account in accounts)
