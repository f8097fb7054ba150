"""/metrics: Prometheus' text format, for its token's bearer only (or loopback when no token
is set); every answer counted by route and status, timed, and the queue and documents read
from the database."""

import re

import pytest

pytestmark = pytest.mark.django_db

TOKEN = "m" * 32


def route_count(text: str, route: str, status: str) -> float:
    pattern = (
        r'^clausier_http_requests_total\{method="GET",route="'
        + re.escape(route)
        + r'",status="'
        + status
        + r'"\} (\S+)$'
    )
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_metrics_refuse_a_caller_without_the_token(client, token):
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 32})
    assert wrong.status_code == 403
    assert "METRICS_TOKEN" in wrong.json()["detail"]


def test_metrics_answer_the_token_with_every_metric_name(client, token):
    client.get("/healthz")
    text = scrape(client)
    for name in (
        "clausier_http_requests_total",
        "clausier_http_request_duration_seconds_bucket",
        "clausier_task_queue_depth",
        "clausier_task_failures",
        "clausier_documents_issued",
    ):
        assert f"# TYPE {name.removesuffix('_total').removesuffix('_bucket')}" in text, name


def test_a_request_increments_its_route_counter(client, token):
    before = route_count(scrape(client), "home", "200")
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    assert route_count(scrape(client), "home", "200") == before + 2


def test_an_unknown_address_is_counted_under_one_label(client, token):
    before = route_count(scrape(client), "unmatched", "404")
    client.get("/no/such/page/4242")
    assert route_count(scrape(client), "unmatched", "404") == before + 1


def test_the_task_queue_depth_is_read_from_the_queue(client, token):
    from clausier.quotes.tasks import expire_quotes

    expire_quotes.enqueue()
    text = scrape(client)
    assert 'clausier_task_queue_depth{task="clausier.quotes.tasks.expire_quotes"} 1.0' in text


def test_without_a_token_only_loopback_callers_are_answered(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10").status_code == 403


def test_a_proxy_on_the_machine_does_not_make_every_caller_local(client, settings):
    # nginx on the same host forwards an outside caller: the caller is not loopback.
    settings.METRICS_TOKEN = ""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    outside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert outside.status_code == 403
