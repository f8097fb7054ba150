"""Dunning: the daily task queues each invoice's due step once, staff send it (an e-mail in
the client's language with the amounts and their explanation, Reply-To the seller) or skip
it, never twice; the formal notice is printed with its figures, deadline and articles, and
its registered letter recorded."""

from __future__ import annotations

import io
from datetime import date, datetime

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clausier.audit.models import Event
from clausier.collections.dunning import selectors, services
from clausier.collections.dunning.delivery import deliver_notice
from clausier.collections.dunning.tasks import queue_dunning
from clausier.collections.dunning_models import DunningNotice, NoticeStatus
from clausier.documents.stored import read_file
from clausier.kernel.errors import Conflict, InvalidTransition
from tests.factories import make_client, make_issued_invoice, make_seller, make_staff

# Issued Thursday 15 January 2026, due 30 days later: Saturday 14 February, carried to Monday
# 16 February (CPC 642). Steps: J-3 13 Feb, J+1 17 Feb, J+15 3 March, J+30 18 March.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def seller_mail(shop):
    return make_seller(
        "recouvreur", vat_number="FR87524172699", email_accounting="compta@recouvreur.test"
    )


@pytest.fixture
def staff(shop):
    return make_staff(shop)


@pytest.fixture
def late_invoice(shop, company, seller_mail):
    return make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])


def queued(invoice):
    return list(DunningNotice.objects.filter(invoice=invoice).order_by("id"))


def test_each_step_is_queued_on_its_day_and_only_once(shop, late_invoice):
    assert services.queue_due(seller=shop, on=date(2026, 2, 12)) == []
    first = services.queue_due(seller=shop, on=date(2026, 2, 13))
    again = services.queue_due(seller=shop, on=date(2026, 2, 13))
    services.queue_due(seller=shop, on=date(2026, 2, 17))
    services.queue_due(seller=shop, on=date(2026, 2, 18))

    assert [n.kind for n in first] == ["friendly"]
    assert again == []
    assert [(n.kind, n.due_on) for n in queued(late_invoice)] == [
        ("friendly", date(2026, 2, 13)),
        ("penalties", date(2026, 2, 17)),
    ]
    assert Event.objects.filter(verb="dunning_notice.queued").count() == 2
    # The default plan was created for the seller, once.
    assert selectors.plan_steps(seller=shop)[0].offset_days == -3
    assert Event.objects.filter(verb="dunning_plan.created").count() == 1


def test_the_daily_task_run_twice_queues_nothing_more(shop, late_invoice):
    # Today is long past the due date: the last step reached, the formal notice, once.
    assert queue_dunning.call() == 1
    assert queue_dunning.call() == 0
    assert [n.kind for n in queued(late_invoice)] == ["formal_notice"]


def test_the_penalty_reminder_reaches_the_client_in_french_with_amounts_and_why(
    shop, late_invoice, staff, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 17))

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_notice(notice=notice, by=staff, now=at(date(2026, 2, 17)))

    [mail] = smtp_server.inbox.messages
    body = mail.message.get_content()
    assert mail.rcpt_tos == [late_invoice.client.email]
    assert mail.message["Reply-To"] == "compta@recouvreur.test"
    assert late_invoice.number in mail.message["Subject"]
    # 1 day late: 1 × 1000 × 7.86 % / 365 = 0.2153 -> 0.22; indemnity 40 (L441-10).
    assert "0,22\u00a0€" in body
    assert "40,00\u00a0€" in body
    assert "Pourquoi ces montants" in body
    assert "C. com. L441-10" in body
    assert (sent.status, str(sent.interest), str(sent.indemnity)) == ("sent", "0.22", "40.00")
    assert sent.explanation["penalties"]["rule"] == "penalties_on"
    assert Event.objects.filter(verb="dunning_notice.sent", object_id=str(notice.pk)).exists()
    # The Message-ID kept as evidence once the e-mail left.
    sent.refresh_from_db()
    assert sent.message_id == mail.message["Message-ID"]
    assert Event.objects.filter(verb="dunning_notice.delivered", object_id=str(notice.pk)).exists()


