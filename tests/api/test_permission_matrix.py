"""Every route of the API, walked from the NinjaAPI itself: a new route joins the matrix.

For each operation: without a token it is a 401; on an object of seller A, seller B's token
gets a 404 (never a 403, never the object) while A's own token does not. Routes without an
object must not leak A's data to B. A write whose body the defaults below do not satisfy
fails here until a sample body is added to ``BODIES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from clausier.api.api import api as ninja_api
from clausier.api.services import create_token
from tests.api.helpers import Api
from tests.catalog.helpers import make_product
from tests.factories import make_client, make_published_terms, make_seller

PARAM = re.compile(r"\{(?:\w+:)?(\w+)\}")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
MARKER = "Marqueur-Vendeur-A"

# Bodies valid for the owner, so that only scoping decides (path templates as routed).
BODIES: dict[tuple[str, str], dict] = {
    ("POST", "/clients"): {
        "kind": "company",
        "name": "Nouveau client",
        "email": "nouveau@example.test",
        "billing_line1": "1 rue Neuve",
        "billing_postal_code": "44000",
        "billing_city": "Nantes",
    },
    ("POST", "/clients/{client_id}/acceptances"): {
        "version_id": "{version_id}",
        "method": "signed_quote",
        "accepted_by_name": "Jeanne Martin",
    },
    ("POST", "/catalog/products"): {
        "code": "nouveau-produit",
        "name": "Nouveau produit",
        "unit": "flat",
        "unit_price_ht": "120.00",
    },
    ("POST", "/catalog/products/{product_id}/prices"): {
        "unit_price_ht": "130.00",
        "effective_from": "2099-01-01",
    },
}


def api_routes() -> Iterator[tuple[str, str]]:
    """(method, path template) of every operation the NinjaAPI routes."""
    ninja_api.urls  # noqa: B018 - binds the routers
    for prefix, router in ninja_api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, "/" + f"{prefix}{path}".strip("/")


ROUTES = sorted(set(api_routes()))
OBJECT_ROUTES = [(m, p) for m, p in ROUTES if PARAM.search(p)]
COLLECTION_ROUTES = [(m, p) for m, p in ROUTES if not PARAM.search(p)]


def route_id(route: tuple[str, str]) -> str:
    return " ".join(route)


def test_the_matrix_sees_the_routes():
    assert ("GET", "/sellers/me") in ROUTES
    assert ("DELETE", "/clients/{client_id}") in ROUTES
    assert ("GET", "/terms/{version_id}/lint") in ROUTES
    assert len(ROUTES) >= 12


@pytest.fixture
def world(db):
    """Seller A's objects, a token for A and one for B."""
    seller_a = make_seller("vendeur-a")
    version = make_published_terms(seller_a, "label-A")
    client = make_client(seller_a, name=MARKER)
    product = make_product(seller_a, name=MARKER)
    values = {"client_id": client.pk, "version_id": version.pk, "product_id": product.pk}
    _, secret_a = create_token(seller=seller_a, name="A", by=None)
    _, secret_b = create_token(seller=make_seller("vendeur-b"), name="B", by=None)
    return values, secret_a, secret_b


def fill(template: str, values: dict) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        assert name in values, f"add a seller-A object for the path parameter {name!r}"
        return str(values[name])

    return PARAM.sub(value, template)


def body_for(method: str, path: str, values: dict):
    if method not in WRITES or method == "DELETE":
        return None
    body = BODIES.get((method, path), {})
    return {k: int(fill(v, values)) if PARAM.fullmatch(str(v)) else v for k, v in body.items()}


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=map(route_id, ROUTES))
def test_every_route_needs_a_token(client, world, method, path):
    values, _, _ = world
    response = Api(client).call(method, fill(path, values), body_for(method, path, values))
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "path"), OBJECT_ROUTES, ids=map(route_id, OBJECT_ROUTES))
def test_another_sellers_object_is_404_and_the_owner_reaches_it(client, world, method, path):
    values, secret_a, secret_b = world
    url, body = fill(path, values), body_for(method, path, values)

    response = Api(client, secret_b).call(method, url, body)
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Not found."}

    response = Api(client, secret_a).call(method, url, body)
    assert response.status_code < 400, (
        f"{method} {path} fails for the owner ({response.status_code}: {response.content!r}); "
        "if it needs a body, add one to BODIES"
    )


@pytest.mark.parametrize(
    ("method", "path"), COLLECTION_ROUTES, ids=map(route_id, COLLECTION_ROUTES)
)
def test_collections_never_show_another_sellers_data(client, world, method, path):
    values, _, secret_b = world
    body = body_for(method, path, values)
    response = Api(client, secret_b).call(method, path, body)
    assert response.status_code < 400, response.content
    assert MARKER not in response.content.decode()
    assert "label-A" not in response.content.decode()
    assert "vendeur-a" not in response.content.decode()
