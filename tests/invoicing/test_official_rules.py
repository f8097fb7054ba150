"""The XML every kind of document carries in its PDF passes the official Factur-X EN16931
schematron and the French BR-FR rules (tests/official_rules.py) with no error, and with no
BR-FR warning (warnings today, obligations under the reform). Skipped, saying so in the
summary, when ``../shared/validation/`` is absent."""

import re

import pytest

from tests import official_rules
from tests.invoicing.test_pdfa_checks import KINDS

pytestmark = pytest.mark.skipif(not official_rules.available(), reason=official_rules.ABSENT)

# Warnings of the Factur-X schematron the documents still get, each with its reason; a new
# one fails, and so does one of these once it is gone (the list only shrinks).
KNOWN_FACTURX_WARNINGS: set[str] = set()


@pytest.fixture(scope="module")
def rules() -> official_rules.OfficialRules:
    return official_rules.OfficialRules()


@pytest.fixture(scope="module")
def reports(rules) -> dict[str, dict[str, list[official_rules.Finding]]]:
    from clausier.invoicing.printing import render_invoice

    out = {}
    for kind, (build, options) in KINDS.items():
        out[kind] = rules.run(render_invoice(build(), **options).xml)
    return out


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_passes_both_official_rule_sets_without_error(reports, kind):
    report = reports[kind]

    assert [str(f) for f in report["FACTUR-X_EN16931"] if f.is_error] == []
    assert [str(f) for f in report["BR-FR"] if f.is_error] == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_kind_gets_a_french_reform_warning(reports, kind):
    assert [str(f) for f in reports[kind]["BR-FR"]] == []


def test_the_factur_x_warnings_left_are_the_known_ones(reports):
    found = {f.rule for report in reports.values() for f in report["FACTUR-X_EN16931"]}

    assert found == set(KNOWN_FACTURX_WARNINGS)


def test_the_rules_catch_a_wrong_total_and_a_seller_without_an_electronic_address(rules):
    from clausier.invoicing import facturx
    from tests.invoicing import documents

    xml = facturx.cii_xml(documents.standard()).decode()
    xml = xml.replace(
        "<ram:GrandTotalAmount>1595.00</ram:GrandTotalAmount>",
        "<ram:GrandTotalAmount>1594.00</ram:GrandTotalAmount>",
    )
    seller = re.search(r"<ram:SellerTradeParty>.*?</ram:SellerTradeParty>", xml, re.S).group()
    xml = xml.replace(
        seller,
        re.sub(
            r"<ram:URIUniversalCommunication>.*?</ram:URIUniversalCommunication>",
            "",
            seller,
            flags=re.S,
        ),
    )

    report = rules.run(xml.encode())

    assert "BR-CO-15" in {f.rule for f in report["FACTUR-X_EN16931"] if f.is_error}
    assert any(f.rule.startswith("BR-FR-13") for f in report["BR-FR"])


# --- the electronic addresses of issued documents (BR-FR-13, BT-34 / BT-49) -------------------


def _addresses(xml: bytes) -> dict[str, tuple[str, str]]:
    from lxml import etree

    ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    root = etree.fromstring(xml)
    out = {}
    for role in ("SellerTradeParty", "BuyerTradeParty"):
        found = root.find(f".//{{{ram}}}{role}/{{{ram}}}URIUniversalCommunication/{{{ram}}}URIID")
        out[role] = ("", "") if found is None else (found.get("schemeID"), found.text)
    return out


@pytest.mark.django_db
def test_an_issued_invoice_gives_both_sirens_in_the_french_directory_and_no_br_fr_warning(
    rules, agency, company
):
    from clausier.invoicing import delivery
    from tests.invoicing.test_outputs import agency_invoice

    xml = delivery.xml_bytes(agency_invoice(agency, company))

    assert _addresses(xml) == {
        "SellerTradeParty": ("0225", agency.siren),
        "BuyerTradeParty": ("0225", company.siren),
    }
    report = rules.run(xml)
    assert [str(f) for f in report["BR-FR"]] == []
    assert [str(f) for f in report["FACTUR-X_EN16931"] if f.is_error] == []


@pytest.mark.django_db
def test_a_configured_address_wins_and_a_consumer_is_reached_by_email(
    rules, agency, company, consumer
):
    from clausier.customers import services as customers
    from clausier.invoicing import delivery
    from tests.invoicing.test_outputs import agency_invoice

    customers.update_client(
        client=company,
        fields={"einvoice_scheme": "0225", "einvoice_address": f"{company.siren}_COMPTA"},
        by=None,
    )

    to_company = delivery.xml_bytes(agency_invoice(agency, company))
    to_consumer = delivery.xml_bytes(agency_invoice(agency, consumer))

    assert _addresses(to_company)["BuyerTradeParty"] == ("0225", f"{company.siren}_COMPTA")
    # A consumer has no SIREN and is not in the directory: its e-mail address.
    assert _addresses(to_consumer)["BuyerTradeParty"] == ("EM", consumer.email)
    for xml in (to_company, to_consumer):
        assert [str(f) for f in rules.run(xml)["BR-FR"]] == []


@pytest.mark.django_db
def test_an_issued_credit_note_states_the_three_payment_mentions_and_gets_no_br_fr_warning(
    rules, agency, company
):
    from clausier.invoicing import delivery, services
    from tests.invoicing.test_outputs import AGENCY_DAY, agency_invoice

    note = services.issue_credit_note(
        invoice=agency_invoice(agency, company), reason="Audit annulé", by=None, now=AGENCY_DAY
    )

    report = rules.run(delivery.xml_bytes(note))
    assert [str(f) for f in report["BR-FR"]] == []
    assert [str(f) for f in report["FACTUR-X_EN16931"] if f.is_error] == []
