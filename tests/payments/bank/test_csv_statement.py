"""CSV statements read through the mapping saved for their bank, refused naming the line and
the column of what cannot be read."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.payments.bank.csv_statement import CsvMapping, parse_amount, parse_csv_statement
from clausier.payments.bank.statement import Direction, StatementError, triage
from clausier.rules.errors import RuleError

DATA = Path(__file__).parent / "data"

# The layout of a French bank's export: five lines about the account, then the titles.
FRENCH_BANK = CsvMapping(
    bank="Crédit Agricole",
    encoding="cp1252",
    skip_rows=5,
    date="Date",
    value_date="Date de valeur",
    label="Libellé",
    debit="Débit euros",
    credit="Crédit euros",
)
SIGNED = CsvMapping(
    bank="Banque en ligne",
    delimiter=",",
    decimal_comma=False,
    date_format="%Y-%m-%d",
    date="Date opération",
    value_date="Date valeur",
    amount="Montant",
    counterparty="Contrepartie",
    iban="IBAN contrepartie",
    label="Libellé",
    reference="Référence",
)


def french_statement(data: bytes | None = None, mapping: CsvMapping = FRENCH_BANK):
    data = (DATA / "releve_credit_agricole.csv").read_bytes() if data is None else data
    return parse_csv_statement(data, mapping, account_iban="FR76 3000 6000 0112 3456 7890 189")


def test_a_french_bank_export_is_read_with_its_mapping():
    statement = french_statement()
    assert statement.account_iban == "FR7630006000011234567890189"
    assert [(line.amount, line.direction) for line in statement.lines] == [
        (Decimal("1200.00"), Direction.CREDIT),
        (Decimal("480.00"), Direction.CREDIT),
        (Decimal("360.00"), Direction.CREDIT),
        (Decimal("95.00"), Direction.CREDIT),
        (Decimal("42.50"), Direction.DEBIT),
        (Decimal("1050.00"), Direction.CREDIT),
    ]
    first = statement.lines[0]
    assert first.booking_date == first.value_date == date(2026, 3, 2)
    # A label on two lines of the file is one label.
    assert first.remittance == (
        "VIR SEPA RECU /DE SARL DUPONT BATIMENT /MOTIF Facture f2026-000042 Dupont "
        "/REF DUPONT-VIR-0042"
    )
    assert (statement.period_start, statement.period_end) == (date(2026, 3, 2), date(2026, 3, 6))


def test_a_signed_amount_export_gives_the_payer_and_the_bank_reference():
    data = (DATA / "releve_montant_signe.csv").read_bytes()
    statement = parse_csv_statement(data, SIGNED)
    dupont, martin, fees = statement.lines
    assert dupont.counterparty_iban == "FR7630004001230001020304058"
    assert dupont.bank_reference == "TX-20260302-001"
    assert martin.counterparty_name == "BOULANGERIE MARTIN"
    assert (fees.amount, fees.direction) == (Decimal("42.50"), Direction.DEBIT)


def test_columns_may_be_given_by_position():
    mapping = CsvMapping(
        encoding="cp1252",
        skip_rows=6,
        has_header=False,
        date=1,
        value_date=2,
        label=3,
        debit=4,
        credit=5,
    )
    assert french_statement(mapping=mapping).lines == french_statement().lines


def test_the_same_csv_imported_twice_creates_nothing_twice():
    first = french_statement()
    again = french_statement()
    assert triage(again.lines, {line.fingerprint for line in first.lines}).new == ()


def test_a_bad_amount_is_refused_naming_the_line_and_the_column():
    data = (DATA / "releve_credit_agricole.csv").read_bytes().replace(b"360,00", b"360,0O")
    with pytest.raises(StatementError) as caught:
        french_statement(data)
    # The header is on line 6, a label on two lines makes the third operation line 10.
    assert caught.value.line == 10
    assert caught.value.column == "« Crédit euros »"
    assert str(caught.value) == "ligne 10, colonne « Crédit euros » : montant « 360,0O » illisible"


def test_a_bad_date_names_the_expected_format():
    data = (
        (DATA / "releve_credit_agricole.csv")
        .read_bytes()
        .replace(b"05/03/2026;05", b"2026-03-05;05")
    )
    with pytest.raises(StatementError, match=r"ligne 11, colonne « Date » : date « 2026-03-05 »"):
        french_statement(data)


def test_a_column_missing_from_the_header_is_named_with_the_titles_found():
    mapping = CsvMapping(
        encoding="cp1252", skip_rows=5, date="Date", debit="Débit", credit="Crédit euros"
    )
    with pytest.raises(StatementError, match="ligne 6 : colonne « Débit » absente"):
        french_statement(mapping=mapping)


def test_a_line_with_both_debit_and_credit_is_refused():
    data = (DATA / "releve_credit_agricole.csv").read_bytes().replace(b"42,50;;", b"42,50;1,00;")
    with pytest.raises(StatementError, match=r"ligne 12.*un débit et un crédit"):
        french_statement(data)


def test_a_file_in_another_encoding_than_the_mapping_says_is_refused():
    with pytest.raises(StatementError, match="ligne 1 : le fichier n'est pas encodé en utf-8"):
        parse_csv_statement(
            (DATA / "releve_credit_agricole.csv").read_bytes(),
            CsvMapping(skip_rows=5, date="Date", debit="Débit euros", credit="Crédit euros"),
        )


def test_the_mapping_round_trips_through_json():
    saved = FRENCH_BANK.to_json()
    assert json.loads(saved)["skip_rows"] == 5
    assert CsvMapping.from_json(saved) == FRENCH_BANK
    assert CsvMapping.from_json(SIGNED.to_json()) == SIGNED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": None, "debit": None, "credit": None}, "amount"),
        ({"credit": None}, "debit"),
        ({"delimiter": ";;"}, "delimiter"),
        ({"encoding": "klingon"}, "encoding"),
        ({"date_format": "dd/mm/yyyy"}, "date_format"),
        ({"skip_rows": -1}, "skip_rows"),
        ({"label": 0}, "label"),
        ({"has_header": False}, "date"),
        ({"currency": "euro"}, "currency"),
    ],
)
def test_a_wrong_mapping_is_refused_naming_the_field(changes, field):
    data = json.loads(FRENCH_BANK.to_json()) | changes
    with pytest.raises(RuleError) as caught:
        CsvMapping.from_json(data)
    assert caught.value.argument == field


def test_an_unknown_key_in_a_saved_mapping_is_named():
    data = json.loads(FRENCH_BANK.to_json()) | {"montant": "Montant"}
    with pytest.raises(RuleError, match="montant: clé inconnue"):
        CsvMapping.from_json(data)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "value"),
    [
        ("1 234,56", True, "1234.56"),
        ("1.234,56 €", True, "1234.56"),
        ("-42,50", True, "-42.50"),
        ("42,50-", True, "-42.50"),
        ("(42,50)", True, "-42.50"),
        ("+1,00", True, "1.00"),
        ("1,234.56", False, "1234.56"),
        ("-0.5", False, "-0.5"),
        ("12,345", True, None),
        ("douze", True, None),
    ],
)
def test_amounts_as_banks_write_them(text, decimal_comma, value):
    expected = None if value is None else Decimal(value)
    assert parse_amount(text, decimal_comma=decimal_comma) == expected


@given(
    st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2),
    st.sampled_from(["", " ", "\u00a0", "\u202f", "."]),
)
def test_an_amount_written_the_french_way_reads_back_exactly(amount, group):
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ("-" if amount < 0 else "") + group.join(groups) + "," + cents
    assert parse_amount(text, decimal_comma=True) == amount
