"""The screens of seed 002 art. 11: the domains register (back office), a domain registered
from its contract's page, « Mes noms de domaine » (portal), a restore asked from the
portal with its fee and clause shown first, then marked done (invoiced) or refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clausier.contracts import services
from clausier.contracts.models import Domain, RestoreRequest
from clausier.invoicing.models import Invoice
from tests.contracts.conftest import DOMAIN, HOSTING, open_yearly
from tests.factories import make_client, make_contact
from tests.factories.invoicing import invoicing_agency

pytestmark = pytest.mark.django_db

BACKUP = {"kind": "backup", "description": "Option de sauvegarde", "amount_ht": "120.00"}


@pytest.fixture
def agency(db):
    return invoicing_agency()


@pytest.fixture
def bakery(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")


def _contract(agency, bakery, lines=None):
    lines = lines if lines is not None else [dict(HOSTING), dict(DOMAIN), dict(BACKUP)]
    return open_yearly(
        agency, bakery, start_on=timezone.localdate() - timedelta(days=40), lines=lines
    )


def _bo(agency, name, **kw):
    return reverse(f"backoffice:{name}", kwargs={"slug": agency.slug, **kw})


def test_staff_register_a_domain_from_the_contract_page_and_find_it_in_the_register(
    client, agency, bakery, agency_owner
):
    contract = _contract(agency, bakery)
    client.force_login(agency_owner)
    page = client.get(_bo(agency, "contract", contract_id=contract.pk)).content.decode()
    assert "Enregistrer un nom de domaine" in page
    day = timezone.localdate() - timedelta(days=3)
    refused = client.post(
        _bo(agency, "contract_domain", contract_id=contract.pk),
        {"name": "pas un domaine", "registrar": "Gandi", "registered_on": day.isoformat()},
    )
    assert refused.status_code == 400
    assert "nom de domaine invalide" in refused.content.decode()
    assert not Domain.objects.exists()
    sent = client.post(
        _bo(agency, "contract_domain", contract_id=contract.pk),
        {"name": "Boulangerie-Martin.fr", "registrar": "Gandi", "registered_on": day.isoformat()},
    )
    record = Domain.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == _bo(agency, "domain", domain_id=record.pk)
    register = client.get(_bo(agency, "domains") + "?expiring=1").content.decode()
    assert "boulangerie-martin.fr" not in register  # a year away: not expiring soon
    register = client.get(_bo(agency, "domains")).content.decode()
    assert "boulangerie-martin.fr" in register
    assert record.expires_on.strftime("%d/%m/%Y") in register
    detail = client.get(_bo(agency, "domain", domain_id=record.pk)).content.decode()
    assert agency.legal_name in detail  # the registrant: the seller (art. 11)
    assert "même si la prestation associée est résiliée" in detail


def test_the_register_reads_in_english(client, agency, bakery, agency_owner):
    services.register_domain(
        contract=_contract(agency, bakery),
        name="boulangerie-martin.fr",
        registrar="Gandi",
        registered_on=timezone.localdate() - timedelta(days=3),
        by=None,
    )
    client.force_login(agency_owner)
    with translation.override("en"):
        page = client.get(_bo(agency, "domains")).content.decode()
    assert "Domain names" in page
    assert "boulangerie-martin.fr" in page


def test_a_client_asks_a_restore_from_the_portal_and_staff_bill_it(
    client, agency, bakery, agency_owner
):
    contract = _contract(agency, bakery)
    contact = make_contact(bakery)
    client.force_login(contact.user)
    url = reverse("portal:contract_restore", kwargs={"contract_id": contract.pk})
    assert (
        "Demander une restauration"
        in client.get(
            reverse("portal:contract", kwargs={"contract_id": contract.pk})
        ).content.decode()
    )
    shown = client.get(url).content.decode()
    assert "79,00" in shown
    assert "hosting.restore_fee" in shown
    backup_on = timezone.localdate() - timedelta(days=1)
    asked = client.post(url, {"backup_on": backup_on.isoformat(), "note": "Site défiguré"})
    assert asked.status_code == 302
    request = RestoreRequest.objects.get()
    assert (request.from_portal, request.status) == (True, "requested")

    client.force_login(agency_owner)
    listing = client.get(_bo(agency, "restores")).content.decode()
    assert "Site défiguré" in listing
    done = client.post(_bo(agency, "restore_done", restore_id=request.pk))
    assert done.status_code == 302
    [invoice] = Invoice.objects.filter(client=bakery)
    assert str(invoice.total_ht) == "79.00"
    again = client.post(_bo(agency, "restore_done", restore_id=request.pk))
    assert again.status_code == 409
    assert Invoice.objects.filter(client=bakery).count() == 1


def test_without_the_backup_option_the_portal_refuses_a_restore(client, agency, bakery):
    contract = _contract(agency, bakery, lines=[dict(HOSTING)])
    contact = make_contact(bakery)
    client.force_login(contact.user)
    url = reverse("portal:contract_restore", kwargs={"contract_id": contract.pk})
    assert "ne s'applique qu'à cette option" in client.get(url).content.decode()
    refused = client.post(url, {"backup_on": (timezone.localdate()).isoformat()})
    assert refused.status_code == 409
    assert not RestoreRequest.objects.exists()


def test_staff_refuse_a_restore_with_a_reason(client, agency, bakery, agency_owner):
    request = services.request_restore(
        contract=_contract(agency, bakery),
        backup_on=timezone.localdate(),
        from_portal=False,
        by=None,
    )
    client.force_login(agency_owner)
    url = _bo(agency, "restore_refuse", restore_id=request.pk)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Aucune sauvegarde ce jour-là"}).status_code == 302
    assert RestoreRequest.objects.get().status == "refused"
    assert not Invoice.objects.exists()


def test_the_portal_lists_the_clients_own_domains_only(client, agency, bakery):
    services.register_domain(
        contract=_contract(agency, bakery),
        name="boulangerie-martin.fr",
        registrar="Gandi",
        registered_on=timezone.localdate() - timedelta(days=3),
        by=None,
    )
    other = make_client(agency, kind="company", name="Atelier", siren="732829320")
    client.force_login(make_contact(other).user)
    assert "boulangerie-martin.fr" not in client.get(reverse("portal:domains")).content.decode()
    client.force_login(make_contact(bakery).user)
    assert "boulangerie-martin.fr" in client.get(reverse("portal:domains")).content.decode()
