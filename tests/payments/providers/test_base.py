"""The neutral side of the gateways: amounts in cents, the link back to clausier, events."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.payments.providers import (
    CENTS_ROUNDING,
    EventKind,
    PaymentLink,
    Provider,
    ProviderEvent,
    from_cents,
    to_cents,
)
from clausier.payments.providers.base import LINK_IDENTIFIER, PAYPAL_CUSTOM_ID_MAX, to_value

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=3)


def test_cents_round_half_up_at_the_cent():
    assert CENTS_ROUNDING == ROUND_HALF_UP
    assert to_cents(Decimal("12.345")) == 1235
    assert to_cents(Decimal("12.344")) == 1234
    assert to_cents(Decimal("0.005")) == 1
    assert to_cents(Decimal("100")) == 10000


def test_cents_refuse_floats_and_infinities():
    with pytest.raises(TypeError, match="expected a Decimal"):
        to_cents(12.5)
    with pytest.raises(ValueError, match="not a finite number"):
        to_cents(Decimal("Infinity"))


@given(amounts)
def test_cents_and_back_give_the_amount_rounded_to_the_cent(amount):
    assert from_cents(to_cents(amount)) == amount.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Decimal(to_value(amount)) == from_cents(to_cents(amount))


link_ids = st.from_regex(LINK_IDENTIFIER, fullmatch=True)


@given(link_ids, link_ids, link_ids, st.one_of(st.just(""), link_ids))
def test_link_survives_the_trip_through_metadata_and_custom_id(seller, payment, invoice, order):
    if len("|".join((seller, payment, invoice, order))) > PAYPAL_CUSTOM_ID_MAX:
        with pytest.raises(ValueError, match="custom_id takes 127 at most"):
            PaymentLink(seller=seller, payment=payment, invoice=invoice, order=order)
        return
    link = PaymentLink(seller=seller, payment=payment, invoice=invoice, order=order)
    assert PaymentLink.from_metadata(link.metadata()) == link
    assert PaymentLink.from_custom_id(link.custom_id()) == link
    assert len(link.custom_id()) <= PAYPAL_CUSTOM_ID_MAX


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"seller": "", "payment": "p1", "invoice": "F1"}, "PaymentLink.seller is required"),
        ({"seller": "s", "payment": "", "invoice": "F1"}, "PaymentLink.payment is required"),
        ({"seller": "s", "payment": "p1"}, "give the invoice or the order"),
        ({"seller": "s", "payment": "p|1", "invoice": "F1"}, r"PaymentLink.payment='p\|1'"),
        ({"seller": "s", "payment": "p1", "order": "x" * 41}, "PaymentLink.order="),
        (
            {"seller": "s" * 40, "payment": "p" * 40, "invoice": "i" * 40, "order": "o" * 10},
            "is 133 characters, PayPal's custom_id takes 127 at most",
        ),
    ],
)
def test_link_names_the_field_it_refuses(fields, message):
    with pytest.raises(ValueError, match=message):
        PaymentLink(**fields)


def test_an_object_clausier_did_not_make_has_no_link():
    assert PaymentLink.from_metadata({}) is None
    assert PaymentLink.from_metadata({"seller": "s"}) is None
    assert PaymentLink.from_custom_id(None) is None
    assert PaymentLink.from_custom_id("someone-else's-id") is None


def test_an_event_happens_at_an_aware_moment():
    with pytest.raises(ValueError, match="aware datetime"):
        ProviderEvent(
            provider=Provider.STRIPE,
            event_id="evt_1",
            event_type="checkout.session.completed",
            kind=EventKind.SUCCEEDED,
            occurred_at=datetime(2025, 1, 1, 12, 0),
        )
