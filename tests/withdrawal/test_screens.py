"""The withdrawal screens: the consumer's "Je me rétracte" (the model form of R221-1) and the
status of its requests in the portal; the back-office list with its clocks (an overdue refund
in red with its days late), a request received by post registered, the refund marked sent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.payments.models import Refund
from clausier.withdrawal.models import WithdrawalRequest
from tests.factories import make_contact
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered

pytestmark = pytest.mark.django_db


def _recent(paas, client, **kwargs):
    """An order concluded two days ago: the portal decides as of today."""
    return concluded_order(paas, client, concluded_at=timezone.now() - timedelta(days=2), **kwargs)


def test_a_consumer_withdraws_with_the_model_form_and_sees_it_accepted(
    client, paas, paas_consumer, consumer_login
):
    order = _recent(paas, paas_consumer)
    client.force_login(consumer_login)

    page = client.get(reverse("portal:withdrawal_new"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Je vous notifie par la présente ma rétractation du contrat" in text
    assert order.reference in text
    assert "R221-1" in text

    response = client.post(
        reverse("portal:withdrawal_new"),
        {"order": order.pk, "consumer_name": "Émilie Durand", "consumer_address": "Nantes"},
    )

    withdrawal = WithdrawalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:withdrawal", kwargs={"withdrawal_id": withdrawal.pk}
    )
    assert (withdrawal.channel, withdrawal.status) == ("portal", "accepted")
    assert withdrawal.received_on == timezone.localdate()
    detail = client.get(response["Location"]).content.decode()
    assert "Acceptée" in detail
    assert "Pourquoi ?" in detail
    assert "CGV : 7 jours francs ; loi : 14 jours, L221-18" in detail
    listed = client.get(reverse("portal:withdrawals")).content.decode()
    assert order.reference in listed
    pdf = client.get(reverse("portal:withdrawal_pdf", kwargs={"withdrawal_id": withdrawal.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    # The order says it was withdrawn from, and when.
    shown = client.get(reverse("portal:order", kwargs={"order_id": order.pk})).content.decode()
    assert "Rétractée" in shown
    assert f"Vous vous êtes rétracté le {timezone.localdate():%d/%m/%Y}" in shown


def test_a_consumer_cannot_withdraw_twice_nor_from_another_clients_order(
    client, paas, paas_consumer, consumer_login
):
    from tests.factories import make_client

    neighbour = make_client(paas, kind="consumer", name="Paul Martin")
    theirs = _recent(paas, neighbour, reference="ch_theirs")
    mine = _recent(paas, paas_consumer)
    client.force_login(consumer_login)

    refused = client.post(
        reverse("portal:withdrawal_new"), {"order": theirs.pk, "consumer_name": "Émilie"}
    )
    assert refused.status_code == 400  # not one of the choices: nothing written
    assert not WithdrawalRequest.objects.exists()
    client.post(reverse("portal:withdrawal_new"), {"order": mine.pk, "consumer_name": "Émilie"})
    again = client.post(
        reverse("portal:withdrawal_new"), {"order": mine.pk, "consumer_name": "Émilie"}
    )
    assert again.status_code == 400  # the order is no longer offered
    assert WithdrawalRequest.objects.count() == 1
    other = registered(theirs, received_on=timezone.localdate(), by=None)
    assert (
        client.get(reverse("portal:withdrawal", kwargs={"withdrawal_id": other.pk})).status_code
        == 404
    )


def test_a_professional_is_told_the_right_is_for_consumers(client, paas, paas_company):
    _recent(paas, paas_company)
    client.force_login(make_contact(paas_company).user)

    page = client.get(reverse("portal:withdrawal_new")).content.decode()

    assert "réservé aux consommateurs" in page
    assert "Mes rétractations" not in client.get(reverse("portal:orders")).content.decode()


def test_the_list_shows_an_overdue_refund_in_red_with_its_days_late(
    client, paas, paas_consumer, paas_staff
):
    order = concluded_order(paas, paas_consumer, concluded_at=paris(2026, 5, 4, 10, 10))
    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff)
    client.force_login(paas_staff)

    page = client.get(reverse("backoffice:withdrawals", kwargs={"slug": paas.slug}))

    text = page.content.decode()
    # Due Tue 26/05/2026 (11/05 + 14 = Whit Monday 25/05, carried).
    late = (timezone.localdate() - date(2026, 5, 26)).days
    assert "Remboursements de rétractation en retard" in text
    assert f"{late} jours de retard" in text
    assert 'class="badge badge--late"' in text
    assert order.reference in text
    overdue = client.get(
        reverse("backoffice:withdrawals", kwargs={"slug": paas.slug}) + "?overdue=1"
    ).content.decode()
    assert order.reference in overdue

    order_page = client.get(
        reverse("backoffice:order", kwargs={"slug": paas.slug, "order_id": order.pk})
    ).content.decode()
    assert "Rétractée le" in order_page
    assert "11/05/2026 : rétractation du consommateur acceptée (C. conso. L221-18)" in order_page
    home = reverse("backoffice:home", kwargs={"slug": paas.slug})
    assert "Remboursements de rétractation en retard" in client.get(home).content.decode()
    # Staff mark the refund sent in payments' refund screens: the withdrawal's clock stops,
    # on its list and on the dashboard.
    [refund] = Refund.objects.filter(payment__order=order)
    sent = client.post(
        reverse("backoffice:refund_send", kwargs={"slug": paas.slug, "refund_id": refund.pk}),
        {"day": timezone.localdate().isoformat(), "reference": "re_1"},
    )
    assert sent.status_code == 302
    after = client.get(reverse("backoffice:withdrawals", kwargs={"slug": paas.slug}))
    assert "Remboursements de rétractation en retard" not in after.content.decode()
    dashboard = client.get(home)
    assert "Remboursements de rétractation en retard" not in dashboard.content.decode()
    detail = client.get(
        reverse("backoffice:withdrawal", kwargs={"slug": paas.slug, "withdrawal_id": withdrawal.pk})
    ).content.decode()
    assert "Envoyé" in detail


def test_staff_register_a_withdrawal_received_by_post(client, paas, paas_consumer, paas_staff):
    order = concluded_order(paas, paas_consumer, concluded_at=paris(2026, 5, 4, 10, 10))
    client.force_login(paas_staff)
    url = reverse("backoffice:withdrawal_new", kwargs={"slug": paas.slug})

    refused = client.post(url, {"order": order.pk, "channel": "post", "received_on": "2026-05-01"})
    assert refused.status_code == 400
    assert "précéder la conclusion" in refused.content.decode()
    response = client.post(
        url,
        {
            "order": order.pk,
            "channel": "post",
            "received_on": "2026-05-19",
            "statement": "Je me rétracte.",
        },
    )

    withdrawal = WithdrawalRequest.objects.get()
    assert response.status_code == 302
    assert (withdrawal.channel, withdrawal.status, withdrawal.reason_code) == (
        "post",
        "refused",
        "late",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Refusée" in page
    assert "après la fin du délai de rétractation le 18/05/2026" in page


def test_the_dashboard_shows_an_overdue_refund_in_red(client, paas, paas_consumer, paas_staff):
    order = concluded_order(paas, paas_consumer, concluded_at=paris(2026, 5, 4, 10, 10))
    registered(order, received_on=date(2026, 5, 11), by=paas_staff)
    client.force_login(paas_staff)

    text = client.get(reverse("backoffice:home", kwargs={"slug": paas.slug})).content.decode()

    late = (timezone.localdate() - date(2026, 5, 26)).days
    assert "Remboursements de rétractation en retard" in text
    assert f"{late} jours de retard" in text
    assert 'class="badge badge--late"' in text
