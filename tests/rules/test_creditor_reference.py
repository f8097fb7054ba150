"""The ISO 11649 creditor reference of an invoice, and the account identifiers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.creditor_reference import (
    check_bic,
    check_creditor_reference,
    check_iban,
    creditor_reference,
    format_creditor_reference,
    is_creditor_reference,
)
from clausier.rules.errors import RuleError


def test_the_standards_example_is_rebuilt_from_its_payload():
    # ISO 11649's own example.
    assert creditor_reference("539007547034") == "RF18539007547034"
    assert format_creditor_reference("RF18539007547034") == "RF18 5390 0754 7034"


def test_an_invoice_number_keeps_its_letters_and_digits():
    assert creditor_reference("F2026-000043") == "RF15F2026000043"
    assert creditor_reference("f 2026 000043") == "RF15F2026000043"


def test_a_reference_is_checked_with_its_spaces_or_without():
    assert check_creditor_reference("rf18 5390 0754 7034") == "RF18539007547034"
    assert is_creditor_reference("RF18 5390 0754 7034")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("RF19539007547034", "chiffres de contrôle faux"),
        ("XX18539007547034", "ne commence pas par RF"),
        ("RF1", "RF, 2 chiffres"),
        ("RF18" + "1" * 22, "RF, 2 chiffres"),
    ],
)
def test_a_wrong_reference_is_refused_saying_why(value, message):
    with pytest.raises(RuleError, match=message) as caught:
        check_creditor_reference(value)
    assert caught.value.argument == "creditor_reference"
    assert "ISO 11649" in str(caught.value)


def test_an_invoice_number_too_long_or_empty_has_no_reference():
    with pytest.raises(RuleError, match="21 au plus"):
        creditor_reference("F" * 22)
    with pytest.raises(RuleError, match="ni lettre ni chiffre"):
        creditor_reference("--")


payloads = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=21)


@given(payloads)
def test_every_generated_reference_is_valid(payload):
    reference = creditor_reference(payload)
    assert is_creditor_reference(reference)
    assert reference[4:] == payload
    assert check_creditor_reference(format_creditor_reference(reference)) == reference


@given(payloads, st.data())
def test_changing_one_digit_breaks_the_check(payload, data):
    # ISO 7064 MOD 97-10 catches every single substitution of a digit by another digit.
    reference = creditor_reference(payload)
    digits = [i for i, c in enumerate(reference) if c.isdigit()]
    position = data.draw(st.sampled_from(digits))
    other = data.draw(st.sampled_from("0123456789").filter(lambda c: c != reference[position]))
    changed = reference[:position] + other + reference[position + 1 :]
    assert not is_creditor_reference(changed)


def test_iban_and_bic_are_the_rules_core_checks():
    assert check_iban("FR76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert check_bic("agrifrpp") == "AGRIFRPP"
    with pytest.raises(RuleError, match="iban"):
        check_iban("FR76 3000 6000 0112 3456 7890 188")
