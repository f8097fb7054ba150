"""Row locks on PostgreSQL: two workers never share a number nor accept a quote twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from clausier.quotes import services
from clausier.quotes.models import QuoteAcceptance
from tests.factories import make_client, make_contact
from tests.factories.quotes import install_agency, make_quote, paris, sent_quote

# Row locks exist on PostgreSQL only: `make test-postgres` runs these.
needs_row_locks = pytest.mark.postgresql


def run_together(*calls):
    """Run each call in its own thread and connection, started together; return results or
    the exceptions raised."""
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


@needs_row_locks
@pytest.mark.django_db
def test_sending_locks_only_the_quote_row():
    agency = install_agency()
    quote = make_quote(agency, make_client(agency))
    with CaptureQueriesContext(connection) as queries:
        services.send_quote(quote=quote, by=None, now=paris(2026, 5, 4, 10))
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert any('FROM "quotes_quote"' in sql and 'OF "quotes_quote"' in sql for sql in locks)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_sendings_take_consecutive_numbers():
    agency = install_agency()
    client = make_client(agency)
    drafts = [make_quote(agency, client) for _ in range(4)]
    results = run_together(
        *[
            (lambda q=q: services.send_quote(quote=q, by=None, now=paris(2026, 5, 4, 10)))
            for q in drafts
        ]
    )
    assert sorted(q.number for q in results) == [f"D2026-00000{i}" for i in range(1, 5)]


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_quote_accepted_twice_at_once_is_accepted_once():
    agency = install_agency()
    client = make_client(agency)
    bakery_contact = make_contact(client)
    quote = sent_quote(agency, client)

    def accept():
        return services.accept_quote_online(
            quote=quote,
            contact=bakery_contact,
            signatory_name="Camille Martin",
            signatory_role="Gérante",
            consent=True,
            ip_address="203.0.113.7",
            user_agent="test",
            now=paris(2026, 5, 6),
        )

    results = run_together(accept, accept)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1
    assert isinstance(refused[0], services.QuoteNotAcceptable)
    assert "déjà accepté" in str(refused[0])
    assert QuoteAcceptance.objects.filter(quote=quote).count() == 1