def test_a_reminder_is_never_sent_twice(
    shop, late_invoice, staff, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 17))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(notice=notice, by=staff, now=at(date(2026, 2, 17)))
    # The delivery task run again finds it delivered.
    deliver_notice.call(notice_id=notice.pk)

    with pytest.raises(InvalidTransition):
        services.send_notice(notice=notice, by=staff, now=at(date(2026, 2, 17)))
    with pytest.raises(InvalidTransition):
        services.skip_notice(notice=notice, by=staff)

    assert len(smtp_server.inbox.messages) == 1
    assert services.queue_due(seller=shop, on=date(2026, 2, 20)) == []


def test_an_english_client_gets_the_second_reminder_in_english(
    shop, staff, smtp_server, seller_mail, immediate_tasks, django_capture_on_commit_callbacks
):
    client = make_client(
        shop, kind="company", name="Acme Ltd", siren="732829320", preferred_language="en"
    )
    invoice = make_issued_invoice(shop, client, now=ISSUED, lines=[LINE])
    [notice] = services.queue_due(seller=shop, on=date(2026, 3, 3))

    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(notice=notice, by=staff, now=at(date(2026, 3, 3)))

    [mail] = smtp_server.inbox.messages
    body = mail.message.get_content()
    assert notice.kind == "second"
    assert invoice.number in mail.message["Subject"]
    assert "reminder" in mail.message["Subject"].lower()
    # 15 days late: 15 × 1000 × 7.86 % / 365 = 3.2301 -> 3.23.
    assert "€3.23" in body
    assert "€40.00" in body
    assert "Why these amounts" in body
    assert mail.message["Reply-To"] == "compta@recouvreur.test"


def test_a_skipped_step_is_never_sent(shop, late_invoice, staff, smtp_server):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 13))

    services.skip_notice(notice=notice, by=staff)

    with pytest.raises(InvalidTransition):
        services.send_notice(notice=notice, by=staff, now=at(date(2026, 2, 13)))
    assert smtp_server.inbox.messages == []
    assert Event.objects.filter(verb="dunning_notice.skipped").count() == 1


def test_a_formal_notice_step_is_not_sent_by_email(shop, late_invoice, staff, smtp_server):
    [notice] = services.queue_due(seller=shop, on=date(2026, 3, 18))

    with pytest.raises(Conflict):
        services.send_notice(notice=notice, by=staff, now=at(date(2026, 3, 18)))


