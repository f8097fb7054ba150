"""SIREN, SIRET, VAT number, IBAN and BIC checks: normalised value back, or a RuleError naming
the field."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.errors import RuleError
from clausier.rules.identifiers import (
    LA_POSTE_SIREN,
    check_bic,
    check_electronic_address,
    check_iban,
    check_siren,
    check_siret,
    check_vat_number,
    electronic_address,
    french_vat_key,
    luhn_ok,
)

CLEVER_CLOUD_SIREN = "524172699"


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass Luhn, computed independently of the code:
    from the right, the check digit is position 1, so the payload's last digit is doubled."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit = sum(divmod(digit * 2, 10))
        total += digit
    return str((10 - total % 10) % 10)


def test_the_test_helper_agrees_with_a_known_siren():
    assert luhn_check_digit(CLEVER_CLOUD_SIREN[:8]) == CLEVER_CLOUD_SIREN[8]


# --- SIREN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ("524172699", "524172699"),
        ("524 172 699", "524172699"),
        ("524.172.699", "524172699"),
        ("524-172-699", "524172699"),
        (" 524172699 ", "524172699"),
        ("356000000", "356000000"),  # La Poste
        ("732829320", "732829320"),
    ],
)
def test_valid_sirens_come_back_normalised(given_value, expected):
    assert check_siren(given_value) == expected


@pytest.mark.parametrize(
    "value",
    ["524172698", "524172690", "52417269", "5241726990", "52417269A", "", "ABCDEFGHI"],
)
def test_invalid_sirens_raise_a_rule_error_naming_the_field(value):
    with pytest.raises(RuleError) as caught:
        check_siren(value)
    assert caught.value.argument == "siren"
    assert str(caught.value).startswith("siren: ")
    assert isinstance(caught.value, ValueError)


def test_the_field_name_is_the_callers():
    with pytest.raises(RuleError, match=r"^client\.siren: .*clé de contrôle invalide"):
        check_siren("524172698", field="client.siren")


@given(payload=st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_any_8_digits_with_their_luhn_digit_are_a_valid_siren(payload):
    siren = payload + luhn_check_digit(payload)
    assert check_siren(siren) == siren


@given(
    payload=st.text(alphabet="0123456789", min_size=8, max_size=8),
    position=st.integers(min_value=0, max_value=8),
    shift=st.integers(min_value=1, max_value=9),
)
def test_changing_one_digit_of_a_valid_siren_makes_it_invalid(payload, position, shift):
    siren = payload + luhn_check_digit(payload)
    changed = str((int(siren[position]) + shift) % 10)
    wrong = siren[:position] + changed + siren[position + 1 :]
    assert wrong != siren
    with pytest.raises(RuleError, match=r"^siren: "):
        check_siren(wrong)


@pytest.mark.parametrize(
    "check",
    [
        lambda: check_siren("\uff15\uff12\uff14\uff11\uff17\uff12\uff16\uff19\uff19"),
        lambda: check_vat_number("FR87\u0665\u0662\u0664\u0661\u0667\u0662\u0666\u0669\u0669"),
    ],
    ids=["fullwidth-siren", "arabic-indic-vat"],
)
def test_non_ascii_digits_are_refused(check):
    # Fullwidth or Arabic-Indic digits would be stored unnormalised: a SIREN that no
    # register, FEC export or Factur-X file accepts.
    with pytest.raises(RuleError):
        check()


# --- SIRET ---------------------------------------------------------------------------------------


def siret_of(siren: str, nic4: str) -> str:
    """A Luhn-valid SIRET: the SIREN, 4 NIC digits and the check digit."""
    payload = siren + nic4
    return payload + luhn_check_digit(payload)


def test_a_siret_is_the_siren_plus_a_luhn_valid_nic():
    siret = siret_of(CLEVER_CLOUD_SIREN, "0001")
    assert check_siret(siret) == siret
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert check_siret(spaced) == siret


@pytest.mark.parametrize(
    "value",
    [
        "52417269900011",  # Luhn fails
        "5241726990001",  # 13 digits
        "524172699000112",  # 15 digits
        "5241726990001A",
        "524172699",  # a SIREN is not a SIRET
    ],
)
def test_invalid_sirets_raise_a_rule_error_naming_the_field(value):
    with pytest.raises(RuleError) as caught:
        check_siret(value)
    assert caught.value.argument == "siret"
    assert str(caught.value).startswith("siret: ")


def test_a_luhn_valid_siret_on_an_invalid_siren_is_refused():
    # 14 digits passing Luhn as a whole, but whose first 9 are not a valid SIREN.
    payload = "5241726980001"
    siret = payload + luhn_check_digit(payload)
    assert luhn_ok(siret)
    assert not luhn_ok(siret[:9])
    with pytest.raises(RuleError, match=r"^siret: "):
        check_siret(siret)


@pytest.mark.parametrize(
    "value",
    [
        "35600000049837",  # digit sum 45, not Luhn: La Poste's exception
        "35600000000048",  # La Poste's head office follows Luhn
    ],
)
def test_la_poste_sirets_are_valid_by_luhn_or_by_a_digit_sum_multiple_of_5(value):
    assert value.startswith(LA_POSTE_SIREN)
    assert luhn_ok(value) or sum(map(int, value)) % 5 == 0
    assert check_siret(value) == value


def test_the_la_poste_exception_is_for_la_poste_only():
    assert not luhn_ok("35600000049837")
    # Another SIREN with a NIC whose digit sum is a multiple of 5 but that fails Luhn.
    other = CLEVER_CLOUD_SIREN + "00005"
    assert sum(map(int, other)) % 5 == 0
    assert not luhn_ok(other)
    with pytest.raises(RuleError, match=r"^siret: "):
        check_siret(other)


def test_a_la_poste_siret_that_is_neither_luhn_nor_a_multiple_of_5_is_refused():
    value = "35600000049838"  # digit sum 46
    assert not luhn_ok(value)
    with pytest.raises(RuleError, match=r"^siret: .*clé de contrôle invalide"):
        check_siret(value)


# --- VAT numbers ---------------------------------------------------------------------------------


def test_the_french_vat_key_is_derived_from_the_siren():
    # (12 + 3 x (524172699 mod 97)) mod 97 = 87
    assert french_vat_key(CLEVER_CLOUD_SIREN) == "87"
    assert (12 + 3 * (int(CLEVER_CLOUD_SIREN) % 97)) % 97 == 87


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ("FR87524172699", "FR87524172699"),
        ("FR 87 524 172 699", "FR87524172699"),
        ("fr87524172699", "FR87524172699"),
        ("DE123456789", "DE123456789"),
        ("EL123456789", "EL123456789"),
        ("BE0123456789", "BE0123456789"),
    ],
)
def test_valid_vat_numbers_come_back_normalised(given_value, expected):
    assert check_vat_number(given_value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "FR00524172699",  # wrong key: it should be 87
        "FR88524172699",
        "FR87524172698",  # the SIREN part fails Luhn
        "FR8752417269",  # 8 digits of SIREN
        "FR875241726991",
        "GB123456789",  # not in the EU any more
        "XX123456789",
        "123456789",
        "",
    ],
)
def test_invalid_vat_numbers_raise_a_rule_error_naming_the_field(value):
    with pytest.raises(RuleError) as caught:
        check_vat_number(value)
    assert caught.value.argument == "vat_number"
    assert str(caught.value).startswith("vat_number: ")


def test_a_wrong_french_key_names_the_right_one():
    with pytest.raises(RuleError, match="la clé devrait être 87"):
        check_vat_number("FR00524172699")


@given(payload=st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_valid_siren_has_exactly_one_valid_french_vat_number(payload):
    siren = payload + luhn_check_digit(payload)
    key = french_vat_key(siren)
    assert check_vat_number(f"FR{key}{siren}") == f"FR{key}{siren}"
    wrong = f"{(int(key) + 1) % 100:02d}"
    with pytest.raises(RuleError, match=r"^vat_number: "):
        check_vat_number(f"FR{wrong}{siren}")


# --- IBAN and BIC --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ("FR7630006000011234567890189", "FR7630006000011234567890189"),
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("fr7630006000011234567890189", "FR7630006000011234567890189"),
        ("DE89370400440532013000", "DE89370400440532013000"),
    ],
)
def test_valid_ibans_come_back_compact(given_value, expected):
    assert check_iban(given_value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "FR7630006000011234567890180",  # one digit changed
        "FR7630006000011234567890188",
        "FR7730006000011234567890189",  # wrong check digits
        "FR76300060000112345678901",  # too short for France
        "ZZ7630006000011234567890189",
        "",
    ],
)
def test_invalid_ibans_raise_a_rule_error_naming_the_field(value):
    with pytest.raises(RuleError) as caught:
        check_iban(value)
    assert caught.value.argument == "iban"
    assert str(caught.value).startswith("iban: ")


def test_the_iban_field_name_is_the_callers():
    with pytest.raises(RuleError, match=r"^seller\.iban: "):
        check_iban("FR7630006000011234567890180", field="seller.iban")


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [
        ("BNPAFRPP", "BNPAFRPP"),
        ("BNPAFRPPXXX", "BNPAFRPPXXX"),
        ("bnpafrpp", "BNPAFRPP"),
        ("DEUTDEFF", "DEUTDEFF"),
    ],
)
def test_valid_bics_come_back_compact(given_value, expected):
    assert check_bic(given_value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "BNPAFRP",  # 7 characters
        "BNPAFRPPXX",  # 10 characters
        "BNPA1RPP",  # a digit in the country code
        "BNPAZZPP",  # no such country
        "",
    ],
)
def test_invalid_bics_raise_a_rule_error_naming_the_field(value):
    with pytest.raises(RuleError) as caught:
        check_bic(value)
    assert caught.value.argument == "bic"
    assert str(caught.value).startswith("bic: ")


# --- electronic invoicing addresses -------------------------------------------------------------


@given(
    payload=st.text(alphabet="0123456789", min_size=8, max_size=8),
    suffix=st.text(alphabet="ABCXYZ0123456789+-_/", max_size=20),
)
def test_a_directory_address_is_the_siren_and_an_optional_routing_suffix(payload, suffix):
    siren = payload + next(d for d in "0123456789" if luhn_ok(payload + d))
    address = siren + (f"_{suffix}" if suffix else "")

    assert check_electronic_address("0225", address, siren=siren) == address


@pytest.mark.parametrize(
    ("scheme", "value", "siren", "says"),
    [
        ("0225", "552081317", "802314781", "doit commencer par le SIREN 802314781"),
        ("0225", "552081317 COMPTA", "", "lettres, chiffres et + - _ / seulement"),
        ("0225", "552081318", "", "clé de contrôle invalide"),
        ("0009", "55208131700010", "", "clé de contrôle invalide"),
        ("0088", "3014260000001", "", "13 chiffres, clé GS1"),
        ("EM", "compta.example.fr", "", "n'est pas une adresse e-mail"),
        ("9999", "x", "", "n'est pas un schéma proposé"),
    ],
)
def test_a_wrong_electronic_address_names_the_field_and_the_rule(scheme, value, siren, says):
    with pytest.raises(RuleError, match=re.escape(says)) as error:
        check_electronic_address(scheme, value, siren=siren)

    assert error.value.argument == ("einvoice_scheme" if scheme == "9999" else "einvoice_address")


def test_the_rule_of_an_electronic_address_cites_the_standard_and_the_french_rules():
    with pytest.raises(RuleError) as error:
        check_electronic_address("0225", "552081317", siren="802314781")

    assert "EN 16931 BT-34" in str(error.value.rule)
    assert "BR-FR-21" in str(error.value.rule)


def test_valid_siret_gln_and_email_addresses_come_back_normalised():
    assert check_electronic_address("0009", "552 081 317 00018") == "55208131700018"
    assert check_electronic_address("0088", "3014260000004") == "3014260000004"
    assert check_electronic_address("EM", " compta@example.fr ") == "compta@example.fr"


@pytest.mark.parametrize(
    ("configured", "siren", "email", "expected"),
    [
        (("EM", "factures@example.fr"), "552081317", "x@example.fr", ("EM", "factures@example.fr")),
        (("", ""), "552081317", "x@example.fr", ("0225", "552081317")),
        (("", ""), "", "x@example.fr", ("EM", "x@example.fr")),
        (("", ""), "", "", ("", "")),
    ],
)
def test_a_document_gives_the_configured_address_else_the_siren_else_the_email(
    configured, siren, email, expected
):
    scheme, value = configured

    assert electronic_address(scheme=scheme, value=value, siren=siren, email=email) == expected
