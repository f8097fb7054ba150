"""The support screens: the back-office queue (sorted, its clocks fragment), a ticket's page
with its clocks and "Pourquoi ?", an agent's reply and the state table's buttons; the portal's
tickets, a new ticket, the answer seen by the client; scoping by seller and client."""

import pytest
from django.urls import reverse

from clausier.support import services
from clausier.support.models import Ticket
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(paas_company):
    return make_contact(paas_company, name="Lucie Loire", email="lucie@loire.example")


def test_the_queue_shows_open_tickets_with_their_clocks(client, paas, agent, open_ticket):
    from django.utils import timezone

    ticket = open_ticket(timezone.now())
    client.force_login(agent)
    page = client.get(reverse("backoffice:support_queue", args=[paas.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert ticket.reference in html
    assert "intervention (GTI)" in html
    assert 'hx-trigger="every 30s"' in html
    fragment = client.get(reverse("backoffice:support_queue_clocks", args=[paas.slug]))
    assert ticket.reference in fragment.content.decode()


def test_an_agent_answers_and_moves_the_ticket(client, paas, agent, open_ticket):
    from django.utils import timezone

    ticket = open_ticket(timezone.now())
    client.force_login(agent)
    url = reverse("backoffice:ticket", args=[paas.slug, ticket.pk])
    page = client.get(url).content.decode()
    assert "Pourquoi ?" in page
    assert "Prendre en charge" in page
    response = client.post(
        reverse("backoffice:ticket_reply", args=[paas.slug, ticket.pk]),
        {"body": "Nous redémarrons l'instance."},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "acknowledged"
    client.post(
        reverse("backoffice:ticket_action", args=[paas.slug, ticket.pk]), {"action": "start"}
    )
    refused = client.post(
        reverse("backoffice:ticket_action", args=[paas.slug, ticket.pk]), {"action": "close"}
    )
    assert refused.status_code == 409
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_the_exclusion_form_lists_article_9(client, paas, agent, open_ticket):
    from django.utils import timezone

    ticket = open_ticket(timezone.now())
    client.force_login(agent)
    page = client.get(reverse("backoffice:ticket", args=[paas.slug, ticket.pk])).content.decode()
    assert "défaillance des réseaux de communication électronique" in page
    client.post(reverse("backoffice:ticket_exclude", args=[paas.slug, ticket.pk]), {"exclusion": 7})
    ticket.refresh_from_db()
    assert ticket.excluded


def test_a_client_opens_a_ticket_and_sees_the_answer(client, paas, paas_company, login, agent):
    client.force_login(login.user)
    listing = client.get(reverse("portal:tickets")).content.decode()
    assert "+33 805 696 312" in listing
    response = client.post(
        reverse("portal:ticket_new"),
        {"subject": "Erreur 502", "description": "Depuis 10 h.", "suggested_severity": "critical"},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(client=paas_company)
    assert ticket.channel == "portal"
    assert (ticket.severity, ticket.suggested_severity) == ("standard", "critical")
    services.post_message(ticket=ticket, author="agent", body="Instance redémarrée.", by=agent)
    page = client.get(reverse("portal:ticket", args=[ticket.pk])).content.decode()
    assert "Instance redémarrée." in page
    client.post(reverse("portal:ticket_reply", args=[ticket.pk]), {"body": "Merci !"})
    assert ticket.messages.filter(author="client", body="Merci !").exists()


def test_another_clients_ticket_is_a_404(client, paas, open_ticket, neighbour_login):
    from django.utils import timezone

    ticket = open_ticket(timezone.now())
    client.force_login(neighbour_login.user)
    assert client.get(reverse("portal:ticket", args=[ticket.pk])).status_code == 404


@pytest.fixture
def neighbour_login(paas):
    from tests.factories import make_client

    return make_contact(make_client(paas, "company", name="Voisin SARL"))
