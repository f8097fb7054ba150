"""A staff invoice for a seller whose terms set no payment term is issued, due on the 30th
day after the execution of the service (C. com. L441-10 I, al. 1)."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.invoicing import services
from clausier.invoicing.models import InvoiceStatus
from clausier.terms import selectors as terms_selectors
from clausier.terms.schemas import ClauseKind
from tests.factories import make_draft_invoice, make_staff
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def test_a_staff_invoice_under_terms_without_payment_clause_is_due_30_days_after_the_service(
    paas, paas_company
):
    version = terms_selectors.current_version(seller=paas)
    assert terms_selectors.clause_of_kind(version=version, kind=ClauseKind.PAYMENT_DUE) is None
    staff = make_staff(paas)
    now = paris(2026, 5, 22, 10)
    draft = make_draft_invoice(paas, paas_company, by=staff, now=now)
    draft = services.update_draft(
        invoice=draft, fields={"service_date": date(2026, 5, 12)}, by=staff, now=now
    )
    invoice = services.issue_invoice(invoice=draft, by=staff, now=now)

    assert invoice.status == InvoiceStatus.ISSUED
    document = invoice.document
    assert document.due_date == date(2026, 6, 11)
    assert document.service_date == date(2026, 5, 12)
    assert "30 jours après l'exécution de la prestation" in document.due_date_explanation
    assert "C. com. L441-10 I, al. 1" in document.due_date_explanation
    [due] = [c for c in document.conditions if c.label == "Échéance"]
    assert (due.value, due.source) == ("11/06/2026", "C. com. L441-10 I, al. 1")
    assert "(12/05/2026)" in due.explanation
    assert invoice.explanations["due_date"]["law"] == "C. com. L441-10 I, al. 1"
