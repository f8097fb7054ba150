"""Seed 000 art. 10.1.4: a breached service level credits the client with 50 % (standard) or
75 % (critical) of the mean monthly consumption of its applications over the last three
invoiced months before the incident, once per ticket, as a credit note explained."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clausier.audit.models import Event
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.kernel.errors import Conflict
from clausier.metering import services as metering_services
from clausier.support import domain, selectors, services
from clausier.support.models import SlaPenalty
from tests.factories import make_draft_invoice
from tests.factories.invoicing import vat_line
from tests.factories.metering import active_subscription, meter
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

INCIDENT = paris(2026, 9, 15, 10, 0)  # a Tuesday, in business hours
LATER = paris(2026, 9, 15, 14, 0)  # 4 h later: every clock of a critical ticket has run out


@pytest.fixture
def consumption(paas, paas_company):
    """The company's application (activated 12 May 2026) at 0.10 € HT a request: June 1 000
    requests (100.00 €), July 1 500 (150.00 €), August 1 255 (125.50 €), and 9 000 in
    September, the incident's month (never in the mean)."""
    sub = active_subscription(paas, paas_company)
    requests = meter(paas)
    metering_services.add_meter_price(
        meter=requests,
        effective_from=date(2026, 5, 1),
        scheme="per_unit",
        tiers=[(None, D("0.10"))],
        by=None,
    )
    events = [
        (paris(2026, 6, 10, 12), "1000"),
        (paris(2026, 7, 3, 12), "700"),
        (paris(2026, 7, 28, 12), "800"),
        (paris(2026, 8, 31, 23, 30), "1255"),
        (paris(2026, 9, 2, 12), "9000"),
    ]
    metering_services.ingest(
        seller=paas,
        events=[
            {
                "id": f"evt-{n}",
                "subscription": sub.pk,
                "meter": "requests",
                "timestamp": at.isoformat(),
                "value": value,
            }
            for n, (at, value) in enumerate(events)
        ],
        by=None,
        now=LATER,
    )
    return sub


@pytest.fixture
def invoice(paas, paas_company):
    """The company's latest issued invoice (500 € HT at 20 %), which carries the credit."""
    at = paris(2026, 9, 1, 9, 0)
    draft = make_draft_invoice(paas, paas_company, lines=[vat_line()], now=at)
    return invoicing_services.issue_invoice(invoice=draft, by=None, now=at)


def test_the_months_are_the_last_three_before_the_incidents_month():
    assert domain.months_before(incident=date(2026, 9, 15), count=3, first=date(2026, 5, 12)) == [
        date(2026, 8, 1),
        date(2026, 7, 1),
        date(2026, 6, 1),
    ]
    # A client invoiced since May only: April and before were never invoiced.
    assert domain.months_before(incident=date(2026, 7, 2), count=3, first=date(2026, 5, 12)) == [
        date(2026, 6, 1),
        date(2026, 5, 1),
    ]


def test_the_monthly_consumption_is_rated_by_metering(paas_company, consumption):
    assert selectors.monthly_consumption(client=paas_company, before=INCIDENT, count=3) == {
        "2026-06": D("100.00"),
        "2026-07": D("150.00"),
        "2026-08": D("125.50"),
    }


def test_a_breached_critical_ticket_owes_75_percent_of_the_mean(
    paas_company, agent, open_ticket, consumption, invoice
):
    ticket = open_ticket(INCIDENT, severity="critical")

    penalty = services.assess_penalty(ticket=ticket, by=agent, now=LATER)

    # (100.00 + 150.00 + 125.50) / 3 = 125.1666... ; × 0.75 = 93.875 -> 93.88 (half up)
    assert penalty.amount_ht == D("93.88")
    assert penalty.mean_ht == D("125.17")
    assert penalty.rate == D("0.75")
    assert sorted(penalty.targets) == ["intervention", "repair"]
    assert penalty.months == {"2026-06": "100.00", "2026-07": "150.00", "2026-08": "125.50"}
    assert penalty.explanation["value"] == "93.88"
    assert penalty.explanation["rule"] == "sla_penalty"

    # Invoicing credits it at once against the latest issued invoice, at its VAT rate.
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.corrects_id == invoice.pk
    assert note.is_issued
    assert note.total_ht == D("93.88")
    assert note.total_ttc == D("112.66")  # 93.88 + 20 % (18.776 -> 18.78)
    line = note.lines.get()
    for words in (ticket.reference, "GTI dépassée", "GTR dépassée", "2026-06 : 100.00 € HT"):
        assert words in line.description
    assert "125.17 € HT × 75 % = 93.88 € HT" in line.description
    assert Event.objects.filter(verb="ticket.penalty_assessed", object_id=ticket.pk).exists()


