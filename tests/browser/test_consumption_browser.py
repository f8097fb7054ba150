"""A client follows its usage in the portal, in Chromium: from "Ma consommation" to its
subscription's page, the estimate of the period so far, a bar chart per meter drawn on the
server (SVG, one bar per day) and a "Pourquoi ?" that opens the rating's explanation."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clausier.metering import services, usage
from clausier.metering.domain import PARIS
from tests.factories import PASSWORD, make_client, make_contact
from tests.factories.metering import active_subscription, meter
from tests.factories.orders import install_paas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_client_sees_its_consumption_and_why(live_server, page):
    paas = install_paas()
    company = make_client(paas, "company", name="Studio Graphique Loire SARL", siren="732829320")
    lucie = make_contact(company, name="Lucie Loire")
    sub = active_subscription(paas, company)
    builds = meter(paas, "build-minutes", name="Minutes de build", unit="minute")
    services.add_meter_price(
        meter=builds,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, D("0.05"))],
        by=None,
        free_allowance=D(10),
    )
    now = timezone.now()
    period = usage.month_of(now)
    events = []
    for day in period.days:
        start = max(datetime(day.year, day.month, day.day, tzinfo=PARIS), period.start)
        events.append(
            {
                "id": f"b-{day.isoformat()}",
                "subscription": sub.external_id,
                "meter": "build-minutes",
                "timestamp": (start + (now - start) / 2).isoformat(),
                "value": str(5 * day.day),
            }
        )
    assert services.ingest(seller=paas, events=events, by=None).accepted == len(events)

    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(lucie.user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation").get_by_role("link", name="Ma consommation").click()
    expect(page.locator("h1")).to_have_text("Ma consommation")
    page.get_by_role("link", name=sub.external_id).click()

    expect(page.locator("h1")).to_contain_text(f"Consommation de l'abonnement {sub.external_id}")
    chart = page.get_by_role("img", name="Minutes de build par jour (minute)")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.usage-chart__bar")).to_have_count(len(period.days))
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 200

    row = page.locator("#meter-build-minutes")
    why = row.locator("details.why").nth(1)  # the amount HT's
    expect(why.locator(".why__body")).not_to_be_visible()
    why.locator("summary").click()
    expect(why.locator(".why__body")).to_be_visible()
    expect(why.locator(".why__body")).to_contain_text("montant HT de la période")
