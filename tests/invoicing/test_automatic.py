"""Automatic issue: the PaaS host's invoice after the online payment (seed 000 art. 4), the
agency's deposit invoice at acceptance and its final invoice (seed 002 art. 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.invoicing import domain, services
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.kernel.errors import Conflict
from clausier.orders import services as order_services
from clausier.orders.models import DepositStatus
from clausier.payments import services as payment_services
from clausier.payments.models import Refund
from clausier.sellers.services import upsert_seller
from tests.factories import make_client
from tests.factories.invoicing import INVOICE_DAY, accepted_order, deposit_invoice_of
from tests.factories.orders import FIRST_TTC, awaiting_payment, paid
from tests.factories.quotes import WEBSITE_TOTAL_HT, install_agency, paris

pytestmark = pytest.mark.django_db

RECEIVED = paris(2026, 5, 8, 14, 30)


# --- seed 000: invoice issued automatically after the payment --------------------------------


def test_a_paid_online_order_gets_its_invoice_issued_paid(paas, paas_company):
    order = paid(paas, paas_company, received_at=RECEIVED, reference="ch_1")
    invoice = Invoice.objects.get(order=order)
    assert (invoice.status, invoice.number, invoice.kind) == (
        InvoiceStatus.ISSUED,
        "F2026-000001",
        InvoiceKind.STANDARD,
    )
    document = invoice.document
    assert document.total_ttc == FIRST_TTC == Decimal("42.24")
    assert (document.total_vat, document.vat_breakdown[0].rate) == (
        Decimal("7.04"),
        Decimal("20.00"),
    )
    assert (document.prepaid_amount, document.amount_due) == (FIRST_TTC, Decimal("0.00"))
    assert document.order_reference == order.reference
    assert document.issue_date == document.due_date == date(2026, 5, 8)
    assert "stripe ch_1" in document.payment_terms
    assert "art. 4 CGV v1.1" in document.due_date_explanation
    assert invoice.payment_status(today=date(2026, 12, 1)) == "paid"
    assert (invoice.amount_paid, invoice.paid_on) == (FIRST_TTC, date(2026, 5, 8))


def test_the_same_payment_notified_again_issues_no_second_invoice(paas, paas_consumer):
    order = paid(paas, paas_consumer, received_at=RECEIVED, reference="ch_2")
    payment_services.record_payment(
        order=order,
        received_at=RECEIVED,
        provider="stripe",
        reference="ch_2",
        amount=order.total_ttc,
        by=None,
        now=paris(2026, 5, 9, 9),
    )
    assert Invoice.objects.filter(order=order).count() == 1
    assert services.invoice_paid_order(order=order, by=None, now=paris(2026, 5, 9)) == (
        Invoice.objects.get(order=order)
    )


def test_the_invoice_carries_what_the_client_declared_in_its_recap(paas, paas_consumer):
    order = awaiting_payment(paas, paas_consumer)
    order.declared = order.declared | {"name": "Émilie Durand-Leroy", "billing_city": "Rezé"}
    order.save(update_fields=["declared"])
    payment_services.record_payment(
        order=order,
        received_at=RECEIVED,
        provider="paypal",
        reference="PAY-9",
        amount=order.total_ttc,
        by=None,
        now=RECEIVED,
    )
    buyer = Invoice.objects.get(order=order).document.buyer
    assert (buyer.name, buyer.address.city, buyer.is_professional) == (
        "Émilie Durand-Leroy",
        "Rezé",
        False,
    )


def test_a_consumer_invoice_carries_no_b2b_penalty_mentions(paas, paas_consumer):
    order = paid(paas, paas_consumer, received_at=RECEIVED, reference="ch_3")
    document = Invoice.objects.get(order=order).document
    # Stated, as every invoice must (BR-FR-05), and what a consumer owes: no 40 €, the legal
    # interest after a formal notice.
    assert document.late_penalty == str(domain.CONSUMER_PENALTY)
    assert "1231-6" in document.late_penalty
    assert document.recovery_indemnity == str(domain.CONSUMER_INDEMNITY)
    assert "40" not in document.recovery_indemnity


def test_an_invoice_that_must_wait_leaves_the_payment_recorded(paas):
    # A company without its SIREN: the invoice waits as a draft, the order is paid.
    client = make_client(paas, kind="company", name="Sans SIREN SAS")
    order = paid(paas, client, received_at=RECEIVED, reference="ch_4")
    assert order.status == "paid"
    draft = Invoice.objects.get(order=order)
    assert (draft.status, draft.number) == (InvoiceStatus.DRAFT, None)
    assert "SIREN du client professionnel." in draft.issue_blocked_reason
    assert Event.objects.filter(verb="invoice.issue_deferred", object_id=str(draft.pk)).exists()
    # Once the client record is complete, staff issue the waiting draft.
    client.siren = "732829320"
    client.save()
    invoice = services.issue_invoice(invoice=draft, by=None, now=paris(2026, 5, 11, 9))
    assert (invoice.number, invoice.issue_blocked_reason) == ("F2026-000001", "")
    assert invoice.document.amount_due == Decimal("0.00")


# --- seed 002: deposit at acceptance, balance at the end --------------------------------------


def test_accepting_a_quote_with_a_deposit_issues_the_deposit_invoice(agency, company):
    order = accepted_order(agency, company)
    invoice = deposit_invoice_of(order)
    assert (invoice.status, invoice.number) == (InvoiceStatus.ISSUED, "F2026-000001")
    document = invoice.document
    # 30 % × 3 411,00 € HT (WEBSITE_TOTAL_HT) = 1 023,30 €, no VAT (293 B).
    assert document.total_ht == (WEBSITE_TOTAL_HT * Decimal("0.30")).quantize(Decimal("0.01"))
    assert (document.total_ht, document.total_vat, document.amount_due) == (
        Decimal("1023.30"),
        Decimal("0.00"),
        Decimal("1023.30"),
    )
    assert document.type_code == "386"
    assert document.due_date == date(2026, 6, 12)
    assert document.due_date_explanation == (
        "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 12/06/2026"
    )
    assert document.late_penalty_rate == Decimal("7.86")
    assert document.vat_mentions == ("TVA non applicable, art. 293 B du CGI",)
    assert (document.quote_reference, document.order_reference) == (
        order.quote.display_number,
        order.reference,
    )
    [deposit_line] = document.lines
    assert deposit_line.description.startswith("Acompte de 30\u202f% sur la commande D2026-000001")
    order.deposit.refresh_from_db()
    assert order.deposit.status == DepositStatus.INVOICED


def test_the_order_says_in_its_own_trail_that_its_deposit_was_invoiced(agency, company):
    # The deposit request belongs to orders: invoicing publishes DepositInvoiced and the
    # orders handler moves it, with an audit event of its own on the order.
    order = accepted_order(agency, company)
    invoice = deposit_invoice_of(order)
    trail = Event.objects.filter(seller=agency, verb__startswith="order.", object_id=str(order.pk))
    trail = trail.order_by("id")
    assert [e.verb for e in trail] == ["order.created", "order.deposit_invoiced"]
    assert trail.last().summary["after"] == {
        "deposit": DepositStatus.INVOICED,
        "invoice": invoice.number,
        "at": INVOICE_DAY.isoformat(),
    }


def test_cashing_the_deposit_pays_its_deposit_invoice(agency, company):
    order = accepted_order(agency, company)

    payment_services.record_deposit_cashed(
        order=order, cashed_on=date(2026, 5, 26), by=None, now=paris(2026, 5, 27, 9, 0)
    )

    invoice = deposit_invoice_of(order)
    assert (invoice.amount_paid, invoice.paid_on) == (Decimal("1023.30"), date(2026, 5, 26))
    assert invoice.payment_status(today=date(2026, 7, 1)) == "paid"
    assert (
        Event.objects.filter(verb="invoice.payment_recorded", object_id=str(invoice.pk)).count()
        == 1
    )


def test_cancelling_an_order_credits_its_issued_deposit_invoice(agency, company):
    order = accepted_order(agency, company)

    order_services.cancel_order(
        order=order, reason="projet abandonné", by=None, now=paris(2026, 5, 27, 9, 0)
    )

    invoice = deposit_invoice_of(order)
    [note] = Invoice.objects.filter(corrects=invoice)
    assert (note.kind, note.status, note.number) == (
        InvoiceKind.CREDIT_NOTE,
        InvoiceStatus.ISSUED,
        "AV2026-000001",
    )
    assert note.document.total_ttc == invoice.document.total_ttc == Decimal("1023.30")
    assert f"Annulation de la commande {order.reference} : projet abandonné" == note.reason
    invoice.refresh_from_db()
    assert invoice.payment_status(today=date(2026, 7, 1)) == "credited"


def test_a_chargeback_reported_late_changes_nothing_and_cancelling_credits_and_owes_it(
    paas, paas_company
):
    # A state never moves backwards: the provider's late failure of the payment that paid
    # the order is ignored. Cancelling the paid order credits its invoice, and the credit
    # note on a paid invoice owes the client the money back until it is settled.
    order = paid(paas, paas_company, received_at=RECEIVED, reference="ch_back")

    payment_services.record_payment_failure(
        order=order,
        provider="stripe",
        reference="ch_back",
        reason="opposition bancaire",
        by=None,
        now=paris(2026, 5, 12, 9, 0),
    )
    order.refresh_from_db()
    assert order.status == "paid"

    order_services.cancel_order(
        order=order, reason="opposition bancaire", by=None, now=paris(2026, 5, 12, 10, 0)
    )
    invoice = Invoice.objects.get(order=order, kind=InvoiceKind.STANDARD)
    [note] = Invoice.objects.filter(corrects=invoice)
    assert note.document.total_ttc == FIRST_TTC
    assert note.document.vat_breakdown[0].rate == Decimal("20.00")
    [refund] = Refund.objects.filter(credit_note=note)
    assert (refund.amount, refund.status, refund.invoice) == (FIRST_TTC, "owed", invoice)


def test_a_quote_without_deposit_issues_no_invoice_at_acceptance(agency, company):
    order = accepted_order(agency, company, requires_deposit=False)
    assert not Invoice.objects.filter(order=order).exists()


def test_an_agency_whose_identity_is_incomplete_still_gets_its_acceptance(db):
    # The seed as is: no SIREN, address "à compléter". The acceptance holds, the deposit
    # invoice waits as a draft saying what is missing.
    agency = install_agency()
    client = make_client(agency, kind="company", siren="552081317")
    order = accepted_order(agency, client)
    draft = deposit_invoice_of(order)
    assert draft.status == InvoiceStatus.DRAFT
    assert "SIREN du vendeur" in draft.issue_blocked_reason
    assert "adresse du vendeur;" in draft.issue_blocked_reason
    assert "seller." not in draft.issue_blocked_reason
    order.deposit.refresh_from_db()
    assert order.deposit.status == DepositStatus.REQUESTED

    upsert_seller(
        slug=agency.slug,
        fields={"siren": "443061841", "address_line1": "12 rue de Strasbourg"},
        by=None,
    )
    invoice = services.issue_deposit_invoice(
        deposit_request=order.deposit, by=None, now=paris(2026, 5, 26, 9)
    )
    assert (invoice.pk, invoice.number) == (draft.pk, "F2026-000001")
    order.deposit.refresh_from_db()
    assert order.deposit.status == DepositStatus.INVOICED
    # Asking again returns the same invoice.
    again = services.issue_deposit_invoice(deposit_request=order.deposit, by=None)
    assert again.pk == invoice.pk


def test_a_legal_rate_not_yet_published_never_makes_the_deposit_invoice_wait(agency, company):
    order = accepted_order(
        agency, company, now=paris(2026, 7, 3, 10), valid_until=date(2026, 7, 31)
    )
    invoice = deposit_invoice_of(order)
    assert (invoice.status, invoice.issue_blocked_reason) == (InvoiceStatus.ISSUED, "")
    # The 2026 S2 rate is not in the table: the clause is stated in words, without a figure.
    assert invoice.document.late_penalty_rate is None
    assert "trois fois le taux d'intérêt légal en vigueur au 03/07/2026" in (
        invoice.document.late_penalty
    )


def test_the_final_invoice_deducts_the_deposit(agency, company):
    order = accepted_order(agency, company)
    deposit = deposit_invoice_of(order)
    final = services.final_invoice(order=order, by=None, now=paris(2026, 6, 30, 17))
    assert (final.kind, final.number) == (InvoiceKind.FINAL, "F2026-000002")
    document = final.document
    # 3 411,00 € − acompte F2026-000001 de 1 023,30 € = 2 387,70 €
    assert (document.total_ttc, document.prepaid_amount, document.amount_due) == (
        Decimal("3411.00"),
        Decimal("1023.30"),
        Decimal("2387.70"),
    )
    [deduction] = document.deductions
    assert (deduction.number, deduction.issue_date, deduction.amount_ttc) == (
        deposit.number,
        date(2026, 5, 22),
        Decimal("1023.30"),
    )
    assert len(document.lines) == 3
    assert document.quote_reference == order.quote.display_number
    with pytest.raises(Conflict, match="déjà sa facture de solde"):
        services.final_invoice(order=order, by=None, now=paris(2026, 6, 30, 18))


def test_a_deposit_cancelled_by_credit_note_is_not_deducted(agency, company):
    order = accepted_order(agency, company)
    services.issue_credit_note(
        invoice=deposit_invoice_of(order), reason="Acompte remboursé", by=None, now=INVOICE_DAY
    )
    final = services.final_invoice(order=order, by=None, now=paris(2026, 6, 30, 17))
    assert final.document.deductions == ()
    assert final.amount_due == Decimal("3411.00")


def test_a_final_invoice_may_wait_as_a_draft_and_reads_the_deposits_when_issued(agency, company):
    order = accepted_order(agency, company)
    draft = services.final_invoice(order=order, by=None, issue=False)
    assert (draft.status, draft.amount_due) == (InvoiceStatus.DRAFT, Decimal("3411.00"))
    issued = services.issue_invoice(invoice=draft, by=None, now=paris(2026, 6, 30, 17))
    assert issued.amount_due == Decimal("2387.70")


def test_a_cancelled_order_gets_no_final_invoice(agency, company):
    order = accepted_order(agency, company)
    order_services.cancel_order(
        order=order, reason="Projet abandonné", by=None, now=paris(2026, 5, 23)
    )
    with pytest.raises(Conflict, match="annulée"):
        services.final_invoice(order=order, by=None, now=paris(2026, 5, 24))
