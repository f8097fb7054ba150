"""The invoice state tables: what each state allows, asked by the screens and the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from clausier.invoicing import services
from clausier.invoicing import transitions as t
from clausier.invoicing.models import InvoiceStatus
from clausier.kernel.errors import Conflict, InvalidTransition
from tests.factories import make_draft_invoice, make_issued_invoice
from tests.factories.invoicing import INVOICE_DAY


def test_an_issued_document_goes_nowhere():
    assert t.TRANSITIONS[t.ISSUED] == frozenset()
    with pytest.raises(InvalidTransition, match="« issued » à « draft » impossible"):
        t.check(label="F2026-000001", current=t.ISSUED, target=t.DRAFT)


def test_every_delivery_state_can_be_sent_again_but_none_goes_back_to_not_sent():
    assert all(t.can_deliver(current=s, target=t.QUEUED) for s in t.DELIVERY_TRANSITIONS)
    assert not any(t.can_deliver(current=s, target=t.NOT_SENT) for s in t.DELIVERY_TRANSITIONS)


def test_the_tables_name_the_models_states():
    from clausier.invoicing.models import DeliveryStatus, PaymentStatus

    assert set(t.TRANSITIONS) == set(InvoiceStatus.values)
    assert set(t.DELIVERY_TRANSITIONS) == set(DeliveryStatus.values)
    assert set(t.PAYMENT_ACTIONS) == set(PaymentStatus.values)


@pytest.mark.django_db
def test_a_draft_may_be_edited_deleted_or_issued_nothing_else(agency, company):
    draft = make_draft_invoice(agency, company)
    assert t.allowed_actions(draft, today=date(2026, 5, 22)) == {t.EDIT, t.DELETE, t.ISSUE}


@pytest.mark.django_db
def test_an_issued_invoice_may_be_paid_credited_resent_and_downloaded(agency, company):
    invoice = make_issued_invoice(agency, company, now=INVOICE_DAY)
    today = invoice.issue_date
    assert t.allowed_actions(invoice, today=today, creditable_ttc=invoice.total_ttc) == {
        t.DOWNLOAD,
        t.RESEND,
        t.RECORD_PAYMENT,
        t.CREDIT,
    }
    # Nothing left to credit: no credit action; a late invoice may still be paid.
    late = today + timedelta(days=60)
    assert t.allowed_actions(invoice, today=late, creditable_ttc=Decimal("0")) == {
        t.DOWNLOAD,
        t.RESEND,
        t.RECORD_PAYMENT,
    }


@pytest.mark.django_db
def test_a_credit_note_is_never_paid_nor_credited(agency, company):
    invoice = make_issued_invoice(agency, company, now=INVOICE_DAY)
    note = services.issue_credit_note(invoice=invoice, reason="Erreur", by=None, now=INVOICE_DAY)
    assert t.allowed_actions(note, today=note.issue_date, creditable_ttc=Decimal("10")) == {
        t.DOWNLOAD,
        t.RESEND,
    }
    invoice.refresh_from_db()
    # The invoice it cancels is credited: nothing more to pay.
    assert t.RECORD_PAYMENT not in t.allowed_actions(invoice, today=invoice.issue_date)


@pytest.mark.django_db
def test_the_services_refuse_what_the_table_refuses(agency, company):
    invoice = make_issued_invoice(agency, company, now=INVOICE_DAY)
    with pytest.raises(Conflict, match="ne se modifie plus"):
        services.issue_invoice(invoice=invoice, by=None, now=INVOICE_DAY)
