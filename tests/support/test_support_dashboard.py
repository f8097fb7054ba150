"""The agents' dashboard: per month, the tickets under a service level, the breaches and the
median times to intervene and to repair, with server-drawn SVG bar charts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.support import dashboard, services
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def test_the_months_figures_and_their_bars():
    def row(day, breached, gti, gtr):
        return dashboard.TicketTimes(
            opened_at=paris(2026, 9, day, 10),
            month=date(2026, 9, 1),
            breached=breached,
            intervention=gti,
            repair=gtr,
        )

    rows = [row(1, False, 10, 60), row(2, True, 45, None), row(3, False, 20, 200)]
    [august, september] = dashboard.months(rows, firsts=[date(2026, 8, 1), date(2026, 9, 1)])
    assert (august.tickets, august.breached, august.median_intervention) == (0, 0, None)
    # GTI: median of 10, 20, 45 = 20; GTR: of 60 and 200 = 130.
    assert (september.tickets, september.breached) == (3, 1)
    assert (september.median_intervention, september.median_repair) == (20, 130)

    chart = dashboard.bar_chart([(date(2026, 8, 1), 0), (date(2026, 9, 1), 4)])
    empty, full = chart.bars
    assert empty.height == 0
    assert full.height == dashboard.PLOT_HEIGHT  # the highest month fills the plot
    assert full.y == dashboard.HEIGHT - dashboard.BOTTOM - dashboard.PLOT_HEIGHT


def test_the_dashboard_page_counts_this_months_breaches(client, paas, agent, open_ticket):
    opened = timezone.now() - timedelta(days=3)
    late = open_ticket(opened, severity="critical")
    services.apply_action(
        ticket=late, action="acknowledge", by=agent, at=opened + timedelta(minutes=45)
    )
    quick = open_ticket(opened, severity="standard")
    services.apply_action(
        ticket=quick, action="acknowledge", by=agent, at=opened + timedelta(minutes=10)
    )
    services.apply_action(ticket=quick, action="resolve", by=agent, at=opened + timedelta(hours=1))
    client.force_login(agent)

    page = client.get(reverse("backoffice:support_dashboard", args=[paas.slug]))

    assert page.status_code == 200
    months = page.context["months"]
    assert len(months) == 6
    this = months[-1] if months[-1].tickets else months[-2]
    # The critical one acknowledged after 45 min (GTI 30 min) and never resolved: breached.
    assert (this.tickets, this.breached) == (2, 1)
    assert (this.median_intervention, this.median_repair) == (28, 60)  # (10 + 45) / 2 = 27.5
    body = page.content.decode()
    assert body.count("<svg") == 3
    assert 'data-chart="breaches"' in body
