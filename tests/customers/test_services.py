import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.customers import services
from clausier.customers.domain import client_warnings
from clausier.customers.models import Client
from clausier.terms.services import record_acceptance
from tests.factories import make_client, make_published_terms, make_seller, make_staff

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "company",
    "name": "Atelier Céramique Loire SAS",
    "siren": "552081317",
    "email": "factures@atelier.example",
    "billing_line1": "1 quai de la Fosse",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
}


def test_a_client_with_an_invalid_siren_is_refused_and_nothing_is_written():
    seller = make_seller()
    with pytest.raises(ValidationError) as exc:
        services.create_client(seller=seller, fields=VALID | {"siren": "552081318"}, by=None)
    assert "clé de contrôle invalide" in exc.value.message_dict["siren"][0]
    assert "Luhn" in exc.value.message_dict["siren"][0]
    assert not Client.objects.exists()
    assert not Event.objects.filter(verb="client.created").exists()


def test_a_client_with_a_wrong_french_vat_key_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.create_client(
            seller=make_seller(), fields=VALID | {"vat_number": "FR00552081317"}, by=None
        )
    assert "la clé devrait être" in exc.value.message_dict["vat_number"][0]


def test_updating_a_client_records_what_changed():
    seller = make_seller()
    staff = make_staff(seller, "sales")
    client = services.create_client(seller=seller, fields=VALID, by=staff)
    services.update_client(client=client, fields={"billing_city": "Rezé"}, by=staff)
    event = Event.objects.get(verb="client.updated")
    assert event.summary == {
        "before": {"billing_city": "Nantes"},
        "after": {"billing_city": "Rezé"},
    }
    assert event.actor == staff


def test_unknown_fields_are_refused_by_name():
    client = make_client(make_seller())
    with pytest.raises(ValidationError) as exc:
        services.update_client(client=client, fields={"seller_id": 99}, by=None)
    assert "seller_id" in exc.value.message_dict


def test_a_client_who_accepted_terms_cannot_be_deleted():
    seller = make_seller()
    client = make_client(seller)
    record_acceptance(
        client=client,
        version=make_published_terms(seller),
        method="signed_quote",
        accepted_by_name="X",
        by=None,
    )
    with pytest.raises(services.ClientInUse):
        services.delete_client(client=client, by=None)
    assert Client.objects.filter(pk=client.pk).exists()


def test_consumer_is_not_professional_and_other_kinds_are():
    seller = make_seller()
    kinds = {
        k: make_client(seller, k).is_professional
        for k in ("company", "association", "independent", "consumer")
    }
    assert kinds == {"company": True, "association": True, "independent": True, "consumer": False}


def test_missing_siren_of_a_professional_is_warned_from_the_reform_date():
    from datetime import date

    assert client_warnings(kind="company", siren="", on=date(2026, 8, 31)) == []
    [warning] = client_warnings(kind="company", siren="", on=date(2026, 9, 1))
    assert warning.field == "siren"
    assert client_warnings(kind="consumer", siren="", on=date(2026, 9, 1)) == []
