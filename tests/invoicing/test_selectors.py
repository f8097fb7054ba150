"""The invoice list's filters: one frozen object, one selector (``invoice_list``), which the
API's list builds (and the back-office list is to build)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from clausier.invoicing import services
from clausier.invoicing.models import InvoiceKind, InvoiceStatus
from clausier.invoicing.selectors import (
    InvoiceFilters,
    invoice_list,
    invoices_for_seller,
    overdue,
    with_balance,
)
from clausier.payments import services as payment_services
from clausier.sellers.domain import OWNER
from clausier.sellers.selectors import StaffScope
from tests.factories import make_client, make_draft_invoice, make_issued_invoice, make_seller
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

MARCH_2 = paris(2026, 3, 2, 10, 0)
APRIL_1 = paris(2026, 4, 1, 10, 0)


def scope_of(seller) -> StaffScope:
    return StaffScope(user=None, seller=seller, role=OWNER)


def ids(rows) -> set[int]:
    return {invoice.pk for invoice in rows}


@pytest.fixture
def ledger(shop, shopper):
    """Of the shop: an invoice issued on 2 March, another on 1 April, a draft, and a
    credit note cancelling the April one; another client's invoice; another seller's."""
    other_client = make_client(shop, kind="consumer", name="Léa Petit")
    march = make_issued_invoice(shop, shopper, now=MARCH_2)
    theirs = make_issued_invoice(shop, other_client, now=MARCH_2)
    april = make_issued_invoice(shop, shopper, now=APRIL_1)
    note = services.issue_credit_note(invoice=april, reason="Erreur", by=None, now=APRIL_1)
    draft = make_draft_invoice(shop, shopper)
    return {
        "march": march,
        "april": april,
        "note": note,
        "draft": draft,
        "theirs": theirs,
        "other_client": other_client,
    }


def test_the_filters_are_a_frozen_value():
    filters = InvoiceFilters(status="issued")
    with pytest.raises(dataclasses.FrozenInstanceError):
        filters.status = "draft"  # type: ignore[misc]
    assert filters == InvoiceFilters(status="issued")
    assert InvoiceFilters() == InvoiceFilters(
        status="", kind="", client_id=None, issued_from=None, issued_to=None, overdue=None
    )


@pytest.mark.parametrize("overdue", [True, False])
def test_overdue_needs_the_day_it_is_judged_on(overdue):
    with pytest.raises(ValueError, match="today"):
        InvoiceFilters(overdue=overdue)
    assert InvoiceFilters(overdue=overdue, today=date(2026, 5, 1)).today == date(2026, 5, 1)


def test_no_filter_lists_every_document_of_the_seller_only(shop, ledger):
    stranger = make_seller("ailleurs")
    make_draft_invoice(stranger, make_client(stranger))
    rows = invoice_list(scope=scope_of(shop), filters=InvoiceFilters())
    assert ids(rows) == {ledger[k].pk for k in ("march", "april", "note", "draft", "theirs")}


def test_status_kind_and_client(shop, shopper, ledger):
    scope = scope_of(shop)
    drafts = invoice_list(scope=scope, filters=InvoiceFilters(status=InvoiceStatus.DRAFT))
    assert ids(drafts) == {ledger["draft"].pk}
    notes = invoice_list(scope=scope, filters=InvoiceFilters(kind=InvoiceKind.CREDIT_NOTE))
    assert ids(notes) == {ledger["note"].pk}
    theirs = invoice_list(scope=scope, filters=InvoiceFilters(client_id=ledger["other_client"].pk))
    assert ids(theirs) == {ledger["theirs"].pk}
    issued_to_shopper = InvoiceFilters(status=InvoiceStatus.ISSUED, client_id=shopper.pk)
    assert ids(invoice_list(scope=scope, filters=issued_to_shopper)) == {
        ledger[k].pk for k in ("march", "april", "note")
    }


def test_issue_dates_include_both_days_and_leave_drafts_out(shop, ledger):
    scope = scope_of(shop)
    april = InvoiceFilters(issued_from=date(2026, 4, 1), issued_to=date(2026, 4, 1))
    assert ids(invoice_list(scope=scope, filters=april)) == {ledger["april"].pk, ledger["note"].pk}
    from_march = InvoiceFilters(issued_from=date(2026, 3, 2))
    assert ledger["draft"].pk not in ids(invoice_list(scope=scope, filters=from_march))
    until_march = InvoiceFilters(issued_to=date(2026, 3, 31))
    assert ids(invoice_list(scope=scope, filters=until_march)) == {
        ledger["march"].pk,
        ledger["theirs"].pk,
    }


def test_overdue_is_late_on_the_day_and_the_rest_is_not(shop, ledger):
    scope = scope_of(shop)
    march = ledger["march"]
    late_day = march.due_date + timedelta(days=1)

    invoices = InvoiceFilters(kind=InvoiceKind.STANDARD)

    def listed(overdue: bool, today: date) -> set[int]:
        filters = dataclasses.replace(invoices, overdue=overdue, today=today)
        return ids(invoice_list(scope=scope, filters=filters))

    # On its due date nothing is late yet; the day after, both March invoices are.
    assert listed(True, march.due_date) == set()
    assert listed(True, late_day) == {march.pk, ledger["theirs"].pk}
    # "Not overdue" is every other invoice: the draft, the one a credit note cancelled.
    assert listed(False, late_day) == {ledger["april"].pk, ledger["draft"].pk}

    # Paid, an invoice is no longer late.
    payment_services.record_invoice_payment(
        invoice=march, amount=march.amount_due, paid_on=late_day, by=None, now=paris(2026, 4, 2)
    )
    assert listed(True, late_day) == {ledger["theirs"].pk}
    assert march.pk in listed(False, late_day)


def test_a_partly_paid_invoice_past_its_due_date_is_overdue(shop, ledger):
    march = ledger["march"]
    late_day = march.due_date + timedelta(days=1)
    payment_services.record_invoice_payment(
        invoice=march, amount=Decimal("1.00"), paid_on=late_day, by=None, now=paris(2026, 4, 2)
    )
    rows = invoice_list(scope=scope_of(shop), filters=InvoiceFilters(overdue=True, today=late_day))
    assert march.pk in ids(rows)


def test_a_credit_note_is_never_overdue(shop, ledger):
    """A credit note is money owed to the client: never late, in the API and the back-office
    list alike (one definition, :func:`overdue`), and its payment status says nothing."""
    note = ledger["note"]
    long_after = note.issue_date + timedelta(days=90)
    filters = InvoiceFilters(kind=InvoiceKind.CREDIT_NOTE, overdue=True, today=long_after)
    assert ids(invoice_list(scope=scope_of(shop), filters=filters)) == set()
    assert note.payment_status(today=long_after) == ""


def test_overdue_is_what_the_ledger_screens_call_late(shop, ledger):
    """The SQL of :func:`overdue` and the ``pay_state`` the ledger screens annotate agree on
    every document, on the due day and after."""
    seller = scope_of(shop).seller
    march = ledger["march"]
    for today in (march.due_date, march.due_date + timedelta(days=1), date(2026, 12, 31)):
        rows = with_balance(invoices_for_seller(seller=seller), today=today)
        late = {row.pk for row in rows if row.pay_state == "late"}
        assert ids(overdue(invoices_for_seller(seller=seller), today=today)) == late
