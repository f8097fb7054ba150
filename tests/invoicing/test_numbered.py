"""A document is computed, frozen and its XML validated before its number is taken (so that
the series lock is held for microseconds); the number is then written into a slot. What
comes out must be, byte for byte, what the document with its number would have given."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausier.invoicing import domain, facturx
from tests.invoicing import documents

KINDS = {
    "standard": documents.standard,
    "franchise": documents.franchise,
    "reverse_charge": documents.reverse_charge,
    "deposit": documents.deposit,
    "final": documents.final,
    "credit_note": documents.credit_note,
    "discounted": documents.discounted,
}


def _with_slot(doc, slot: str):
    return dataclasses.replace(
        doc, number=slot, payment_reference=doc.payment_reference.replace(doc.number, slot)
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_numbered_is_what_the_numbered_document_gives(kind):
    doc = KINDS[kind]()
    slot = domain.number_slot()
    slotted = _with_slot(doc, slot)
    unnumbered = domain.Unnumbered.of(slotted, slot=slot, xml=facturx.check_document(slotted))

    numbered = unnumbered.numbered(doc.number)

    assert numbered.snapshot == doc.to_dict()
    assert numbered.content_hash == domain.content_hash(doc.to_dict())
    assert numbered.xml == facturx.cii_xml(doc)
    facturx.validate_xml(numbered.xml)
    assert slot.encode() not in numbered.xml


@settings(max_examples=40, deadline=None)
@given(
    prefix=st.sampled_from(["F", "AV", "FA-", "2026/"]),
    sequence=st.integers(min_value=1, max_value=999_999),
)
def test_any_number_of_a_series_fills_the_slot(prefix, sequence):
    doc = documents.standard()
    number = f"{prefix}{sequence:06d}"
    slot = domain.number_slot()
    slotted = _with_slot(doc, slot)
    numbered = domain.Unnumbered.of(slotted, slot=slot, xml=facturx.cii_xml(slotted)).numbered(
        number
    )

    expected = dataclasses.replace(
        doc, number=number, payment_reference=doc.payment_reference.replace(doc.number, number)
    )
    assert numbered.snapshot == expected.to_dict()
    assert numbered.content_hash == domain.content_hash(expected.to_dict())
    assert numbered.xml == facturx.cii_xml(expected)


def test_slots_differ_and_read_as_a_number():
    slots = {domain.number_slot() for _ in range(200)}
    assert len(slots) == 200
    assert all(domain.NUMBER_CHARACTERS.fullmatch(slot) for slot in slots)


@pytest.mark.parametrize("number", ["", "F<1>", 'F"1', "F&1", "F 1", "F\n1"])
def test_a_number_that_xml_or_json_would_escape_is_refused(number):
    slot = domain.number_slot()
    with pytest.raises(ValueError, match="not a document number"):
        domain.fill_number(f"<ID>{slot}</ID>", slot=slot, number=number)


def test_a_text_without_the_slot_is_refused():
    with pytest.raises(ValueError, match="no number slot"):
        domain.fill_number("<ID>F2026-000001</ID>", slot=domain.number_slot(), number="F1")


def test_the_document_must_carry_the_slot():
    doc = documents.standard()
    with pytest.raises(ValueError, match="slot as its number"):
        domain.Unnumbered.of(doc, slot=domain.number_slot(), xml=facturx.cii_xml(doc))
