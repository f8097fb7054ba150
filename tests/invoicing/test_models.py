"""An issued document is frozen at the model level too: only its payment and delivery status
may change, whatever path writes (admin, shell, a future service)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from clausier.invoicing.models import Invoice, InvoiceLine, IssuedDocumentFrozen
from clausier.invoicing.services import issue_invoice
from tests.factories import make_draft_invoice, make_issued_invoice
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

DAY = paris(2026, 5, 22, 10)


@pytest.fixture
def issued(shop, shopper):
    return make_issued_invoice(shop, shopper, now=DAY)


def test_saving_an_issued_invoice_is_refused(issued):
    issued.total_ttc = Decimal("1.00")
    with pytest.raises(IssuedDocumentFrozen):
        issued.save()
    with pytest.raises(IssuedDocumentFrozen, match="total_ttc"):
        issued.save(update_fields=["total_ttc"])
    issued.refresh_from_db()
    assert issued.total_ttc == Decimal("600.00")


def test_a_stale_copy_loaded_as_a_draft_cannot_overwrite_the_issued_row(shop, shopper):
    draft = make_draft_invoice(shop, shopper)
    stale = Invoice.objects.get(pk=draft.pk)
    issue_invoice(invoice=draft, by=None, now=DAY)
    stale.notes = "changed"
    with pytest.raises(IssuedDocumentFrozen):
        stale.save()


def test_payment_and_delivery_status_may_change(issued):
    issued.amount_paid = Decimal("600.00")
    issued.email_status = "sent"
    issued.save(update_fields=["amount_paid", "email_status", "updated_at"])
    issued.refresh_from_db()
    assert (issued.amount_paid, issued.email_status) == (Decimal("600.00"), "sent")


def test_queryset_updates_and_deletes_of_issued_rows_are_refused(issued):
    with pytest.raises(IssuedDocumentFrozen):
        Invoice.objects.filter(pk=issued.pk).update(total_ttc=Decimal("1"))
    with pytest.raises(IssuedDocumentFrozen):
        Invoice.objects.filter(pk=issued.pk).delete()
    with pytest.raises(IssuedDocumentFrozen):
        issued.delete()
    Invoice.objects.filter(pk=issued.pk).update(email_attempts=2)
    assert Invoice.objects.get(pk=issued.pk).email_attempts == 2


def test_the_lines_of_an_issued_invoice_are_frozen(issued):
    line = issued.lines.get()
    line.unit_price = Decimal("1")
    with pytest.raises(IssuedDocumentFrozen):
        line.save()
    with pytest.raises(IssuedDocumentFrozen):
        line.delete()
    with pytest.raises(IssuedDocumentFrozen):
        InvoiceLine.objects.filter(invoice=issued).update(unit_price=Decimal("1"))
    with pytest.raises(IssuedDocumentFrozen):
        InvoiceLine.objects.bulk_create(
            [InvoiceLine(invoice=issued, description="x", quantity=1, unit="flat", unit_price=1)]
        )


def test_two_documents_cannot_share_a_number(issued, shop, shopper):
    other = make_issued_invoice(shop, shopper, now=DAY)
    # Bypass the guard (raw queryset update on the base manager) to hit the constraint.
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice._base_manager.filter(pk=other.pk).update(sequence=issued.sequence)


def test_a_draft_has_no_number_and_an_issued_document_has_one(shop, shopper):
    draft = make_draft_invoice(shop, shopper)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice._base_manager.filter(pk=draft.pk).update(number="F2026-999999")
