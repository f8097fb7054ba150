"""The client's « Recouvrement » page (seed 002 art. 6): the due dates brought forward, each
with its « pourquoi ? », waived by staff with a reason; the suspension for non-payment
decided (only when the terms allow it) and lifted with a reason; the badge on the client's
page; the nightly acceleration, run twice, changes nothing the second time."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.collections import standing
from clausier.collections import standing_selectors as sel
from clausier.collections.standing_models import Acceleration
from clausier.collections.tasks import accelerate_late_invoices
from clausier.sellers.models import Role
from tests.collections.test_standing import FIRST, LINE, SECOND
from tests.collections.test_standing import agency as agency
from tests.factories import make_client, make_issued_invoice, make_staff

pytestmark = pytest.mark.django_db
BADGE = ">Suspendu pour impayé</span>"  # the badge, not the history's sentence


def shown(response) -> str:
    text = re.sub(r"<[^>]+>", " ", unescape(response.content.decode()))
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", text))


@pytest.fixture
def debtor(agency):
    return make_client(agency, kind="company", name="Atelier Dupont SARL", siren="552081317")


@pytest.fixture
def owner(agency):
    return make_staff(agency, Role.OWNER)


def page_url(seller, client) -> str:
    return reverse("backoffice:client_standing", args=[seller.slug, client.pk])


def test_the_page_lists_each_acceleration_and_its_waiver_needs_a_reason(
    client, agency, debtor, owner
):
    late = make_issued_invoice(agency, debtor, now=FIRST, lines=[LINE])
    later = make_issued_invoice(agency, debtor, now=SECOND, lines=[LINE])
    (acceleration,) = standing.accelerate_late(seller=agency, on=date(2026, 2, 17))
    client.force_login(owner)

    page = shown(client.get(page_url(agency, debtor)))
    assert "Recouvrement" in page
    assert later.number in page
    assert f"{later.due_date:%d/%m/%Y}" in page  # the original due date
    assert "17/02/2026" in page  # the new one
    assert f"facture {late.number} en retard (art. 6 CGV v1)" in page
    assert "Pourquoi ?" in page
    assert "exigibilité immédiate de toute somme restant due" in page
    assert "Annuler l'exigibilité anticipée" in page

    revert = reverse("backoffice:acceleration_revert", args=[agency.slug, acceleration.pk])
    refused = client.post(revert, {"reason": "  "})
    assert refused.status_code == 400
    assert "Motif de l'annulation" in shown(refused)
    assert "Indiquez le motif de l'annulation de l'exigibilité anticipée." in shown(refused)
    acceleration.refresh_from_db()
    assert not acceleration.reverted

    done = client.post(revert, {"reason": "échéancier accordé"}, follow=True)
    assert done.status_code == 200
    acceleration.refresh_from_db()
    assert acceleration.reverted
    assert acceleration.revert_reason == "échéancier accordé"
    assert sel.effective_due_date(later).value == later.due_date
    assert "échéancier accordé" in shown(done)
    assert "Annuler l'exigibilité anticipée" not in shown(done)


def test_staff_suspend_a_late_client_see_the_badge_and_lift_it_with_a_reason(
    client, agency, debtor, owner
):
    make_issued_invoice(agency, debtor, now=FIRST, lines=[LINE])
    client.force_login(owner)
    assert "Suspendre pour impayé" in shown(client.get(page_url(agency, debtor)))

    suspended = client.post(
        reverse("backoffice:client_standing_suspend", args=[agency.slug, debtor.pk]),
        follow=True,
    )
    assert suspended.status_code == 200
    assert "art. 6 CGV v1" in shown(suspended)
    assert "Lever la suspension" in shown(suspended)
    debtor.refresh_from_db()
    assert debtor.suspended_for_non_payment_since is not None
    client_page = client.get(reverse("backoffice:client", args=[agency.slug, debtor.pk]))
    assert BADGE in client_page.content.decode()
    assert "Voir le recouvrement" in shown(client_page)

    resume = reverse("backoffice:client_standing_resume", args=[agency.slug, debtor.pk])
    refused = client.post(resume, {"reason": ""})
    assert refused.status_code == 400
    assert "Indiquez le motif de la levée de la suspension." in shown(refused)
    debtor.refresh_from_db()
    assert debtor.suspended_for_non_payment_since is not None

    assert client.post(resume, {"reason": "échéancier accepté"}).status_code == 302
    debtor.refresh_from_db()
    assert debtor.suspended_for_non_payment_since is None
    client_page = client.get(reverse("backoffice:client", args=[agency.slug, debtor.pk]))
    assert BADGE not in client_page.content.decode()


def test_a_client_with_nothing_late_shows_why_it_cannot_be_suspended(client, agency, debtor, owner):
    client.force_login(owner)
    page = shown(client.get(page_url(agency, debtor)))
    assert "Suspendre pour impayé" not in page
    assert "Aucune facture de ce client n'est en retard" in page

    refused = client.post(
        reverse("backoffice:client_standing_suspend", args=[agency.slug, debtor.pk])
    )
    assert refused.status_code == 409
    assert "Aucune facture de ce client n'est en retard" in shown(refused)
    debtor.refresh_from_db()
    assert debtor.suspended_for_non_payment_since is None


def test_the_read_only_accountant_sees_the_page_without_the_buttons(client, agency, debtor):
    make_issued_invoice(agency, debtor, now=FIRST, lines=[LINE])
    make_issued_invoice(agency, debtor, now=SECOND, lines=[LINE])
    standing.accelerate_late(seller=agency, on=date(2026, 2, 17))
    client.force_login(make_staff(agency, Role.ACCOUNTANT))
    page = shown(client.get(page_url(agency, debtor)))
    assert "17/02/2026" in page
    assert "Suspendre pour impayé" not in page
    assert "Annuler l'exigibilité anticipée" not in page


def test_the_nightly_acceleration_run_twice_changes_nothing_the_second_time(agency, debtor):
    make_issued_invoice(agency, debtor, now=FIRST, lines=[LINE])
    later = make_issued_invoice(agency, debtor, now=SECOND, lines=[LINE])

    first = accelerate_late_invoices.call(on="2026-02-17")
    assert first == {"sellers": 1, "accelerated": 1, "errors": 0}
    rows = list(Acceleration.objects.values())

    second = accelerate_late_invoices.call(on="2026-02-17")
    assert second == {"sellers": 1, "accelerated": 0, "errors": 0}
    assert list(Acceleration.objects.values()) == rows
    assert sel.effective_due_date(later).value == date(2026, 2, 17)
    assert timezone.localdate()  # the task's default day is Paris's today
