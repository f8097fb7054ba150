"""Seed 000 art. 10.3: outside business hours the on-call engineer answers. A critical ticket
then pages the engineer of the rota (weekly schedule, overrides) by e-mail and by the signed
``support.page`` webhook, once; not acknowledged within 15 minutes (half the critical GTI),
the backup is paged, once."""

import pytest

from clausier.audit.models import Event
from clausier.sellers.models import Role
from clausier.support import paging, selectors, services
from clausier.support.models import OnCallPage
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import WebhookDelivery
from tests.factories import make_staff
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

SATURDAY_NIGHT = paris(2026, 9, 19, 22, 0)


def engineer(paas, name):
    user = make_staff(paas, Role.SUPPORT, username=name)
    user.email = f"{name}@clever.example"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def rota(paas, agent):
    alice, bob, carol = (engineer(paas, n) for n in ("alice", "bob", "carol"))
    services.set_shift(seller=paas, weekday=5, engineer=alice, backup=bob, by=agent)
    return alice, bob, carol


@pytest.fixture
def receiver_endpoint(paas, agent):
    return webhook_services.create_endpoint(
        seller=paas, url="https://sms.example/hook", events=["support.page"], by=agent
    )


def test_the_rota_names_the_engineer_and_an_override_replaces_him(paas, agent, rota):
    alice, _bob, carol = rota
    assert selectors.on_call_at(seller=paas, at=SATURDAY_NIGHT).engineer == alice
    services.add_override(
        seller=paas,
        start=paris(2026, 9, 19, 20, 0),
        end=paris(2026, 9, 20, 8, 0),
        engineer=carol,
        by=agent,
    )
    assert selectors.on_call_at(seller=paas, at=SATURDAY_NIGHT).engineer == carol
    assert selectors.on_call_at(seller=paas, at=paris(2026, 9, 19, 9, 0)).engineer == alice
    assert selectors.on_call_at(seller=paas, at=paris(2026, 9, 21, 22, 0)) is None  # Monday


def test_a_critical_ticket_at_night_pages_once_then_escalates_once(
    open_ticket, rota, receiver_endpoint, smtp_server
):
    alice, _bob, _carol = rota
    ticket = open_ticket(SATURDAY_NIGHT, severity="critical")

    assert paging.page_on_call.call(now=paris(2026, 9, 19, 22, 1).isoformat()) == 1
    assert paging.page_on_call.call(now=paris(2026, 9, 19, 22, 2).isoformat()) == 0
    page = OnCallPage.objects.get(ticket=ticket)
    assert page.engineer == alice
    assert page.acknowledge_by == paris(2026, 9, 19, 22, 16)
    [first] = smtp_server.inbox.messages
    assert first.rcpt_tos == ["alice@clever.example"]
    assert ticket.reference in first.message["Subject"]
    [hook] = WebhookDelivery.objects.filter(event_type="support.page")
    assert hook.payload["data"]["reference"] == ticket.reference
    assert hook.payload["data"]["engineer"] == "alice"
    assert hook.payload["data"]["escalation"] is False

    # 15 minutes on, not acknowledged: the backup is paged, once.
    assert paging.page_on_call.call(now=paris(2026, 9, 19, 22, 15).isoformat()) == 0
    assert paging.page_on_call.call(now=paris(2026, 9, 19, 22, 17).isoformat()) == 1
    assert paging.page_on_call.call(now=paris(2026, 9, 19, 22, 30).isoformat()) == 0
    assert smtp_server.inbox.messages[-1].rcpt_tos == ["bob@clever.example"]
    escalated = WebhookDelivery.objects.filter(event_type="support.page").order_by("id").last()
    assert (escalated.payload["data"]["engineer"], escalated.payload["data"]["escalation"]) == (
        "bob",
        True,
    )
    assert Event.objects.filter(verb="ticket.page_escalated", object_id=ticket.pk).count() == 1


def test_an_acknowledged_page_does_not_escalate(open_ticket, rota, agent, smtp_server):
    ticket = open_ticket(SATURDAY_NIGHT, severity="critical")
    paging.page_on_call.call(now=paris(2026, 9, 19, 22, 1).isoformat())
    services.acknowledge_page(ticket=ticket, by=rota[0], now=paris(2026, 9, 19, 22, 5))

    assert paging.page_on_call.call(now=paris(2026, 9, 19, 22, 30).isoformat()) == 0
    assert OnCallPage.objects.get(ticket=ticket).escalated_at is None


def test_no_page_in_business_hours_nor_for_a_standard_ticket(open_ticket, rota, smtp_server):
    open_ticket(paris(2026, 9, 21, 10, 0), severity="critical")  # a Monday morning
    open_ticket(SATURDAY_NIGHT, severity="standard")

    assert paging.page_on_call.call(now=paris(2026, 9, 21, 10, 1).isoformat()) == 0
    assert not OnCallPage.objects.exists()
    assert smtp_server.inbox.messages == []


def test_staff_set_the_rota_and_a_replacement_on_screen(client, paas, agent):
    from django.urls import reverse

    alice, bob = engineer(paas, "alice"), engineer(paas, "bob")
    client.force_login(agent)
    base = reverse("backoffice:support_on_call", args=[paas.slug])
    sent = client.post(
        reverse("backoffice:support_on_call_shift", args=[paas.slug]),
        {"weekday": 6, "engineer": alice.pk, "backup": bob.pk},
    )
    assert sent.status_code == 302
    on_sunday = selectors.on_call_at(seller=paas, at=paris(2026, 9, 20, 3, 0))
    assert (on_sunday.engineer, on_sunday.backup) == (alice, bob)
    client.post(
        reverse("backoffice:support_on_call_override", args=[paas.slug]),
        {"start": "2026-09-20T00:00", "end": "2026-09-21T00:00", "engineer": bob.pk},
    )
    assert selectors.on_call_at(seller=paas, at=paris(2026, 9, 20, 3, 0)).engineer == bob
    # A replacement ending before it starts: refused on its field, nothing written.
    refused = client.post(
        reverse("backoffice:support_on_call_override", args=[paas.slug]),
        {"start": "2026-09-22T00:00", "end": "2026-09-21T00:00", "engineer": alice.pk},
    )
    assert refused.status_code == 400
    assert "La fin du remplacement doit suivre son début." in refused.content.decode()
    page = client.get(base).content.decode()
    assert "alice" in page
    assert "bob" in page


def test_someone_outside_the_team_is_never_put_on_call(paas, agent):
    from django.core.exceptions import ValidationError

    from tests.factories import make_seller

    outsider = engineer(make_seller("autre"), "outsider")
    with pytest.raises(ValidationError) as refused:
        services.set_shift(seller=paas, weekday=0, engineer=outsider, by=agent)
    assert "engineer" in refused.value.message_dict


def test_the_paged_engineer_acknowledges_from_the_ticket(
    client, open_ticket, rota, agent, smtp_server
):
    from django.urls import reverse

    ticket = open_ticket(SATURDAY_NIGHT, severity="critical")
    client.force_login(rota[0])
    url = reverse("backoffice:ticket_acknowledge_page", args=[ticket.seller.slug, ticket.pk])
    assert client.post(url).status_code == 400  # not paged yet: nothing to acknowledge
    paging.page_on_call.call(now=paris(2026, 9, 19, 22, 1).isoformat())
    assert (
        "Accuser réception de l'appel"
        in client.get(
            reverse("backoffice:ticket", args=[ticket.seller.slug, ticket.pk])
        ).content.decode()
    )
    assert client.post(url).status_code == 302
    assert OnCallPage.objects.get(ticket=ticket).acknowledged_at is not None
