"""An invoice read in English (issue 14): the page words every sentence of the document in
English from the words its snapshot keeps, and its PDF is a courtesy translation printed on
demand; the French document stays the invoice of record, its stored PDF and hash unchanged.
A document issued before its sentences were kept as words reads as issued, in French."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.domain import content_hash
from clausier.invoicing.domain.facts import VAT_MENTION_WORDS
from clausier.invoicing.models import Invoice
from clausier.invoicing.print_data import print_data
from clausier.kernel.wording import worded
from clausier.sellers.models import Role
from tests.factories import make_client, make_contact, make_staff
from tests.factories.invoicing import accepted_order
from tests.factories.quotes import paris
from tests.invoicing import documents
from tests.invoicing.test_portal import said, shown
from tests.invoicing.test_printing import flat, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(agency):
    client = make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")
    return make_contact(client, name="Camille Martin", role="Gérante")


@pytest.fixture
def final(agency, camille) -> Invoice:
    """The agency's final invoice F2026-000002 of 30 June 2026 (293 B, a deposit deducted, a
    professional client: penalty, indemnity, due date counted in working days)."""
    from clausier.invoicing import services

    order = accepted_order(agency, camille.client)
    return services.final_invoice(order=order, by=None, now=paris(2026, 6, 30, 17))


def english(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def french(name: str, **kwargs: Any) -> str:
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs)


def in_english(doc: InvoiceDocument) -> InvoiceDocument:
    with translation.override("en"):
        return doc.worded(worded)


def issued_sentences(doc: InvoiceDocument) -> list[str]:
    """The document's own French sentences, as issued (the conditions' labels and reasons,
    not the figures nor the law references)."""
    sentences = [
        doc.due_date_explanation,
        doc.payment_terms,
        doc.late_penalty,
        doc.recovery_indemnity,
        doc.early_payment_discount,
    ]
    for condition in doc.conditions:
        sentences += [condition.label, condition.explanation]
    return [said(s) for s in sentences if s and s != "TVA"]


def without_data(text: str, doc: InvoiceDocument) -> str:
    """``text`` without what the seller wrote in French itself and the page quotes as it
    is: the titles of its terms' clauses, the lines' descriptions."""
    for quoted in (*(c.title for c in doc.clauses), *(line.description for line in doc.lines)):
        text = text.replace(said(quoted), "")
    return text


# French labels of the invoice pages (their templates), each checked on the French page first.
PAGE_LABELS = (
    "Échéance",
    "Net à payer",
    "Conditions appliquées",
    "Pourquoi ?",
    "Pénalités de retard",
    "Indemnité de recouvrement",
    "Facture de solde",
    "Acompte F2026-000001 du",
    "jours ouvrés",
)


# --- the snapshot -------------------------------------------------------------------------------


def test_a_new_snapshot_keeps_the_french_as_issued_and_its_sentences_as_words(final):
    doc = final.document
    assert doc.late_penalty.startswith("Pénalités de retard : 3 fois le taux")
    assert final.content_hash == content_hash(final.snapshot)
    kept = final.snapshot["wording"]
    assert kept["late_penalty"]["message"].startswith("Pénalités de retard : {why}")
    # In French the words give back the very sentences issued.
    with translation.override("fr"):
        assert doc.worded(worded) == doc
    read = in_english(doc)
    assert read.late_penalty.startswith("Late-payment penalties: 3 times the legal")
    assert "working days after the invoice date" in read.due_date_explanation
    assert read.early_payment_discount == "No discount for early payment."
    assert [c.label for c in read.conditions][:2] == ["Due date", "Deposits deducted"]
    assert [line.unit for line in read.lines] == ["flat fee", "day", "hour"]
    # The law's VAT mention stays in French, followed by its translation.
    assert read.vat_mentions[0].startswith("TVA non applicable, art. 293 B du CGI (VAT not")
    # Everything else is the document as issued.
    assert replace(read, **_issued_texts(doc)) == doc


def _issued_texts(doc: InvoiceDocument) -> dict[str, Any]:
    names = ("due_date_explanation", "payment_terms", "late_penalty", "recovery_indemnity")
    names += ("early_payment_discount", "terms_version", "vat_mentions", "conditions")
    return {name: getattr(doc, name) for name in names} | {
        "lines": doc.lines,
        "vat_breakdown": doc.vat_breakdown,
    }


def test_a_document_issued_before_reads_as_issued_in_french_and_keeps_its_json():
    doc = documents.standard()
    assert doc.wording == {}
    data = doc.to_dict()
    assert "wording" not in data  # the JSON hashed at issue is the same as before
    assert InvoiceDocument.from_dict(data).to_dict() == data
    assert in_english(doc) is doc


def test_a_credit_note_and_a_consumer_invoice_read_in_english_too():
    from datetime import date
    from decimal import Decimal

    from clausier.invoicing import domain
    from tests.invoicing.test_domain import CONSUMER, agency_facts, issued_agency_invoice

    invoice = issued_agency_invoice()
    note = domain.prepare(
        agency_facts(
            kind="credit_note",
            corrected=domain.Corrected(number=invoice.number, issue_date=invoice.issue_date),
            lines=(domain.LineFacts("Remboursement", Decimal("1"), "flat", Decimal("136")),),
            issue_date=date(2026, 6, 1),
        )
    ).document(number="AV2026-000001")
    read = in_english(note)
    assert read.due_date_explanation.startswith("credit note on invoice F2026-000001 of 05/22")
    assert read.late_penalty == "Late-payment penalties: not applicable to a credit note."
    assert read.early_payment_discount.startswith("Early-payment discount: not applicable")
    consumer = domain.prepare(agency_facts(buyer=CONSUMER, client_kind="consumer")).document(
        number="F2026-000002"
    )
    read = in_english(consumer)
    assert read.recovery_indemnity.startswith("Fixed recovery-costs indemnity: not applicable")
    assert str(domain.CONSUMER_INDEMNITY) == consumer.recovery_indemnity


def test_the_vat_mentions_in_words_are_the_mentions_the_law_wants():
    for regime, sentence in VAT_MENTION_WORDS.items():
        assert str(sentence) == regime.mention


# --- the pages ------------------------------------------------------------------------------------


def test_the_portal_invoice_page_reads_in_english(client, camille, final):
    doc = final.document
    client.force_login(camille.user)
    french_page = shown(client.get(french("portal:invoice", invoice_id=final.pk)))
    response = client.get(english("portal:invoice", invoice_id=final.pk))
    assert response.status_code == 200
    text = without_data(shown(response), doc)
    read = in_english(doc)
    for sentence in (read.due_date_explanation, read.late_penalty, read.recovery_indemnity):
        assert said(sentence) in text
    assert "Final invoice F2026-000002" in text
    assert "Net amount payable" in text
    assert "Courtesy translation: the French invoice" in text
    assert "French original PDF" in text
    for sentence in (*issued_sentences(doc), *PAGE_LABELS):
        assert sentence in french_page
        assert sentence not in text, sentence


def test_my_invoices_and_the_portal_home_say_why_the_due_date_in_english(client, camille, final):
    client.force_login(camille.user)
    why = said(in_english(final.document).due_date_explanation)
    for name in ("portal:invoices", "portal:home"):
        assert said(final.document.due_date_explanation) in shown(client.get(french(name)))
        text = shown(client.get(english(name)))
        assert why[1:] in text
        assert "jours ouvrés après la date de facture" not in text


def test_the_back_office_invoice_page_reads_in_english(client, agency, final):
    doc = final.document
    client.force_login(make_staff(agency, Role.OWNER))
    page = {"slug": agency.slug, "invoice_id": final.pk}
    french_page = shown(client.get(french("backoffice:invoice", **page)))
    response = client.get(english("backoffice:invoice", **page))
    assert response.status_code == 200
    text = without_data(shown(response), doc)
    read = in_english(doc)
    assert said(read.late_penalty) in text
    assert said(read.recovery_indemnity) in text
    for condition in read.conditions:
        assert said(condition.explanation) in text
    assert "Courtesy translation: the French invoice" in text
    assert english("backoffice:invoice_pdf", **page) + "?original=1" in response.content.decode()
    labels = [label for label in PAGE_LABELS if label != "Pourquoi ?"] + ["Escompte"]
    for sentence in (*issued_sentences(doc), *labels):
        assert sentence in french_page
        assert sentence not in text, sentence


# --- the PDF ----------------------------------------------------------------------------------


def _translated(french_data: Any, english_data: Any) -> list[tuple[str, str]]:
    """The (French, English) strings of the printed page that the catalogue translates: the
    leaves of the French print data that differ in English."""
    if isinstance(french_data, str) and isinstance(english_data, str):
        return [(french_data, english_data)] if french_data != english_data else []
    if isinstance(french_data, dict) and isinstance(english_data, dict):
        return [
            pair
            for key in french_data.keys() & english_data.keys() - {"lang"}
            for pair in _translated(french_data[key], english_data[key])
        ]
    if isinstance(french_data, list) and isinstance(english_data, list):
        pairs = zip(french_data, english_data, strict=False)
        return [pair for f, e in pairs for pair in _translated(f, e)]
    return []


def _said(text: str) -> str:
    return flat(re.sub(r"[\u00a0\u202f]", " ", text)).strip()


def test_an_english_reader_downloads_a_courtesy_translation_and_the_french_pdf_stays(
    client, camille, final
):
    doc = final.document
    client.force_login(camille.user)
    stored = client.get(french("portal:invoice_pdf", invoice_id=final.pk))
    final.refresh_from_db()
    assert stored["X-Document-SHA256"] == final.pdf_sha256

    response = client.get(english("portal:invoice_pdf", invoice_id=final.pk))
    assert response.status_code == 200
    assert response["X-Document-Translation"] == "en"
    assert "X-Document-SHA256" not in response
    assert 'filename="F2026-000002-en.pdf"' in response["Content-Disposition"]
    # English words hyphenated at a line end read whole again.
    text = re.sub(r"(\w)- (\w)", r"\1\2", flat(text_of(response.content)))
    assert "Courtesy translation: the French invoice" in text

    pairs = _translated(
        print_data(doc, language="fr"), print_data(doc, language="en", courtesy=True)
    )
    assert len(pairs) > 20
    # Nothing is left in French but its typography ("Règlement par virement : IBAN ...").
    untranslated = [f for f, e in pairs if re.sub(r"\s+([:;!?])", r"\1", f) == e]
    assert untranslated == []
    # The mentions the law wants in French stay, followed by their translation; the seller's
    # own words (its clause titles) are quoted as written.
    kept = [english_text for f, english_text in pairs if _said(f) in _said(english_text)]
    for quoted in (*kept, *(c.title for c in doc.clauses)):
        text = text.replace(_said(quoted), "")
    for french_text, english_text in pairs:
        if english_text in kept:
            continue
        pattern = r"(?<!\w)" + re.escape(_said(french_text)) + r"(?!\w)"
        assert not re.search(pattern, text), (french_text, text)
    for label in ("Final invoice", "Total incl. VAT", "Net amount payable", "Due date"):
        assert label in text

    # The French original is one link away, byte for byte the stored file, never replaced.
    original = client.get(english("portal:invoice_pdf", invoice_id=final.pk) + "?original=1")
    assert original["X-Document-SHA256"] == final.pdf_sha256
    assert b"".join(original.streaming_content) == b"".join(stored.streaming_content)
    final.refresh_from_db()
    assert final.pdf_sha256 == original["X-Document-SHA256"]
    assert "Traduction" not in flat(text_of(final.pdf.open("rb").read()))
