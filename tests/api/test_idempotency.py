"""Idempotency keys: a POST retried with its key runs once, whatever route it is."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.test import Client, RequestFactory
from django.test.client import encode_multipart
from django.utils import timezone

from clausier.api import idempotency
from clausier.api.models import IdempotencyKey
from clausier.api.services import create_token
from clausier.catalog.models import PriceVersion, Product
from clausier.customers.models import Client as Customer
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote, QuoteAcceptance
from clausier.terms.models import Acceptance
from clausier.web.api import today_in_paris
from tests.api_client import Api
from tests.factories import make_client, make_published_terms
from tests.factories.catalog import make_product
from tests.factories.quotes import consent_eml, install_agency, make_quote

REUSED = {"detail": "Idempotency-Key reused with a different request."}

NEW_CLIENT = {
    "kind": "company",
    "name": "Boulangerie Ange",
    "email": "contact@boulangerie-ange.test",
    "billing_line1": "3 rue du Four",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
}


def quote_body(client, **extra):
    line = {"description": "Forfait site", "quantity": "1", "unit": "flat", "unit_price": "900"}
    return {"client_id": client.pk, "nature": "Site vitrine", "lines": [line]} | extra


@pytest.fixture
def customer(seller):
    return make_client(seller, name="Client des devis")


# --- replays --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_retry_gets_the_first_answer_without_running_again(api, customer):
    first = api.post("/quotes", quote_body(customer), key="commande-42")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first

    again = api.post("/quotes", quote_body(customer), key="commande-42")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert Quote.objects.count() == 1

    record = IdempotencyKey.objects.get()
    assert (record.key, record.method, record.path) == ("commande-42", "POST", "/api/v1/quotes")
    assert record.response_status == 201
    assert len(record.request_sha256) == 64
    assert record.seller == customer.seller


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_409(api, customer):
    assert api.post("/quotes", quote_body(customer), key="k1").status_code == 201
    response = api.post("/quotes", quote_body(customer, nature="Autre chose"), key="k1")
    assert response.status_code == 409
    assert response.json() == REUSED
    assert "Idempotent-Replayed" not in response
    assert Quote.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_on_another_path_is_409(api, customer):
    assert api.post("/quotes", quote_body(customer), key="k1").status_code == 201
    response = api.post("/clients", NEW_CLIENT, key="k1")
    assert response.status_code == 409
    assert response.json() == REUSED
    assert not Customer.objects.filter(name="Boulangerie Ange").exists()


@pytest.mark.django_db
def test_another_key_or_no_key_runs_again(api, customer):
    assert api.post("/quotes", quote_body(customer), key="k1").status_code == 201
    assert api.post("/quotes", quote_body(customer), key="k2").status_code == 201
    assert api.post("/quotes", quote_body(customer)).status_code == 201
    assert api.post("/quotes", quote_body(customer)).status_code == 201
    assert Quote.objects.count() == 4
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.django_db
def test_keys_belong_to_the_seller(api, other_api, customer, other_seller):
    assert api.post("/quotes", quote_body(customer), key="k1").status_code == 201
    theirs = make_client(other_seller)
    response = other_api.post("/quotes", quote_body(theirs), key="k1")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Quote.objects.filter(seller=other_seller).count() == 1


@pytest.mark.django_db
def test_two_tokens_of_one_seller_share_their_keys(client, api, seller, customer):
    second = Api(client, create_token(seller=seller, name="Second ERP", by=None)[1])
    first = api.post("/quotes", quote_body(customer), key="k1")
    again = second.post("/quotes", quote_body(customer), key="k1")
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Quote.objects.count() == 1


@pytest.mark.django_db
def test_a_4xx_is_stored_and_replayed(api, customer):
    invalid = quote_body(customer, lines=[{"description": "x", "quantity": "0", "unit": "flat"}])
    first = api.post("/quotes", invalid, key="k1")
    assert first.status_code == 422
    again = api.post("/quotes", invalid, key="k1")
    assert again.status_code == 422
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert IdempotencyKey.objects.get().response_status == 422


@pytest.mark.django_db
def test_a_conflict_is_replayed_as_it_was_answered(api, seller, customer):
    make_published_terms(seller)
    quote = make_quote(seller, customer, valid_until=today_in_paris(), requires_deposit=False)
    sent = api.post(f"/quotes/{quote.pk}/send", key="send-1")
    assert sent.status_code == 200, sent.content
    assert api.post(f"/quotes/{quote.pk}/send", key="send-2").status_code == 409
    # The first key still answers what the sending answered, not the 409 it would be now.
    again = api.post(f"/quotes/{quote.pk}/send", key="send-1")
    assert again.status_code == 200
    assert again.json() == sent.json()


@pytest.mark.django_db
def test_a_5xx_is_neither_stored_nor_committed(api, customer, monkeypatch):
    create_quote = quote_services.create_quote

    def broken(**kwargs):
        create_quote(**kwargs)  # writes, then fails
        raise RuntimeError("panne")

    monkeypatch.setattr(quote_services, "create_quote", broken)
    with pytest.raises(RuntimeError, match="panne"):
        api.post("/quotes", quote_body(customer), key="k1")
    assert not Quote.objects.exists()  # rolled back with the key
    assert not IdempotencyKey.objects.exists()

    monkeypatch.undo()
    response = api.post("/quotes", quote_body(customer), key="k1")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Quote.objects.count() == 1


@pytest.mark.django_db
def test_a_5xx_answered_rather_than_raised_is_not_stored_either(
    api, customer, monkeypatch, settings
):
    settings.DEBUG = True  # ninja answers the traceback as a 500 instead of raising
    create_quote = quote_services.create_quote

    def broken(**kwargs):
        create_quote(**kwargs)
        raise RuntimeError("panne")

    monkeypatch.setattr(quote_services, "create_quote", broken)
    response = api.post("/quotes", quote_body(customer), key="k1")
    assert response.status_code == 500
    assert not Quote.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_an_expired_key_is_ignored_and_replaced(api, customer):
    assert api.post("/quotes", quote_body(customer), key="k1").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    response = api.post("/quotes", quote_body(customer, nature="Un autre jour"), key="k1")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Quote.objects.count() == 2
    record = IdempotencyKey.objects.get()
    assert timezone.now() - record.created_at < timedelta(minutes=1)


@pytest.mark.django_db
def test_a_key_a_little_under_a_day_old_still_replays(api, customer):
    assert api.post("/quotes", quote_body(customer), key="k1").status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=23, minutes=59))
    assert api.post("/quotes", quote_body(customer), key="k1")["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_expired_keys_are_purged(api, customer, capsys):
    api.post("/quotes", quote_body(customer), key="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(days=2))
    api.post("/quotes", quote_body(customer), key="new")
    call_command("purge_idempotency_keys")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert "1" in capsys.readouterr().out


@pytest.mark.parametrize(
    "key",
    ["", "x" * 256, "clé", "tab\there", "line\nbreak"],
    ids=["empty", "too-long", "non-ascii", "tab", "newline"],
)
@pytest.mark.django_db
def test_an_invalid_key_is_422_naming_the_header(api, customer, key):
    response = api.post("/quotes", quote_body(customer), key=key)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"Idempotency-Key"}
    assert not Quote.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_the_longest_and_oddest_valid_keys_are_taken(api, customer):
    for key in ["x" * 255, "a", "550e8400-e29b-41d4-a716-446655440000", "~!@# $%^&*()"]:
        assert api.post("/quotes", quote_body(customer), key=key).status_code == 201, key
    assert IdempotencyKey.objects.count() == 4


@pytest.mark.django_db
def test_no_token_is_401_before_the_key_is_looked_at(anonymous, customer):
    response = anonymous.post("/quotes", quote_body(customer), key="")
    assert response.status_code == 401
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_reads_ignore_the_header(api, customer):
    for _ in range(2):
        response = api.get("/quotes", key="k1")
        assert response.status_code == 200
        assert "Idempotent-Replayed" not in response
    assert not IdempotencyKey.objects.exists()


# --- every POST route -----------------------------------------------------------------------


@pytest.fixture
def posts(seller, customer):
    """(path, body, count of what the POST creates) for the POSTs that existed before keys."""
    version = make_published_terms(seller)
    product = make_product(seller)
    acceptance = {
        "version_id": version.pk,
        "method": "signed_quote",
        "accepted_by_name": "Jeanne Martin",
    }
    price = {"unit_price_ht": "130.00", "effective_from": "2031-01-01"}
    new_product = {"code": "neuf", "name": "Neuf", "unit": "flat", "unit_price_ht": "10"}
    return {
        "clients": ("/clients", NEW_CLIENT, Customer.objects.count),
        "acceptances": (
            f"/clients/{customer.pk}/acceptances",
            acceptance,
            Acceptance.objects.count,
        ),
        "products": ("/catalog/products", new_product, Product.objects.count),
        "prices": (
            f"/catalog/products/{product.pk}/prices",
            price,
            PriceVersion.objects.count,
        ),
    }


@pytest.mark.parametrize("route", ["clients", "acceptances", "products", "prices"])
@pytest.mark.django_db
def test_every_earlier_post_replays_too(api, posts, route):
    path, body, count = posts[route]
    first = api.post(path, body, key=f"{route}-1")
    assert first.status_code == 201, first.content
    created = count()
    again = api.post(path, body, key=f"{route}-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert count() == created


# --- multipart ------------------------------------------------------------------------------


@pytest.fixture
def agency_sent(agency):
    client = make_client(agency, kind="company")
    quote = make_quote(agency, client, valid_until=today_in_paris() + timedelta(days=30))
    return quote_services.send_quote(quote=quote, by=None, now=timezone.now() - timedelta(hours=1))


@pytest.mark.django_db
def test_an_acceptance_recorded_twice_with_its_key_is_recorded_once(agency_api, agency_sent):
    upload, _ = consent_eml(sent=timezone.now() - timedelta(minutes=5))
    content = upload.read()

    def form(eml: bytes = content):
        return {"eml": SimpleUploadedFile("accord.eml", eml), "signatory_role": "Gérante"}

    path = f"/quotes/{agency_sent.pk}/acceptances/email"
    first = agency_api.post(path, form=form(), key="accord-1")
    assert first.status_code == 201, first.content
    again = agency_api.post(path, form=form(), key="accord-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert QuoteAcceptance.objects.count() == 1

    other_file = agency_api.post(path, form=form(content + b"\nPS"), key="accord-1")
    assert other_file.status_code == 409
    assert other_file.json() == REUSED


def test_a_multipart_body_is_the_same_request_whatever_its_boundary():
    def request(boundary: str, role: str = "Gérante", eml: bytes = b"From: x"):
        data = {"eml": SimpleUploadedFile("accord.eml", eml), "signatory_role": role}
        return RequestFactory().generic(
            "POST",
            "/api/v1/quotes/1/acceptances/email",
            encode_multipart(boundary, data),
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    one = idempotency.request_sha256(request("AaAaAa"))
    assert one == idempotency.request_sha256(request("BbBbBbBb"))
    assert one != idempotency.request_sha256(request("AaAaAa", role="Gérant"))
    assert one != idempotency.request_sha256(request("AaAaAa", eml=b"From: y"))


# --- concurrency (PostgreSQL) ---------------------------------------------------------------


def run_together(*calls):
    """Each call in its own thread and connection, started together; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def slow_create_quote(monkeypatch):
    """create_quote holding its transaction open a while: the duplicate arrives meanwhile."""
    calls = []
    create_quote = quote_services.create_quote

    def slow(**kwargs):
        calls.append(kwargs)
        quote = create_quote(**kwargs)
        time.sleep(0.5)
        return quote

    monkeypatch.setattr(quote_services, "create_quote", slow)
    return calls


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_once_and_the_loser_gets_the_same_answer(slow_create_quote):
    seller = install_agency()
    customer = make_client(seller)
    _, secret = create_token(seller=seller, name="ERP", by=None)

    def post():
        return Api(Client(), secret).post("/quotes", quote_body(customer), key="en-double")

    first, second = run_together(post, post)
    assert [first.status_code, second.status_code] == [201, 201]
    assert first.json() == second.json()
    replayed = [r for r in (first, second) if r.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == 1  # the loser waited for the winner, then replayed its answer
    assert len(slow_create_quote) == 1
    assert Quote.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_different_requests_with_one_key_run_one(slow_create_quote):
    seller = install_agency()
    customer = make_client(seller)
    _, secret = create_token(seller=seller, name="ERP", by=None)

    def post(nature):
        return lambda: Api(Client(), secret).post(
            "/quotes", quote_body(customer, nature=nature), key="en-double"
        )

    results = run_together(post("A"), post("B"))
    assert sorted(r.status_code for r in results) == [201, 409]
    [conflict] = [r for r in results if r.status_code == 409]
    assert conflict.json() == REUSED
    assert len(slow_create_quote) == 1
    assert Quote.objects.count() == 1
