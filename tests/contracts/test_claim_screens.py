"""The screens of claims and archives: the claim recorded from the contract page with its cap
and "pourquoi ?" (the payments counted), the register, the decision; the archive refused on a
running contract, asked from the portal, listed to deliver with the overdue flagged and
delivered with its evidence; in French and English."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clausier.contracts import services
from clausier.contracts.models import ArchiveRequest, LiabilityClaim
from tests.contracts.conftest import open_yearly
from tests.contracts.test_claims import order_invoice, pay, service_contract
from tests.factories import make_contact
from tests.factories.quotes import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_and_tasks")]


def _url(agency, name, **kw):
    return reverse(f"backoffice:{name}", kwargs={"slug": agency.slug, **kw})


def test_a_claim_recorded_from_the_contract_page_shows_its_cap_and_why(client, bakery):
    from tests.factories import make_staff

    agency, order, contract = service_contract(bakery, vat=True)
    invoice = order_invoice(agency, bakery, order, ht="1200.00", day=paris(2026, 6, 1, 10))
    pay(invoice, "1440.00", date(2026, 6, 15))
    client.force_login(make_staff(agency))
    refused = client.post(
        _url(agency, "contract_claim", contract_id=contract.pk),
        {"received_on": "2026-07-01", "tracking_number": "", "description": "Panne"},
    )
    assert refused.status_code == 400
    assert not LiabilityClaim.objects.exists()
    sent = client.post(
        _url(agency, "contract_claim", contract_id=contract.pk),
        {
            "received_on": "2026-07-01",
            "sent_on": "2026-06-29",
            "tracking_number": "1A00000000077",
            "description": "Site indisponible trois jours",
            "amount_claimed": "5000",
            "exclusions": ["client_information"],
        },
    )
    assert sent.status_code == 302
    claim = LiabilityClaim.objects.get()
    page = client.get(_url(agency, "claim", claim_id=claim.pk)).content.decode()
    assert "600,00" in page
    assert "1\u202f200,00" in page
    assert "liability.cap" in page
    assert "Pourquoi ?" in page
    assert "2026-06-15" in page
    assert "1\u202f440,00" in page
    assert "manque d&#x27;information" in page
    register = client.get(_url(agency, "claims")).content.decode()
    assert bakery.name in register
    assert "600,00" in register
    decided = client.post(
        _url(agency, "claim_decide", claim_id=claim.pk),
        {"status": "under_review", "exclusions": ["client_information"]},
    )
    assert decided.status_code == 302
    too_much = client.post(
        _url(agency, "claim_decide", claim_id=claim.pk),
        {"status": "accepted", "decided_amount": "700"},
    )
    assert too_much.status_code == 400
    assert "plafond" in too_much.content.decode()
    again = client.post(_url(agency, "claim_recalculate", claim_id=claim.pk))
    assert again.status_code == 302
    english = client.get("/en" + _url(agency, "claim", claim_id=claim.pk)).content.decode()
    assert "Liability cap (art. 10)" in english
    assert "actually paid for the service on the claim date" in english
    assert "error caused by missing or wrong information from the client" in english


def test_the_archive_is_refused_while_running_then_asked_from_the_portal_and_delivered(
    client, agency, bakery, agency_owner, django_capture_on_commit_callbacks
):
    contract = open_yearly(agency, bakery, start_on=date(2026, 1, 1))
    client.force_login(agency_owner)
    page = client.get(_url(agency, "contract", contract_id=contract.pk)).content.decode()
    assert "art. 7" in page
    assert "se demande à la fin du contrat" in page
    refused = client.post(
        _url(agency, "contract_archive", contract_id=contract.pk),
        {"received_on": "2026-03-02", "channel": "letter"},
    )
    assert refused.status_code == 409
    services.terminate(contract=contract, effective_on=date(2026, 3, 31), reason="breach", by=None)
    contact = make_contact(bakery)
    client.force_login(contact.user)
    portal = client.get(reverse("portal:contract", kwargs={"contract_id": contract.pk}))
    assert "archive de mon site" in portal.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("portal:contract_archive", kwargs={"contract_id": contract.pk}))
    assert asked.status_code == 302
    request = ArchiveRequest.objects.get()
    assert request.channel == "portal"
    # Overdue: backdated past its deadline, shown first on the staff's list.
    ArchiveRequest.objects.filter(pk=request.pk).update(
        received_on=date(2026, 4, 1), deadline=date(2026, 5, 4)
    )
    client.force_login(agency_owner)
    due = client.get(_url(agency, "archives_due")).content.decode()
    assert contract.reference in due
    assert "en retard" in due
    delivered = client.post(
        _url(agency, "archive_deliver", request_id=request.pk),
        {
            "delivered_on": "2026-05-06",
            "method": "Lien de téléchargement",
            "reference": "https://example.test/archive.zip",
            "receipt": SimpleUploadedFile("recu.txt", b"ok", "text/plain"),
        },
    )
    assert delivered.status_code == 302
    request.refresh_from_db()
    assert request.status == "delivered"
    assert len(request.receipt_sha256) == 64
    page = client.get(_url(agency, "contract", contract_id=contract.pk)).content.decode()
    assert "https://example.test/archive.zip" in page
