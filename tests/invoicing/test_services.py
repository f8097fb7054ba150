"""Drafts, issue, credit notes and payments through the services."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from clausier.audit.models import Event
from clausier.invoicing import services
from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from clausier.kernel.errors import Conflict, DomainError
from clausier.numbering.models import Counter
from clausier.payments import services as payment_services
from clausier.sellers.services import upsert_seller
from tests.factories import make_client, make_draft_invoice, make_issued_invoice, make_staff
from tests.factories.invoicing import INVOICE_DAY, line
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

DAY = paris(2026, 5, 22, 10)


def events(obj) -> list[str]:
    return list(
        Event.objects.filter(object_id=str(obj.pk), verb__startswith="invoice.")
        .order_by("id")
        .values_list("verb", flat=True)
    )


# --- drafts ----------------------------------------------------------------------------------


def test_a_draft_has_no_number_and_prices_its_lines(agency, company):
    draft = services.create_draft(
        seller=agency,
        client=company,
        lines=[line("Audit SEO", "1", "flat", "500"), line("Rédaction", "2.5", "day", "350")],
        fields={"notes": "Bon de commande client n° 42"},
        by=None,
        now=DAY,
    )
    assert (draft.status, draft.number, draft.sequence) == (InvoiceStatus.DRAFT, None, None)
    assert [ln.amount_ht for ln in draft.lines.all()] == [Decimal("500.00"), Decimal("875.00")]
    assert (draft.total_ht, draft.total_vat, draft.total_ttc) == (
        Decimal("1375.00"),
        Decimal("0.00"),
        Decimal("1375.00"),
    )
    assert not Counter.objects.exists()
    assert events(draft) == ["invoice.created"]


def test_catalog_lines_are_priced_from_the_price_in_force(paas, paas_company):
    draft = services.create_draft(
        seller=paas,
        client=paas_company,
        lines=[{"product_code": "instance-app", "quantity": "720"}],
        by=None,
        now=DAY,
    )
    [priced] = draft.lines.all()
    assert (priced.unit, priced.unit_label, priced.unit_price, priced.vat_rate) == (
        "metered",
        "heure d'instance",
        Decimal("0.0350"),
        Decimal("0.2000"),
    )
    assert priced.price_version_id is not None
    assert draft.total_ttc == Decimal("30.24")  # 25,20 € HT + 20 %


def test_bad_lines_are_refused_field_by_field(paas, paas_company):
    with pytest.raises(ValidationError) as caught:
        services.create_draft(
            seller=paas,
            client=paas_company,
            lines=[
                {"product_code": "nope", "quantity": "1"},
                line("Sans TVA"),
                line("Quantité nulle", quantity="0", vat_rate=Decimal("0.2")),
                {"description": "x", "quantity": 1.5, "unit": "flat", "unit_price": 1},
            ],
            by=None,
            now=DAY,
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "lines[0].product_code",
        "lines[1].vat_rate",
        "lines[2].quantity",
        "lines[3].quantity",
        "lines[3].vat_rate",
    }
    assert not Invoice.objects.exists()


def test_a_draft_can_be_edited_and_deleted(agency, company):
    staff = make_staff(agency)
    draft = make_draft_invoice(agency, company, lines=[line()], by=staff, now=DAY)
    services.update_draft(
        invoice=draft,
        fields={"notes": "Livraison en juin"},
        lines=[line("Refonte", "1", "flat", "1200")],
        by=staff,
        now=DAY,
    )
    draft.refresh_from_db()
    assert draft.notes == "Livraison en juin"
    assert draft.total_ttc == Decimal("1200.00")
    assert [ln.description for ln in draft.lines.all()] == ["Refonte"]
    services.delete_draft(invoice=draft, by=staff)
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert not InvoiceLine.objects.exists()
    assert events(draft) == ["invoice.created", "invoice.updated", "invoice.draft_deleted"]


# --- issue ------------------------------------------------------------------------------------


def test_issuing_numbers_freezes_and_hashes_the_document(agency, company):
    draft = make_draft_invoice(agency, company, lines=[line("Audit SEO", unit_price="500")])
    invoice = services.issue_invoice(invoice=draft, by=None, now=INVOICE_DAY)
    assert (invoice.status, invoice.number, invoice.sequence, invoice.series) == (
        InvoiceStatus.ISSUED,
        "F2026-000001",
        1,
        "invoice",
    )
    assert (invoice.issue_date, invoice.due_date) == (date(2026, 5, 22), date(2026, 6, 12))
    document = invoice.document
    assert document.number == "F2026-000001"
    assert document.due_date_explanation == (
        "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 12/06/2026"
    )
    assert document.seller.siren == "443061841"
    assert document.buyer.siren == "552081317"
    canonical = InvoiceDocument.from_dict(invoice.snapshot).canonical_json()
    assert invoice.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert invoice.previous_hash == ""
    assert invoice.terms_label == "v3.0"
    assert invoice.explanations["due_date"]["clause"] == "payment.due"
    assert events(invoice) == ["invoice.created", "invoice.issued"]


def test_each_document_chains_to_the_previous_one_of_its_series(agency, company):
    first = make_issued_invoice(agency, company, lines=[line()], now=INVOICE_DAY)
    second = make_issued_invoice(agency, company, lines=[line()], now=INVOICE_DAY)
    assert second.number == "F2026-000002"
    assert second.previous_hash == first.chain_hash
    assert (
        second.chain_hash
        == hashlib.sha256(f"{first.chain_hash}\n{second.content_hash}".encode()).hexdigest()
    )


def test_a_refused_issue_names_the_missing_mentions_and_consumes_no_number(agency, company):
    upsert_seller(slug=agency.slug, fields={"siren": ""}, by=None)
    company.siren = ""
    company.save()
    draft = make_draft_invoice(agency, company, lines=[line()])
    with pytest.raises(services.MissingMentions) as caught:
        services.issue_invoice(invoice=draft, by=None, now=INVOICE_DAY)
    assert caught.value.fields == ["seller.siren", "client.siren"]
    assert caught.value.missing == ["seller.siren", "client.siren"]
    assert "SIREN du vendeur; SIREN du client professionnel." in str(caught.value)
    assert ".siren" not in str(caught.value)
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (InvoiceStatus.DRAFT, None)
    assert not Counter.objects.exists()

    upsert_seller(slug=agency.slug, fields={"siren": "443061841"}, by=None)
    company.siren = "552081317"
    company.save()
    assert services.issue_invoice(invoice=draft, by=None, now=INVOICE_DAY).number == (
        "F2026-000001"
    )


def test_a_rolled_back_issue_gives_its_number_back(shop, shopper):
    draft = make_draft_invoice(shop, shopper)

    def issue_then_fail():
        with transaction.atomic():
            services.issue_invoice(invoice=draft, by=None, now=DAY)
            raise RuntimeError("the PDF could not be stored")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.DRAFT
    assert services.issue_invoice(invoice=draft, by=None, now=DAY).number == "F2026-000001"


def test_numbers_are_chronological(shop, shopper):
    make_issued_invoice(shop, shopper, now=paris(2026, 5, 22, 10))
    late = make_draft_invoice(shop, shopper)
    with pytest.raises(DomainError, match="chronologique"):
        services.issue_invoice(invoice=late, by=None, now=paris(2026, 5, 21, 10))
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == 1


def test_each_year_opens_a_new_series_and_chain(shop, shopper):
    december = make_issued_invoice(shop, shopper, now=paris(2026, 12, 31, 18))
    january = make_issued_invoice(shop, shopper, now=paris(2027, 1, 4, 9))
    assert (december.number, january.number) == ("F2026-000001", "F2027-000001")
    assert january.previous_hash == ""


def test_an_issued_document_is_issued_once(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)
    with pytest.raises(Conflict, match="émise"):
        services.issue_invoice(invoice=invoice, by=None, now=DAY)


def test_an_issued_document_is_neither_edited_nor_deleted_through_the_services(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)
    with pytest.raises(Conflict, match="avoir"):
        services.update_draft(invoice=invoice, fields={"notes": "x"}, by=None)
    with pytest.raises(Conflict, match="avoir"):
        services.delete_draft(invoice=invoice, by=None)


def test_the_delivery_address_is_printed_when_it_differs(shop):
    client = make_client(
        shop,
        kind="consumer",
        delivery_line1="5 quai de la Fosse",
        delivery_postal_code="44000",
        delivery_city="Nantes",
    )
    invoice = make_issued_invoice(shop, client, now=DAY)
    assert invoice.document.delivery_address.line1 == "5 quai de la Fosse"


# --- credit notes ------------------------------------------------------------------------------


def test_a_full_credit_note_cancels_the_invoice(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)
    note = services.issue_credit_note(
        invoice=invoice, reason="Commande annulée par le client", by=None, now=DAY
    )
    assert (note.kind, note.number, note.corrects_id) == (
        InvoiceKind.CREDIT_NOTE,
        "AV2026-000001",
        invoice.pk,
    )
    document = note.document
    assert document.type_code == "381"
    assert (document.corrected_number, document.total_ttc) == ("F2026-000001", Decimal("600.00"))
    assert document.notes == ("Motif de l'avoir : Commande annulée par le client",)
    invoice.refresh_from_db()
    assert invoice.credited_amount == Decimal("600.00")
    assert invoice.payment_status(today=date(2026, 12, 1)) == "credited"
    with pytest.raises(Conflict, match="entièrement annulée"):
        services.issue_credit_note(invoice=invoice, reason="encore", by=None, now=DAY)


def test_partial_credit_notes_never_exceed_what_remains(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)  # 500 € HT + 20 % = 600 € TTC
    partial = [line("Remise accordée", unit_price="100", vat_rate=Decimal("0.20"))]
    first = services.issue_credit_note(
        invoice=invoice, reason="Geste", lines=partial, by=None, now=DAY
    )
    assert first.total_ttc == Decimal("120.00")
    too_much = [line("Trop", unit_price="400.01", vat_rate=Decimal("0.20"))]
    with pytest.raises(Conflict, match="dépasse ce qui reste à créditer"):
        services.issue_credit_note(invoice=invoice, reason="Trop", lines=too_much, by=None, now=DAY)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1
    rest = services.issue_credit_note(invoice=invoice, reason="Solde", by=None, now=DAY)
    # The refused credit note consumed no number.
    assert (rest.number, rest.total_ttc) == ("AV2026-000002", Decimal("480.00"))
    assert [ln.description for ln in rest.lines.all()] == [
        "Annulation du solde de la facture F2026-000001 (TVA 20\u202f%)"
    ]
    invoice.refresh_from_db()
    assert invoice.credited_amount == invoice.total_ttc


def test_a_credit_note_corrects_an_issued_invoice_only(shop, shopper):
    draft = make_draft_invoice(shop, shopper)
    with pytest.raises(Conflict):
        services.issue_credit_note(invoice=draft, reason="x", by=None, now=DAY)
    with pytest.raises(ValidationError):
        services.issue_credit_note(invoice=draft, reason=" ", by=None, now=DAY)


def test_a_credit_note_never_precedes_the_invoice_it_corrects(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)

    with pytest.raises(Conflict) as refused:
        services.issue_credit_note(
            invoice=invoice, reason="erreur", by=None, now=paris(2026, 5, 21, 9)
        )

    assert "22/05/2026" in str(refused.value)
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()


# --- payments -----------------------------------------------------------------------------------


def test_payment_status_moves_from_to_pay_to_late_to_paid(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)
    # 22/05/2026 + 30 days = Sunday 21/06/2026, carried to Monday 22/06 (CPC 642).
    assert invoice.due_date == date(2026, 6, 22)
    assert invoice.payment_status(today=date(2026, 6, 22)) == "to_pay"
    assert invoice.payment_status(today=date(2026, 6, 23)) == "late"
    payment_services.record_invoice_payment(
        invoice=invoice,
        amount="600.00",
        paid_on=date(2026, 6, 24),
        by=None,
        now=paris(2026, 6, 24, 9),
    )
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.paid_on) == (Decimal("600.00"), date(2026, 6, 24))
    assert invoice.payment_status(today=date(2026, 6, 24)) == "paid"
    assert events(invoice)[-1] == "invoice.payment_recorded"


def test_a_payment_is_recorded_on_an_issued_invoice_only(shop, shopper):
    draft = make_draft_invoice(shop, shopper)
    with pytest.raises(Conflict):
        payment_services.record_invoice_payment(
            invoice=draft, amount="1", paid_on=date(2026, 5, 1), by=None
        )
    invoice = make_issued_invoice(shop, shopper, now=DAY)
    with pytest.raises(ValidationError) as caught:
        payment_services.record_invoice_payment(
            invoice=invoice, amount="-1", paid_on=date(2026, 6, 1), by=None, now=DAY
        )
    assert set(caught.value.message_dict) == {"amount", "paid_on"}


def test_a_payment_above_what_remains_due_is_refused_naming_the_remainder(shop, shopper):
    invoice = make_issued_invoice(shop, shopper, now=DAY)  # 600,00 € TTC
    payment_services.record_invoice_payment(
        invoice=invoice, amount="500", paid_on=date(2026, 6, 1), by=None, now=paris(2026, 6, 2, 9)
    )

    with pytest.raises(ValidationError) as caught:
        payment_services.record_invoice_payment(
            invoice=invoice,
            amount="100.01",
            paid_on=date(2026, 6, 2),
            by=None,
            now=paris(2026, 6, 2, 9),
        )

    assert "100,00" in caught.value.message_dict["amount"][0]
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("500.00")
