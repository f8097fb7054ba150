"""The whole API fuzzed from its own OpenAPI document (schemathesis, through the WSGI app).

For every operation, valid and invalid requests generated from the document, sent with a
seller's token: no answer is a 5xx, every answer is documented (status, content type, body
schema), a refused write (4xx) leaves the database as it was, and nothing of a second seller
ever shows in an answer. Derandomized (the same requests every run) and bounded.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_draft_invoice, make_published_terms
from tests.factories.catalog import make_product
from tests.factories.quotes import make_quote

EXAMPLES = 10
KNOWN_ID_EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# What a refused request may still write: its Idempotency-Key's stored answer.
NOT_DATA = {"api.idempotencykey"}
SECRET_OF_THE_OTHER_SELLER = "Zorglub-du-vendeur-voisin"


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label != "contenttypes"
        and model._meta.label_lower not in NOT_DATA
        and model._meta.managed
        and not model._meta.proxy
    }


def _objects_of(seller, client) -> dict[str, int]:
    """A client, its quote and draft invoice, a product and published terms: the ids a
    path may name."""
    terms = make_published_terms(seller)
    return {
        "client_id": client.pk,
        "quote_id": make_quote(seller, client).pk,
        "invoice_id": make_draft_invoice(seller, client).pk,
        "product_id": make_product(seller).pk,
        "version_id": terms.pk,
    }


@pytest.fixture
def fuzzed(settings, seller, a_client, other_client):
    """The API's schema, the seller's ids, and the other seller's."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    other_client.name = SECRET_OF_THE_OTHER_SELLER
    other_client.save(update_fields=["name"])
    # As Django's test client does: a request's end must not close the test's connection
    # (and its transaction) on PostgreSQL.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
        yield (
            schema,
            _objects_of(seller, a_client),
            _objects_of(other_client.seller, other_client),
        )
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(operation, strategy, examples: int, send_one) -> str | None:
    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case):
        send_one(case)

    try:
        send()
    except Exception as failure:  # every operation is fuzzed, then all failures are shown
        return f"{operation.label}: {failure}"
    return None


@pytest.mark.django_db
def test_no_request_breaks_the_api_or_leaves_a_partial_write(fuzzed, token_and_secret):
    schema, ours, theirs = fuzzed
    headers = {"Authorization": f"Bearer {token_and_secret[1]}"}

    def checked(case):
        writes = case.method.upper() != "GET"
        before = _row_counts() if writes else None
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        if writes and 400 <= response.status_code < 500:
            assert _row_counts() == before, (
                f"{case.method} {case.formatted_path} refused ({response.status_code}) "
                "but changed the database"
            )
        assert SECRET_OF_THE_OTHER_SELLER not in response.text, "another seller's data"
        return response

    def not_theirs(case):
        response = checked(case)
        assert response.status_code >= 400, f"{case.formatted_path}: another seller's object"

    failures: list[str | None] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            failures.append(_fuzz(operation, strategy, EXAMPLES, checked))
        if names and names <= set(ours):
            for ids, send in ((ours, checked), (theirs, not_theirs)):
                path = {name: ids[name] for name in names}
                strategy = operation.as_strategy(path_parameters=path)
                failures.append(_fuzz(operation, strategy, KNOWN_ID_EXAMPLES, send))
    failures = [failure for failure in failures if failure]
    assert not failures, "\n\n".join(failures)
