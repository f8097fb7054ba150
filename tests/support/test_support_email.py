"""Mail to the support address (seed 000 art. 9: support by e-mail), received by the inbox
through its real path (raw stored, parsed, MessageReceived after the commit): a known
client's e-mail opens a ticket; an answer finds its ticket by In-Reply-To / References or by
the subject's token; a phone report is confirmed by the client's e-mail; automatic messages
and unknown senders never open a ticket; the agent's answer goes out threaded."""

from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from clausier.audit.models import Event
from clausier.inbox.models import Mailbox, UnknownSenders
from clausier.kernel.errors import Conflict
from clausier.support import services
from clausier.support.models import Ticket, TicketMessage
from tests.factories.inbox import eml, make_mailbox
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

SUPPORT = "support@clever-cloud.test"


@pytest.fixture
def mailbox(paas) -> Mailbox:
    return make_mailbox(paas, SUPPORT)


@pytest.fixture
def deliver(mailbox, django_capture_on_commit_callbacks):
    """Deliver raw bytes to the support mailbox as an MTA pipe would, running what the
    commit triggers (support's reaction)."""
    from clausier.inbox import services as inbox

    def run(raw: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            receipt = inbox.receive(raw=raw, source="pipe", recipients=[SUPPORT], by=None)
        return receipt.message

    return run


def mail(
    sender: str,
    subject: str,
    body: str,
    *,
    message_id: str,
    in_reply_to: str = "",
    references: str = "",
    headers: dict | None = None,
    attachment: tuple[str, bytes, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Date"] = format_datetime(paris(2026, 6, 3, 10, 0))
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if attachment is not None:
        name, content, kind = attachment
        maintype, subtype = kind.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_a_known_clients_email_opens_a_ticket_with_its_attachment(paas_company, deliver):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    inbound = deliver(
        mail(
            f"Camille <{paas_company.email}>",
            "Base PostgreSQL injoignable",
            "Notre application ne joint plus sa base depuis 9 h 50.",
            message_id="<first@client.test>",
            attachment=("journal.pdf", pdf, "application/pdf"),
        )
    )
    [ticket] = Ticket.objects.all()
    assert (ticket.client, ticket.channel, ticket.subject) == (
        paas_company,
        "email",
        "Base PostgreSQL injoignable",
    )
    [first] = ticket.messages.all()
    assert first.source_message_id == inbound.pk
    assert first.message_id_header == "<first@client.test>"
    assert "depuis 9 h 50" in first.body
    [attached] = first.attachments.all()
    assert attached.name == "journal.pdf"
    assert attached.file.read() == pdf


def test_an_answer_finds_its_ticket_by_references_then_by_the_subjects_token(
    paas_company, deliver, agent
):
    deliver(mail(paas_company.email, "Site lent", "Très lent.", message_id="<a@client.test>"))
    ticket = Ticket.objects.get()
    answer = services.post_message(ticket=ticket, author="agent", body="On regarde.", by=agent)
    assert answer.message_id_header  # our answer's own Message-ID, kept
    deliver(
        mail(
            paas_company.email,
            "Re: Site lent",
            "Toujours lent.",
            message_id="<b@client.test>",
            in_reply_to=answer.message_id_header,
            references=f"<a@client.test> {answer.message_id_header}",
        )
    )
    # No threading header left by the client's mail program: the subject's token.
    deliver(
        mail(
            paas_company.email,
            f"Re: [#{ticket.reference}] Site lent",
            "Ça va mieux.",
            message_id="<c@client.test>",
        )
    )
    assert Ticket.objects.count() == 1
    bodies = list(ticket.messages.order_by("pk").values_list("author", "body"))
    assert bodies == [
        ("client", "Très lent."),
        ("agent", "On regarde."),
        ("client", "Toujours lent."),
        ("client", "Ça va mieux."),
    ]


def test_the_clients_email_resumes_a_ticket_waiting_for_it(paas_company, deliver, agent):
    deliver(mail(paas_company.email, "Erreur 500", "Erreur.", message_id="<x@client.test>"))
    ticket = Ticket.objects.get()
    services.apply_action(ticket=ticket, action="acknowledge", by=agent)
    services.apply_action(ticket=ticket, action="start", by=agent)
    services.apply_action(ticket=ticket, action="wait_client", by=agent)
    deliver(
        mail(
            paas_company.email,
            f"[#{ticket.reference}] Erreur 500",
            "Voici les journaux.",
            message_id="<y@client.test>",
        )
    )
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert ticket.pauses.get().end is not None


def test_a_phone_report_is_confirmed_by_the_clients_next_email(
    open_ticket, paas_company, deliver, agent, client
):
    ticket = open_ticket(paris(2026, 6, 3, 10, 0), channel="phone")
    assert ticket.awaiting_email_confirmation
    deliver(
        mail(
            paas_company.email,
            "Confirmation de mon appel",
            "Je confirme l'incident signalé par téléphone.",
            message_id="<confirm@client.test>",
        )
    )
    ticket.refresh_from_db()
    assert not ticket.awaiting_email_confirmation
    assert ticket.confirmation_message.body.startswith("Je confirme")
    assert Ticket.objects.count() == 1
    client.force_login(agent)
    page = client.get(f"/backoffice/{ticket.seller.slug}/support/{ticket.pk}/").content.decode()
    assert f'href="#message-{ticket.confirmation_message_id}"' in page
    assert f'id="message-{ticket.confirmation_message_id}"' in page


@pytest.mark.parametrize("fixture", ["out-of-office", "x-autoreply", "precedence-bulk", "bounce"])
def test_automatic_messages_never_open_a_ticket(paas_company, deliver, fixture):
    raw = eml(fixture)
    inbound = deliver(raw)
    assert inbound.automatic
    assert not Ticket.objects.exists()
    assert Event.objects.filter(verb="ticket.email_automatic", object_id=str(inbound.pk)).exists()


def test_an_unknown_sender_is_set_aside_for_the_team_then_attached_to_a_client(
    paas_company, deliver, agent
):
    inbound = deliver(
        mail("stranger@elsewhere.test", "Bonjour", "Qui êtes-vous ?", message_id="<s@x>")
    )
    assert not Ticket.objects.exists()
    assert Event.objects.filter(verb="ticket.email_unknown_sender").exists()
    outcome = services.open_from_email(message_id=inbound.pk, client=paas_company, by=agent)
    assert outcome.ticket.client == paas_company
    assert TicketMessage.objects.get(source_message_id=inbound.pk).ticket == outcome.ticket


def test_the_ignore_policy_keeps_an_unknown_senders_mail_without_follow_up(paas, deliver, mailbox):
    from clausier.inbox import services as inbox

    inbox.update_mailbox(
        mailbox=mailbox, fields={"unknown_senders": UnknownSenders.IGNORE}, by=None
    )
    deliver(mail("spam@elsewhere.test", "Offre", "Achetez.", message_id="<spam@x>"))
    assert not Ticket.objects.exists()
    assert Event.objects.filter(verb="ticket.email_ignored").exists()


def test_a_second_delivery_adds_nothing(paas_company, deliver):
    raw = mail(paas_company.email, "Panne", "Panne.", message_id="<once@client.test>")
    inbound = deliver(raw)
    services.receive_email(message_id=inbound.pk, by=None)
    assert TicketMessage.objects.filter(source_message_id=inbound.pk).count() == 1


def test_the_answer_goes_out_in_the_clients_thread(
    paas_company, deliver, agent, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    deliver(
        mail(
            paas_company.email,
            "Certificat expiré",
            "Le certificat a expiré.",
            message_id="<root@client.test>",
            references="<older@client.test>",
            in_reply_to="<older@client.test>",
        )
    )
    ticket = Ticket.objects.get()
    smtp_server.inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.post_message(ticket=ticket, author="agent", body="Renouvelé.", by=agent)
    [sent] = [m.message for m in smtp_server.inbox.messages if paas_company.email in m.rcpt_tos]
    assert sent["Message-ID"] == answer.message_id_header
    assert sent["In-Reply-To"] == "<root@client.test>"
    assert sent["References"].split() == ["<older@client.test>", "<root@client.test>"]
    assert f"[#{ticket.reference}]" in sent["Subject"]


def test_staff_see_the_unknown_senders_mail_and_attach_it_to_a_client(
    paas, paas_company, deliver, agent, client
):
    from django.urls import reverse

    inbound = deliver(
        mail("new.contact@studio.test", "Accès perdu", "Je n'ai plus accès.", message_id="<n@x>")
    )
    deliver(eml("out-of-office"))  # automatic: never listed
    client.force_login(agent)
    url = reverse("backoffice:support_emails", args=[paas.slug])
    page = client.get(url).content.decode()
    assert "new.contact@studio.test" in page
    assert "Accès perdu" in page
    assert page.count('name="message"') == 1
    answer = client.post(url, {"message": inbound.pk, "client": paas_company.pk})
    ticket = Ticket.objects.get()
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/support/{ticket.pk}/")
    assert ticket.client == paas_company
    assert ticket.subject == "Accès perdu"
    assert "new.contact@studio.test" not in client.get(url).content.decode()
    # Sent again (a double click): refused, nothing more written.
    again = client.post(url, {"message": inbound.pk, "client": paas_company.pk})
    assert again.status_code == 409
    assert Ticket.objects.count() == 1


def test_a_contact_of_two_clients_answers_the_ticket_of_the_client_it_answers(
    paas, paas_company, deliver, agent, open_ticket
):
    from tests.factories import make_client, make_contact

    other = make_client(paas)
    shared = "regie@agence.test"
    make_contact(other, with_login=False, email=shared)
    make_contact(paas_company, with_login=False, email=shared)
    ticket = open_ticket(paris(2026, 6, 3, 10, 0))
    deliver(mail(shared, f"Re: [#{ticket.reference}] Suite", "Précision.", message_id="<p@x>"))
    assert ticket.messages.filter(body="Précision.").exists()
    # Not threaded: whose it is, the team says; no ticket opened under either client.
    inbound = deliver(mail(shared, "Autre sujet", "Bonjour.", message_id="<q@x>"))
    assert Ticket.objects.count() == 1
    assert Event.objects.filter(verb="ticket.email_unknown_sender", object_id=str(inbound.pk))


def test_one_mail_reaching_two_mailboxes_of_the_seller_is_one_message(paas, paas_company, deliver):
    from clausier.inbox import services as inbox

    make_mailbox(paas, "contact@clever-cloud.test")
    raw = mail(paas_company.email, "Panne", "Panne.", message_id="<twice@client.test>")
    deliver(raw)
    copy = inbox.receive(raw=raw, source="pipe", recipients=["contact@clever-cloud.test"], by=None)
    outcome = services.receive_email(message_id=copy.message.pk, by=None)
    assert outcome.action == "already"
    assert TicketMessage.objects.count() == 1
    with pytest.raises(Conflict):
        services.open_from_email(message_id=copy.message.pk, client=paas_company, by=None)


def test_the_answer_goes_to_the_contact_who_wrote_and_a_reply_reopens_a_resolved_ticket(
    paas_company, deliver, agent, mail_and_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import make_contact

    contact = make_contact(paas_company, with_login=False, email="dev@studio.test")
    deliver(mail(contact.email, "Déploiement bloqué", "Bloqué.", message_id="<d@studio.test>"))
    ticket = Ticket.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(ticket=ticket, author="agent", body="Débloqué.", by=agent)
        services.apply_action(ticket=ticket, action="resolve", by=agent)
    [answer] = mailoutbox
    assert answer.to == ["dev@studio.test"]
    mailoutbox.clear()
    deliver(mail(contact.email, f"Re: [#{ticket.reference}]", "Encore bloqué.", message_id="<e@s>"))
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    [told] = mailoutbox
    assert told.to == ["support@clever-cloud.com"]
    assert "Encore bloqué." in told.body