def pdf_text(notice) -> str:
    reader = pypdf.PdfReader(io.BytesIO(read_file(notice.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_formal_notice_is_printed_with_its_figures_deadline_and_articles(
    shop, company, late_invoice, staff
):
    [step] = services.queue_due(seller=shop, on=date(2026, 3, 18))

    notice = services.draw_up_formal_notice(
        seller=shop,
        client=company,
        invoices=selectors.formal_notice_invoices(notice=step),
        by=staff,
        now=at(date(2026, 3, 18)),
    )

    # 30 days late: 30 × 1000 × 7.86 % / 365 = 6.4603 -> 6.46; indemnity 40.
    assert (str(notice.principal), str(notice.interest), str(notice.indemnity)) == (
        "1200.00",
        "6.46",
        "40.00",
    )
    assert str(notice.total) == "1246.46"
    # Assumed receipt Friday 20 March (+2 days) + 8 calendar days = Saturday 28 March,
    # carried to Monday 30 March (CPC 642).
    assert notice.pay_by == date(2026, 3, 30)
    text = pdf_text(notice)
    for expected in (
        "Mise en demeure",
        notice.number,
        late_invoice.number,
        "1 200,00",
        "6,46",
        "40,00",
        "1 246,46",
        "30/03/2026",
        "C. com. L441-10",
        "C. civ. 1231-6",
        "C. civ. 1344",
        "art. 6",
        "recommandée avec demande d'avis de réception",
    ):
        assert expected in text.replace("\u202f", " ").replace("\u00a0", " "), expected
    assert DunningNotice.objects.get(pk=step.pk).status == NoticeStatus.SENT
    assert Event.objects.filter(verb="formal_notice.created").count() == 1


def test_the_registered_letter_is_recorded_and_the_deadline_counted_from_receipt(
    shop, company, late_invoice, staff
):
    notice = services.draw_up_formal_notice(
        seller=shop, client=company, invoices=[late_invoice], by=staff, now=at(date(2026, 3, 18))
    )

    with pytest.raises(ValidationError) as refused:
        services.record_registered_letter(
            notice=notice, tracking_number=" ", sent_on=None, by=staff, now=at(date(2026, 3, 25))
        )
    recorded = services.record_registered_letter(
        notice=notice,
        tracking_number="1A 234 567 8901 2",
        sent_on=date(2026, 3, 18),
        received_on=date(2026, 3, 23),
        by=staff,
        now=at(date(2026, 3, 25)),
    )

    assert set(refused.value.message_dict) == {"tracking_number", "sent_on"}
    # Received Monday 23 March + 8 calendar days = Tuesday 31 March.
    assert (recorded.tracking_number, recorded.received_on, recorded.pay_by) == (
        "1A 234 567 8901 2",
        date(2026, 3, 23),
        date(2026, 3, 31),
    )
    event = Event.objects.get(verb="formal_notice.letter_recorded")
    assert event.summary["after"]["tracking_number"] == "1A 234 567 8901 2"
    assert event.summary["after"]["received_on"] == "2026-03-23"


def test_the_formal_notice_claims_only_what_staff_did_not_waive(shop, company, late_invoice, staff):
    from clausier.collections import services as penalty_services

    [step] = services.queue_due(seller=shop, on=date(2026, 3, 18))
    penalty_services.waive(
        invoice=late_invoice,
        item="indemnity",
        full=True,
        reason="Premier retard",
        by=staff,
        on=date(2026, 3, 18),
    )

    notice = services.draw_up_formal_notice(
        seller=shop,
        client=company,
        invoices=selectors.formal_notice_invoices(notice=step),
        by=staff,
        now=at(date(2026, 3, 18)),
    )

    # The interest of the case above (6.46), no indemnity: it was waived with a reason.
    assert (str(notice.interest), str(notice.indemnity)) == ("6.46", "0.00")
    assert str(notice.total) == "1206.46"


class _Undone(Exception):
    pass


def test_a_reminder_rolled_back_sends_nothing(
    shop, late_invoice, staff, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 17))

    def send_then_fail():
        with transaction.atomic():
            services.send_notice(notice=notice, by=staff, now=at(date(2026, 2, 17)))
            raise _Undone

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(_Undone):
        send_then_fail()

    assert smtp_server.inbox.messages == []
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.QUEUED
    assert (
        not Event.objects.filter(verb__startswith="dunning_notice.")
        .exclude(verb="dunning_notice.queued")
        .exists()
    )


def test_a_failed_send_keeps_the_notice_and_says_so_in_the_trail(
    shop, late_invoice, staff, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    # A mail server that cannot be reached: nothing listens on this port.
    from tests.smtp import SmtpServer, free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 17))

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_notice(notice=notice, by=staff, now=at(date(2026, 2, 17)))

    notice.refresh_from_db()
    assert sent.status == notice.status == NoticeStatus.SENT
    assert notice.message_id == ""
    assert "pénalités" in notice.subject.lower()
    failed = Event.objects.get(verb="dunning_notice.delivery_failed", object_id=str(notice.pk))
    assert failed.summary["after"]["email_to"] == late_invoice.client.email
    # The task run again once the server is back delivers the frozen words, once.
    with SmtpServer() as server:
        settings.MAILERS["default"]["OPTIONS"]["port"] = server.port
        deliver_notice.call(notice_id=notice.pk)
        deliver_notice.call(notice_id=notice.pk)
        [mail] = server.inbox.messages
    assert mail.message["Subject"] == notice.subject
    notice.refresh_from_db()
    assert notice.message_id == mail.message["Message-ID"]
