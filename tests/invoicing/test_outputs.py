"""The outputs of an issued document: its Factur-X XML validated and stored in the issuing
transaction, its PDF printed once after the commit from the snapshot, read back as a client
and a tax auditor read them."""

from __future__ import annotations

import hashlib
import io
import threading

import facturx as fx
import pypdf
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from PIL import Image

from clausier.invoicing import delivery, services
from clausier.invoicing.facturx import FacturXInvalid, validate_xml
from clausier.invoicing.models import DeliveryStatus, Invoice, InvoiceStatus
from clausier.kernel.errors import Conflict
from clausier.numbering.models import Counter
from clausier.payments import services as payment_services
from tests.factories.invoicing import line
from tests.factories.orders import FIRST_TTC, awaiting_payment, paid
from tests.factories.quotes import paris
from tests.invoicing.test_printing import flat, text_of

pytestmark = pytest.mark.django_db

# Monday 15 June 2026 (the legal rate of 2026 S1 applies) + 14 jours ouvrés: 16-19, 22-26,
# 29-30 June and 1-3 July: due Friday 3 July 2026 (seed 002 art. 5).
AGENCY_DAY = paris(2026, 6, 15, 10)
PAID_AT = paris(2026, 5, 8, 14, 30)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), color).save(out, format="PNG")
    return out.getvalue()


def stored(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def agency_invoice(agency, company, *, lines=None):
    draft = services.create_draft(
        seller=agency,
        client=company,
        lines=lines
        or [line("Audit SEO", "1", "flat", "500"), line("Rédaction", "2.5", "day", "350")],
        by=None,
        now=AGENCY_DAY,
    )
    return services.issue_invoice(invoice=draft, by=None, now=AGENCY_DAY)


def test_the_agency_293_b_invoice_is_stored_as_a_factur_x_pdf_with_its_logo(
    agency, company, immediate_tasks, django_capture_on_commit_callbacks
):
    agency.logo.save("neo7.png", ContentFile(png((200, 30, 40))))
    agency.brand_color = "#c0392b"
    agency.save(update_fields=["logo", "brand_color"])

    with django_capture_on_commit_callbacks(execute=True):
        invoice = agency_invoice(agency, company)
        # Issued: the XML is there, the PDF waits for the commit (never under the lock).
        assert invoice.xml_sha256
        assert not invoice.pdf
    invoice.refresh_from_db()

    pdf = stored(invoice.pdf)
    assert invoice.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    text = flat(text_of(pdf))
    assert "n° F2026-000001" in text
    assert "Date d'émission 15/06/2026" in text
    assert "Échéance 03/07/2026" in text
    assert "14 jours ouvrés après la date de facture, art. 5 CGV v3.0" in text
    assert "Total HT 1 375,00 €" in text
    assert "Net à payer 1 375,00 €" in text
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert "20 %" not in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].images, "the seller's logo is printed"

    filename, embedded = fx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    xml = stored(invoice.xml)
    assert embedded == xml == delivery.xml_bytes(invoice)
    assert invoice.xml_sha256 == hashlib.sha256(xml).hexdigest()
    validate_xml(xml)
    assert b"<ram:CategoryCode>E</ram:CategoryCode>" in xml
    assert b"TVA non applicable, art. 293 B du CGI" in xml


