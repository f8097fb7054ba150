"""CAMT.053 statements: read into lines with stable fingerprints, or refused whole with the
element's path and the reason."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.payments.bank.camt053 import VERSIONS, parse_camt053
from clausier.payments.bank.statement import Direction, StatementError, triage

DATA = Path(__file__).parent / "data"
SELLER_IBAN = "FR7630006000011234567890189"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def only_statement(name: str):
    (statement,) = parse_camt053(read(name))
    return statement


def test_statement_gives_its_account_period_and_balances():
    statement = only_statement("camt053_march.xml")
    assert statement.id == "0112345678901-2026-03-08"
    assert statement.account_iban == SELLER_IBAN
    assert statement.currency == "EUR"
    assert (statement.period_start, statement.period_end) == (date(2026, 3, 2), date(2026, 3, 8))
    assert statement.opening_balance.amount == Decimal("10000.00")
    assert statement.closing_balance.amount == Decimal("12092.50")
    assert statement.closing_balance.on == date(2026, 3, 8)


def test_booked_entries_become_lines_and_a_pending_one_does_not():
    statement = only_statement("camt053_march.xml")
    assert [(line.amount, line.direction) for line in statement.lines] == [
        (Decimal("1200.00"), Direction.CREDIT),
        (Decimal("480.00"), Direction.CREDIT),
        (Decimal("360.00"), Direction.CREDIT),
        (Decimal("95.00"), Direction.CREDIT),
        (Decimal("42.50"), Direction.DEBIT),
    ]
    assert sum(line.signed_amount for line in statement.lines) == Decimal("2092.50")


def test_a_line_carries_the_payer_the_references_and_the_remittance():
    first, second, third, _, fees = only_statement("camt053_march.xml").lines
    assert first.booking_date == first.value_date == date(2026, 3, 2)
    assert first.counterparty_name == "SARL DUPONT BATIMENT"
    assert first.counterparty_iban == "FR7630004001230001020304058"
    assert first.remittance == "Facture f2026-000042 Dupont"
    assert first.end_to_end_id == "DUPONT-VIR-0042"
    assert first.bank_reference == "2603020000184"
    assert second.creditor_reference == "RF15F2026000043"
    assert second.remittance == ""
    # NOTPROVIDED is the scheme's way of saying there is none.
    assert third.end_to_end_id == ""
    # An entry without transaction details: the bank's own label stands for the remittance.
    assert fees.remittance == "FRAIS TENUE DE COMPTE MARS 2026"
    assert fees.counterparty_name == ""


def test_version_08_reads_the_party_choice_the_status_code_and_a_batch_booking():
    statement = only_statement("camt053_march_overlap.xml")
    batch = [line for line in statement.lines if line.bank_reference.startswith("2603100000644")]
    assert [(line.amount, line.counterparty_name) for line in batch] == [
        (Decimal("250.00"), "CABINET ROUX"),
        (Decimal("150.00"), "VIDAL ET FILS"),
    ]
    assert batch[1].creditor_reference == "RF04F2026000047"
    # A booking date given with its time keeps its day.
    assert batch[0].booking_date == date(2026, 3, 10)
    refund = statement.lines[-1]
    assert refund.direction is Direction.DEBIT
    assert refund.counterparty_name == "M JEAN PETIT"
    assert refund.counterparty_iban == "FR1420041010050500013M02606"
    assert refund.end_to_end_id == "REMB-2026-0001"


def test_the_same_statement_read_twice_gives_the_same_fingerprints():
    once = [line.fingerprint for line in only_statement("camt053_march.xml").lines]
    again = [line.fingerprint for line in only_statement("camt053_march.xml").lines]
    assert once == again
    assert len(set(once)) == len(once)
    known = set(once)
    assert triage(only_statement("camt053_march.xml").lines, known).new == ()


def test_lines_repeated_by_an_overlapping_statement_are_duplicates():
    march = only_statement("camt053_march.xml")
    overlap = only_statement("camt053_march_overlap.xml")
    result = triage(overlap.lines, {line.fingerprint for line in march.lines})
    assert [line.amount for line in result.duplicates] == [Decimal("95.00"), Decimal("42.50")]
    assert [line.amount for line in result.new] == [
        Decimal("250.00"),
        Decimal("150.00"),
        Decimal("75.00"),
        Decimal("30.00"),
    ]


def test_a_line_without_bank_reference_keeps_its_fingerprint_from_one_import_to_the_next():
    lines = only_statement("camt053_march_overlap.xml").lines
    (unreferenced,) = [line for line in lines if not line.bank_reference]
    again = [line for line in only_statement("camt053_march_overlap.xml").lines]
    assert unreferenced.fingerprint in {line.fingerprint for line in again}


def test_two_identical_unreferenced_payments_of_one_day_stay_two_lines():
    data = read("camt053_march_overlap.xml").decode()
    start = data.index("<!-- The bank gives no reference")
    end = data.index("<!-- A refund sent to a client")
    twice = data[:end] + data[start:end] + data[end:]
    twice = twice.replace("12537.50", "12612.50")
    (statement,) = parse_camt053(twice.encode())
    unreferenced = [line for line in statement.lines if not line.bank_reference]
    assert len(unreferenced) == 2
    assert unreferenced[0].fingerprint != unreferenced[1].fingerprint
    assert len(triage(statement.lines).new) == len(statement.lines)


def test_a_repeated_bank_reference_inside_a_file_is_a_duplicate():
    data = read("camt053_march.xml").decode()
    start = data.index("<!-- Paid by invoice number")
    end = data.index("<!-- Paid with the structured")
    twice = data[:end] + data[start:end] + data[end:]
    twice = twice.replace("12092.50", "13292.50")
    (statement,) = parse_camt053(twice.encode())
    result = triage(statement.lines)
    assert len(result.duplicates) == 1
    assert result.duplicates[0].bank_reference == "2603020000184"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_from_02_to_08_is_read(version):
    data = read("camt053_march.xml").replace(b"camt.053.001.02", f"camt.053.001.{version}".encode())
    (statement,) = parse_camt053(data)
    assert len(statement.lines) == 5


# --- refused files ---------------------------------------------------------------------------


def refusal(data: bytes) -> StatementError:
    with pytest.raises(StatementError) as caught:
        parse_camt053(data)
    return caught.value


def test_an_amount_with_a_decimal_comma_is_refused_naming_the_element():
    error = refusal(read("camt053_malformed_amount.xml"))
    assert error.where == "/Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt"
    assert "480,00" in error.reason
    assert error.line == 121


def test_a_truncated_file_is_refused_with_its_line():
    error = refusal(read("camt053_truncated.xml"))
    assert error.where.startswith("ligne ")
    assert "XML mal formé" in error.reason


def test_a_closing_balance_the_entries_do_not_lead_to_is_refused():
    error = refusal(read("camt053_wrong_closing_balance.xml"))
    assert error.where == "/Document/BkToCstmrStmt/Stmt/Bal[2]/Amt"
    assert "12192,50" in error.reason.replace("\u202f", "").replace(" ", "")


def test_an_external_entity_is_refused_and_never_read():
    error = refusal(read("camt053_external_entity.xml"))
    assert "DOCTYPE" in error.reason
    assert "root:" not in str(error)


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(StatementError, match="maximum"):
        parse_camt053(read("camt053_march.xml"), max_bytes=1000)


def test_another_message_than_camt053_is_refused():
    data = read("camt053_march.xml").replace(b"camt.053.001.02", b"camt.052.001.02")
    error = refusal(data)
    assert error.where == "/Document"
    assert "camt.052.001.02" in error.reason


def test_a_missing_credit_debit_indicator_is_named():
    data = read("camt053_march.xml").decode()
    data = data.replace("<CdtDbtInd>DBIT</CdtDbtInd>", "", 1)
    error = refusal(data.encode())
    assert error.where == "/Document/BkToCstmrStmt/Stmt/Ntry[5]/CdtDbtInd"
    assert error.reason == "élément obligatoire absent"


def test_an_unknown_indicator_and_a_bad_date_are_named():
    data = read("camt053_march.xml").decode()
    error = refusal(
        data.replace("<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>").encode()
    )
    assert error.where == "/Document/BkToCstmrStmt/Stmt/Ntry[5]/CdtDbtInd"
    error = refusal(data.replace("<Dt>2026-03-04</Dt>", "<Dt>04/03/2026</Dt>", 1).encode())
    assert error.where == "/Document/BkToCstmrStmt/Stmt/Ntry[3]/BookgDt/Dt"
    assert "04/03/2026" in error.reason


def test_a_batch_whose_transactions_do_not_add_up_is_refused():
    data = (
        read("camt053_march_overlap.xml")
        .decode()
        .replace('<Amt Ccy="EUR">150.00</Amt>', '<Amt Ccy="EUR">140.00</Amt>')
    )
    error = refusal(data.encode())
    assert error.where == "/Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt"
    assert "somme" in error.reason


@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_statement_error(data):
    try:
        parse_camt053(data)
    except StatementError as error:
        assert error.where  # noqa: PT017
        assert error.reason  # noqa: PT017


@given(st.integers(min_value=0, max_value=3000))
def test_a_cut_file_is_refused_whole(cut):
    data = read("camt053_march.xml")[:cut]
    with pytest.raises(StatementError):
        parse_camt053(data)
