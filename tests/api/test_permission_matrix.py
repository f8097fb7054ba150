"""Every route of the API, walked from the NinjaAPI itself: a new route joins the matrix.

For each operation: without a token it is a 401; on an object of seller A, seller B's token
gets a 404 (never a 403, never the object) while A's own token does not. Routes without an
object must not leak A's data to B: a write naming one of A's objects in its body is a 422 on
that field for B. A write whose body the defaults below do not satisfy fails here until a
sample body is added to ``BODIES`` (JSON) or ``FORMS`` (multipart). A route on a quote acts on
a sent one unless ``QUOTE_STATE`` says otherwise; one on an order, on an order from a quote
unless ``ORDER_STATE`` says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clausier.api.api import api as ninja_api
from clausier.api.services import create_token
from clausier.contracts import services as contract_services
from clausier.metering import services as metering_services
from clausier.orders import services as order_services
from clausier.payments.services.statements import import_statement
from clausier.quotes import services as quote_services
from clausier.support import services as support_services
from clausier.terms import services as terms_services
from clausier.web.api import today_in_paris
from clausier.withdrawal import services as withdrawal_services
from tests.api_client import Api
from tests.factories import make_client, make_draft_invoice, make_issued_invoice, make_seller
from tests.factories.catalog import make_product
from tests.factories.orders import (
    OFFER_CODE,
    draft_online_order,
    publish_terms_with_online_orders,
)
from tests.factories.payments import cheque, refund_owed, transfer
from tests.factories.quotes import consent_eml
from tests.payments.statements.camt import entry, statement

PARAM = re.compile(r"\{(?:\w+:)?(\w+)\}")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
MARKER = "Marqueur-Vendeur-A"

# Bodies valid for the owner, so that only scoping decides (path templates as routed).
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/tickets"): {"client_id": "{client_id}", "subject": MARKER, "description": "502"},
    ("POST", "/tickets/{ticket_id}/transitions"): {"action": "acknowledge"},
    ("POST", "/tickets/{ticket_id}/messages"): {"body": "Nous regardons."},
    # A notice by e-mail received today: in time or not, it is recorded and decided.
    ("POST", "/contracts/{contract_id}/notices"): {
        "given_by": "client",
        "channel": "email",
        "received_on": today_in_paris().isoformat(),
    },
    # A domain name registered for a contract under terms with art. 11's clause.
    ("POST", "/domains"): {
        "contract_id": "{domain_contract_id}",
        "name": "matrix-a.fr",
        "registrar": "Gandi",
        "registered_on": today_in_paris().isoformat(),
    },
    # A higher price for the contract's line, before its term (seed 002 art. 12b).
    ("POST", "/contracts/{contract_id}/price-revisions"): {
        "reason": "traffic",
        "lines": [{"line_id": "{contract_line_id}", "amount_ht": "150.00"}],
    },
    # A batch of events is a JSON list; B naming A's subscription gets the event refused
    # (unknown subscription), never A's data.
    ("POST", "/events"): [
        {
            "id": "matrix-event-1",
            "subscription": "{subscription_id}",
            "meter": "requests",
            "timestamp": "2026-06-01T09:00:00Z",
            "value": "1",
        }
    ],
    ("POST", "/withdrawals"): {
        "order_id": "{withdrawal_order_id}",
        "channel": "email",
        "received_on": today_in_paris().isoformat(),
    },
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
        "effective_from": "2031-01-01",
    },
    ("POST", "/quotes"): {
        "client_id": "{client_id}",
        "nature": "Refonte du site",
        "lines": [{"description": "Forfait", "quantity": "1", "unit": "flat", "unit_price": "500"}],
    },
    ("PATCH", "/quotes/{quote_id}"): {"notes": "Livraison en deux fois"},
    ("POST", "/quotes/{quote_id}/refuse"): {"reason": "Budget dépassé"},
    ("POST", "/orders"): {
        "client_id": "{client_id}",
        "lines": [{"product_code": OFFER_CODE, "quantity": "2"}],
    },
    ("PATCH", "/orders/{order_id}"): {"declared": {"phone": "02 40 00 00 00"}},
    ("POST", "/orders/{order_id}/confirm"): {"terms_accepted": True},
    ("POST", "/invoices"): {
        "client_id": "{client_id}",
        "lines": [
            {
                "description": "Forfait",
                "quantity": "1",
                "unit": "flat",
                "unit_price": "500",
                "vat_rate": "0.20",
            }
        ],
    },
    ("PATCH", "/invoices/{invoice_id}"): {"notes": "Bon de commande n° 7"},
    ("POST", "/invoices/{invoice_id}/credit-notes"): {"reason": "Erreur de facturation"},
    ("POST", "/invoices/{invoice_id}/payments"): {"amount": "10.00"},
    ("POST", "/payments"): {
        "client_id": "{client_id}",
        "method": "transfer",
        "amount": "120.00",
        "received_on": "2026-05-20",
        "transfer_reference": "VIR-2026-001",
    },
    ("POST", "/payments/{payment_id}/refunds"): {"amount": "5.00", "reason": "Trop-perçu"},
    ("POST", "/payments/{payment_id}/allocations"): {
        "allocations": [{"invoice_id": "{invoice_id}", "amount": "1.00"}]
    },
    ("POST", "/payments/{payment_id}/cashed"): {"cashed_on": "2026-05-21"},
    ("POST", "/refunds/{refund_id}/sent"): {"sent_on": "2026-05-21"},
    ("POST", "/refunds/{refund_id}/settled"): {"settled_on": "2026-05-21"},
}


def _eml() -> dict:
    upload, _ = consent_eml(sent=timezone.now() - timedelta(minutes=1))
    return {"eml": upload, "signatory_name": "Camille Martin", "signatory_role": "Gérante"}


def _scan() -> dict:
    return {
        "scan": SimpleUploadedFile("signe.pdf", b"%PDF-1.4\nscan\n%%EOF\n", "application/pdf"),
        "signatory_name": "Camille Martin",
        "signatory_role": "Gérante",
        "signed_on": today_in_paris().isoformat(),
        "shows_bon_pour_accord": "true",
        "shows_signature": "true",
        "shows_date": "true",
        "shows_stamp": "true",
    }


# Multipart bodies (built per call: an uploaded file is read once).
FORMS: dict[tuple[str, str], Callable[[], dict]] = {
    ("POST", "/quotes/{quote_id}/acceptances/email"): _eml,
    ("POST", "/quotes/{quote_id}/acceptances/post"): _scan,
    ("POST", "/statements"): lambda: {
        "file": SimpleUploadedFile("releve.xml", statement(entry("12.00", ref="M1")), "text/xml"),
        "format": "camt053",
    },
}

# Routes that need the quote still a draft (the others act on a sent quote).
QUOTE_STATE = {
    ("PATCH", "/quotes/{quote_id}"): "draft_id",
    ("POST", "/quotes/{quote_id}/send"): "draft_id",
}
# Routes that need an online order still a draft (the others act on an order from a quote).
ORDER_STATE = {
    ("PATCH", "/orders/{order_id}"): "online_order_id",
    ("POST", "/orders/{order_id}/confirm"): "online_order_id",
}
# Routes that need another payment: a cheque to cash, a payment of the invoices' client.
PAYMENT_STATE = {
    ("POST", "/payments/{payment_id}/cashed"): "cheque_id",
    ("POST", "/payments/{payment_id}/allocations"): "buyer_payment_id",
}
# Routes that need the invoice still a draft (the others act on an issued invoice).
INVOICE_STATE = {
    ("PATCH", "/invoices/{invoice_id}"): "draft_invoice_id",
    ("DELETE", "/invoices/{invoice_id}"): "draft_invoice_id",
    ("POST", "/invoices/{invoice_id}/issue"): "draft_invoice_id",
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
    assert ("POST", "/quotes/{quote_id}/acceptances/email") in ROUTES
    assert ("GET", "/orders/{order_id}") in ROUTES
    assert len(ROUTES) >= 30


def make_draft(seller, client):
    return quote_services.create_quote(
        seller=seller,
        client=client,
        fields={"nature": MARKER, "valid_until": today_in_paris() + timedelta(days=30)},
        lines=[{"description": MARKER, "quantity": "1", "unit": "flat", "unit_price": "900"}],
        by=None,
    )


def make_sent_quote(seller, client):
    draft = make_draft(seller, client)
    # Sent a while ago: an e-mail of consent dated a minute ago comes after the sending.
    return quote_services.send_quote(
        quote=draft, by=None, now=timezone.now() - timedelta(minutes=10)
    )


@pytest.fixture
def world(db):
    """Seller A's objects, a token for A and one for B."""
    seller_a = make_seller("vendeur-a", vat_number="FR87524172699")  # it issues invoices
    version = publish_terms_with_online_orders(
        seller_a, "label-A", agency_clauses=("maintenance.price_revision",)
    )
    client = make_client(seller_a, name=MARKER)
    product = make_product(seller_a, name=MARKER)
    # Quotes for a client of their own: the client above stays deletable (no evidence).
    customer = make_client(seller_a, name=MARKER)
    buyer = make_client(seller_a, kind="consumer", name=MARKER)
    draft = make_draft(seller_a, customer)
    sent = make_sent_quote(seller_a, customer)
    eml, _ = consent_eml(sent=timezone.now() - timedelta(minutes=1))
    accepted = quote_services.record_email_acceptance(
        quote=make_sent_quote(seller_a, customer), eml=eml, by=None, signatory_role="Gérante"
    )
    values = {
        "client_id": client.pk,
        "version_id": version.pk,
        "product_id": product.pk,
        "quote_id": sent.pk,
        "draft_id": draft.pk,
        "order_id": accepted.order.pk,
        "online_order_id": draft_online_order(seller_a, customer).pk,
        # A consumer's invoices: 30-day terms and no penalty clause need no legal rate.
        "invoice_id": make_issued_invoice(seller_a, buyer, now=timezone.now()).pk,
        "draft_invoice_id": make_draft_invoice(seller_a, buyer).pk,
        "payment_id": transfer(seller_a, customer, on=date(2026, 5, 20)).pk,
        "statement_id": import_statement(
            seller=seller_a,
            data=statement(entry("30.00", ref="W1", remittance=MARKER)),
            filename="releve.xml",
            format="camt053",
            by=None,
        ).pk,
        "cheque_id": cheque(seller_a, customer, on=date(2026, 5, 20)).pk,
        "buyer_payment_id": transfer(seller_a, buyer, amount="10.00", on=date(2026, 5, 20)).pk,
        "refund_id": refund_owed(transfer(seller_a, customer, on=date(2026, 5, 20))).pk,
        # A consumer's online orders, concluded: one withdrawn from, one to withdraw from.
        "withdrawal_id": withdrawal_services.register_withdrawal(
            seller=seller_a,
            order=order_services.confirm_order(order=draft_online_order(seller_a, buyer), by=None),
            channel="email",
            received_on=today_in_paris(),
            by=None,
        ).pk,
        "withdrawal_order_id": order_services.confirm_order(
            order=draft_online_order(seller_a, buyer), by=None
        ).pk,
        "subscription_id": subscription_of(seller_a, customer).pk,
        "ticket_id": support_services.open_ticket(
            seller=seller_a,
            client=customer,
            subject=MARKER,
            description="Erreur 502",
            channel="portal",
            by=None,
        ).pk,
        "contract_id": contract_services.open_contract(
            seller=seller_a,
            client=customer,
            reference="CT-A-1",
            start_on=today_in_paris() - timedelta(days=40),
            period_months=12,
            lines=[{"kind": "hosting", "description": MARKER, "amount_ht": "120.00"}],
            terms_version=version,
            by=None,
        ).pk,
        "domain_contract_id": domain_contract_of(seller_a, customer).pk,
    }
    values["contract_line_id"] = _line_of(values["contract_id"])
    # A liability claim of A's (a row as the register lists it: the world's terms cap no
    # liability), its tracking number the marker B must never see.
    from clausier.contracts.models import LiabilityClaim

    LiabilityClaim.objects.create(
        contract_id=values["contract_id"],
        received_on=today_in_paris(),
        tracking_number=MARKER,
        description="Panne",
    )
    _, secret_a = create_token(seller=seller_a, name="A", by=None)
    _, secret_b = create_token(seller=make_seller("vendeur-b"), name="B", by=None)
    return values, secret_a, secret_b


