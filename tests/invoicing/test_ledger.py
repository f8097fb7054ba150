"""`clausier verify_ledger` walks every chain and finds a row changed behind clausier's back."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clausier.invoicing import domain, services
from clausier.invoicing.models import Invoice
from tests.factories import make_issued_invoice
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

DAY = paris(2026, 5, 22, 10)


def verify(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_ledger", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_broken(*args) -> tuple[str, CommandError]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_ledger", *args, stdout=out, stderr=err)
    return out.getvalue(), caught.value


@pytest.fixture
def ledger(shop, shopper):
    invoices = [make_issued_invoice(shop, shopper, now=DAY) for _ in range(4)]
    services.issue_credit_note(invoice=invoices[0], reason="Erreur de prix", by=None, now=DAY)
    return invoices


def raw_update(sql: str, params: list) -> None:
    # Behind the services' and the models' back, as someone with database access would.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chains_verify(ledger):
    out, _ = verify()
    assert out.splitlines() == [
        "OK      boutique credit_note 2026: 1 document(s), chaîne intacte",
        "OK      boutique invoice 2026: 4 document(s), chaîne intacte",
    ]


def test_an_empty_ledger_is_ok(db):
    assert verify()[0].strip() == "OK      aucun document émis"


def test_a_snapshot_changed_with_raw_sql_is_detected(ledger):
    target = ledger[2]
    snapshot = dict(target.snapshot, total_ttc="6.00", amount_due="6.00")
    raw_update(
        "UPDATE invoicing_invoice SET snapshot = %s WHERE id = %s",
        [json.dumps(snapshot), target.pk],
    )
    out, error = verify_broken()
    assert error.returncode == 1
    assert "1 chaîne(s) rompue(s)" in str(error)
    assert (
        "ROMPU   boutique invoice 2026: F2026-000003 (rang 3) : le contenu ne correspond plus à "
        "son empreinte" in out
    )
    assert "2 document(s) intègres avant lui" in out
    assert "OK      boutique credit_note 2026" in out


def test_an_amount_changed_in_its_column_only_is_detected(ledger):
    raw_update("UPDATE invoicing_invoice SET total_ttc = %s WHERE id = %s", ["1.00", ledger[1].pk])
    out, _ = verify_broken()
    assert (
        "F2026-000002 (rang 2) : total TTC 1,00\u00a0€ en base, 600,00\u00a0€ dans le document"
        in (out)
    )


def test_a_rehashed_document_is_given_away_by_the_next_link(ledger):
    target = ledger[1]
    snapshot = dict(target.snapshot, total_ttc="6.00")
    content = domain.content_hash(snapshot)
    raw_update(
        "UPDATE invoicing_invoice SET snapshot = %s, content_hash = %s, chain_hash = %s, "
        "total_ttc = %s WHERE id = %s",
        [
            json.dumps(snapshot),
            content,
            domain.chain_hash(previous_hash=target.previous_hash, content_hash=content),
            "6.00",
            target.pk,
        ],
    )
    out, _ = verify_broken()
    assert "F2026-000003 (rang 3) : lien rompu avec le document précédent" in out


def test_a_deleted_document_leaves_a_gap_in_the_chain(ledger):
    raw_update("DELETE FROM invoicing_invoiceline WHERE invoice_id = %s", [ledger[1].pk])
    raw_update("DELETE FROM invoicing_invoice WHERE id = %s", [ledger[1].pk])
    out, _ = verify_broken()
    assert "F2026-000003 (rang 3) : rang 2 manquant" in out


def test_one_seller_may_be_verified_alone_with_a_progress_bar(ledger, shop):
    out, err = verify("--seller", shop.slug, "--progress")
    assert "chaîne intacte" in out
    assert "[" + "#" * 30 + "] 5/5" in err
    with pytest.raises(CommandError, match="no such seller"):
        verify("--seller", "inconnu")


def test_documents_are_read_back_from_their_snapshot(ledger):
    invoice = Invoice.objects.get(pk=ledger[0].pk)
    assert invoice.document.number == "F2026-000001"


def test_the_scheduled_task_checks_every_chain_and_fails_on_a_broken_one(ledger, caplog):
    from clausier.invoicing.tasks import LedgerBroken, verify_ledger

    assert verify_ledger.call() == {"chains": 2, "documents": 5, "broken": 0}
    raw_update("UPDATE invoicing_invoice SET total_ttc = %s WHERE id = %s", ["1.00", ledger[1].pk])
    with pytest.raises(LedgerBroken, match="1 broken chain"):
        verify_ledger.call()
    assert "broken at F2026-000002" in caplog.text
