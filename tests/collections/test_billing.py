"""Penalties of a late invoice: accrued nightly (idempotent), waived with a reason, billed
once on a penalty invoice outside the scope of VAT, when paid in full or on demand."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clausier.collections import services
from clausier.collections.models import LateInvoice, PenaltyBilling
from clausier.collections.tasks import accrue_all
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.kernel.errors import Conflict
from tests.factories import make_issued_invoice
from tests.factories.payments import transfer

# Issued 15 January 2026, due Monday 16 February 2026 (14 Feb carried over), 7.86 %.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def penalty_invoice_of(invoice) -> Invoice:
    billing = PenaltyBilling.objects.get(late_invoice__invoice=invoice)
    return Invoice.objects.get(pk=billing.penalty_invoice_id)


def test_paid_in_full_late_bills_interest_and_indemnity_once_without_vat(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    # Paid on 16 March: 28 days × 1000 × 7.86 % / 365 = 6.0296 -> 6.03.
    transfer(shop, company, amount="1200.00", on=date(2026, 3, 16), invoices=[(invoice, "1200.00")])

    penalty = penalty_invoice_of(invoice)

    assert penalty.kind == InvoiceKind.PENALTY
    assert penalty.number
    assert penalty.total_ht == penalty.total_ttc == Decimal("46.03")
    assert penalty.total_vat == 0
    lines = penalty.document.lines
    assert [line.total_ht for line in lines] == [Decimal("6.03"), Decimal("40.00")]
    assert {line.vat_category for line in lines} == {"O"}
    for shown in ("28 jour(s)", "7,86", "17/02/2026", "16/03/2026", "Calcul"):
        assert shown in lines[0].description
    group = penalty.document.vat_breakdown[0]
    assert "hors champ d'application de la TVA" in group.exemption_reason
    assert group.exemption_reason_code == "VATEX-EU-O"
    # Never twice: billing again is refused.
    with pytest.raises(Conflict):
        services.bill_penalties(invoice=invoice, on=date(2026, 3, 20), by=None)
    assert Invoice.objects.filter(kind=InvoiceKind.PENALTY).count() == 1


def penalty_invoices_of(invoice) -> list[Invoice]:
    billings = PenaltyBilling.objects.filter(late_invoice__invoice=invoice).order_by("period_to")
    return [Invoice.objects.get(pk=billing.penalty_invoice_id) for billing in billings]


def test_on_demand_billing_of_an_unpaid_invoice_then_the_rest_when_paid(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    first = services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)

    assert (first.period_from, first.period_to, first.final) == (
        date(2026, 2, 17),
        date(2026, 3, 16),
        False,
    )
    assert penalty_invoice_of(invoice).total_ttc == Decimal("46.03")
    assert LateInvoice.objects.get(invoice=invoice).status == "accruing"
    # Paid on 1 April: the interest run since the billing is billed, the indemnity not again.
    # 17 Feb - 1 Apr: 44 days × 1000 × 7.86 % / 365 = 9.4750 -> 9.48; 9.48 - 6.03 = 3.45.
    transfer(shop, company, amount="1200.00", on=date(2026, 4, 1), invoices=[(invoice, "1200.00")])

    earlier, last = penalty_invoices_of(invoice)
    assert earlier.total_ttc == Decimal("46.03")
    assert last.total_ttc == Decimal("3.45")
    [line] = last.document.lines
    for shown in ("16 jour(s)", "17/03/2026", "01/04/2026", "moins 6,03", "000,00\xa0€ HT"):
        assert shown in line.description
    final = PenaltyBilling.objects.get(late_invoice__invoice=invoice, final=True)
    assert (final.period_from, final.period_to) == (date(2026, 3, 17), date(2026, 4, 1))
    assert LateInvoice.objects.get(invoice=invoice).status == "billed"
    with pytest.raises(Conflict):
        services.bill_penalties(invoice=invoice, on=date(2026, 4, 10), by=None)


def test_successive_billings_before_payment_each_bill_their_own_days(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)
    # Never the same day twice.
    with pytest.raises(Conflict) as twice:
        services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)
    assert "16/03/2026" in str(twice.value)
    second = services.bill_penalties(invoice=invoice, on=date(2026, 4, 1), by=None)

    assert (second.period_from, second.period_to, second.final) == (
        date(2026, 3, 17),
        date(2026, 4, 1),
        False,
    )
    assert (second.interest, second.indemnity) == (Decimal("3.45"), Decimal("0.00"))
    assert [p.total_ttc for p in penalty_invoices_of(invoice)] == [
        Decimal("46.03"),
        Decimal("3.45"),
    ]
    late = LateInvoice.objects.get(invoice=invoice)
    # The base and its kind as the accrual computed them.
    assert (late.base, late.base_kind) == (Decimal("1000.00"), "HT")


def test_the_database_refuses_two_billings_ending_the_same_day(shop, company):
    from django.db import IntegrityError, transaction

    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    billing = services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        PenaltyBilling.objects.create(
            seller=shop,
            late_invoice=billing.late_invoice,
            period_from=date(2026, 3, 16),
            period_to=date(2026, 3, 16),
            interest=Decimal("0.22"),
            indemnity=Decimal("0"),
            created_at=billing.created_at,
        )


def test_a_waiver_needs_a_reason_and_is_deducted(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    on = date(2026, 3, 16)

    with pytest.raises(ValidationError) as refused:
        services.waive(invoice=invoice, item="indemnity", full=True, reason=" ", by=None, on=on)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as too_much:
        services.waive(invoice=invoice, item="interest", amount="7", reason="Geste", by=None, on=on)
    assert "amount" in too_much.value.message_dict

    services.waive(
        invoice=invoice, item="indemnity", full=True, reason="Bon client", by=None, on=on
    )
    services.waive(invoice=invoice, item="interest", amount="1.03", reason="Geste", by=None, on=on)
    transfer(shop, company, amount="1200.00", on=on, invoices=[(invoice, "1200.00")])

    penalty = penalty_invoice_of(invoice)
    assert penalty.total_ttc == Decimal("5.00")
    assert len(penalty.document.lines) == 1
    assert "moins 1,03" in penalty.document.lines[0].description


def test_a_waiver_gives_up_only_what_is_not_billed_yet(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)  # 6.03 + 40.00
    on = date(2026, 4, 1)
    # 44 days accrued to 1 April: 9.48, of which 6.03 billed: 3.45 left to waive, not 9.48.
    with pytest.raises(ValidationError) as too_much:
        services.waive(invoice=invoice, item="interest", amount="9", reason="Geste", by=None, on=on)
    assert "3.45" in too_much.value.message_dict["amount"][0]

    services.waive(invoice=invoice, item="interest", amount="3.00", reason="Geste", by=None, on=on)
    transfer(shop, company, amount="1200.00", on=on, invoices=[(invoice, "1200.00")])

    assert [p.total_ttc for p in penalty_invoices_of(invoice)] == [
        Decimal("46.03"),
        Decimal("0.45"),
    ]
    assert LateInvoice.objects.get(invoice=invoice).status == "billed"


def test_a_payment_dated_before_a_billing_closes_the_penalties_and_states_the_excess(shop, company):
    from clausier.audit.models import Event

    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)  # 28 days: 6.03
    # A transfer recorded afterwards, its value date 1 March: 13 days late only,
    # 13 × 1000 × 7.86 % / 365 = 2.7995 -> 2.80 owed; 6.03 - 2.80 = 3.23 billed too much.
    transfer(shop, company, amount="1200.00", on=date(2026, 3, 1), invoices=[(invoice, "1200.00")])

    assert len(penalty_invoices_of(invoice)) == 1
    late = LateInvoice.objects.get(invoice=invoice)
    assert late.status == "billed"
    closed = Event.objects.get(verb="late_invoice.closed", object_id=str(late.pk))
    assert "3,23" in closed.summary["after"]["overbilled"]


def test_waiving_everything_bills_nothing(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    on = date(2026, 3, 16)
    for item in ("interest", "indemnity"):
        services.waive(invoice=invoice, item=item, full=True, reason="Litige réglé", by=None, on=on)

    transfer(shop, company, amount="1200.00", on=on, invoices=[(invoice, "1200.00")])

    assert LateInvoice.objects.get(invoice=invoice).status == "waived"
    assert not Invoice.objects.filter(kind=InvoiceKind.PENALTY).exists()


def test_the_nightly_accrual_is_idempotent(shop, company):
    late = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    on = date(2026, 3, 16)

    # Before the due date nothing is recorded.
    assert accrue_all(on=date(2026, 2, 1))["late"] == 0
    first = accrue_all(on=on)
    stamp = LateInvoice.objects.get(invoice=late).updated_at
    second = accrue_all(on=on)

    assert first["late"] == second["late"] == 1
    record = LateInvoice.objects.get(invoice=late)
    assert record.updated_at == stamp
    assert (record.days_late, record.interest, record.indemnity) == (
        28,
        Decimal("6.03"),
        Decimal("40.00"),
    )
    assert record.explanation["rule"] == "penalties_on"


def test_the_penalty_invoice_prints_and_is_paid_like_any_invoice(shop, company):
    import io

    from pypdf import PdfReader

    from clausier.invoicing.delivery import render_pdf
    from clausier.payments import selectors as payment_selectors

    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    transfer(shop, company, amount="1200.00", on=date(2026, 3, 16), invoices=[(invoice, "1200.00")])
    penalty = penalty_invoice_of(invoice)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(penalty))).pages)
    assert "Facture de pénalités de retard" in text
    assert "hors champ d'application de la TVA" in text.replace("\n", " ")

    # Paid by transfer: nothing left to pay, and no penalty on the penalty invoice.
    transfer(shop, company, amount="46.03", on=date(2026, 4, 1), invoices=[(penalty, "46.03")])
    assert payment_selectors.invoice_balance(invoice=penalty) == Decimal("0.00")
    assert Invoice.objects.filter(kind=InvoiceKind.PENALTY).count() == 1
