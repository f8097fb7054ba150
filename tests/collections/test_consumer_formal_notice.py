"""A consumer whose terms fix no late penalty owes interest at the legal rate only from the
formal notice (C. civ. 1231-6): the day its registered letter was received, as staff record
it, starts the interest; never the 40 EUR indemnity."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from clausier.collections import selectors
from clausier.collections.dunning import services as dunning
from tests.factories import make_client, make_issued_invoice, make_published_terms, make_seller

# Issued Thursday 15 January 2026, due 30 days later: Saturday 14 February, carried to Monday
# 16 February.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Hébergement annuel",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def test_the_legal_interest_runs_from_the_receipt_of_the_formal_notice(db):
    seller = make_seller("hebergeur", vat_number="FR87524172699")
    make_published_terms(seller)  # "paiement à 30 jours", no late-penalty clause
    consumer = make_client(seller, kind="consumer", name="Julien Martin")
    invoice = make_issued_invoice(seller, consumer, now=ISSUED, lines=[LINE])
    on = date(2026, 4, 30)

    before = selectors.penalties(invoice=invoice, on=on)
    assert before.interest.value == Decimal("0.00")
    assert before.indemnity.value == Decimal("0.00")
    assert "aucune n'a été reçue" in str(before.interest.steps[0].label)

    notice = dunning.draw_up_formal_notice(
        seller=seller,
        client=consumer,
        invoices=[invoice],
        by=None,
        now=timezone.make_aware(datetime(2026, 3, 20, 10), timezone.get_default_timezone()),
    )
    dunning.record_registered_letter(
        notice=notice,
        tracking_number="1A00000000001",
        sent_on=date(2026, 3, 20),
        received_on=date(2026, 3, 24),
        by=None,
    )

    after = selectors.penalties(invoice=invoice, on=on)
    # No clause: the sum still due, TTC (1200.00), at the legal rate of 2026 S1 for a
    # professional creditor (2.62 %), from 25 March to 30 April: 37 days.
    # 37 × 1200 × 2.62 % / 365 = 3.1870 -> 3.19.
    assert after.interest.value == Decimal("3.19")
    assert after.indemnity.value == Decimal("0.00")
    assert after.explanation.law == "C. civ. 1231-6"
