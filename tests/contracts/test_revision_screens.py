"""The contract page (back office) proposes a price revision (seed 002 art. 12b) and records
an insolvency formal notice with the legal lint's warning (C. com. L622-13); the portal's
contract page offers "Accepter le nouveau tarif" / "Refuser", each through a confirmation
page stating the consequence. Dated from today."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clausier.contracts import services
from clausier.contracts.models import InsolvencyNotice, PriceRevision
from tests.contracts.conftest import open_yearly

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_and_tasks")]


def _url(agency, contract, name="contract"):
    return reverse(f"backoffice:{name}", kwargs={"slug": agency.slug, "contract_id": contract.pk})


def _contract(agency, client):
    # A yearly term ending in about two months: in the renewals to come.
    return open_yearly(agency, client, start_on=timezone.localdate() - timedelta(days=300))


def test_staff_propose_a_revision_from_the_contract_page(client, agency, bakery, agency_owner):
    contract = _contract(agency, bakery)
    line = contract.lines.get()
    client.force_login(agency_owner)
    page = client.get(_url(agency, contract)).content.decode()
    assert "Proposer une révision du tarif" in page
    lowered = client.post(
        _url(agency, contract, "contract_price_revision"),
        {"reason": "traffic", f"amount_{line.pk}": "1000.00"},
    )
    assert lowered.status_code == 400
    assert "hausse" in lowered.content.decode()
    assert not PriceRevision.objects.exists()
    sent = client.post(
        _url(agency, contract, "contract_price_revision"),
        {"reason": "traffic", "reason_note": "Trafic x4", f"amount_{line.pk}": "1500.00"},
    )
    assert sent.status_code == 302
    assert PriceRevision.objects.get().new_total_ht == Decimal("1500.00")
    page = client.get(_url(agency, contract)).content.decode()
    assert "Pas de tacite reconduction à cette échéance" in page
    assert "Enregistrer la réponse écrite du client" in page
    renewals = client.get(
        reverse("backoffice:contract_renewals", kwargs={"slug": agency.slug})
    ).content.decode()
    assert "révision du tarif : pas de tacite reconduction" in renewals


def test_staff_record_the_clients_written_refusal(client, agency, bakery, agency_owner):
    contract = _contract(agency, bakery)
    services.propose_price_revision(
        contract=contract, amounts={contract.lines.get().pk: "1300"}, reason="size", by=None
    )
    client.force_login(agency_owner)
    answered = client.post(
        _url(agency, contract, "contract_price_revision_answer"), {"accept": "no"}
    )
    assert answered.status_code == 302
    revision = PriceRevision.objects.get()
    assert (revision.status, revision.decided_via) == ("refused", "written")


def test_the_client_accepts_from_the_portal_after_a_confirmation(
    client, agency, bakery, bakery_contact
):
    contract = _contract(agency, bakery)
    services.propose_price_revision(
        contract=contract, amounts={contract.lines.get().pk: "1500"}, reason="traffic", by=None
    )
    client.force_login(bakery_contact.user)
    page = client.get(reverse("portal:contract", args=[contract.pk])).content.decode()
    assert "Accepter le nouveau tarif" in page
    assert "Refuser" in page
    confirm = client.get(reverse("portal:contract_price_accept", args=[contract.pk]))
    assert confirm.status_code == 200
    assert "reconduit à son échéance" in confirm.content.decode()
    refuse = client.get(reverse("portal:contract_price_refuse", args=[contract.pk]))
    assert "prendra fin à son échéance" in refuse.content.decode()
    assert "remboursées au prorata" in refuse.content.decode()
    mail.outbox.clear()
    done = client.post(reverse("portal:contract_price_accept", args=[contract.pk]))
    assert done.status_code == 302
    revision = PriceRevision.objects.get()
    assert (revision.status, revision.decided_via, revision.decided_by) == (
        "accepted",
        "portal",
        bakery_contact.user,
    )
    page = client.get(reverse("portal:contract", args=[contract.pk])).content.decode()
    assert "Accepter le nouveau tarif" not in page


def test_staff_record_an_insolvency_notice_beside_the_lint_warning(
    client, agency, bakery, agency_owner
):
    contract = _contract(agency, bakery)
    client.force_login(agency_owner)
    page = client.get(_url(agency, contract)).content.decode()
    assert "C. com. L622-13 I; C. com. L641-11-1" in page
    assert "réputée non écrite" in page
    sent_on = timezone.localdate() - timedelta(days=10)
    done = client.post(
        _url(agency, contract, "contract_insolvency"),
        {
            "insolvent_party": "client",
            "procedure": "liquidation",
            "administrator": "Me Durand",
            "sent_on": sent_on.isoformat(),
            "tracking_number": "1A00000000099",
        },
    )
    assert done.status_code == 302
    notice = InsolvencyNotice.objects.get()
    early = client.post(
        _url(agency, contract, "contract_insolvency_terminate"),
        {"effective_on": timezone.localdate().isoformat()},
    )
    assert early.status_code == 400
    assert notice.termination_from.strftime("%d/%m/%Y") in early.content.decode()


def test_the_contract_api_shows_the_pending_revision_and_proposes_one(agency, bakery):
    from clausier.contracts import presenters

    contract = _contract(agency, bakery)
    assert presenters.as_api(contract)["price_revision"] is None
    services.propose_price_revision(
        contract=contract, amounts={contract.lines.get().pk: "1500"}, reason="traffic", by=None
    )
    contract.refresh_from_db()
    shown = presenters.as_api(contract)["price_revision"]
    assert (shown["status"], shown["new_total_ht"]) == ("proposed", Decimal("1500.00"))


def test_terms_without_the_clauses_offer_neither_form(client, paas, paas_company, paas_staff):
    contract = open_yearly(paas, paas_company, start_on=timezone.localdate() - timedelta(days=30))
    client.force_login(paas_staff)
    page = client.get(_url(paas, contract)).content.decode()
    assert "Proposer une révision du tarif" not in page
    assert "Enregistrer une mise en demeure" not in page
    assert "L622-13" not in page
