"""The live consumption: the current period (calendar month, Paris) so far, per meter its
quantity and amounts HT/TTC as the rating gives them, a bar per day in a server-drawn SVG; in
the portal (a client sees its own subscriptions only) and on the subscription's back-office
page."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.metering import chart, services, usage
from clausier.metering.domain import PARIS
from clausier.metering.models import UsageEvent
from clausier.metering.rating import rate_subscription
from clausier.rules.money import ROUND_HALF_UP
from tests.factories import make_contact
from tests.factories.metering import active_subscription, meter

pytestmark = pytest.mark.django_db


def test_one_bar_per_day_scaled_to_the_largest_day():
    days = [(date(2026, 11, d), D(q)) for d, q in ((1, "10"), (2, "0"), (3, "40"), (4, "20"))]

    drawn = chart.bar_chart(days)

    assert [b.day for b in drawn.bars] == [d for d, _ in days]
    assert [b.height for b in drawn.bars] == [
        D(chart.PLOT_HEIGHT) * D("0.25"),
        D(0),
        D(chart.PLOT_HEIGHT),
        D(chart.PLOT_HEIGHT) / 2,
    ]
    # every bar stands on the baseline, the bars do not overlap
    assert {b.y + b.height for b in drawn.bars} == {D(chart.TOP + chart.PLOT_HEIGHT)}
    assert all(a.x + a.width < b.x for a, b in zip(drawn.bars, drawn.bars[1:], strict=False))
    assert [t.quantity for t in drawn.ticks] == [D("0.00"), D("20.00"), D("40.00")]
    assert chart.bar_chart([(date(2026, 11, 1), D(0))]).bars[0].height == 0


def test_the_period_is_the_paris_calendar_month_so_far():
    now = datetime(2026, 11, 30, 23, 30, tzinfo=PARIS)  # 22:30 UTC, still November in Paris
    period = usage.month_of(now)
    assert period.start == datetime(2026, 11, 1, tzinfo=PARIS)
    assert period.end == datetime(2026, 12, 1, tzinfo=PARIS)
    assert period.until == now
    assert len(period.days) == 30
    december = usage.month_of(datetime(2026, 12, 31, 23, 30, tzinfo=PARIS))
    assert december.end == datetime(2027, 1, 1, tzinfo=PARIS)


def _store(sub, meter_, rows):
    UsageEvent.objects.bulk_create(
        UsageEvent(
            seller_id=sub.seller_id,
            event_id=f"{sub.pk}-{meter_.code}-{n}",
            subscription=sub,
            meter=meter_,
            timestamp=when,
            value=D(value),
            properties={},
            received_at=when,
        )
        for n, (when, value) in enumerate(rows)
    )


@pytest.fixture
def metered(paas, paas_company):
    """The company's subscription, a priced ``sum`` meter with a free allowance, and events
    on each day of the current period so far (day n: n × 10 GB), plus one last month."""
    sub = active_subscription(paas, paas_company)
    bandwidth = meter(paas, "bandwidth-gb", name="Bande passante", unit="Go")
    services.add_meter_price(
        meter=bandwidth,
        effective_from=date(2026, 1, 1),
        scheme="graduated",
        tiers=[(D(100), D(0)), (None, D("0.05"))],
        by=None,
    )
    now = timezone.now()
    period = usage.month_of(now)
    rows = []
    for day in period.days:
        start = max(datetime(day.year, day.month, day.day, tzinfo=PARIS), period.start)
        rows.append(
            (start + (now - start) / 2 if day == period.days[-1] else start, str(10 * day.day))
        )
    rows.append((period.start - timedelta(hours=1), "5000"))
    _store(sub, bandwidth, rows)
    return sub, bandwidth, period


def test_the_days_add_up_to_the_rated_quantity(metered):
    sub, bandwidth, period = metered
    consumption = usage.current_consumption(subscription=sub, now=period.until)

    (line,) = [m for m in consumption.meters if m.usage.meter == bandwidth]
    assert [q for _day, q in line.usage.days] == [D(10 * d.day) for d in period.days]
    rated = rate_subscription(subscription=sub, start=period.start, end=period.until)
    assert line.line.quantity == sum(D(10 * d.day) for d in period.days)
    assert line.line.amount == rated.lines[0].amount == consumption.total_ht
    expected_ttc = consumption.total_ht + (consumption.total_ht * D("0.20")).quantize(
        D("0.01"), ROUND_HALF_UP
    )
    assert consumption.vat_rate == D("0.20")
    assert consumption.totals.value.total_ttc == expected_ttc
    assert line.ttc.value.total_ttc == expected_ttc


def _svg_heights(html: str, code: str) -> list[D]:
    svg = re.search(rf'<svg[^>]*data-meter="{code}".*?</svg>', html, re.S).group(0)
    return [
        D(h) for h in re.findall(r'<rect class="usage-chart__bar"[^>]* height="([0-9.]+)"', svg)
    ]


def test_the_client_sees_its_consumption_with_the_chart(client, metered, paas_company):
    sub, _bandwidth, period = metered
    contact = make_contact(paas_company, name="Lucie Loire")
    client.force_login(contact.user)

    listing = client.get(reverse("portal:consumption"))
    assert listing.status_code == 200
    assert sub.external_id in listing.content.decode()

    page = client.get(reverse("portal:consumption_subscription", args=[sub.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    consumption = usage.current_consumption(subscription=sub, now=timezone.now())
    heights = _svg_heights(html, "bandwidth-gb")
    assert len(heights) == len(period.days)
    top = max(10 * d.day for d in period.days)
    assert heights == [
        (D(10 * d.day) / top * chart.PLOT_HEIGHT).quantize(chart.GEOMETRY, ROUND_HALF_UP)
        for d in period.days
    ]
    assert '<title id="chart-bandwidth-gb-title">' in html
    assert '<desc id="chart-bandwidth-gb-desc">' in html
    assert html.count("Pourquoi ?") >= 5
    assert "Estimation HT" in html
    assert "Estimation TTC" in html
    shown = f"{consumption.total_ht:.2f}".replace(".", ",")
    assert shown in html


def test_another_clients_subscription_is_a_404(client, metered, paas):
    from tests.factories import make_client

    sub, _meter, _period = metered
    other = make_client(paas, "company", name="Autre SARL")
    contact = make_contact(other, name="Oscar Autre")
    client.force_login(contact.user)

    assert client.get(reverse("portal:consumption_subscription", args=[sub.pk])).status_code == 404
    assert sub.external_id not in client.get(reverse("portal:consumption")).content.decode()


def test_the_subscription_page_shows_the_consumption_to_staff(client, metered, paas, paas_staff):
    sub, _meter, period = metered
    client.force_login(paas_staff)
    page = client.get(reverse("backoffice:subscription", args=[paas.slug, sub.pk]))
    assert page.status_code == 200
    assert len(_svg_heights(page.content.decode(), "bandwidth-gb")) == len(period.days)
