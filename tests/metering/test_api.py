"""The metering API: a batch of events answered with its counts and each refusal; a body
that is not a JSON list, or too long a batch, a 422 naming the rule; subscriptions read
back, another seller's a 404."""

from __future__ import annotations

import pytest

from clausier.metering import limits
from clausier.metering.models import UsageEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(paas):
    return paas


def event(subscription, n: int, **over):
    return {
        "id": f"evt-{n}",
        "subscription": subscription.pk,
        "meter": "requests",
        "timestamp": "2026-06-01T09:00:00Z",
        "value": 3,
    } | over


def test_a_batch_is_answered_with_its_counts_and_each_refusal(api, subscription, requests_meter):
    batch = [event(subscription, 1), event(subscription, 2, meter="nope"), event(subscription, 3)]

    response = api.post("/events", batch)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [{"index": 1, "id": "evt-2", "reason": "meter : compteur « nope » inconnu"}],
    }
    retried = api.post("/events", batch).json()
    assert (retried["accepted"], retried["duplicates"]) == (0, 2)
    assert UsageEvent.objects.count() == 2


def test_a_refusal_reads_in_english_when_asked(api, subscription, requests_meter):
    response = api.post("/events", [event(subscription, 1, value=-1)], HTTP_ACCEPT_LANGUAGE="en")

    [rejected] = response.json()["rejected"]
    assert rejected["reason"] == "value: negative, refused by the meter “requests”"


@pytest.mark.parametrize("body", ['{"id": "evt-1"}', '"events"', "3", "null"])
def test_a_body_that_is_not_a_json_list_is_a_422_naming_the_rule(
    api, subscription, requests_meter, body
):
    response = api.post("/events", raw=body)

    assert response.status_code == 422
    assert "the body is a JSON list of event objects" in response.json()["errors"]["body"]
    assert not UsageEvent.objects.exists()


def test_a_body_that_is_not_json_is_a_400(api, subscription, requests_meter):
    response = api.post("/events", raw="[{")

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid JSON body."}


def test_a_batch_over_the_limit_is_a_422_and_nothing_is_stored(api, subscription, requests_meter):
    batch = [{"id": str(n)} for n in range(limits.MAX_BATCH_EVENTS + 1)]

    response = api.post("/events", batch)

    assert response.status_code == 422
    assert "10000" in response.json()["errors"]["events"]
    assert not UsageEvent.objects.exists()


def test_events_need_a_token(anonymous):
    assert anonymous.post("/events", []).status_code == 401


def test_subscriptions_are_listed_and_read(api, subscription):
    listed = api.get("/subscriptions").json()

    assert listed["count"] == 1
    [item] = listed["items"]
    assert item["id"] == subscription.pk
    assert item["external_id"] == subscription.order.reference
    assert item["offer"] == "instance-app"
    assert (item["status"], item["billing_period"]) == ("active", "calendar_month")
    assert item["allowed_actions"] == ["suspend", "terminate"]
    one = api.get(f"/subscriptions/{subscription.pk}")
    assert one.status_code == 200
    assert one.json()["order_id"] == subscription.order_id
    assert api.get("/subscriptions?status=terminated").json()["count"] == 0


def test_another_sellers_subscription_is_a_404(other_api, subscription):
    assert other_api.get(f"/subscriptions/{subscription.pk}").status_code == 404
    assert other_api.get("/subscriptions").json()["count"] == 0
