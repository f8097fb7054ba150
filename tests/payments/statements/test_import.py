"""Bank statements imported: lines matched to open invoices by number, structured reference,
amount and the client's account; the rest left to review; the same statement twice creates
nothing twice; a file that cannot be read imports nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clausier.audit.models import Event
from clausier.invoicing.models import Invoice
from clausier.payments import services
from clausier.payments.bank.csv_statement import CsvMapping
from clausier.payments.models import Allocation, Payment
from clausier.payments.services import statements
from clausier.payments.statement_models import BankStatement, BankStatementLine
from clausier.rules.creditor_reference import creditor_reference
from tests.factories import make_client, make_issued_invoice
from tests.payments.statements.camt import entry, statement

DATA = Path(__file__).parent.parent / "bank" / "data"
DAY = timezone.make_aware(datetime(2026, 5, 10, 10), timezone.get_default_timezone())
NOW = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
DUPONT_IBAN = "FR7630004001230001020304058"


def issued(shop, client, unit_price):
    line = {
        "description": "Forfait",
        "quantity": "1",
        "unit": "flat",
        "unit_price": unit_price,
        "vat_rate": "0.20",
    }
    return make_issued_invoice(shop, client, now=DAY, lines=[line])


@pytest.fixture
def invoices(shop, shopper):
    other = make_client(shop, kind="consumer", name="Claire Dupont")
    return (
        issued(shop, shopper, "1000"),
        issued(shop, shopper, "400"),
        issued(shop, other, "300"),
    )


def march_like(invoices) -> bytes:
    by_number, by_reference, _unknown = invoices
    return statement(
        entry(
            f"{by_number.amount_due}",
            ref="B1",
            remittance=f"Facture {by_number.number.lower()} merci",
            iban=DUPONT_IBAN,
            name="JULIEN MARTIN",
        ),
        entry(
            f"{by_reference.amount_due}",
            ref="B2",
            creditor_reference=creditor_reference(by_reference.number),
        ),
        entry("95.00", ref="B3", remittance="REGLEMENT"),
        entry("42.50", ref="B4", direction="DBIT", remittance="FRAIS TENUE DE COMPTE"),
    )


def run(shop, data, **kw):
    kw.setdefault("format", "camt053")
    return statements.import_statement(
        seller=shop, data=data, filename="releve.xml", by=None, now=NOW, **kw
    )


def test_a_statement_pays_the_invoices_it_names_and_leaves_the_rest_to_review(shop, invoices):
    by_number, by_reference, _unknown = invoices
    done = run(shop, march_like(invoices))
    assert (done.status, done.matched_count, done.to_review_count, done.duplicate_count) == (
        "imported",
        2,
        2,
        0,
    )
    assert (done.progress_done, done.progress_total) == (4, 4)
    lines = list(done.lines.order_by("position"))
    assert [line.state for line in lines] == ["matched", "matched", "to_review", "to_review"]
    assert [line.method for line in lines[:2]] == ["number", "reference"]
    first = lines[0].payment
    assert (first.method, first.status, first.amount, first.value_date) == (
        "transfer",
        "succeeded",
        by_number.amount_due,
        date(2026, 5, 12),
    )
    assert [(a.invoice_id, a.amount) for a in first.allocations.all()] == [
        (by_number.pk, by_number.amount_due)
    ]
    by_number.refresh_from_db()
    by_reference.refresh_from_db()
    assert by_number.amount_paid == by_number.amount_due
    assert by_number.paid_on == date(2026, 5, 12)
    assert by_reference.amount_paid == by_reference.amount_due
    steps = [s["label"] for s in lines[0].explanation["steps"]]
    assert steps[0] == f"Numéro de facture {by_number.number} trouvé dans le libellé"
    assert "Débit" in lines[3].explanation["steps"][0]["label"]
    assert Event.objects.filter(verb="bank_statement.imported").count() == 1


def test_the_same_statement_twice_creates_nothing_twice(shop, invoices):
    data = march_like(invoices)
    run(shop, data)
    again = run(shop, data)
    assert (again.matched_count, again.to_review_count, again.duplicate_count) == (0, 0, 4)
    assert Payment.objects.count() == 2
    assert Allocation.objects.count() == 2
    assert BankStatementLine.objects.exclude(state="duplicate").count() == 4
    assert set(again.lines.values_list("state", flat=True)) == {"duplicate"}


def test_an_overlapping_statement_imports_only_its_new_lines(shop, invoices):
    _by_number, _by_reference, unknown = invoices
    run(shop, march_like(invoices))
    later = statement(
        entry("95.00", ref="B3", remittance="REGLEMENT"),
        entry(f"{unknown.amount_due}", ref="B5", remittance=f"FACT. {unknown.number}"),
        entry(f"{unknown.amount_due}", ref="B5", remittance=f"FACT. {unknown.number}"),
        ident="STMT-2026-05-b",
    )
    done = run(shop, later)
    assert (done.matched_count, done.to_review_count, done.duplicate_count) == (1, 0, 2)
    unknown.refresh_from_db()
    assert unknown.amount_paid == unknown.amount_due
    assert Payment.objects.filter(client=unknown.client).count() == 1


def test_the_sample_march_statement_imports_whole(shop, invoices):
    done = run(shop, (DATA / "camt053_march.xml").read_bytes())
    # Its invoice numbers are no invoice of this seller: every credit waits for review.
    assert (done.matched_count, done.to_review_count, done.duplicate_count) == (0, 5, 0)
    assert (done.account_iban, done.period_start, done.period_end) == (
        "FR7630006000011234567890189",
        date(2026, 3, 2),
        date(2026, 3, 8),
    )
    again = run(shop, (DATA / "camt053_march_overlap.xml").read_bytes())
    assert again.duplicate_count == 2
    assert again.matched_count + again.to_review_count == again.progress_total - 2


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("camt053_malformed_amount.xml", "/Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt"),
        ("camt053_truncated.xml", "ligne"),
        ("camt053_external_entity.xml", ""),
        ("camt053_wrong_closing_balance.xml", ""),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(shop, invoices, name, where):
    with pytest.raises(ValidationError) as refused:
        run(shop, (DATA / name).read_bytes())
    message = refused.value.message_dict["file"][0]
    assert where in message
    assert " : " in message
    assert BankStatement.objects.count() == 0
    assert BankStatementLine.objects.count() == 0
    assert Payment.objects.count() == 0


def test_a_refused_line_in_the_middle_refuses_the_whole_file(shop, invoices):
    good = march_like(invoices)
    bad = good.replace(b'<Amt Ccy="EUR">95.00</Amt>', b'<Amt Ccy="EUR">95,00</Amt>', 1)
    with pytest.raises(ValidationError):
        run(shop, bad)
    assert Payment.objects.count() == 0
    assert Invoice.objects.filter(amount_paid__gt=0).count() == 0


def test_a_payer_account_known_from_an_earlier_statement_matches_by_amount(shop, invoices):
    by_number, _by_reference, _unknown = invoices
    run(shop, march_like(invoices))  # Julien Martin paid from DUPONT_IBAN
    later_invoice = issued(shop, by_number.client, "50")
    done = run(
        shop,
        statement(entry(f"{later_invoice.amount_due}", ref="B9", iban=DUPONT_IBAN), ident="S2"),
    )
    line = done.lines.get()
    assert (line.state, line.method) == ("matched", "amount_and_iban")
    assert line.payment.allocations.get().invoice_id == later_invoice.pk


def test_progress_is_told_chunk_by_chunk(shop, invoices):
    seen = []
    run(
        shop, march_like(invoices), chunk=3, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(3, 4), (4, 4)]


def test_an_interrupted_import_is_taken_up_where_it_stopped(shop, invoices):
    queued = statements.queue_statement(
        seller=shop, data=march_like(invoices), filename="r.xml", format="camt053", by=None
    )
    assert (queued.status, queued.progress_total) == ("queued", 4)
    assert BankStatementLine.objects.count() == 0
    first = statements.run_statement(statement=queued, by=None, now=NOW)
    again = statements.run_statement(statement=first, by=None, now=NOW)
    assert again.matched_count == 2
    assert Payment.objects.count() == 2


# --- CSV ------------------------------------------------------------------------------------------

MAPPING = CsvMapping(
    date="Date",
    value_date="Date de valeur",
    label="Libellé",
    debit="Débit euros",
    credit="Crédit euros",
    skip_rows=5,
    encoding="cp1252",
    bank="Crédit Agricole",
)


def test_a_csv_statement_is_read_with_the_mapping_saved_for_its_bank(shop, invoices):
    saved = statements.save_csv_mapping(
        seller=shop, bank="Crédit Agricole", mapping=MAPPING.to_json(), by=None
    )
    by_number = invoices[0]
    amount = f"{by_number.amount_due:.2f}".replace(".", ",")
    data = (
        "Compte courant;\nIBAN : FR76;\nListe;\nSolde;\n;\n"
        "Date;Date de valeur;Libellé;Débit euros;Crédit euros;\n"
        f"12/05/2026;12/05/2026;VIR SEPA RECU /MOTIF Facture {by_number.number};;{amount};\n"
        "13/05/2026;13/05/2026;FRAIS;4,50;;\n"
    ).encode("cp1252")
    done = run(shop, data, format="csv", mapping=saved)
    assert (done.matched_count, done.to_review_count) == (1, 1)
    assert done.csv_mapping["bank"] == "Crédit Agricole"
    by_number.refresh_from_db()
    assert by_number.amount_paid == by_number.amount_due


def test_a_csv_statement_without_a_mapping_is_refused_naming_it(shop):
    with pytest.raises(ValidationError) as refused:
        run(shop, b"Date;Montant\n", format="csv")
    assert "mapping" in refused.value.message_dict


def test_a_wrong_mapping_is_refused_naming_the_rule(shop):
    with pytest.raises(ValidationError) as refused:
        statements.save_csv_mapping(seller=shop, bank="BNP", mapping={"date": "Date"}, by=None)
    assert "mapping" in refused.value.message_dict
    assert not shop.bank_csv_mappings.exists()


# --- reconciliation -------------------------------------------------------------------------------


def _to_review(shop, invoices, amount="95.00"):
    done = run(shop, statement(entry(amount, ref="R1", remittance="REGLEMENT"), ident="R"))
    return done.lines.get()


def test_a_line_to_review_is_split_among_several_invoices(shop, invoices):
    by_number, by_reference, _ = invoices
    total = by_number.amount_due + by_reference.amount_due + Decimal("10.00")
    line = _to_review(shop, invoices, f"{total}")
    assert line.state == "to_review"
    done = statements.match_line(
        line=line,
        allocations=[(by_number, by_number.amount_due), (by_reference, by_reference.amount_due)],
        by=None,
        now=NOW,
    )
    assert done.state == "matched"
    payment = done.payment
    assert payment.amount == total
    assert sorted(a.amount for a in payment.allocations.all()) == sorted(
        [by_number.amount_due, by_reference.amount_due]
    )
    from clausier.payments import selectors

    assert selectors.unallocated(payment=payment) == Decimal("10.00")
    statement_row = BankStatement.objects.get(pk=line.statement_id)
    assert (statement_row.matched_count, statement_row.to_review_count) == (1, 0)
    with pytest.raises(Exception, match="matched"):
        statements.match_line(line=done, allocations=[(by_number, "1")], by=None, now=NOW)


def test_a_split_beyond_the_transfer_is_refused_and_writes_nothing(shop, invoices):
    by_number, by_reference, _ = invoices
    line = _to_review(shop, invoices, "100.00")
    with pytest.raises(ValidationError) as refused:
        statements.match_line(
            line=line, allocations=[(by_number, "60"), (by_reference, "50")], by=None, now=NOW
        )
    assert "allocations" in refused.value.message_dict
    line.refresh_from_db()
    assert line.state == "to_review"
    assert Payment.objects.count() == 0


def test_invoices_of_two_clients_are_refused_in_one_split(shop, invoices):
    by_number, _, other = invoices
    line = _to_review(shop, invoices, "100.00")
    with pytest.raises(ValidationError):
        statements.match_line(
            line=line, allocations=[(by_number, "50"), (other, "50")], by=None, now=NOW
        )


def test_a_line_kept_as_the_clients_credit_pays_a_later_invoice(shop, shopper, invoices):
    by_number = invoices[0]
    line = _to_review(shop, invoices, f"{by_number.amount_due}")
    done = statements.credit_line(line=line, client=shopper, by=None, now=NOW)
    assert done.state == "credited"
    services.use_client_credit(invoice=by_number, by=None, now=NOW)
    by_number.refresh_from_db()
    assert by_number.amount_paid == by_number.amount_due


def test_a_line_is_ignored_with_its_reason(shop, invoices):
    line = _to_review(shop, invoices)
    with pytest.raises(ValidationError) as refused:
        statements.ignore_line(line=line, reason="  ", by=None, now=NOW)
    assert "reason" in refused.value.message_dict
    done = statements.ignore_line(line=line, reason="Virement interne", by=None, now=NOW)
    assert (done.state, done.ignored_reason) == ("ignored", "Virement interne")
    row = BankStatement.objects.get(pk=line.statement_id)
    assert (row.ignored_count, row.to_review_count) == (1, 0)
    assert Event.objects.filter(verb="bank_statement.line_ignored").count() == 1


def test_a_debit_cannot_be_matched_to_an_invoice(shop, invoices):
    done = run(shop, statement(entry("12.00", ref="D1", direction="DBIT"), ident="D"))
    line = done.lines.get()
    with pytest.raises(Exception, match="virement reçu"):
        statements.match_line(line=line, allocations=[(invoices[0], "12")], by=None, now=NOW)