def test_the_paas_invoice_issued_after_payment_carries_20_percent_vat(
    paas, paas_company, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid(paas, paas_company, received_at=PAID_AT, reference="ch_1")
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == InvoiceStatus.ISSUED

    pdf = stored(invoice.pdf)
    text = flat(text_of(pdf))
    assert "n° F2026-000001" in text
    assert "TVA 20 % 35,20 € 7,04 €" in text
    assert "Total TTC 42,24 €" in text
    assert "Net à payer 0,00 €" in text
    assert "Échéance 08/05/2026" in text
    assert "TVA non applicable" not in text
    _name, embedded = fx.get_xml_from_pdf(pdf, check_xsd=True)
    assert embedded == stored(invoice.xml)
    validate_xml(embedded)
    assert b"<ram:RateApplicablePercent>20</ram:RateApplicablePercent>" in embedded
    assert invoice.total_ttc == FIRST_TTC


def test_ensure_pdf_prints_once_and_gives_the_same_file_every_time(agency, company):
    invoice = agency_invoice(agency, company)  # no task ran: a download comes first
    assert not invoice.pdf

    first = delivery.ensure_pdf(invoice)
    again = delivery.ensure_pdf(invoice)
    assert (again.pdf.name, again.pdf_sha256) == (first.pdf.name, first.pdf_sha256)
    content = delivery.pdf_bytes(invoice)
    assert hashlib.sha256(content).hexdigest() == first.pdf_sha256
    assert fx.get_xml_from_pdf(content, check_xsd=True)[1] == delivery.xml_bytes(invoice)
    # The seller's brand changes later: what was issued does not.
    agency.brand_color = "#00aa00"
    agency.save(update_fields=["brand_color"])
    assert delivery.ensure_pdf(invoice).pdf_sha256 == first.pdf_sha256


def test_a_logo_that_is_no_whole_image_is_left_out_and_the_invoice_still_prints(
    agency, company, caplog
):
    agency.logo.save("cut.png", ContentFile(png((200, 30, 40))[:60]))  # a truncated upload
    invoice = agency_invoice(agency, company)

    printed = delivery.ensure_pdf(invoice)

    content = delivery.pdf_bytes(printed)
    assert "n° F2026-000001" in text_of(content)
    assert not pypdf.PdfReader(io.BytesIO(content)).pages[0].images
    assert "unreadable: document printed without it" in caplog.text


def test_an_issued_invoice_printed_again_is_the_same_file(agency, company):
    invoice = delivery.ensure_pdf(agency_invoice(agency, company))

    assert delivery.render_pdf(invoice) == delivery.pdf_bytes(invoice)


def test_a_draft_has_no_outputs(agency, company):
    draft = services.create_draft(
        seller=agency, client=company, lines=[line()], by=None, now=AGENCY_DAY
    )
    with pytest.raises(Conflict, match="n'est pas émise"):
        delivery.ensure_pdf(draft)
    with pytest.raises(Conflict, match="n'est pas émise"):
        delivery.xml_bytes(draft)


def test_an_invalid_factur_x_is_not_issued_and_its_number_is_taken_by_the_next(paas, paas_company):
    # The client declares, in its order recap, a VAT number without its country code (a
    # path that skipped the form's check): its invoice would break EN 16931 BR-CO-09.
    order = awaiting_payment(paas, paas_company)
    order.declared = order.declared | {"vat_number": "ZZ44732829320"}
    order.save(update_fields=["declared"])
    order = payment_services.record_payment(
        order=order,
        received_at=PAID_AT,
        provider="stripe",
        reference="ch_9",
        amount=order.total_ttc,
        by=None,
        now=PAID_AT,
    ).order
    # The payment is recorded; the invoice waits as a draft, naming the rule.
    assert order.paid_at is not None
    draft = Invoice.objects.get(order=order)
    assert (draft.status, draft.number, draft.xml.name) == (InvoiceStatus.DRAFT, None, "")
    assert draft.issue_blocked_reason.startswith("BR-CO-09 : ")
    assert draft.email_status == DeliveryStatus.NOT_SENT
    with pytest.raises(FacturXInvalid) as refused:
        services.issue_invoice(invoice=draft, by=None, now=PAID_AT)
    assert refused.value.rule == "BR-CO-09"
    assert "ZZ44732829320" in str(refused.value)
    assert not Counter.objects.filter(seller=paas, series="invoice", last_number__gt=0).exists()

    order.declared = order.declared | {"vat_number": "FR44732829320"}
    order.save(update_fields=["declared"])
    issued = services.invoice_paid_order(order=order, by=None, now=PAID_AT)
    assert (issued.pk, issued.number) == (draft.pk, "F2026-000001")
    validate_xml(delivery.xml_bytes(issued))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_downloads_store_one_pdf(agency, company):
    invoice = agency_invoice(agency, company)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def download():
        try:
            barrier.wait()
            results.append(delivery.ensure_pdf(invoice))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {(r.pdf.name, r.pdf_sha256) for r in results} == {
        (Invoice.objects.get(pk=invoice.pk).pdf.name, invoice_sha(invoice))
    }
    storage = invoice.pdf.storage
    _dirs, files = storage.listdir(f"invoices/{agency.pk}/2026")
    assert len([f for f in files if f.endswith(".pdf")]) == 1


def invoice_sha(invoice) -> str:
    return Invoice.objects.values_list("pdf_sha256", flat=True).get(pk=invoice.pk)
