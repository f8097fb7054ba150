"""Prepaid credits: granted or bought by staff (audited), drawn once per subscription and
period before the rest is invoiced, the balance explained in the portal, and the low-balance
e-mail sent once per crossing through the real SMTP server."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.metering import alerts, credits, services, usage
from clausier.metering.models import CreditEntry, UsageEvent
from tests.factories import make_contact
from tests.factories.metering import active_subscription, meter

pytestmark = pytest.mark.django_db


def test_a_client_without_credits_has_none(paas_company):
    assert credits.credit_available(paas_company, timezone.now()) == 0
    assert credits.balance_of(client=paas_company, on=timezone.now()).account is None


def test_credits_granted_then_drawn_once_per_reference(paas_company):
    t0 = timezone.now() - timedelta(days=2)
    services.grant_credit(
        client=paas_company, amount=D("50.00"), reason="Offre de bienvenue", by=None, now=t0
    )
    services.grant_credit(
        client=paas_company, amount=D("20.00"), reason="Achat", kind="purchase", by=None, now=t0
    )
    assert credits.credit_available(paas_company, t0 - timedelta(seconds=1)) == 0
    assert credits.credit_available(paas_company, timezone.now()) == D("70.00")

    drawn = services.draw_credit(
        client=paas_company, amount=D("45.50"), reference="ch_sub/2026-11", by=None
    )
    again = services.draw_credit(
        client=paas_company, amount=D("45.50"), reference="ch_sub/2026-11", by=None
    )
    rest = services.draw_credit(
        client=paas_company, amount=D("100"), reference="ch_sub/2026-12", by=None
    )

    assert (drawn, again, rest) == (D("45.50"), D("45.50"), D("24.50"))
    assert credits.credit_available(paas_company, timezone.now()) == 0
    assert CreditEntry.objects.filter(kind="drawdown").count() == 2
    balance = credits.balance_of(client=paas_company, on=timezone.now()).balance
    assert [s.value for s in balance.steps] == [D("20.00"), D("50.00"), D("70.00"), D("0.00")]
    verbs = set(Event.objects.values_list("verb", flat=True))
    assert {"credits.granted", "credits.drawn"} <= verbs


@pytest.mark.parametrize("amount", ["0", "-5", "1.005", "abc"])
def test_a_grant_needs_a_positive_amount_to_the_cent(paas_company, amount):
    with pytest.raises(ValidationError) as refused:
        services.grant_credit(client=paas_company, amount=amount, reason="x", by=None)
    assert "amount" in refused.value.message_dict
    assert not CreditEntry.objects.exists()


def test_a_grant_needs_a_reason(paas_company):
    with pytest.raises(ValidationError) as refused:
        services.grant_credit(client=paas_company, amount=D("5"), reason="  ", by=None)
    assert "reason" in refused.value.message_dict


@pytest.fixture
def consuming(paas, paas_company):
    """The company's subscription: 1,000 build minutes at 0.05 € this period (50 € HT)."""
    sub = active_subscription(paas, paas_company)
    builds = meter(paas, "build-minutes", name="Minutes de build", unit="minute")
    services.add_meter_price(
        meter=builds,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("0.05"))],
        by=None,
    )
    now = timezone.now()
    start = usage.month_of(now).start
    UsageEvent.objects.create(
        seller=paas,
        event_id="b-1",
        subscription=sub,
        meter=builds,
        timestamp=start + (now - start) / 2,
        value=D(1000),
        received_at=now,
    )
    return sub


def test_the_low_balance_email_leaves_once_per_crossing(
    paas_company, consuming, smtp_server, settings
):
    settings.DEFAULT_FROM_EMAIL = "facturation@paas.example"
    make_contact(paas_company, name="Lucie Loire", email="lucie@loire.example")
    now = timezone.now()
    services.grant_credit(client=paas_company, amount=D("80.00"), reason="Achat", by=None, now=now)
    services.set_low_balance_threshold(client=paas_company, threshold=D("40.00"), by=None)
    assert alerts.estimated_consumption(client=paas_company, now=now) == D("50.00")

    # 50 > 80 - 40: crossed, one e-mail; the next days, nothing more
    assert alerts.warn_low_balances.call() == 1
    assert alerts.warn_low_balances.call() == 0
    [received] = smtp_server.inbox.messages
    assert received.rcpt_tos == ["lucie@loire.example"]
    body = received.message.get_content()
    assert "50,00" in body
    assert "80,00" in body

    # credits bought: back above the threshold (50 <= 130 - 40), the warning is forgotten...
    services.grant_credit(client=paas_company, amount=D("50.00"), reason="Achat", by=None)
    assert alerts.warn_low_balances.call() == 0
    # ...so that the next crossing warns again
    services.set_low_balance_threshold(client=paas_company, threshold=D("100.00"), by=None)
    assert alerts.warn_low_balances.call() == 1
    assert len(smtp_server.inbox.messages) == 2


def test_the_portal_shows_the_balance_explained(client, paas_company, consuming):
    services.grant_credit(client=paas_company, amount=D("80.00"), reason="Achat", by=None)
    contact = make_contact(paas_company, name="Lucie Loire")
    client.force_login(contact.user)
    html = client.get(reverse("portal:consumption")).content.decode()
    assert "Crédits prépayés" in html
    assert "80,00" in html
    assert "solde HT = 80,00" in html.replace("\u00a0", " ").replace("\u202f", " ")


def test_staff_add_credits_on_the_subscription_page(client, paas, paas_staff, consuming):
    client.force_login(paas_staff)
    url = reverse("backoffice:subscription_credit", args=[paas.slug, consuming.pk])

    refused = client.post(url, {"kind": "grant", "amount": "0", "reason": "Geste"})
    assert refused.status_code == 400
    assert not CreditEntry.objects.exists()

    done = client.post(url, {"kind": "grant", "amount": "25.00", "reason": "Geste commercial"})
    assert done.status_code == 302
    entry = CreditEntry.objects.get()
    assert (entry.kind, entry.amount, entry.reason) == ("grant", D("25.00"), "Geste commercial")
    assert Event.objects.filter(verb="credits.granted", actor=paas_staff).exists()
    page = client.get(reverse("backoffice:subscription", args=[paas.slug, consuming.pk]))
    assert "Crédits prépayés" in page.content.decode()
