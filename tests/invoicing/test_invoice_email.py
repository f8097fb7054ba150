"""An issued invoice reaches the client's billing contacts on a real SMTP server, with its
Factur-X PDF; a mail server that is down is retried later, never twice once delivered."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import facturx as fx
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from clausier.audit.models import Event
from clausier.invoicing import delivery, services
from clausier.invoicing.models import DeliveryStatus, Invoice
from clausier.invoicing.tasks import deliver_invoice
from tests.factories import make_client, make_contact, make_staff
from tests.factories.invoicing import line
from tests.factories.orders import paid
from tests.factories.quotes import paris
from tests.smtp import SmtpServer, free_port

pytestmark = pytest.mark.django_db

# Monday 15 June 2026 + 14 jours ouvrés: due Friday 3 July 2026 (seed 002 art. 5).
AGENCY_DAY = paris(2026, 6, 15, 10)
LATER = paris(2026, 6, 15, 10, 30)
DELIVER_INVOICE = "clausier.invoicing.tasks.deliver_invoice"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def billing(company):
    return make_contact(company, email="compta@boulangerie-martin.test", is_billing=True)


def mail_server_down(settings) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }


def mail_server_at(settings, server: SmtpServer) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
        }
    }


def issue(agency, client, *, lines=None):
    draft = services.create_draft(
        seller=agency,
        client=client,
        lines=lines
        or [line("Audit SEO", "1", "flat", "500"), line("Rédaction", "2.5", "day", "350")],
        by=None,
        now=AGENCY_DAY,
    )
    return services.issue_invoice(invoice=draft, by=None, now=AGENCY_DAY)


def body_of(received) -> str:
    return received.message.get_body(("plain",)).get_content()


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages)).replace(
        "\u202f", " "
    )


def test_the_issued_invoice_is_emailed_after_the_commit_with_its_pdf(
    agency,
    company,
    billing,
    smtp_server,
    immediate_tasks,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.BASE_URL = "https://factures.neo7.example"
    company.contacts.exclude(pk=billing.pk).update(is_billing=False)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(agency, company)
        assert invoice.email_status == DeliveryStatus.QUEUED
        assert smtp_server.inbox.messages == []  # nothing leaves before the commit

    [received] = smtp_server.inbox.messages
    assert received.rcpt_tos == [billing.email]
    assert (
        received.message["Subject"]
        == "Facture F2026-000001 de NEO7 STUDIO WEB : 1\u202f375,00\xa0€"
    )
    body = body_of(received).replace("\u202f", " ").replace("\xa0", " ")
    assert "notre facture F2026-000001 du 15 juin 2026, d'un montant de 1 375,00 €" in body
    assert "Montant à payer : 1 375,00 €, au plus tard le 3 juillet 2026." in body
    assert "14 jours ouvrés après la date de facture, art. 5 CGV v3.0" in body
    assert "Référence à indiquer sur le virement : F2026-000001" in body
    assert f"https://factures.neo7.example/portal/invoices/{invoice.pk}/" in body

    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == "F2026-000001.pdf"
    content = attachment.get_content()
    invoice.refresh_from_db()
    with invoice.pdf.open("rb") as stored:
        assert content == stored.read()  # the stored PDF, not another print
    assert "n° F2026-000001" in pdf_text(content)
    assert "TVA non applicable, art. 293 B du CGI" in pdf_text(content)
    assert fx.get_xml_from_pdf(content, check_xsd=True)[1] == delivery.xml_bytes(invoice)

    assert (invoice.email_status, invoice.email_attempts, invoice.email_error) == (
        DeliveryStatus.SENT,
        1,
        "",
    )
    assert invoice.email_to == [billing.email]
    assert invoice.email_message_id == received.message["Message-ID"]
    assert invoice.email_next_attempt_at is None
    assert invoice.email_sent_at is not None
    event = Event.objects.get(verb="invoice.emailed", object_id=str(invoice.pk))
    assert event.summary["after"]["pdf_sha256"] == invoice.pdf_sha256

    # The task runs again (a duplicate in the queue, the catch-up command): no second email.
    deliver_invoice.call(invoice_id=invoice.pk)
    call_command("send_invoices")
    assert len(smtp_server.inbox.messages) == 1


def test_a_client_in_english_gets_the_english_link_and_amounts(
    agency, smtp_server, immediate_tasks, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://factures.neo7.example"
    client = make_client(
        agency, kind="company", name="Bakery Ltd", siren="552081317", preferred_language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(agency, client)
    [received] = smtp_server.inbox.messages
    assert received.rcpt_tos == [client.email]
    assert "€1,375.00" in received.message["Subject"]
    body = body_of(received)
    assert f"https://factures.neo7.example/en/portal/invoices/{invoice.pk}/" in body
    assert "July 3, 2026" in body
    # Why that due date, in English too (the attached PDF stays the French invoice).
    assert "working days after the invoice date" in body
    assert "jours ouvrés" not in body


def test_the_paid_paas_invoice_says_nothing_is_left_to_pay(
    paas, paas_company, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid(paas, paas_company, received_at=paris(2026, 5, 8, 14, 30), reference="c1")
    invoice = Invoice.objects.get(order=order)
    [received] = smtp_server.inbox.messages
    assert received.rcpt_tos == [paas_company.email]
    body = body_of(received).replace("\u202f", " ").replace("\xa0", " ")
    assert "d'un montant de 42,24 €" in body
    assert "déjà réglée (42,24 € reçus)" in body
    assert "Montant à payer" not in body
    [attachment] = list(received.message.iter_attachments())
    assert "TVA 20 % 35,20 € 7,04 €" in pdf_text(attachment.get_content()).replace("\xa0", " ")
    invoice.refresh_from_db()
    assert invoice.email_status == DeliveryStatus.SENT


@pytest.mark.tasks
def test_a_mail_server_down_is_retried_later_then_the_email_leaves_once(
    agency, company, billing, settings, django_capture_on_commit_callbacks, task_queue
):
    # The queue of production (database or Redis): the retry is a task deferred to its time.
    mail_server_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(agency, company)
    [queued] = task_queue.queued(DELIVER_INVOICE)
    assert queued.kwargs == {"invoice_id": invoice.pk}

    result = deliver_invoice.call(invoice_id=invoice.pk, now=LATER.isoformat())
    assert (result["status"], result["attempts"]) == (DeliveryStatus.QUEUED, 1)
    invoice.refresh_from_db()
    assert (invoice.email_status, invoice.email_attempts) == (DeliveryStatus.QUEUED, 1)
    assert "refused" in invoice.email_error.lower()
    assert invoice.pdf_sha256  # printed even though the mail could not leave
    [_, retry] = task_queue.queued(DELIVER_INVOICE)
    assert retry.run_after == LATER + timedelta(minutes=1)
    failed = Event.objects.get(verb="invoice.email_failed", object_id=str(invoice.pk))
    assert failed.summary["after"]["next_attempt_at"] == (LATER + timedelta(minutes=1)).isoformat()
    assert invoice.email_next_attempt_at == LATER + timedelta(minutes=1)

    with SmtpServer() as server:
        mail_server_at(settings, server)
        # Not yet time: the catch-up leaves it.
        call_command("send_invoices", now=(LATER + timedelta(seconds=30)).isoformat())
        assert server.inbox.messages == []
        call_command("send_invoices", now=(LATER + timedelta(minutes=2)).isoformat())
        # The deferred retry runs too, late: nothing more leaves.
        deliver_invoice.call(invoice_id=invoice.pk, now=(LATER + timedelta(minutes=3)).isoformat())
        assert len(server.inbox.messages) == 1
        [received] = server.inbox.messages
        assert received.rcpt_tos == invoice.email_to
    invoice.refresh_from_db()
    assert (invoice.email_status, invoice.email_attempts, invoice.email_error) == (
        DeliveryStatus.SENT,
        2,
        "",
    )
    assert invoice.email_message_id == received.message["Message-ID"]


def test_after_the_last_retry_the_email_fails_and_staff_send_it_again(
    agency, company, billing, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    mail_server_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(agency, company)  # attempt 1, on commit, now
    at = timezone.now()
    for _attempt in range(delivery.MAX_ATTEMPTS - 1):
        at += timedelta(hours=9)
        call_command("send_invoices", now=at.isoformat())
    invoice.refresh_from_db()
    assert (invoice.email_status, invoice.email_attempts) == (
        DeliveryStatus.FAILED,
        delivery.MAX_ATTEMPTS,
    )
    assert invoice.email_error
    call_command("send_invoices", now=(at + timedelta(days=2)).isoformat())
    invoice.refresh_from_db()
    assert invoice.email_attempts == delivery.MAX_ATTEMPTS  # given up: no more attempts

    staff = make_staff(agency, role="accountant")
    with SmtpServer() as server:
        mail_server_at(settings, server)
        with django_capture_on_commit_callbacks(execute=True):
            services.resend_invoice(invoice=invoice, by=staff, to=["dg@boulangerie-martin.test"])
        [received] = server.inbox.messages
    assert received.rcpt_tos == ["dg@boulangerie-martin.test"]
    invoice.refresh_from_db()
    assert (invoice.email_status, invoice.email_attempts) == (DeliveryStatus.SENT, 1)
    event = Event.objects.get(verb="invoice.resend_requested", object_id=str(invoice.pk))
    assert event.actor == staff
    assert event.summary["before"]["email_status"] == DeliveryStatus.FAILED
    assert event.summary["after"]["email_to"] == ["dg@boulangerie-martin.test"]


def test_staff_resend_a_sent_invoice_to_the_billing_contacts_once_more(
    agency,
    company,
    billing,
    smtp_server,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(agency, company)
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invoice(invoice=invoice, by=make_staff(agency))
    first, second = smtp_server.inbox.messages
    assert first.rcpt_tos == second.rcpt_tos
    assert first.message["Message-ID"] != second.message["Message-ID"]
    [a], [b] = (list(m.message.iter_attachments()) for m in (first, second))
    assert a.get_content() == b.get_content()  # the same stored PDF


def test_resend_refuses_a_bad_address_and_a_draft(agency, company):
    invoice = issue(agency, company)
    with pytest.raises(ValidationError, match="pas-une-adresse"):
        services.resend_invoice(invoice=invoice, by=None, to=["pas-une-adresse"])
    draft = services.create_draft(
        seller=agency, client=company, lines=[line()], by=None, now=AGENCY_DAY
    )
    from clausier.kernel.errors import Conflict

    with pytest.raises(Conflict):
        services.resend_invoice(invoice=draft, by=None)
