import pytest

from clausier.audit.models import Event
from tests.factories import make_client, make_seller, make_staff

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/", HTTP_X_REQUEST_ID="trace-42")
    assert response["X-Request-ID"] == "trace-42"
    assert len(client.get("/")["X-Request-ID"]) == 32


def test_events_written_during_a_request_carry_its_id(client):
    seller = make_seller()
    staff = make_staff(seller)
    target = make_client(seller)
    client.force_login(staff)
    # The admin writes through the services, so its edits are audited like any other.
    staff.is_staff = staff.is_superuser = True
    staff.save()
    response = client.post(
        f"/admin/customers/client/{target.pk}/change/",
        {
            "seller": seller.pk,
            "kind": "company",
            "name": "Nouveau nom",
            "email": target.email,
            "billing_line1": target.billing_line1,
            "billing_postal_code": target.billing_postal_code,
            "billing_city": target.billing_city,
            "billing_country": "FR",
            "preferred_language": "fr",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
        HTTP_X_REQUEST_ID="req-admin-1",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(verb="client.updated")
    assert event.request_id == "req-admin-1"
    assert event.summary["after"] == {"name": "Nouveau nom"}