def test_a_breached_standard_ticket_owes_50_percent(
    paas_company, agent, open_ticket, consumption, invoice
):
    ticket = open_ticket(INCIDENT, severity="standard")

    # GTI 2 h in business hours: at 14:00, 4 h after, breached.
    penalty = services.assess_penalty(ticket=ticket, by=agent, now=LATER)

    # 375.50 / 3 × 0.50 = 62.58333... -> 62.58
    assert penalty.amount_ht == D("62.58")
    assert Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE).total_ht == D("62.58")


def test_one_penalty_per_ticket(agent, open_ticket, consumption, invoice):
    ticket = open_ticket(INCIDENT, severity="critical")
    services.assess_penalty(ticket=ticket, by=agent, now=LATER)

    with pytest.raises(Conflict):
        services.assess_penalty(ticket=ticket, by=agent, now=LATER)
    assert SlaPenalty.objects.count() == 1
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_no_penalty_while_the_clocks_hold(agent, open_ticket, consumption, invoice):
    ticket = open_ticket(INCIDENT, severity="standard")

    with pytest.raises(ValidationError) as refused:
        services.assess_penalty(ticket=ticket, by=agent, now=paris(2026, 9, 15, 10, 20))
    assert "ticket" in refused.value.message_dict
    assert not SlaPenalty.objects.exists()


def test_the_clause_may_cap_the_penalty(agent, open_ticket, consumption, invoice):
    ticket = open_ticket(INCIDENT, severity="critical")
    # The cap as the clause states it, frozen on the ticket at opening.
    ticket.sla["penalty"] = {"critical": {"months": 3, "cap": "80.00"}}
    ticket.save(update_fields=["sla"])

    penalty = services.assess_penalty(ticket=ticket, by=agent, now=LATER)

    assert penalty.amount_ht == D("80.00")
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert "plafonnée à 80.00 € HT" in note.lines.get().description


def test_the_clause_may_name_fewer_months(agent, open_ticket, consumption, invoice):
    ticket = open_ticket(INCIDENT, severity="critical")
    ticket.sla["penalty"] = {"critical": {"months": 1, "cap": None}}
    ticket.save(update_fields=["sla"])

    penalty = services.assess_penalty(ticket=ticket, by=agent, now=LATER)

    # August only: 125.50 × 0.75 = 94.125 -> 94.13
    assert penalty.amount_ht == D("94.13")


def test_no_invoice_to_carry_the_credit_refuses_the_penalty(agent, open_ticket, consumption):
    ticket = open_ticket(INCIDENT, severity="critical")

    with pytest.raises(Conflict):
        services.assess_penalty(ticket=ticket, by=agent, now=LATER)
    assert not SlaPenalty.objects.exists()


def test_an_agent_assesses_the_penalty_from_the_tickets_page(
    client, paas, agent, open_ticket, consumption, invoice
):
    ticket = open_ticket(INCIDENT, severity="critical")
    client.force_login(agent)
    url = reverse("backoffice:ticket", args=[paas.slug, ticket.pk])
    assert "Constater la pénalité" in client.get(url).content.decode()

    response = client.post(reverse("backoffice:ticket_penalty", args=[paas.slug, ticket.pk]))

    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "93,88" in page
    assert "Constater la pénalité" not in page
    again = client.post(reverse("backoffice:ticket_penalty", args=[paas.slug, ticket.pk]))
    assert again.status_code == 409
