"""The seller's dunning plan edited on screen by the owner and accounting (each step's day
and whether it is on, the automatic sending of reminders), refused step by step when out of
order; a step turned off is never queued; reminders leave by themselves only when the seller
chose it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.collections.dunning import selectors, services
from clausier.collections.dunning.tasks import queue_dunning
from clausier.collections.dunning_models import DunningNotice, NoticeStatus
from clausier.sellers.models import Role
from tests.factories import make_issued_invoice, make_staff

pytestmark = pytest.mark.django_db

LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
DEFAULT = {
    "friendly": (-3, True),
    "penalties": (1, True),
    "second": (15, True),
    "formal_notice": (30, True),
}


def form_data(steps: dict, *, auto: bool = False) -> dict:
    data = {"auto_send_reminders": "on"} if auto else {}
    for kind, (offset, enabled) in steps.items():
        data[f"offset_{kind}"] = str(offset)
        if enabled:
            data[f"enabled_{kind}"] = "on"
    return data


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


def plan_url(shop) -> str:
    return reverse("backoffice:dunning_plan", args=[shop.slug])


def test_a_step_turned_off_is_never_queued(shop, company):
    services.update_plan(
        seller=shop,
        steps=DEFAULT | {"friendly": (-5, False), "penalties": (2, True)},
        auto_send_reminders=False,
        by=None,
    )
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    due = invoice.due_date

    assert services.queue_due(seller=shop, on=due - timedelta(days=5)) == []
    assert services.queue_due(seller=shop, on=due + timedelta(days=1)) == []
    [notice] = services.queue_due(seller=shop, on=due + timedelta(days=2))
    assert notice.kind == "penalties"
    assert [s.kind for s in selectors.plan_steps(seller=shop)] == [
        "penalties",
        "second",
        "formal_notice",
    ]


def test_steps_out_of_order_are_refused_naming_the_step(shop):
    with pytest.raises(ValidationError) as refused:
        services.update_plan(
            seller=shop,
            steps=DEFAULT | {"second": (1, True), "formal_notice": (0, True)},
            auto_send_reminders=False,
            by=None,
        )
    assert set(refused.value.message_dict) == {"second", "formal_notice"}
    assert "J+1" in refused.value.message_dict["formal_notice"][0]
    assert selectors.plan_steps(seller=shop)[1].offset_days == 1  # the default, unchanged


def test_the_owner_edits_the_plan_on_screen(client, shop):
    client.force_login(make_staff(shop, Role.OWNER))

    page = text(client.get(plan_url(shop)))
    done = client.post(
        plan_url(shop),
        form_data(DEFAULT | {"penalties": (3, True), "second": (20, False)}, auto=True),
    )
    refused = client.post(plan_url(shop), form_data(DEFAULT | {"second": (-1, True)}))

    assert "Rappel amical" in page
    assert "Mise en demeure" in page
    assert done.status_code == 302
    assert refused.status_code == 400
    assert "au moins J+1" in text(refused)
    plan = selectors.plan_of(seller=shop)
    assert plan.auto_send_reminders
    assert {s.kind: (s.offset_days, s.enabled) for s in plan.steps.all()} == {
        "friendly": (-3, True),
        "penalties": (3, True),
        "second": (20, False),
        "formal_notice": (30, True),
    }
    assert Event.objects.filter(verb="dunning_plan.changed").count() == 1


def test_accounting_may_edit_the_plan_and_sales_only_read_it(client, shop):
    client.force_login(make_staff(shop, Role.SALES))
    assert "Rappel amical" in text(client.get(plan_url(shop)))
    assert client.post(plan_url(shop), form_data(DEFAULT, auto=True)).status_code == 403
    assert selectors.plan_of(seller=shop) is None

    client.force_login(make_staff(shop, Role.ACCOUNTING, username="compta"))
    assert client.post(plan_url(shop), form_data(DEFAULT, auto=True)).status_code == 302
    assert selectors.plan_of(seller=shop).auto_send_reminders


def _late_invoice_today(shop, company):
    """An invoice about ten days past due today, whatever today is: its step due is the
    penalty reminder (J+1 reached, J+15 not yet)."""
    issued = timezone.now() - timedelta(days=40)
    invoice = make_issued_invoice(shop, company, now=issued, lines=[LINE])
    late = (timezone.localdate() - invoice.due_date).days
    assert 1 <= late < 15
    return invoice


@pytest.mark.parametrize("auto", [True, False])
def test_the_daily_run_sends_reminders_by_itself_only_when_chosen(
    shop, company, smtp_server, immediate_tasks, django_capture_on_commit_callbacks, auto
):
    services.update_plan(seller=shop, steps=DEFAULT, auto_send_reminders=auto, by=None)
    invoice = _late_invoice_today(shop, company)

    with django_capture_on_commit_callbacks(execute=True):
        queue_dunning.call()

    [notice] = DunningNotice.objects.filter(invoice=invoice)
    assert notice.kind == "penalties"
    if auto:
        assert notice.status == NoticeStatus.SENT
        [mail] = smtp_server.inbox.messages
        assert invoice.number in mail.message["Subject"]
        assert mail.rcpt_tos == [company.email]
    else:
        assert notice.status == NoticeStatus.QUEUED
        assert smtp_server.inbox.messages == []


def test_a_formal_notice_is_never_sent_by_itself(shop, company, smtp_server, immediate_tasks):
    services.update_plan(seller=shop, steps=DEFAULT, auto_send_reminders=True, by=None)
    issued = timezone.now() - timedelta(days=75)
    invoice = make_issued_invoice(shop, company, now=issued, lines=[LINE])
    assert (timezone.localdate() - invoice.due_date).days >= 30

    queue_dunning.call()

    [notice] = DunningNotice.objects.filter(invoice=invoice)
    assert (notice.kind, notice.status) == ("formal_notice", NoticeStatus.QUEUED)
    assert smtp_server.inbox.messages == []


def test_a_client_without_an_e_mail_does_not_stop_the_others_reminders(
    shop, company, smtp_server, immediate_tasks, django_capture_on_commit_callbacks
):
    from clausier.customers.models import Client
    from tests.factories import make_client

    services.update_plan(seller=shop, steps=DEFAULT, auto_send_reminders=True, by=None)
    mute = make_client(shop, kind="company", name="Sans Courriel SAS", siren="732829320")
    unreachable = _late_invoice_today(shop, mute)
    reached = _late_invoice_today(shop, company)
    Client.objects.filter(pk=mute.pk).update(email="")

    with django_capture_on_commit_callbacks(execute=True):
        queue_dunning.call()

    statuses = {n.invoice_id: n.status for n in DunningNotice.objects.all()}
    assert statuses == {unreachable.pk: NoticeStatus.QUEUED, reached.pk: NoticeStatus.SENT}
    assert [m.rcpt_tos for m in smtp_server.inbox.messages] == [[company.email]]


def test_a_seller_without_a_plan_sees_the_default_plan_it_follows(client, shop):
    client.force_login(make_staff(shop, Role.OWNER))

    page = client.get(plan_url(shop)).content.decode()

    assert selectors.plan_of(seller=shop) is None
    for kind, (offset, _on) in DEFAULT.items():
        assert re.search(rf'name="offset_{kind}"[^>]* value="{offset}"', page), kind
        assert re.search(rf'name="enabled_{kind}"[^>]* checked', page), kind
