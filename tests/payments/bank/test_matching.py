"""Statement lines matched to open invoices: by reference, by number, by amount and IBAN;
everything else, ambiguity first, left to review, each with its reasons."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clausier.payments.bank.camt053 import parse_camt053
from clausier.payments.bank.matching import Method, OpenInvoice, match_line, match_lines
from clausier.payments.bank.statement import Direction, StatementLine
from clausier.rules.creditor_reference import creditor_reference

DATA = Path(__file__).parent / "data"
DUPONT_IBAN = "FR7630004001230001020304058"
MARTIN_IBAN = "FR7610278060400002034560125"


def invoice(id, number, balance, *, client=None, ibans=(), reference=True):
    return OpenInvoice(
        id=id,
        number=number,
        client_id=client or id,
        balance_due=Decimal(balance),
        structured_reference=creditor_reference(number) if reference else "",
        client_ibans=frozenset(ibans),
    )


OPEN = [
    invoice(42, "F2026-000042", "1200.00", ibans=[DUPONT_IBAN]),
    invoice(43, "F2026-000043", "480.00"),
    invoice(44, "F2026-000044", "360.00", ibans=["FR76 1027 8060 4000 0203 4560 125"]),
    invoice(45, "F2026-000045", "250.00"),
    invoice(46, "F2026-000046", "300.00"),
    invoice(47, "F2026-000047", "150.00"),
]


def credit(amount, remittance="", *, iban="", reference="", currency="EUR"):
    return StatementLine(
        booking_date=date(2026, 3, 2),
        value_date=date(2026, 3, 2),
        amount=Decimal(amount),
        direction=Direction.CREDIT,
        currency=currency,
        counterparty_iban=iban,
        remittance=remittance,
        creditor_reference=reference,
    )


def allocated(match):
    return [(a.invoice_number, a.amount) for a in match.allocations]


def test_the_march_statement_is_matched_by_number_reference_and_amount_and_iban():
    (statement,) = parse_camt053((DATA / "camt053_march.xml").read_bytes())
    matches = match_lines(statement.lines, OPEN)
    assert [m.method for m in matches] == [
        Method.NUMBER,
        Method.REFERENCE,
        Method.AMOUNT_AND_IBAN,
        Method.TO_REVIEW,
        Method.TO_REVIEW,
    ]
    assert [allocated(m) for m in matches[:3]] == [
        [("F2026-000042", Decimal("1200.00"))],
        [("F2026-000043", Decimal("480.00"))],
        [("F2026-000044", Decimal("360.00"))],
    ]
    assert str(matches[0].explanation.steps[0].label) == (
        "Numéro de facture F2026-000042 trouvé dans le libellé"
    )
    assert matches[4].explanation.value == "to_review"
    assert "Débit" in str(matches[4].explanation.steps[0].label)


def test_the_overlapping_statement_splits_a_batch_and_sees_a_partial_payment():
    (statement,) = parse_camt053((DATA / "camt053_march_overlap.xml").read_bytes())
    by_amount = {m.line.amount: m for m in match_lines(statement.lines, OPEN)}
    assert allocated(by_amount[Decimal("250.00")]) == [("F2026-000045", Decimal("250.00"))]
    assert by_amount[Decimal("150.00")].method is Method.REFERENCE
    partial = by_amount[Decimal("75.00")]
    assert allocated(partial) == [("F2026-000046", Decimal("75.00"))]
    assert "il restera 225,00" in str(partial.explanation.steps[2].label)


def test_numbers_are_found_whatever_the_spaces_case_and_prefix():
    for text in [
        "F2026-000042",
        "f2026000042",
        "FACTURE N° F 2026 000042",
        "Fact.F2026-000042 merci",
        "VIR /MOTIF FACTF2026000042 /REF X",
        "Règlement facture n°F2026-000042.",
        "INV F2026/000042",
    ]:
        match = match_line(credit("1200.00", text), OPEN)
        assert allocated(match) == [("F2026-000042", Decimal("1200.00"))], text


def test_a_longer_number_is_not_taken_for_a_shorter_one():
    match = match_line(credit("1200.00", "FACTURE F2026-0000421"), OPEN)
    assert match.method is not Method.NUMBER


def test_the_creditor_reference_is_found_in_the_free_text_too():
    match = match_line(credit("480.00", "VIR RF15 F202 6000 043"), OPEN)
    assert match.method is Method.REFERENCE
    assert allocated(match) == [("F2026-000043", Decimal("480.00"))]


def test_paying_more_than_the_balance_leaves_the_rest_as_client_credit():
    match = match_line(credit("1250.00", "F2026-000042"), OPEN)
    assert allocated(match) == [("F2026-000042", Decimal("1200.00"))]
    assert match.unallocated == Decimal("50.00")
    assert "crédit du client" in str(match.explanation.steps[-1].label)


def test_a_payment_naming_two_invoices_is_split_when_it_pays_both_exactly():
    match = match_line(credit("730.00", "Factures F2026-000043 et F2026-000045"), OPEN)
    assert match.method is Method.NUMBER
    assert allocated(match) == [
        ("F2026-000043", Decimal("480.00")),
        ("F2026-000045", Decimal("250.00")),
    ]


def test_a_payment_naming_two_invoices_with_another_amount_is_to_review():
    match = match_line(credit("700.00", "Factures F2026-000043 et F2026-000045"), OPEN)
    assert match.method is Method.TO_REVIEW
    assert match.candidates == (43, 45)


def test_two_invoices_of_the_client_with_the_same_balance_are_never_guessed():
    invoices = [*OPEN, invoice(48, "F2026-000048", "360.00", ibans=[MARTIN_IBAN])]
    match = match_line(credit("360.00", "PAIEMENT", iban=MARTIN_IBAN), invoices)
    assert match.method is Method.TO_REVIEW
    assert match.allocations == ()
    assert set(match.candidates) == {44, 48}
    assert "Plusieurs factures" in str(match.explanation.steps[-2].label)


def test_the_amount_alone_without_a_known_iban_is_not_enough():
    match = match_line(credit("360.00", "PAIEMENT", iban="FR1420041010050500013M02606"), OPEN)
    assert match.method is Method.TO_REVIEW
    assert match.candidates == (44,)


def test_a_known_iban_with_another_amount_shows_the_clients_invoices():
    match = match_line(credit("100.00", "ACOMPTE", iban=DUPONT_IBAN), OPEN)
    assert match.method is Method.TO_REVIEW
    assert match.candidates == (42,)


def test_a_debit_another_currency_and_a_reversal_are_to_review():
    debit = replace(credit("1200.00", "F2026-000042"), direction=Direction.DEBIT)
    dollars = credit("1200.00", "F2026-000042", currency="USD")
    reversal = replace(credit("1200.00", "F2026-000042"), reversal=True)
    for line in (debit, dollars, reversal):
        assert match_line(line, OPEN).method is Method.TO_REVIEW


def test_a_second_payment_of_a_settled_invoice_is_to_review():
    lines = [credit("1200.00", "F2026-000042"), credit("1200.00", "F2026-000042")]
    first, second = match_lines(lines, OPEN)
    assert first.method is Method.NUMBER
    assert second.method is Method.TO_REVIEW
    assert second.candidates == (42,)
    assert "déjà soldée" in str(second.explanation.steps[1].label)


def test_the_explanation_is_json_ready():
    data = match_line(credit("1200.00", "F2026-000042"), OPEN).explanation.as_dict()
    assert data["rule"] == "bank_line_match"
    assert data["value"] == "number"
    assert data["inputs"]["amount"] == "1200.00"
    assert data["steps"][0]["words"]["params"] == {"number": "F2026-000042"}


# --- properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
invoice_lists = st.lists(
    st.builds(
        lambda n, balance, client: invoice(
            n,
            f"F2026-{n:06d}",
            balance,
            client=client,
            ibans=[(DUPONT_IBAN, MARTIN_IBAN)[client % 2]],
        ),
        st.integers(min_value=1, max_value=60),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2),
        st.integers(min_value=1, max_value=4),
    ),
    max_size=8,
    unique_by=lambda inv: inv.id,
)
texts = st.lists(
    st.sampled_from(["F2026-0000", "1", "2", "3", " ", "FACTURE", "-", "RF", "PAIEMENT", "42"]),
    max_size=8,
).map("".join)
lines = st.builds(
    lambda amount, text, iban: credit(amount, text, iban=iban),
    amounts,
    texts,
    st.sampled_from(["", DUPONT_IBAN, MARTIN_IBAN]),
)


@given(st.lists(lines, max_size=6), invoice_lists)
def test_allocations_never_exceed_the_line_nor_an_invoices_balance(statement, invoices):
    matches = match_lines(statement, invoices)
    given_to = {inv.id: Decimal(0) for inv in invoices}
    for match in matches:
        assert sum(a.amount for a in match.allocations) + match.unallocated == match.line.amount
        assert all(a.amount > 0 for a in match.allocations)
        assert match.matched == bool(match.allocations)
        for allocation in match.allocations:
            given_to[allocation.invoice_id] += allocation.amount
    for inv in invoices:
        assert given_to[inv.id] <= max(inv.balance_due, Decimal(0))


@given(amounts, st.sampled_from([DUPONT_IBAN, MARTIN_IBAN]))
def test_two_invoices_that_fit_equally_never_auto_match(amount, iban):
    twins = [
        invoice(1, "F2026-000101", amount, client=7, ibans=[iban]),
        invoice(2, "F2026-000102", amount, client=7, ibans=[iban]),
    ]
    match = match_line(credit(amount, "VIREMENT", iban=iban), twins)
    assert match.method is Method.TO_REVIEW
    assert set(match.candidates) == {1, 2}


@given(
    st.integers(min_value=1, max_value=999999),
    st.sampled_from(["", "Facture ", "FACT.", "N°", "réf. ", "inv "]),
    st.sampled_from(["-", " ", "", "/"]),
    st.booleans(),
)
def test_a_number_written_any_usual_way_is_found(sequence, prefix, separator, lower):
    number = f"F2026-{sequence:06d}"
    written = prefix + number.replace("-", separator)
    written = written.lower() if lower else written
    target = invoice(1, number, "10.00", reference=False)
    match = match_line(credit("10.00", f"VIR SEPA {written} MERCI"), [target])
    assert match.method is Method.NUMBER
