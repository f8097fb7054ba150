"""Confidentiality (seed 002 art. 9): a confidential quote, its specification and its PDF,
and a confidential contract, are read only by the staff named on them and by the owner; the
API (a token names no person) never sees them; the flag's change is audited; the agency's
terms pre-tick the flag on a new quote. Confidentiality agreements: the signed PDF judged by
its content, downloaded by its client in the portal and by no other."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.audit.sentences import sentence
from clausier.contracts import services as contract_services
from clausier.contracts.models import NdaStatus
from clausier.kernel.errors import DomainError
from clausier.quotes import services as quote_services
from clausier.quotes.models import AttachmentKind
from clausier.sellers.models import Role
from tests.contracts.conftest import open_yearly
from tests.factories import make_client, make_contact, make_staff
from tests.factories.quotes import make_quote, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(agency):
    return agency


@pytest.fixture
def named(agency):
    return make_staff(agency, Role.SALES, username="named-sales")


@pytest.fixture
def colleague(agency):
    return make_staff(agency, Role.SALES, username="other-sales")


@pytest.fixture
def secret_quote(agency, bakery, named):
    quote = make_quote(agency, bakery, valid_until=timezone.localdate() + timedelta(days=30))
    quote_services.add_attachment(
        quote=quote, kind=AttachmentKind.SPECIFICATION, file=pdf_file(), by=None
    )
    quote = quote_services.send_quote(quote=quote, by=None)
    return quote_services.set_confidentiality(
        quote=quote,
        confidential=True,
        staff_ids=[named.pk],
        by=make_staff(agency, Role.OWNER, username="boss"),
    )


def _bo(agency, name, **kwargs):
    return reverse(f"backoffice:{name}", kwargs={"slug": agency.slug, **kwargs})


def test_named_staff_reads_the_quote_its_specification_and_pdf_others_get_403(
    client, agency, secret_quote, named, colleague, agency_owner
):
    spec = secret_quote.attachments.get(kind=AttachmentKind.SPECIFICATION)
    pages = {
        "quote": _bo(agency, "quote", quote_id=secret_quote.pk),
        "pdf": _bo(agency, "quote_pdf", quote_id=secret_quote.pk),
        "spec": _bo(agency, "quote_attachment", quote_id=secret_quote.pk, attachment_id=spec.pk),
    }
    for person in (named, agency_owner):
        client.force_login(person)
        for page in pages.values():
            assert client.get(page).status_code == 200, (person, page)
        listed = client.get(_bo(agency, "quotes")).content.decode()
        assert secret_quote.display_number in listed
    client.force_login(colleague)
    for page in pages.values():
        response = client.get(page)
        assert response.status_code == 403, page
    refused = client.get(pages["quote"]).content.decode()
    assert "confidentiel" in refused
    assert "art. 9" in refused
    assert secret_quote.client.name not in refused  # nothing of the content
    assert secret_quote.display_number not in client.get(_bo(agency, "quotes")).content.decode()


def test_the_owner_is_told_on_screen_they_always_see_it(client, agency, secret_quote, named):
    client.force_login(named)
    page = client.get(_bo(agency, "quote", quote_id=secret_quote.pk)).content.decode()
    assert "Confidentialité" in page
    assert "named-sales" in page
    assert "propriétaire du compte, qui y a toujours accès" in page


def test_the_api_never_lists_a_confidential_quote_and_answers_404(api, secret_quote, bakery):
    plain = make_quote(secret_quote.seller, bakery)
    ids = [row["id"] for row in api.get("/quotes").json()["items"]]
    assert plain.pk in ids
    assert secret_quote.pk not in ids
    assert api.get(f"/quotes/{secret_quote.pk}").status_code == 404
    assert api.get(f"/quotes/{secret_quote.pk}/pdf").status_code == 404


def test_the_flag_change_is_audited_and_only_named_or_owner_may_change_it(
    client, agency, secret_quote, named, colleague
):
    event = Event.objects.filter(verb="quote.confidentiality_changed").get()
    assert event.summary["after"]["confidential"] is True
    assert event.summary["after"]["confidential_staff"] == ["named-sales"]
    assert "Confidentialité du devis" in sentence(event)
    with pytest.raises(DomainError, match="déjà nommées"):
        quote_services.set_confidentiality(
            quote=secret_quote, confidential=False, staff_ids=[], by=colleague
        )
    client.force_login(named)
    response = client.post(
        _bo(agency, "quote_confidentiality", quote_id=secret_quote.pk),
        {"conf-confidential": "on", "conf-staff": [named.pk, colleague.pk]},
    )
    assert response.status_code == 302
    assert set(secret_quote.confidential_staff.values_list("username", flat=True)) == {
        "named-sales",
        "other-sales",
    }
    assert Event.objects.filter(verb="quote.confidentiality_changed").count() == 2


def test_a_stranger_cannot_be_named(agency, secret_quote, named, other_seller):
    stranger = make_staff(other_seller, Role.SALES, username="stranger")
    with pytest.raises(ValidationError):
        quote_services.set_confidentiality(
            quote=secret_quote, confidential=True, staff_ids=[stranger.pk], by=named
        )


def test_the_agencys_terms_pre_tick_the_flag_and_name_its_creator(
    client, agency, bakery, agency_sales
):
    client.force_login(agency_sales)
    page = client.get(_bo(agency, "quote_new")).content.decode()
    assert 'name="confidential"' in page
    assert "checked" in page.split('name="confidential"')[1][:80]
    assert "art. 9 de vos CGV" in page
    response = client.post(
        _bo(agency, "quote_new"),
        {
            "client": str(bakery.pk),
            "nature": "Site",
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "confidential": "on",
            "notes": "",
            "line_count": "1",
            "line-0-description": "Site vitrine",
            "line-0-quantity": "1",
            "line-0-unit": "flat",
            "line-0-unit_price": "1000",
            "line-0-vat_rate": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quote = bakery.quotes.get()
    assert quote.confidential
    assert list(quote.confidential_staff.all()) == [agency_sales]


def test_a_confidential_contract_is_hidden_from_other_staff_and_the_api(
    client, api, agency, bakery, named, colleague, agency_owner
):
    contract = open_yearly(agency, bakery, start_on=date(2026, 1, 1))
    contract_services.set_confidentiality(
        contract=contract, confidential=True, staff_ids=[named.pk], by=agency_owner
    )
    page = _bo(agency, "contract", contract_id=contract.pk)
    for person, status in ((named, 200), (agency_owner, 200), (colleague, 403)):
        client.force_login(person)
        assert client.get(page).status_code == status, person
    assert contract.reference not in client.get(_bo(agency, "contracts")).content.decode()
    assert api.get(f"/contracts/{contract.pk}").status_code == 404
    assert contract.pk not in [row["id"] for row in api.get("/contracts").json()["items"]]
    assert Event.objects.filter(verb="contract.confidentiality_changed").exists()


# --- confidentiality agreements --------------------------------------------------------------


def test_an_nda_that_is_not_a_pdf_is_refused_with_a_clear_message(agency, bakery):
    png = SimpleUploadedFile("accord.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 32, "application/pdf")
    with pytest.raises(ValidationError) as refused:
        contract_services.record_signed_nda(
            client=bakery,
            title="Projet boutique",
            file=png,
            signed_on=date(2026, 5, 4),
            effective_from=date(2026, 5, 4),
            by=None,
        )
    assert (
        "L'accord de confidentialité signé doit être un PDF"
        in refused.value.message_dict["file"][0]
    )


def test_an_nda_upload_refused_on_the_screen_names_the_field(client, agency, bakery, agency_owner):
    client.force_login(agency_owner)
    response = client.post(
        _bo(agency, "nda_new"),
        {
            "client": str(bakery.pk),
            "title": "Projet boutique",
            "file": SimpleUploadedFile("accord.pdf", b"plain text, no pdf", "application/pdf"),
            "signed_on": "2026-05-04",
            "effective_from": "2026-05-04",
        },
    )
    assert response.status_code == 400
    assert "doit être un PDF" in response.content.decode().replace("&#x27;", "'")


def test_the_client_requests_then_downloads_its_signed_nda_another_client_gets_404(
    client, agency, bakery, bakery_contact, agency_owner
):
    client.force_login(bakery_contact.user)
    asked = client.post(reverse("portal:ndas_request"), {"title": "Projet boutique"})
    assert asked.status_code == 302
    nda = bakery.ndas.get()
    assert nda.status == NdaStatus.REQUESTED
    assert nda.requested_by_client
    client.force_login(agency_owner)
    signed = client.post(
        _bo(agency, "nda_sign", nda_id=nda.pk),
        {
            "file": pdf_file("accord.pdf", b"signed"),
            "signed_on": timezone.localdate().isoformat(),
            "effective_from": timezone.localdate().isoformat(),
        },
    )
    assert signed.status_code == 302, signed.content.decode()[:2000]
    client.force_login(bakery_contact.user)
    nda.refresh_from_db()
    assert nda.status == NdaStatus.SIGNED
    assert len(nda.sha256) == 64
    listed = client.get(reverse("portal:ndas")).content.decode()
    assert "Projet boutique" in listed
    assert "sans limite de durée" in listed
    download = client.get(reverse("portal:nda_file", kwargs={"nda_id": nda.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    other = make_client(agency, "company", name="Autre SARL")
    client.force_login(make_contact(other, name="Paul Autre").user)
    assert client.get(reverse("portal:nda_file", kwargs={"nda_id": nda.pk})).status_code == 404
    # and staff see it on the client's page and download it; it is in the audit trail
    assert Event.objects.filter(verb="nda.signed").count() == 1
    client.force_login(agency_owner)
    page = client.get(_bo(agency, "client", client_id=bakery.pk)).content.decode()
    assert "Projet boutique" in page
    assert client.get(_bo(agency, "nda_file", nda_id=nda.pk)).status_code == 200


def test_the_order_of_a_confidential_quote_links_it_without_its_number(
    client, agency, secret_quote, colleague, named
):
    from clausier.quotes.models import QuoteStatus

    accepted = quote_services.record_postal_acceptance(
        quote=secret_quote,
        scan=pdf_file("bon-pour-accord.pdf"),
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        signed_on=timezone.localdate(),
        shows_bon_pour_accord=True,
        shows_signature=True,
        shows_date=True,
        shows_stamp=True,
        by=None,
    )
    assert accepted.quote.status == QuoteStatus.ACCEPTED
    page = _bo(agency, "order", order_id=accepted.order.pk)
    link = f'href="{_bo(agency, "quote", quote_id=secret_quote.pk)}">'
    # The order's reference is the quote's number; the link to the quote shows no more.
    client.force_login(colleague)
    assert f"{link}Devis confidentiel</a>" in client.get(page).content.decode()
    client.force_login(named)
    assert f"{link}{secret_quote.display_number}</a>" in client.get(page).content.decode()


def test_the_registers_hanging_off_a_confidential_contract_stay_with_its_named_staff(
    client, api, agency, bakery, named, colleague, agency_owner
):
    """Its claims, domain names and their pages follow the contract: a colleague not named
    sees none of them (404 on the pages), nor does an API token."""
    contract = open_yearly(
        agency,
        bakery,
        start_on=date(2026, 1, 1),
        lines=[
            {"kind": "hosting", "description": "Hébergement", "amount_ht": "1200.00"},
            {"kind": "domain", "description": "Nom de domaine", "amount_ht": "24.00"},
        ],
    )
    claim = contract_services.record_claim(
        contract=contract,
        received_on=date(2026, 3, 2),
        tracking_number="1A SECRET 42",
        description="Formulaire en panne",
        by=None,
        now=timezone.make_aware(timezone.datetime(2026, 3, 3, 9)),
    )
    domain = contract_services.register_domain(
        contract=contract,
        name="secret-client.fr",
        registrar="Gandi",
        registered_on=date(2026, 1, 5),
        by=None,
        now=timezone.make_aware(timezone.datetime(2026, 1, 6, 9)),
    )
    contract_services.set_confidentiality(
        contract=contract, confidential=True, staff_ids=[named.pk], by=agency_owner
    )
    pages = {
        "claims": (_bo(agency, "claims"), _bo(agency, "claim", claim_id=claim.pk)),
        "domains": (_bo(agency, "domains"), "secret-client.fr"),
    }
    client.force_login(named)
    for url, marker in pages.values():
        assert marker in client.get(url).content.decode()
    assert client.get(_bo(agency, "claim", claim_id=claim.pk)).status_code == 200
    client.force_login(colleague)
    for url, marker in pages.values():
        assert marker not in client.get(url).content.decode()
    assert client.get(_bo(agency, "claim", claim_id=claim.pk)).status_code == 404
    assert client.get(_bo(agency, "domain", domain_id=domain.pk)).status_code == 404
    assert api.get("/contracts/claims").json()["count"] == 0
    assert "secret-client.fr" not in api.get("/domains").content.decode()


def test_the_contract_of_a_confidential_quote_is_confidential_for_the_same_staff(bakery):
    """Seed 002 art. 9: the clauses of the signed quote are confidential, so are those of the
    contract made from it at the acceptance, for the same named staff."""
    from clausier.contracts.models import Contract
    from tests.contracts.test_handlers import RECURRING
    from tests.factories.invoicing import accept, invoicing_agency
    from tests.factories.quotes import paris, sent_quote

    agency = invoicing_agency()
    owner = make_staff(agency, Role.OWNER, username="patronne")
    seller_named = make_staff(agency, Role.SALES, username="vendeur-nomme")
    quote = sent_quote(agency, bakery, now=paris(2026, 5, 4, 10), lines=RECURRING)
    quote_services.set_confidentiality(
        quote=quote, confidential=True, staff_ids=[seller_named.pk], by=owner
    )
    order = accept(quote, now=paris(2026, 5, 22, 10)).order
    contract = Contract.objects.get(order=order)
    assert contract.confidential
    assert list(contract.confidential_staff.all()) == [seller_named]


def test_the_audit_trail_keeps_a_confidential_quotes_events_from_staff_not_named(
    client, agency, secret_quote, agency_owner
):
    """Accounting reads the seller's audit trail, but not the events of a quote it may not
    read (art. 9): their sentences name the quote and its client. The owner sees them."""
    accountant = make_staff(agency, Role.ACCOUNTING, username="compta")
    marker = secret_quote.display_number
    client.force_login(agency_owner)
    assert marker in client.get(_bo(agency, "audit")).content.decode()
    client.force_login(accountant)
    page = client.get(_bo(agency, "audit"))
    assert page.status_code == 200
    assert marker not in page.content.decode()
    assert marker not in client.get(_bo(agency, "home")).content.decode()
