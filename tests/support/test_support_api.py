"""The tickets API: a ticket opened with its clocks, moved through its state table, its
messages posted and listed; refusals as JSON 4xx naming the field, another seller's ticket a
404."""

import pytest

from clausier.support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(paas):
    return paas


def test_a_ticket_opened_moved_and_answered(api, paas_company):
    response = api.post(
        "/tickets",
        {"client_id": paas_company.pk, "subject": "Base injoignable", "severity": "critical"},
        key="t-1",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("T-")
    assert [c["target"] for c in body["clocks"]] == ["intervention", "repair"]
    ticket_id = body["id"]

    moved = api.post(f"/tickets/{ticket_id}/transitions", {"action": "acknowledge"}, key="t-2")
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "acknowledged"
    assert moved.json()["acknowledged_at"] is not None

    refused = api.post(f"/tickets/{ticket_id}/transitions", {"action": "close"}, key="t-3")
    assert refused.status_code == 409

    posted = api.post(f"/tickets/{ticket_id}/messages", {"body": "Redémarrée."}, key="t-4")
    assert posted.status_code == 201, posted.content
    listed = api.get(f"/tickets/{ticket_id}/messages").json()
    assert [m["body"] for m in listed] == ["Redémarrée."]
    assert api.get("/tickets").json()["count"] == 1


def test_bad_input_names_the_field_and_writes_nothing(api, paas_company):
    response = api.post(
        "/tickets", {"client_id": paas_company.pk, "subject": "x", "severity": "urgent"}, key="t-5"
    )
    assert response.status_code == 422
    assert "severity" in response.content.decode()
    unknown = api.post("/tickets", {"client_id": 999999, "subject": "x"}, key="t-6")
    assert unknown.status_code == 422
    assert "client_id" in unknown.json()["errors"]
    assert not Ticket.objects.exists()


def test_another_sellers_ticket_is_a_404(api, other_api, paas_company):
    ticket_id = api.post(
        "/tickets", {"client_id": paas_company.pk, "subject": "Lent"}, key="t-7"
    ).json()["id"]
    assert other_api.get(f"/tickets/{ticket_id}").status_code == 404