def domain_contract_of(seller, client):
    """A running contract with a domain line under terms with art. 11's domain clause (a
    draft: contracts read the clauses of the terms they were made under)."""
    version = terms_services.create_draft(
        seller=seller, label="art11-A", effective_date=date(2026, 1, 1), text="# CGV\n", by=None
    )
    terms_services.add_clause(
        version=version,
        fields={
            "clause_id": "domains.registration",
            "kind": "domains.registration",
            "article": "art. 11",
            "title": "Noms de domaine",
            "excerpt": "pour un an",
            "parameters": {
                "registrant": "seller",
                "term": "P1Y",
                "sums_due_after_termination": True,
            },
        },
        by=None,
    )
    return contract_services.open_contract(
        seller=seller,
        client=client,
        reference="CT-A-2",
        start_on=today_in_paris() - timedelta(days=40),
        period_months=12,
        lines=[{"kind": "domain", "description": MARKER, "amount_ht": "24.00"}],
        terms_version=version,
        by=None,
    )


def subscription_of(seller, client):
    """A confirmed online order's subscription, started by metering's service, and the
    meter its sample event names."""
    metering_services.create_meter(
        seller=seller, code="requests", name="Requêtes", unit="requête", aggregation="sum", by=None
    )
    order = order_services.confirm_order(order=draft_online_order(seller, client), by=None)
    return metering_services.start_subscription(order=order, at=timezone.now(), by=None)


