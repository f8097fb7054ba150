"""The late-penalty sentence of a consumer's invoice: the L441-10 regime between professionals
(its floor, its "de plein droit, sans rappel", its 40 EUR) never applies to a consumer. A
consumer owes what a lawful clause of the terms provides, from the day after the due date as
the clause says (C. conso. L212-1), or without a clause the legal interest from a formal
notice (C. civ. 1231-6); the invoice, its PDF and its Factur-X note say so."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from lxml import etree

from clausier.invoicing import domain
from clausier.invoicing.facturx import cii_xml
from clausier.invoicing.printing import render_invoice_pdf
from tests.invoicing.test_domain import AGENCY_PENALTY, CONSUMER, agency_facts
from tests.invoicing.test_english import in_english
from tests.invoicing.test_facturx import notes
from tests.invoicing.test_printing import flat, text_of

UNPUBLISHED = date(2026, 12, 6)  # 2026 S2: after the packaged legal-rate table


def consumer_document(**changes):
    facts = agency_facts(buyer=CONSUMER, client_kind="consumer", **changes)
    return domain.prepare(facts).document(number="F2026-000002")


def professional_document(**changes):
    return domain.prepare(agency_facts(**changes)).document(number="F2026-000001")


def test_a_consumer_invoice_cites_the_clause_and_the_consumer_law_not_l441_10():
    # Agency clause: 3 × the legal rate of the invoice date (2026 S1, 2,62 %) = 7,86 %.
    doc = consumer_document()
    assert doc.late_penalty == (
        "Pénalités de retard : 3 fois le taux d'intérêt légal en vigueur à la date de facture "
        "(2,62\u202f%), soit 7,86\u202f% l'an, calculées prorata temporis sur le montant HT "
        "restant dû, dues à compter du lendemain de l'échéance comme le prévoit la clause "
        "(art. 6 CGV v3.0 ; C. conso. L212-1 ; C. civ. 1231-6)."
    )
    for l441 in ("L441-10", "plein droit", "sans rappel", "plancher", "au moins"):
        assert l441 not in doc.late_penalty
    [condition] = [c for c in doc.conditions if c.label == "Pénalités de retard"]
    assert condition.source == "art. 6 CGV v3.0 ; C. conso. L212-1 ; C. civ. 1231-6"
    assert "40" not in doc.recovery_indemnity
    assert "non applicable" in doc.recovery_indemnity


def test_the_professional_invoice_still_cites_l441_10():
    doc = professional_document()
    assert "exigibles de plein droit dès le lendemain de l'échéance, sans rappel" in (
        doc.late_penalty
    )
    assert doc.late_penalty.endswith("(art. 6 CGV v3.0 ; C. com. L441-10).")
    assert "C. conso." not in doc.late_penalty


def test_a_consumer_clause_under_the_floor_keeps_its_own_rate_and_no_floor():
    # 1 × 2,62 % = 2,62 %: a professional would get the floor (7,86 %), a consumer does not.
    weak = replace(AGENCY_PENALTY, multiplier=Decimal("1"))
    doc = consumer_document(late_penalty=weak)
    assert doc.late_penalty_rate == Decimal("2.62")
    assert "plancher" not in doc.late_penalty
    assert "L441-10" not in doc.late_penalty


def test_a_consumer_clause_without_a_published_rate_is_worded_without_l441_10():
    doc = consumer_document(issue_date=UNPUBLISHED)
    assert doc.late_penalty == (
        "Pénalités de retard : trois fois le taux d'intérêt légal en vigueur au 06/12/2026, "
        "calculées prorata temporis sur le montant HT restant dû, dues à compter du lendemain "
        "de l'échéance comme le prévoit la clause (art. 6 CGV v3.0 ; C. conso. L212-1 ; "
        "C. civ. 1231-6)."
    )


def test_a_consumer_ecb_clause_is_worded_without_l441_10():
    ecb = replace(AGENCY_PENALTY, of="ecb_rate", multiplier=Decimal("1"), plus_points=Decimal("5"))
    doc = consumer_document(late_penalty=ecb)
    assert doc.late_penalty == (
        "Pénalités de retard : 1 fois le taux de refinancement de la BCE majoré de 5 points, "
        "calculées prorata temporis sur le montant HT restant dû, dues à compter du lendemain "
        "de l'échéance comme le prévoit la clause (art. 6 CGV v3.0 ; C. conso. L212-1 ; "
        "C. civ. 1231-6)."
    )
    assert "C. com. L441-10" in professional_document(late_penalty=ecb).late_penalty


def test_a_consumer_without_a_clause_keeps_the_legal_interest_after_a_formal_notice():
    doc = consumer_document(late_penalty=None)
    assert doc.late_penalty == str(domain.CONSUMER_PENALTY)
    assert "C. civ. 1231-6" in doc.late_penalty
    assert "L441-10" not in doc.late_penalty


def test_the_consumer_rate_explanation_names_the_consumer_law():
    prepared = domain.prepare(agency_facts(buyer=CONSUMER, client_kind="consumer"))
    law = prepared.explanations()["late_penalty"]["law"]
    assert "L441-10" not in law
    assert "C. conso. L212-1" in law
    professional = domain.prepare(agency_facts()).explanations()["late_penalty"]["law"]
    assert "C. com. L441-10" in professional


def test_the_consumer_sentence_reads_in_english():
    read = in_english(consumer_document())
    assert read.late_penalty.startswith("Late-payment penalties: 3 times the legal")
    assert "from the day after the due date, as the clause provides" in read.late_penalty
    assert "L441-10" not in read.late_penalty
    assert "C. conso. L212-1" in read.late_penalty
    words_only = in_english(consumer_document(issue_date=UNPUBLISHED))
    assert words_only.late_penalty.startswith("Late-payment penalties: three times")


def test_the_consumer_pdf_and_its_factur_x_note_no_longer_cite_l441_10():
    consumer, professional = consumer_document(), professional_document()
    consumer_text = flat(text_of(render_invoice_pdf(consumer)))
    assert "C. conso. L212-1 ; C. civ. 1231-6" in consumer_text
    # L441-10 is named once, to say its 40 EUR does not apply to a consumer.
    assert "L441-10" in consumer.recovery_indemnity
    assert consumer_text.count("L441-10") == 1
    assert "C. com. L441-10" in flat(text_of(render_invoice_pdf(professional)))
    pmd = notes(etree.fromstring(cii_xml(consumer)))["PMD"]
    assert pmd == consumer.late_penalty
    assert "L441-10" not in pmd
    assert "L441-10" in notes(etree.fromstring(cii_xml(professional)))["PMD"]
