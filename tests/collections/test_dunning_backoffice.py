"""Dunning on the back-office screens: the queue previews each e-mail as the client will read
it, "Envoyer" sends it once, "Ignorer" drops it; a formal notice drawn up from the queue has
its page, its PDF and its registered letter recorded."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.collections.dunning import services
from clausier.collections.dunning_models import DunningNotice, FormalNotice
from clausier.sellers.models import Role
from tests.factories import make_issued_invoice, make_seller, make_staff

ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def invoice(shop, company):
    make_seller("recouvreur", vat_number="FR87524172699", email_accounting="compta@recouvreur.test")
    return make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])


def url(name: str, shop, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": shop.slug, **kwargs})


def test_the_queue_previews_the_email_and_envoyer_sends_it_once(
    client, shop, invoice, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 17))
    client.force_login(make_staff(shop, Role.OWNER))

    page = text(client.get(url("dunning_queue", shop)))
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("dunning_send", shop, notice_id=notice.pk))
        second = client.post(url("dunning_send", shop, notice_id=notice.pk), follow=True)

    assert "Relance (pénalités)" in page
    assert invoice.number in page
    assert "compta@recouvreur.test" in page
    assert "Pourquoi ces montants" in page
    assert "1 200,00 €" in page
    assert first.status_code == 302
    assert len(smtp_server.inbox.messages) == 1
    assert "impossible" in text(second)
    assert DunningNotice.objects.get(pk=notice.pk).status == "sent"


def test_ignorer_drops_a_reminder(client, shop, invoice, smtp_server):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 13))
    client.force_login(make_staff(shop, Role.OWNER))

    client.post(url("dunning_skip", shop, notice_id=notice.pk))

    assert DunningNotice.objects.get(pk=notice.pk).status == "skipped"
    assert "Aucune relance à envoyer" in text(client.get(url("dunning_queue", shop)))
    assert smtp_server.inbox.messages == []


def test_a_formal_notice_is_drawn_up_from_the_queue_and_its_letter_recorded(client, shop, invoice):
    [step] = services.queue_due(seller=shop, on=date(2026, 3, 18))
    staff = make_staff(shop, Role.OWNER)
    client.force_login(staff)

    drawn = client.post(url("formal_notice_new", shop, notice_id=step.pk))
    notice = FormalNotice.objects.get()
    pdf = client.get(url("formal_notice_pdf", shop, notice_id=notice.pk))
    today = timezone.localdate()
    saved = client.post(
        url("formal_notice", shop, notice_id=notice.pk),
        {"tracking_number": "1A 234 567 8901 2", "sent_on": today.strftime("%d/%m/%Y")},
    )
    page = text(client.get(url("formal_notice", shop, notice_id=notice.pk)))
    listing = text(client.get(url("formal_notices", shop)))

    assert drawn.status_code == 302
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert saved.status_code == 302, text(saved)
    assert "1A 234 567 8901 2" in page
    assert "C. civ. 1344" in page
    assert notice.number in listing
    assert "Envoyée" in listing
    event = Event.objects.get(verb="formal_notice.letter_recorded")
    assert event.actor == staff
    assert event.summary["after"]["tracking_number"] == "1A 234 567 8901 2"


def test_a_read_only_role_sees_the_queue_but_cannot_send(client, shop, invoice):
    [notice] = services.queue_due(seller=shop, on=date(2026, 2, 17))
    client.force_login(make_staff(shop, Role.ACCOUNTANT))

    page = client.get(url("dunning_queue", shop))
    refused = client.post(url("dunning_send", shop, notice_id=notice.pk))

    assert page.status_code == 200
    assert refused.status_code == 403