def _line_of(contract_id: int) -> int:
    """The id of the contract's (only) line, for the price revision's body."""
    from clausier.contracts.selectors import running

    return running().get(pk=contract_id).lines.get().pk


def fill(template: str, values: dict) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        assert name in values, f"add a seller-A object for the path parameter {name!r}"
        return str(values[name])

    return PARAM.sub(value, template)


def body_for(method: str, path: str, values: dict):
    if method not in WRITES or method == "DELETE" or (method, path) in FORMS:
        return None

    def filled(value):
        if isinstance(value, list):
            return [filled(v) for v in value]
        if isinstance(value, dict):
            return {k: filled(v) for k, v in value.items()}
        return int(fill(value, values)) if PARAM.fullmatch(str(value)) else value

    return filled(BODIES.get((method, path), {}))


def references(method: str, path: str) -> set[str]:
    """The fields of the sample body that name one of seller A's objects."""
    body = BODIES.get((method, path), {})
    if not isinstance(body, dict):
        return set()  # a batch: each item's references are judged item by item
    return {k for k, v in body.items() if PARAM.fullmatch(str(v))}


def call(api: Api, method: str, path: str, values: dict, *, form: dict | None = None, **extra):
    """``method`` on ``path`` filled with seller A's objects, with its sample body."""
    values = values | {
        "quote_id": values[QUOTE_STATE.get((method, path), "quote_id")],
        "order_id": values[ORDER_STATE.get((method, path), "order_id")],
        "invoice_id": values[INVOICE_STATE.get((method, path), "invoice_id")],
        "payment_id": values[PAYMENT_STATE.get((method, path), "payment_id")],
    }
    if form is None and (method, path) in FORMS:
        form = FORMS[(method, path)]()
    body = body_for(method, path, values)
    return api.call(method, fill(path, values), body, form=form, **extra)


