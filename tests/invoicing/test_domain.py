"""The pure rules of invoicing: worked examples for both seeds, written from their terms and
the law, and properties of totals, deductions and the hash chain."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausier.invoicing import domain
from clausier.invoicing.document import Address, Deduction, InvoiceDocument, Party
from clausier.rules.money import VatRegime

CENT = Decimal("0.01")

AGENCY_TERMS = "v3.0"
PAAS_TERMS = "v1.1"


def source(clause_id, article, terms=AGENCY_TERMS, title="") -> domain.ClauseSource:
    return domain.ClauseSource(
        clause_id=clause_id, kind=clause_id, article=article, title=title, terms_label=terms
    )


SELLER = Party(
    name="NEO7 STUDIO WEB",
    address=Address(line1="12 rue de Strasbourg", postal_code="44000", city="Nantes"),
    siren="443061841",
)
COMPANY = Party(
    name="Boulangerie Martin SARL",
    address=Address(line1="1 place du Commerce", postal_code="44000", city="Nantes"),
    siren="552081317",
)
CONSUMER = replace(COMPANY, name="Nadia Lefèvre", siren="", is_professional=False)
PAAS = Party(
    name="Clever Cloud",
    address=Address(line1="3 rue de l'Allier", postal_code="44000", city="Nantes"),
    siren="524172699",
    vat_number="FR87524172699",
)

# Seed 002 art. 5 and 6, as the clauses of CGV v3.0 state them.
AGENCY_DUE = domain.PaymentDue(
    n=14, unit="jours_ouvres", start="invoice_date", source=source("payment.due", "art. 5")
)
AGENCY_PENALTY = domain.LatePenalty(
    multiplier=Decimal("3"),
    of="legal_rate",
    rate_date="invoice_date",
    base="ht_remaining",
    plus_points=Decimal("0"),
    source=source("late.penalty", "art. 6"),
)
WEBSITE = (
    domain.LineFacts("Création du site vitrine (5 pages)", Decimal("1"), "flat", Decimal("2400")),
    domain.LineFacts("Intégration des contenus", Decimal("2.5"), "day", Decimal("350")),
    # 3 × 45,333 = 135,999 -> 136,00 €; a VAT rate on the line is ignored under 293 B.
    domain.LineFacts(
        "Formation", Decimal("3"), "hour", Decimal("45.333"), vat_rate=Decimal("0.20")
    ),
)


def agency_facts(**changes) -> domain.InvoiceFacts:
    facts = domain.InvoiceFacts(
        kind="standard",
        issue_date=date(2026, 5, 22),
        seller=SELLER,
        buyer=COMPANY,
        client_kind="company",
        seller_regime="franchise_293b",
        lines=WEBSITE,
        terms_label=AGENCY_TERMS,
        payment_due=AGENCY_DUE,
        late_penalty=AGENCY_PENALTY,
        indemnity=source("late.indemnity", "art. 6"),
        iban="FR7630006000011234567890189",
        bic="AGRIFRPPXXX",
        quote_reference="D2026-000001",
        order_reference="D2026-000001",
    )
    return replace(facts, **changes)


PAAS_LINES = (
    # 720 h × 0,035 € = 25,20 €; 1 × 10,00 € = 10,00 €; HT 35,20 €, TVA 20 % 7,04 €, TTC 42,24 €
    domain.LineFacts(
        "Instance d'application (heure)",
        Decimal("720"),
        "metered",
        Decimal("0.035"),
        vat_rate=Decimal("0.20"),
        unit_label="heure d'instance",
    ),
    domain.LineFacts(
        "Add-on PostgreSQL", Decimal("1"), "month", Decimal("10"), vat_rate=Decimal("0.20")
    ),
)


def paas_facts(**changes) -> domain.InvoiceFacts:
    facts = domain.InvoiceFacts(
        kind="standard",
        issue_date=date(2026, 5, 8),
        seller=PAAS,
        buyer=replace(COMPANY, vat_number="FR44552081317"),
        client_kind="company",
        seller_regime="normal",
        lines=PAAS_LINES,
        terms_label=PAAS_TERMS,
        prepayment=domain.Prepayment(
            paid_on=date(2026, 5, 8),
            amount=Decimal("42.24"),
            means="paiement en ligne stripe ch_1",
            source=source("order.flow", "art. 4", PAAS_TERMS),
        ),
        order_reference="C2026-000001",
    )
    return replace(facts, **changes)


# --- seed 002: the web agency ----------------------------------------------------------------


def test_agency_invoice_is_due_14_working_days_after_its_date_skipping_whit_monday():
    prepared = domain.prepare(agency_facts())
    assert prepared.due.value == date(2026, 6, 12)
    assert prepared.due.sentence == (
        "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 12/06/2026"
    )
    assert "25/05/2026 (Lundi de Pentecôte)" in prepared.due.condition.explanation
    assert prepared.due.explained.clause == "payment.due"
    assert prepared.due.explained.terms == AGENCY_TERMS


def test_agency_invoice_charges_no_vat_and_carries_the_293_b_mention():
    doc = domain.prepare(agency_facts()).document(number="F2026-000001")
    assert (doc.total_ht, doc.total_vat, doc.total_ttc) == (
        Decimal("3411.00"),
        Decimal("0.00"),
        Decimal("3411.00"),
    )
    assert [line.total_ht for line in doc.lines] == [
        Decimal("2400.00"),
        Decimal("875.00"),
        Decimal("136.00"),
    ]
    assert {line.vat_category for line in doc.lines} == {"E"}
    assert {line.vat_rate for line in doc.lines} == {Decimal("0.00")}
    [group] = doc.vat_breakdown
    assert (group.category, group.rate, group.base_ht, group.vat_amount) == (
        "E",
        Decimal("0.00"),
        Decimal("3411.00"),
        Decimal("0.00"),
    )
    assert group.exemption_reason == "TVA non applicable, art. 293 B du CGI"
    assert doc.vat_mentions == ("TVA non applicable, art. 293 B du CGI",)


def test_agency_late_penalty_is_three_times_the_legal_rate_of_the_invoice_date():
    # Legal rate 2026 S1, "all other cases" (the seller is the creditor): 2,62 %; × 3 = 7,86 %.
    doc = domain.prepare(agency_facts()).document(number="F2026-000001")
    assert doc.late_penalty_rate == Decimal("7.86")
    assert "3 fois le taux d'intérêt légal en vigueur à la date de facture (2,62\u202f%)" in (
        doc.late_penalty
    )
    assert "soit 7,86\u202f% l'an" in doc.late_penalty
    assert "art. 6 CGV v3.0" in doc.late_penalty


def test_a_professional_owes_the_40_euro_indemnity_and_a_consumer_does_not():
    professional = domain.prepare(agency_facts()).document(number="F2026-000001")
    assert "40,00\u00a0€" in professional.recovery_indemnity
    assert "D441-5" in professional.recovery_indemnity
    consumer = domain.prepare(agency_facts(buyer=CONSUMER, client_kind="consumer")).document(
        number="F2026-000002"
    )
    assert consumer.recovery_indemnity == str(domain.CONSUMER_INDEMNITY)
    assert "40" not in consumer.recovery_indemnity
    # The terms' penalty clause binds consumers too: the rate is printed for them as well.
    assert consumer.late_penalty_rate == Decimal("7.86")


def test_agency_invoice_states_no_discount_payment_means_and_references():
    doc = domain.prepare(agency_facts()).document(number="F2026-000003")
    assert doc.early_payment_discount == "Pas d'escompte pour paiement anticipé."
    assert (doc.iban, doc.bic) == ("FR7630006000011234567890189", "AGRIFRPPXXX")
    assert doc.payment_reference == "F2026-000003 / devis D2026-000001"
    assert doc.quote_reference == "D2026-000001"
    assert doc.terms_version == "CGV v3.0"


def test_a_deposit_invoice_says_where_its_amount_comes_from():
    # 30 % × 3 411,00 € = 1 023,30 € (seed 002 art. 5).
    deposit = domain.DepositBasis(
        rate=Decimal("0.30"),
        base_ht=Decimal("3411.00"),
        amount=Decimal("1023.30"),
        source=source("payment.deposit", "art. 5"),
    )
    facts = agency_facts(
        kind="deposit",
        deposit=deposit,
        lines=(domain.LineFacts("Acompte", Decimal("1"), "flat", Decimal("1023.30")),),
    )
    doc = domain.prepare(facts).document(number="F2026-000004")
    assert doc.type_code == "386"
    assert doc.amount_due == Decimal("1023.30")
    [condition] = [c for c in doc.conditions if c.label == "Acompte"]
    assert condition.value == "1\u202f023,30\u00a0€"
    assert condition.source == "art. 5 CGV v3.0"


def test_a_final_invoice_deducts_the_deposits_already_invoiced():
    deposit = Deduction(
        number="F2026-000001", issue_date=date(2026, 5, 22), amount_ttc=Decimal("1023.30")
    )
    doc = domain.prepare(agency_facts(kind="final", deductions=(deposit,))).document(
        number="F2026-000009"
    )
    # 3 411,00 − 1 023,30 = 2 387,70 €
    assert (doc.total_ttc, doc.prepaid_amount, doc.amount_due) == (
        Decimal("3411.00"),
        Decimal("1023.30"),
        Decimal("2387.70"),
    )
    assert doc.deductions == (deposit,)


def test_deposits_larger_than_the_total_are_refused_for_a_credit_note():
    deposit = Deduction(
        number="F2026-000001", issue_date=date(2026, 5, 22), amount_ttc=Decimal("5000")
    )
    with pytest.raises(domain.InvoiceRuleError, match="émettez un avoir"):
        domain.prepare(agency_facts(kind="final", deductions=(deposit,)))


def test_the_rate_of_a_semester_not_yet_published_is_never_guessed():
    # 2026 S2 is not in the table: the clause's formula is stated in words, with no figure.
    document = domain.prepare(agency_facts(issue_date=date(2026, 8, 3))).document(
        number="F2026-000001"
    )
    assert document.late_penalty_rate is None
    assert document.late_penalty.startswith(
        "Pénalités de retard : trois fois le taux d'intérêt légal en vigueur au 03/08/2026, "
    )
    assert "%" not in document.late_penalty


# --- seed 000: the PaaS host -----------------------------------------------------------------


def test_paas_invoice_charges_20_percent_vat_and_is_issued_paid():
    doc = domain.prepare(paas_facts()).document(number="F2026-000001")
    assert [line.total_ht for line in doc.lines] == [Decimal("25.20"), Decimal("10.00")]
    assert [(g.category, g.rate, g.base_ht, g.vat_amount) for g in doc.vat_breakdown] == [
        ("S", Decimal("20.00"), Decimal("35.20"), Decimal("7.04"))
    ]
    assert (doc.total_ht, doc.total_vat, doc.total_ttc) == (
        Decimal("35.20"),
        Decimal("7.04"),
        Decimal("42.24"),
    )
    assert (doc.prepaid_amount, doc.amount_due) == (Decimal("42.24"), Decimal("0.00"))
    assert doc.due_date == date(2026, 5, 8)
    assert doc.due_date_explanation.endswith("art. 4 CGV v1.1 : 08/05/2026")
    assert doc.vat_mentions == ()
    assert doc.lines[0].unit == "heure d'instance"


def test_paas_terms_without_penalty_clause_give_the_legal_default_and_floor_to_a_business():
    doc = domain.prepare(paas_facts()).document(number="F2026-000001")
    assert "taux de refinancement de la BCE majoré de 10 points" in doc.late_penalty
    assert "au moins 7,86\u202f%" in doc.late_penalty
    assert doc.late_penalty_rate is None  # the ECB rate is not known to clausier
    assert "40,00\u00a0€" in doc.recovery_indemnity


def test_paas_invoice_to_a_consumer_carries_no_b2b_penalty_mentions():
    facts = paas_facts(buyer=replace(CONSUMER, vat_number=""), client_kind="consumer")
    doc = domain.prepare(facts).document(number="F2026-000002")
    assert (doc.late_penalty, doc.recovery_indemnity) == (
        str(domain.CONSUMER_PENALTY),
        str(domain.CONSUMER_INDEMNITY),
    )
    assert doc.late_penalty_rate is None


def test_the_b2b_floor_is_stated_in_words_while_the_semester_rate_is_unpublished():
    facts = paas_facts(
        issue_date=date(2026, 11, 23),
        prepayment=replace(paas_facts().prepayment, paid_on=date(2026, 11, 23)),
    )
    doc = domain.prepare(facts).document(number="F2026-000003")
    assert "au moins 3 fois le taux d'intérêt légal" in doc.late_penalty


def test_a_payment_that_differs_from_the_total_is_refused():
    facts = paas_facts(prepayment=replace(paas_facts().prepayment, amount=Decimal("40")))
    with pytest.raises(domain.InvoiceRuleError, match="diffère"):
        domain.prepare(facts)


# --- VAT regimes and rates --------------------------------------------------------------------


def test_two_vat_rates_are_totalled_separately_and_rounded_once_per_rate():
    lines = (
        domain.LineFacts("Hébergement", Decimal("3"), "month", Decimal("19.99"), Decimal("0.20")),
        domain.LineFacts(
            "Livre", Decimal("1"), "unit", Decimal("33.33"), Decimal("0.10"), goods=True
        ),
    )
    doc = domain.prepare(paas_facts(lines=lines, prepayment=None, payment_due=AGENCY_DUE)).document(
        number="F2026-000005"
    )
    # 20 %: 59,97 × 0,20 = 11,994 -> 11,99; 10 %: 33,33 × 0,10 = 3,333 -> 3,33
    assert [(g.rate, g.base_ht, g.vat_amount) for g in doc.vat_breakdown] == [
        (Decimal("10.00"), Decimal("33.33"), Decimal("3.33")),
        (Decimal("20.00"), Decimal("59.97"), Decimal("11.99")),
    ]
    assert doc.total_ttc == Decimal("108.62")
    assert doc.nature == "both"


def test_services_to_an_eu_business_are_reverse_charged():
    buyer = Party(
        name="Muster GmbH",
        address=Address(line1="Hauptstr. 1", postal_code="10115", city="Berlin", country="DE"),
        vat_number="DE811193231",
    )
    facts = paas_facts(buyer=buyer, prepayment=None, payment_due=AGENCY_DUE)
    assert domain.missing_mentions(facts, VatRegime.REVERSE_CHARGE_EU) == []
    doc = domain.prepare(facts).document(number="F2026-000006")
    assert doc.total_vat == Decimal("0.00")
    assert {line.vat_category for line in doc.lines} == {"AE"}
    [group] = doc.vat_breakdown
    assert (group.category, group.exemption_reason, group.exemption_reason_code) == (
        "AE",
        "Autoliquidation",
        "VATEX-EU-AE",
    )
    assert doc.vat_mentions == ("Autoliquidation",)


@pytest.mark.parametrize(
    ("country", "professional", "vat_number", "expected"),
    [
        ("DE", True, "DE811193231", VatRegime.REVERSE_CHARGE_EU),
        ("DE", False, "", VatRegime.NORMAL),  # a consumer pays French VAT
        ("DE", True, "", VatRegime.NORMAL),  # no VAT number given: not proven a business
        ("CH", True, "CHE-123.456.789", VatRegime.NORMAL),  # outside the EU: not this rule
        ("FR", True, "FR44552081317", VatRegime.NORMAL),
    ],
)
def test_reverse_charge_applies_only_to_eu_businesses_abroad(
    country, professional, vat_number, expected
):
    regime = domain.vat_regime(
        seller_regime="normal",
        buyer_country=country,
        buyer_is_professional=professional,
        buyer_vat_number=vat_number,
    )
    assert regime is expected


def test_a_seller_under_the_franchise_never_reverse_charges():
    regime = domain.vat_regime(
        seller_regime="franchise_293b",
        buyer_country="DE",
        buyer_is_professional=True,
        buyer_vat_number="DE811193231",
    )
    assert regime is VatRegime.FRANCHISE_293B


def test_vat_on_debits_is_stated_only_when_the_seller_opted_and_charges_vat():
    facts = paas_facts(vat_on_debits=True)
    assert domain.prepare(facts).document(number="F1").vat_on_debits is True
    franchise = agency_facts(vat_on_debits=True)
    assert domain.prepare(franchise).document(number="F2").vat_on_debits is False


# --- penalties -------------------------------------------------------------------------------


def test_a_penalty_clause_below_the_floor_gives_way_to_it_between_professionals():
    weak = replace(AGENCY_PENALTY, multiplier=Decimal("1"))
    professional = domain.prepare(agency_facts(late_penalty=weak))
    assert professional.penalty.rate_percent == Decimal("7.86")
    assert "plancher légal" in professional.penalty.sentence
    consumer = domain.prepare(agency_facts(late_penalty=weak, buyer=CONSUMER))
    assert consumer.penalty.rate_percent == Decimal("2.62")


def test_points_added_by_the_clause_count():
    plus = replace(AGENCY_PENALTY, plus_points=Decimal("2"))
    prepared = domain.prepare(agency_facts(late_penalty=plus))
    assert prepared.penalty.rate_percent == Decimal("9.86")  # 7,86 % + 2 points


def test_a_penalty_on_the_due_date_rate_reads_the_rate_of_that_date():
    # Issued 29/06/2026 (S1), due 14 jours ouvrés later in July (S2, not yet published).
    on_due = replace(AGENCY_PENALTY, rate_date="due_date")
    prepared = domain.prepare(agency_facts(late_penalty=on_due, issue_date=date(2026, 6, 29)))
    assert prepared.penalty.rate_percent is None
    assert "trois fois le taux d'intérêt légal en vigueur au 20/07/2026" in (
        prepared.penalty.sentence
    )


# --- mandatory mentions ------------------------------------------------------------------------


def test_a_complete_invoice_misses_no_mention():
    assert domain.missing_mentions(agency_facts(), VatRegime.FRANCHISE_293B) == []


def test_missing_mentions_are_named_by_field():
    seller = replace(SELLER, siren="", address=replace(SELLER.address, line1="Adresse à compléter"))
    buyer = replace(COMPANY, siren="")
    facts = agency_facts(seller=seller, buyer=buyer, payment_due=None)
    # Terms without a payment term miss no mention: the law supplies the due date.
    assert domain.missing_mentions(facts, VatRegime.FRANCHISE_293B) == [
        "seller.address_line1",
        "seller.siren",
        "client.siren",
    ]


def test_a_vat_charging_seller_must_print_its_vat_number():
    facts = paas_facts(seller=replace(PAAS, vat_number=""))
    assert domain.missing_mentions(facts, VatRegime.NORMAL) == ["seller.vat_number"]


@pytest.mark.parametrize(
    ("kind", "country", "required"),
    [
        ("company", "FR", True),
        ("independent", "FR", True),
        ("association", "FR", False),
        ("consumer", "FR", False),
        ("company", "DE", False),
    ],
)
def test_the_client_siren_is_required_of_french_companies_and_independents(kind, country, required):
    buyer = replace(
        COMPANY,
        siren="",
        is_professional=kind != "consumer",
        address=replace(COMPANY.address, country=country),
    )
    missing = domain.missing_mentions(
        agency_facts(buyer=buyer, client_kind=kind), VatRegime.FRANCHISE_293B
    )
    assert ("client.siren" in missing) is required


def test_a_prepaid_invoice_needs_no_due_date_clause():
    assert domain.missing_mentions(paas_facts(payment_due=None), VatRegime.NORMAL) == []


# --- credit notes ------------------------------------------------------------------------------


def issued_agency_invoice() -> InvoiceDocument:
    return domain.prepare(agency_facts()).document(number="F2026-000001")


def test_a_credit_note_is_due_at_once_and_names_the_invoice_it_corrects():
    invoice = issued_agency_invoice()
    facts = agency_facts(
        kind="credit_note",
        corrected=domain.Corrected(number=invoice.number, issue_date=invoice.issue_date),
        lines=(domain.LineFacts("Remboursement formation", Decimal("1"), "flat", Decimal("136")),),
        issue_date=date(2026, 6, 1),
    )
    doc = domain.prepare(facts).document(number="AV2026-000001")
    assert doc.type_code == "381"
    assert (doc.corrected_number, doc.corrected_issue_date) == ("F2026-000001", date(2026, 5, 22))
    assert doc.due_date == date(2026, 6, 1)
    assert "avoir sur la facture F2026-000001 du 22/05/2026" in doc.due_date_explanation
    assert doc.payment_reference == ""
    # The three payment mentions are stated, each "sans objet" (BR-FR-05 wants them all).
    assert (doc.late_penalty, doc.recovery_indemnity, doc.early_payment_discount) == (
        str(domain.CREDIT_NOTE_PENALTY),
        str(domain.CREDIT_NOTE_INDEMNITY),
        str(domain.CREDIT_NOTE_DISCOUNT),
    )


def test_what_remains_creditable_shrinks_with_each_credit_note():
    invoice = issued_agency_invoice()
    note = domain.prepare(
        agency_facts(
            kind="credit_note",
            corrected=domain.Corrected(invoice.number, invoice.issue_date),
            lines=(domain.LineFacts("Geste commercial", Decimal("1"), "flat", Decimal("411")),),
        )
    ).document(number="AV2026-000001")
    remaining = domain.creditable(invoice=invoice, credit_notes=[note])
    assert remaining.ttc == Decimal("3000.00")
    too_much = domain.totals(
        [domain.LineFacts("Trop", Decimal("1"), "flat", Decimal("3000.01"))],
        VatRegime.FRANCHISE_293B,
    )
    assert "dépasse ce qui reste à créditer" in domain.credit_excess(
        remaining=remaining, note=too_much
    )
    # Crediting the rest: one line per rate for the remaining base.
    [rest] = domain.remaining_lines(invoice=invoice, remaining=remaining)
    assert (rest.unit_price, rest.description) == (
        Decimal("3000.00"),
        "Annulation du solde de la facture F2026-000001",
    )


def test_a_credit_note_cannot_credit_a_vat_rate_the_invoice_does_not_have():
    invoice = domain.prepare(paas_facts()).document(number="F2026-000001")
    remaining = domain.creditable(invoice=invoice, credit_notes=[])
    at_ten = domain.totals(
        [domain.LineFacts("Livre", Decimal("1"), "unit", Decimal("1"), Decimal("0.10"))],
        VatRegime.NORMAL,
    )
    assert "10\u202f%" in domain.credit_excess(remaining=remaining, note=at_ten)


def test_an_untouched_invoice_is_credited_with_its_own_lines():
    invoice = domain.prepare(paas_facts()).document(number="F2026-000001")
    lines = domain.remaining_lines(
        invoice=invoice, remaining=domain.creditable(invoice=invoice, credit_notes=[])
    )
    assert [
        (line.description, line.quantity, line.unit_price, line.vat_rate) for line in lines
    ] == [
        ("Instance d'application (heure)", Decimal("720"), Decimal("0.035"), Decimal("0.2")),
        ("Add-on PostgreSQL", Decimal("1"), Decimal("10"), Decimal("0.2")),
    ]


# --- payment status --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid", "credited", "today", "expected"),
    [
        ("0", "0", date(2026, 6, 12), domain.TO_PAY),  # the due date itself is not late
        ("0", "0", date(2026, 6, 13), domain.LATE),
        ("1000", "0", date(2026, 6, 13), domain.LATE),  # partly paid, still late
        ("1023.30", "0", date(2026, 7, 1), domain.PAID),
        ("500", "523.30", date(2026, 7, 1), domain.PAID),
        ("0", "1023.30", date(2026, 7, 1), domain.CREDITED),
    ],
)
def test_payment_status_follows_the_due_date_payments_and_credit_notes(
    paid, credited, today, expected
):
    status = domain.payment_status(
        amount_due=Decimal("1023.30"),
        amount_paid=Decimal(paid),
        credited=Decimal(credited),
        total_ttc=Decimal("1023.30"),
        due_date=date(2026, 6, 12),
        today=today,
    )
    assert status == expected


# --- hash chain --------------------------------------------------------------------------------


def chain_of(documents: list[InvoiceDocument]) -> list[domain.LedgerRow]:
    rows, previous = [], ""
    for sequence, doc in enumerate(documents, start=1):
        snapshot = doc.to_dict()
        content = domain.content_hash(snapshot)
        linked = domain.chain_hash(previous_hash=previous, content_hash=content)
        rows.append(
            domain.LedgerRow(
                number=doc.number,
                sequence=sequence,
                issue_date=doc.issue_date,
                total_ttc=doc.total_ttc,
                snapshot=snapshot,
                content_hash=content,
                previous_hash=previous,
                chain_hash=linked,
            )
        )
        previous = linked
    return rows


def three_documents() -> list[InvoiceDocument]:
    prepared = domain.prepare(agency_facts())
    return [prepared.document(number=f"F2026-00000{n}") for n in (1, 2, 3)]


def test_the_content_hash_is_the_sha256_of_the_canonical_json():
    doc = issued_agency_invoice()
    expected = hashlib.sha256(doc.canonical_json().encode("utf-8")).hexdigest()
    assert domain.content_hash(doc.to_dict()) == expected


def test_an_intact_chain_verifies():
    assert domain.verify_chain(chain_of(three_documents())) == (3, None)


def test_a_changed_snapshot_is_the_first_broken_link():
    rows = chain_of(three_documents())
    tampered = dict(rows[1].snapshot, total_ttc="1.00")
    rows[1] = replace(rows[1], snapshot=tampered)
    checked, broken = domain.verify_chain(rows)
    assert checked == 1
    assert (broken.number, broken.sequence) == ("F2026-000002", 2)
    assert "ne correspond plus à son empreinte" in broken.problem


def test_a_rehashed_document_breaks_the_link_of_the_next_one():
    rows = chain_of(three_documents())
    tampered = dict(rows[1].snapshot, total_ttc="1.00")
    content = domain.content_hash(tampered)
    rows[1] = replace(
        rows[1],
        snapshot=tampered,
        content_hash=content,
        chain_hash=domain.chain_hash(previous_hash=rows[1].previous_hash, content_hash=content),
    )
    # Row 2 now lies consistently about itself, but its figures no longer match its row...
    checked, broken = domain.verify_chain(rows)
    assert broken.number == "F2026-000002"
    assert "total TTC" in broken.problem
    # ...and with the row's total rewritten too, the next document's link gives it away.
    rows[1] = replace(rows[1], total_ttc=Decimal("1.00"))
    checked, broken = domain.verify_chain(rows)
    assert (checked, broken.number) == (2, "F2026-000003")
    assert "lien rompu" in broken.problem


def test_a_gap_or_a_repeat_in_the_sequence_is_reported():
    rows = chain_of(three_documents())
    assert "rang 2 manquant" in domain.verify_chain([rows[0], rows[2]])[1].problem
    assert "en double" in domain.verify_chain([rows[0], rows[0]])[1].problem


# --- properties --------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=4)
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3)
rates = st.sampled_from([Decimal("0"), Decimal("0.055"), Decimal("0.10"), Decimal("0.20")])
discounts = st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.10"), Decimal("0.333")])
line_facts = st.builds(
    domain.LineFacts,
    description=st.just("ligne"),
    quantity=quantities,
    unit=st.sampled_from(list(domain.UNITS)),
    unit_price=amounts,
    vat_rate=rates,
    discount=discounts,
)
regimes = st.sampled_from([VatRegime.NORMAL, VatRegime.FRANCHISE_293B, VatRegime.REVERSE_CHARGE_EU])


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(line_facts, min_size=1, max_size=8), regime=regimes)
def test_totals_are_the_sum_of_what_the_reader_sees(lines, regime):
    figures = domain.totals(lines, regime)
    for line, shown in zip(lines, figures.lines, strict=True):
        exact = line.quantity * line.unit_price * (1 - line.discount)
        assert shown.total_ht == exact.quantize(CENT, rounding=ROUND_HALF_UP)
    assert figures.total_ht == sum(line.total_ht for line in figures.lines)
    assert figures.total_ht == sum(g.base_ht for g in figures.vat_breakdown)
    assert figures.total_vat == sum(g.vat_amount for g in figures.vat_breakdown)
    assert figures.total_ttc == figures.total_ht + figures.total_vat
    for group in figures.vat_breakdown:
        expected = (group.base_ht * group.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        assert group.vat_amount == expected
    if not regime.charges_vat:
        assert figures.total_vat == 0
        assert len(figures.vat_breakdown) == 1


deduction_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000"), places=2)


@settings(max_examples=200, deadline=None)
@given(
    total=st.decimals(min_value=Decimal("0"), max_value=Decimal("10000"), places=2),
    deposits=st.lists(deduction_amounts, max_size=4),
)
def test_what_is_due_plus_what_was_deducted_is_the_total(total, deposits):
    deductions = [
        Deduction(f"F{n}", date(2026, 5, 22), amount) for n, amount in enumerate(deposits)
    ]
    if sum(deposits, Decimal(0)) > total:
        with pytest.raises(domain.InvoiceRuleError):
            domain.amount_due(total_ttc=total, deductions=deductions)
        return
    due = domain.amount_due(total_ttc=total, deductions=deductions)
    assert due >= 0
    assert due + sum(deposits, Decimal(0)) == total


@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
    bases=st.dictionaries(
        rates,
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2),
        min_size=1,
    ),
)
def test_a_deposit_split_by_rate_adds_up_to_the_cent(amount, bases):
    shares = domain.split_by_rate(amount, bases)
    assert sum(shares.values()) == amount
    total = sum(bases.values())
    for rate, share in shares.items():
        assert abs(share - amount * bases[rate] / total) < CENT


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(line_facts, min_size=1, max_size=5))
def test_crediting_what_remains_leaves_nothing_creditable(lines):
    facts = paas_facts(lines=tuple(lines), prepayment=None, payment_due=AGENCY_DUE)
    invoice = domain.prepare(facts).document(number="F2026-000001")
    remaining = domain.creditable(invoice=invoice, credit_notes=[])
    credit = domain.remaining_lines(invoice=invoice, remaining=remaining)
    note_facts = replace(
        facts,
        kind="credit_note",
        lines=credit,
        corrected=domain.Corrected(invoice.number, invoice.issue_date),
    )
    note = domain.prepare(note_facts).document(number="AV2026-000001")
    assert (
        domain.credit_excess(remaining=remaining, note=domain.totals(credit, VatRegime.NORMAL))
        == ""
    )
    left = domain.creditable(invoice=invoice, credit_notes=[note])
    assert left.ttc == 0
    assert all(base == 0 for base in left.by_rate.values())


@settings(max_examples=50, deadline=None)
@given(lines=st.lists(line_facts, min_size=1, max_size=5), regime=regimes)
def test_a_snapshot_reads_back_as_the_same_document_and_hash(lines, regime):
    seller_regime = "franchise_293b" if regime is VatRegime.FRANCHISE_293B else "normal"
    facts = agency_facts(lines=tuple(lines), seller_regime=seller_regime)
    doc = domain.prepare(facts).document(number="F2026-000001")
    again = InvoiceDocument.from_dict(doc.to_dict())
    assert again == doc
    assert domain.content_hash(again.to_dict()) == domain.content_hash(doc.to_dict())
