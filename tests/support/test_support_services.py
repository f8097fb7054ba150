"""Tickets through the services: a public reference, the state table, a phone report
awaiting its e-mail, messages (an agent's answer acknowledges and is e-mailed to the
client), the call log, exclusions of art. 9 and the time billed at the rate in force."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.invoicing.models import Invoice
from clausier.kernel.errors import Conflict, InvalidTransition
from clausier.support import selectors, services
from clausier.support.models import Attachment, PhoneCall
from clausier.support.transitions import allowed_actions
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def test_tickets_take_a_public_reference_per_seller_and_year(open_ticket):
    first = open_ticket(paris(2026, 6, 3, 10, 0))
    second = open_ticket(paris(2026, 6, 3, 11, 0))
    assert first.reference == "T-2026-000001"
    assert second.reference == "T-2026-000002"
    assert first.terms_label == "v1.1"


def test_the_state_table(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    assert allowed_actions(ticket) == ["acknowledge"]
    with pytest.raises(InvalidTransition):
        services.apply_action(ticket=ticket, action="resolve", by=agent)
    ticket = services.apply_action(
        ticket=ticket, action="acknowledge", by=agent, at=paris(2026, 6, 3, 10, 5)
    )
    ticket = services.apply_action(
        ticket=ticket, action="start", by=agent, at=paris(2026, 6, 3, 10, 6)
    )
    ticket = services.apply_action(
        ticket=ticket, action="resolve", by=agent, at=paris(2026, 6, 3, 11, 0)
    )
    assert ticket.resolved_at == paris(2026, 6, 3, 11, 0)
    assert allowed_actions(ticket) == ["close", "reopen"]
    ticket = services.apply_action(
        ticket=ticket, action="reopen", by=agent, at=paris(2026, 6, 3, 12, 0)
    )
    assert ticket.status == "in_progress"
    assert ticket.resolved_at is None
    assert ticket.acknowledged_at == paris(2026, 6, 3, 10, 5)


def test_a_phone_report_awaits_its_email_confirmation(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0), channel="phone")
    assert ticket.awaiting_email_confirmation
    mail = services.post_message(
        ticket=ticket,
        author="client",
        body="Je confirme mon appel.",
        channel="email",
        by=None,
        message_id_header="<abc@client.example>",
    )
    portal = services.post_message(ticket=ticket, author="client", body="Et ici.", by=None)
    with pytest.raises(ValidationError):
        services.confirm_by_email(ticket=ticket, message=portal, by=agent)
    ticket = services.confirm_by_email(ticket=ticket, message=mail, by=agent)
    assert not ticket.awaiting_email_confirmation
    assert ticket.confirmation_message == mail


def test_a_portal_ticket_needs_no_email_confirmation(open_ticket):
    assert not open_ticket(paris(2026, 6, 3, 10, 0)).email_confirmation_expected


def test_new_tickets_reach_support_and_answers_reach_the_client(
    open_ticket, agent, paas_company, mail_and_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    [new] = mailoutbox
    assert new.to == ["support@clever-cloud.com"]
    assert new.subject.startswith("[#T-2026-000001] Nouveau ticket de Studio Graphique Loire")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(ticket=ticket, author="agent", body="Nous regardons.", by=agent)
    ticket.refresh_from_db()
    assert ticket.status == "acknowledged"
    [sent] = mailoutbox
    assert sent.to == [paas_company.email]
    assert sent.subject == "[#T-2026-000001] Réponse du support : Application en erreur 502"
    assert "Nous regardons." in sent.body


def test_the_answer_is_in_the_clients_language(
    open_ticket, agent, paas_company, mail_and_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    paas_company.preferred_language = "en"
    paas_company.save(update_fields=["preferred_language"])
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(ticket=ticket, author="agent", body="Looking into it.", by=agent)
    [sent] = mailoutbox
    assert sent.subject == "[#T-2026-000001] Support answer: Application en erreur 502"


def test_a_closed_ticket_takes_no_message(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    for action in ("acknowledge", "resolve", "close"):
        ticket = services.apply_action(ticket=ticket, action=action, by=agent)
    with pytest.raises(Conflict):
        services.post_message(ticket=ticket, author="client", body="Encore ?", by=None)


def test_bad_input_names_the_field(open_ticket, agent):
    with pytest.raises(ValidationError) as error:
        open_ticket(paris(2026, 6, 3, 10, 0), severity="urgent")
    assert "severity" in error.value.message_dict
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    with pytest.raises(ValidationError) as error:
        services.classify_excluded(ticket=ticket, exclusion=10, by=agent)
    assert "exclusion" in error.value.message_dict


def test_a_call_is_logged_on_its_ticket(open_ticket, agent, paas):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0), channel="phone")
    services.log_call(
        seller=paas,
        ticket=ticket,
        number="+33 6 12 34 56 78",
        called_at=paris(2026, 6, 3, 9, 58),
        summary="502 sur l'application principale",
        by=agent,
    )
    [call] = PhoneCall.objects.filter(ticket=ticket)
    assert call.agent == agent


def test_attachments_are_checked_and_stored(open_ticket, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile("capture.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
    ticket = open_ticket(paris(2026, 6, 3, 10, 0), attachments=[png])
    [attachment] = Attachment.objects.filter(message__ticket=ticket)
    assert attachment.name == "capture.png"
    exe = SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 64)
    with pytest.raises(ValidationError) as error:
        open_ticket(paris(2026, 6, 3, 10, 0), attachments=[exe])
    assert "attachments" in error.value.message_dict


def test_excluded_work_is_billed_at_the_rate_in_force_on_the_day(open_ticket, agent, paas):
    services.set_hourly_rate(
        seller=paas,
        effective_from=date(2026, 1, 1),
        amount_ht=Decimal("90"),
        source="Grille tarifaire 2026",
        by=agent,
    )
    services.set_hourly_rate(
        seller=paas,
        effective_from=date(2026, 7, 1),
        amount_ht=Decimal("100"),
        source="Grille tarifaire juillet 2026",
        by=agent,
    )
    ticket = open_ticket(paris(2026, 6, 30, 22, 0))
    with pytest.raises(ValidationError):
        services.add_time_entry(
            ticket=ticket, started=paris(2026, 6, 30, 23, 0), minutes=30, description="x", by=agent
        )
    ticket = services.classify_excluded(ticket=ticket, exclusion=3, by=agent)
    assert ticket.exclusion_reason.startswith("modification non autorisée")
    assert ticket.exclusion_source == "art. 10 (Maintenance)"
    june = services.add_time_entry(
        ticket=ticket,
        started=paris(2026, 6, 30, 23, 0),
        minutes=90,
        description="Restauration de la configuration",
        by=agent,
    )
    july = services.add_time_entry(
        ticket=ticket,
        started=paris(2026, 7, 1, 0, 30),
        minutes=20,
        description="Vérification",
        by=agent,
    )
    assert (june.hourly_rate_ht, june.amount_ht) == (Decimal("90.00"), Decimal("135.00"))
    assert (july.hourly_rate_ht, july.amount_ht) == (Decimal("100.00"), Decimal("33.33"))

    fact = services.bill_time(ticket=ticket, by=agent)
    assert len(fact.lines) == 2
    invoice = Invoice.objects.get(seller=paas, client=ticket.client)
    assert invoice.status == "draft"
    assert invoice.total_ht == Decimal("168.33")
    assert [line.unit_price for line in invoice.lines.order_by("position")] == [
        Decimal("135.00"),
        Decimal("33.33"),
    ]
    with pytest.raises(Conflict):
        services.bill_time(ticket=ticket, by=agent)


def test_no_rate_in_force_is_refused_with_the_day(open_ticket, agent):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    services.classify_excluded(ticket=ticket, exclusion=1, by=agent)
    with pytest.raises(ValidationError) as error:
        services.add_time_entry(
            ticket=ticket, started=paris(2026, 6, 3, 11, 0), minutes=30, description="x", by=agent
        )
    assert "03/06/2026" in str(error.value.message_dict["started"])


def test_the_selectors_scope_to_the_seller_and_client(open_ticket, other_seller, paas_company):
    from django.http import Http404

    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    with pytest.raises(Http404):
        selectors.ticket_for_seller(seller=other_seller, pk=ticket.pk)
    assert selectors.ticket_for_client(client=paas_company, pk=ticket.pk) == ticket
