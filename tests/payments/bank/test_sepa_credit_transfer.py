"""Refunds by transfer exported as a pain.001 file the bank accepts."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from clausier.payments.bank.sepa_credit_transfer import (
    SCHEMAS,
    Debtor,
    Refund,
    credit_transfer_file,
)
from clausier.rules.errors import RuleError

SELLER = Debtor("Atelier Clausier SAS", "FR76 3000 6000 0112 3456 7890 189", "AGRIFRPP")
PETIT = Refund(
    creditor_name="Hélène Petit",
    iban="FR14 2004 1010 0505 0001 3M02 606",
    amount=Decimal("30.00"),
    reference="Remboursement avoir A2026-000003",
    end_to_end_id="REMB-2026-0001",
)
DUPONT = Refund(
    creditor_name="SARL Dupont Bâtiment",
    iban="FR7630004001230001020304058",
    bic="BNPAFRPP",
    amount=Decimal("12.34"),
    reference="Avoir A2026-000004",
    end_to_end_id="REMB-2026-0002",
)
CREATED = datetime(2026, 3, 11, 17, 0, tzinfo=UTC)


def export(refunds=(PETIT, DUPONT), **overrides):
    arguments = {
        "debtor": SELLER,
        "refunds": list(refunds),
        "execution_date": date(2026, 3, 12),
        "message_id": "REMB-20260312-1",
        "created_at": CREATED,
    } | overrides
    return credit_transfer_file(**arguments)


def texts(document: bytes, tag: str) -> list[str]:
    root = etree.fromstring(document)
    return [e.text for e in root.iter(f"{{{root.nsmap[None]}}}{tag}")]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_the_file_pays_each_refund_from_the_sellers_account(schema):
    document = export(schema=schema)
    assert etree.fromstring(document).nsmap[None] == f"urn:iso:std:iso:20022:tech:xsd:{schema}"
    assert texts(document, "NbOfTxs") == ["2", "2"]
    assert texts(document, "CtrlSum") == ["42.34", "42.34"]
    assert texts(document, "InstdAmt") == ["30.00", "12.34"]
    assert texts(document, "IBAN") == [
        "FR7630006000011234567890189",
        "FR1420041010050500013M02606",
        "FR7630004001230001020304058",
    ]
    assert texts(document, "EndToEndId") == ["REMB-2026-0001", "REMB-2026-0002"]
    assert texts(document, "Ustrd") == ["Remboursement avoir A2026-000003", "Avoir A2026-000004"]


def test_names_are_written_in_the_sepa_character_set():
    document = export()
    assert texts(document, "Nm") == [
        "Atelier Clausier SAS",
        "Atelier Clausier SAS",
        "Helene Petit",
        "SARL Dupont Batiment",
    ]


def test_the_same_batch_gives_the_same_file():
    assert export() == export()
    document = export()
    assert texts(document, "MsgId") == ["REMB-20260312-1"]
    assert texts(document, "CreDtTm") == ["2026-03-11T17:00:00+00:00"]
    assert texts(document, "PmtInfId") == ["REMB-20260312-1-1"]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_debtor_without_bic_is_accepted(schema):
    document = export(debtor=Debtor(SELLER.name, SELLER.iban), schema=schema)
    assert texts(document, "BIC") + texts(document, "BICFI") == ["BNPAFRPP"]


def test_a_file_that_breaks_the_schema_is_never_returned():
    # A name with no letter of the SEPA set is left empty, which the schema refuses.
    emoji = Refund("\U0001f600", PETIT.iban, Decimal("1.00"), "R", "E1")
    with pytest.raises(RuleError, match=r"schéma pain\.001\.001\.09"):
        export([emoji])


@pytest.mark.parametrize(
    ("refunds", "field", "message"),
    [
        ([], "refunds", "aucun remboursement"),
        ([PETIT, PETIT], "end_to_end_id", "deux fois"),
        (
            [Refund("X", "FR7630004001230001020304059", Decimal("1.00"), "R", "E1")],
            "refunds[0].iban",
            "invalide",
        ),
        ([Refund("X", PETIT.iban, Decimal("0.00"), "R", "E1")], "refunds[0].amount", "entre"),
        ([Refund("X", PETIT.iban, Decimal("1.005"), "R", "E1")], "refunds[0].amount", "centime"),
        (
            [Refund("", PETIT.iban, Decimal("1.00"), "R", "E1")],
            "refunds[0].creditor_name",
            "obligatoire",
        ),
        (
            [Refund("X", PETIT.iban, Decimal("1.00"), " ", "E1")],
            "refunds[0].reference",
            "obligatoire",
        ),
        (
            [Refund("X", PETIT.iban, Decimal("1.00"), "R", "É1")],
            "refunds[0].end_to_end_id",
            "lettres",
        ),
        (
            [Refund("X", PETIT.iban, Decimal("1.00"), "R", "E" * 36)],
            "refunds[0].end_to_end_id",
            "35",
        ),
        (
            [Refund("X", PETIT.iban, Decimal("1.00"), "R", "E1", bic="BNPA")],
            "refunds[0].bic",
            "invalide",
        ),
    ],
)
def test_a_refund_the_bank_would_refuse_is_refused_naming_it(refunds, field, message):
    with pytest.raises(RuleError, match=message) as caught:
        export(refunds)
    assert caught.value.argument == field


def test_an_unknown_schema_and_a_bad_message_id_are_refused():
    with pytest.raises(RuleError) as caught:
        export(schema="pain.001.001.02")
    assert caught.value.argument == "schema"
    with pytest.raises(RuleError) as caught:
        export(message_id="lot n°1")
    assert caught.value.argument == "message_id"


@given(
    st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
        min_size=1,
        max_size=5,
    )
)
def test_the_control_sum_is_the_sum_of_the_refunds(amounts):
    refunds = [
        Refund("Client", PETIT.iban, amount, f"Avoir {i}", f"REMB-{i}")
        for i, amount in enumerate(amounts)
    ]
    document = export(refunds)
    assert Decimal(texts(document, "CtrlSum")[0]) == sum(amounts)
    assert [Decimal(t) for t in texts(document, "InstdAmt")] == amounts
