"""The SLA warnings task: 50, 80 and 100 % of each target recorded and e-mailed once each,
to the assigned agent (else the seller's support address); nothing for a met target."""

import pytest

from clausier.support import alerts, services
from clausier.support.models import SlaWarning
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def test_warnings_once_each_as_the_clock_runs(open_ticket, agent, smtp_server):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))  # GTI 12:00, GTR 14:00
    services.assign(ticket=ticket, agent=agent, by=agent)
    assert alerts.warn_sla.call(now=paris(2026, 6, 3, 10, 30).isoformat()) == 0
    # 11:00: half the GTI; 12:00 GTI reached (50, 80, 100) and half the GTR.
    assert alerts.warn_sla.call(now=paris(2026, 6, 3, 11, 0).isoformat()) == 1
    assert alerts.warn_sla.call(now=paris(2026, 6, 3, 11, 0).isoformat()) == 0
    assert alerts.warn_sla.call(now=paris(2026, 6, 3, 12, 0).isoformat()) == 3
    levels = sorted(SlaWarning.objects.values_list("target", "level"))
    assert levels == [
        ("intervention", 50),
        ("intervention", 80),
        ("intervention", 100),
        ("repair", 50),
    ]
    messages = smtp_server.inbox.messages
    assert len(messages) == 4
    assert {tuple(m.rcpt_tos) for m in messages} == {("agent@clever.example",)}
    assert "[#T-2026-000001]" in messages[0].message["Subject"]


def test_a_met_target_warns_no_more(open_ticket, agent, smtp_server):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    services.apply_action(
        ticket=ticket, action="acknowledge", by=agent, at=paris(2026, 6, 3, 10, 10)
    )
    alerts.warn_sla.call(now=paris(2026, 6, 3, 12, 30).isoformat())
    assert list(SlaWarning.objects.values_list("target", "level")) == [("repair", 50)]
    [message] = smtp_server.inbox.messages
    assert message.rcpt_tos == ["support@clever-cloud.com"]