def fresh(form: dict) -> dict:
    """The same multipart body again, with new upload objects (an upload is read once)."""
    return {
        name: SimpleUploadedFile(value.name, value.file.getvalue(), value.content_type)
        if isinstance(value, SimpleUploadedFile)
        else value
        for name, value in form.items()
    }


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=map(route_id, ROUTES))
def test_every_route_needs_a_token(client, world, method, path):
    values, _, _ = world
    response = call(Api(client), method, path, values)
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "path"), OBJECT_ROUTES, ids=map(route_id, OBJECT_ROUTES))
def test_another_sellers_object_is_404_and_the_owner_reaches_it(client, world, method, path):
    values, secret_a, secret_b = world

    response = call(Api(client, secret_b), method, path, values)
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Not found."}

    response = call(Api(client, secret_a), method, path, values)
    assert response.status_code < 400, (
        f"{method} {path} fails for the owner ({response.status_code}: {response.content!r}); "
        "if it needs a body, add one to BODIES or FORMS"
    )


@pytest.mark.parametrize(
    ("method", "path"), COLLECTION_ROUTES, ids=map(route_id, COLLECTION_ROUTES)
)
def test_collections_never_show_another_sellers_data(client, world, method, path):
    values, secret_a, secret_b = world
    response = call(Api(client, secret_b), method, path, values)
    if references(method, path):
        # B names A's object: unknown to B, like any invalid value.
        assert response.status_code == 422, response.content
        assert references(method, path) <= set(response.json()["errors"])
        assert call(Api(client, secret_a), method, path, values).status_code < 400
    else:
        assert response.status_code < 400, response.content
    assert MARKER not in response.content.decode()
    assert "label-A" not in response.content.decode()
    assert "vendeur-a" not in response.content.decode()


