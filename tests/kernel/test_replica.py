"""Reports and exports read from the replica when there is one; writes never go there.

On PostgreSQL, ``make test-postgres`` gives the run a ``replica`` alias (DATABASE_REPLICA_URL,
the same server and database under Django's test MIRROR: a second connection), and what
each connection ran is captured. On SQLite there is none and the same reads use default.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clausier.customers.services import update_client
from clausier.invoicing import selectors
from clausier.kernel.replica import ReplicaRouter, reporting, reports_database
from tests.factories import make_client
from tests.factories.invoicing import invoicing_seller, issued


def tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_without_a_replica_reports_read_the_default_database():
    seller = invoicing_seller()
    issued(seller, make_client(seller, "company", siren="732829320"))
    assert "replica" not in connections
    with reporting():
        assert reports_database() == "default"
        figures = selectors.seller_figures(seller=seller, today=timezone.localdate())
    assert figures.receivables.outstanding > 0


def test_writes_always_go_to_default_even_in_a_report():
    router = ReplicaRouter()
    with reporting():
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None  # outside a report: Django's default choice
    assert not router.allow_migrate("replica", "invoicing")


@pytest.fixture
def replica():
    assert "replica" in connections, "run with DATABASE_REPLICA_URL (make test-postgres)"
    return connections["replica"]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_figures_and_the_exports_read_the_replica(replica, client):
    from clausier.sellers.models import Role
    from tests.factories import make_staff

    seller = invoicing_seller()
    buyer = make_client(seller, "company", name="Boulangerie Réplique", siren="732829320")
    issued(seller, buyer)
    owner = make_staff(seller, Role.OWNER)
    client.force_login(owner)
    default = connections["default"]

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(default) as on_default:
        with reporting():
            figures = selectors.seller_figures(seller=seller, today=timezone.localdate())
            # A write inside a report still goes to the primary.
            update_client(client=buyer, fields={"billing_city": "Lyon"}, by=None)
        csv = client.get(reverse("backoffice:invoices_csv", kwargs={"slug": seller.slug}))
        body = b"".join(csv.streaming_content).decode()
        home = client.get(reverse("backoffice:home", kwargs={"slug": seller.slug}))

    assert figures.receivables.outstanding > 0
    assert "Boulangerie Réplique" in body
    assert home.status_code == 200
    read_on_replica = tables(on_replica.captured_queries)
    assert "invoicing_invoice" in read_on_replica
    assert "UPDATE" not in read_on_replica
    assert "INSERT" not in read_on_replica
    assert 'UPDATE "customers_client"' in tables(on_default.captured_queries)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_report_read_inside_a_transaction_stays_on_default(replica):
    from django.db import transaction

    seller = invoicing_seller()
    issued(seller, make_client(seller, "company", siren="732829320"))
    with CaptureQueriesContext(replica) as on_replica, transaction.atomic(), reporting():
        # The transaction must see its own writes: a replica lags behind.
        assert reports_database() == "default"
        selectors.seller_figures(seller=seller, today=timezone.localdate())
    assert on_replica.captured_queries == []