POST_ROUTES = [(m, p) for m, p in ROUTES if m == "POST"]


@pytest.mark.parametrize(("method", "path"), POST_ROUTES, ids=map(route_id, POST_ROUTES))
def test_every_post_replays_with_its_idempotency_key(client, world, method, path):
    values, secret_a, _ = world
    api = Api(client, secret_a)
    form = FORMS[(method, path)]() if (method, path) in FORMS else None

    first = call(api, method, path, values, form=form and fresh(form), key="matrix-1")
    assert first.status_code < 400, first.content
    again = call(api, method, path, values, form=form and fresh(form), key="matrix-1")
    assert again.status_code == first.status_code
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


# --- confidential documents (seed 002 art. 9): a token names no person ----------------------

CONFIDENTIAL_ROUTES = [
    (m, p)
    for m, p in OBJECT_ROUTES
    if m == "GET" and (p.startswith("/quotes/{quote_id}") or p.startswith("/contracts/{"))
]


@pytest.mark.parametrize(
    ("method", "path"), CONFIDENTIAL_ROUTES, ids=map(route_id, CONFIDENTIAL_ROUTES)
)
def test_a_confidential_document_is_404_even_to_its_own_sellers_token(client, world, method, path):
    """Whoever is named on a confidential quote or contract, a token (no person) gets 404 on
    it and never finds it in a list."""
    from clausier.contracts.models import Contract
    from clausier.quotes.models import Quote
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    values, secret_a, _ = world
    quote = Quote.objects.get(pk=values["quote_id"])
    contract = Contract.objects.get(pk=values["contract_id"])
    boss = make_staff(quote.seller, Role.OWNER)
    assert call(Api(client, secret_a), method, path, values).status_code == 200
    quote_services.set_confidentiality(quote=quote, confidential=True, staff_ids=[], by=boss)
    contract_services.set_confidentiality(
        contract=contract, confidential=True, staff_ids=[], by=boss
    )
    response = call(Api(client, secret_a), method, path, values)
    assert response.status_code == 404, response.content
    listed = {
        "/quotes": [q["id"] for q in Api(client, secret_a).get("/quotes").json()["items"]],
        "/contracts": [c["id"] for c in Api(client, secret_a).get("/contracts").json()["items"]],
    }
    assert quote.pk not in listed["/quotes"]
    assert contract.pk not in listed["/contracts"]
