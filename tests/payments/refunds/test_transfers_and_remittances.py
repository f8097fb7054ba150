"""Transfer refunds exported as a pain.001 file for the bank, and cheques remitted with
their slip (bordereau de remise), read back."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from clausier.documents.stored import read_file, sha256_of
from clausier.invoicing import services as invoicing_services
from clausier.payments import services
from clausier.payments.models import Refund, RemittedCheque
from tests.factories import make_client
from tests.factories.payments import cheque, refund_owed, transfer
from tests.payments.refunds.conftest import SELLER_IBAN
from tests.payments.test_services import issued

pytestmark = pytest.mark.django_db

CLIENT_IBAN = "DE89370400440532013000"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def test_transfer_refunds_go_to_the_bank_in_one_pain_001_file(banked, shopper):
    invoice = issued(banked, shopper, unit_price="100")
    transfer(banked, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(invoice, "120")])
    note = invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)
    [by_note] = Refund.objects.filter(credit_note=note)
    other = make_client(banked, kind="consumer", name="Hélène Dupré")
    credit = refund_owed(transfer(banked, other, amount="40.00", on=date(2026, 5, 21)), amount="15")
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        services.export_transfer_refunds(
            seller=banked, refund_ids=[by_note.pk, credit.pk], execution_date=today, by=None
        )
    assert set(refused.value.message_dict) == {
        f"refunds[{by_note.pk}].iban",
        f"refunds[{credit.pk}].iban",
    }
    with pytest.raises(ValidationError) as bad:
        services.set_refund_account(refund=by_note, iban="FR76 0000", by=None)
    assert "iban" in bad.value.message_dict
    services.set_refund_account(refund=by_note, iban="FR14 2004 1010 0505 0001 3M02 606", by=None)
    services.set_refund_account(refund=credit, iban=CLIENT_IBAN, bic="COBADEFFXXX", by=None)

    batch = services.export_transfer_refunds(
        seller=banked, refund_ids=[by_note.pk, credit.pk], execution_date=today, by=None
    )

    assert (batch.count, batch.total, batch.message_id) == (
        2,
        Decimal("135.00"),
        f"VIR{today.year}-000001",
    )
    content = read_file(batch.file)
    assert sha256_of(content) == batch.sha256
    xml = etree.fromstring(content)
    assert xml.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == batch.message_id
    assert xml.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == SELLER_IBAN
    creditors = xml.findall(".//p:CdtTrfTxInf", namespaces=NS)
    assert [
        (
            c.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            c.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            c.findtext("p:Amt/p:InstdAmt", namespaces=NS),
        )
        for c in creditors
    ] == [
        (f"REMB-{by_note.pk}", "FR1420041010050500013M02606", "120.00"),
        (f"REMB-{credit.pk}", CLIENT_IBAN, "15.00"),
    ]
    assert f"avoir {note.number}" in creditors[0].findtext(".//p:Ustrd", namespaces=NS)
    for refund in (by_note, credit):
        refund.refresh_from_db()
        assert (refund.status, refund.reference, refund.transfer_batch) == (
            "sent",
            batch.message_id,
            batch,
        )
    # Sent, not again: a refund is in one file.
    with pytest.raises(ValidationError):
        services.export_transfer_refunds(
            seller=banked, refund_ids=[credit.pk], execution_date=today, by=None
        )


def test_without_the_sellers_iban_nothing_is_exported(shop, shopper):
    refund = refund_owed(transfer(shop, shopper, amount="20.00", on=date(2026, 5, 21)))
    services.set_refund_account(refund=refund, iban=CLIENT_IBAN, by=None)
    with pytest.raises(ValidationError) as refused:
        services.export_transfer_refunds(
            seller=shop, refund_ids=[refund.pk], execution_date=timezone.localdate(), by=None
        )
    assert list(refused.value.message_dict) == ["iban"]
    refund.refresh_from_db()
    assert refund.status == "owed"


def text_of(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def test_cheques_remitted_together_print_a_slip_with_their_count_and_total(banked, shopper):
    other = make_client(banked, kind="consumer", name="Hélène Dupré")
    first = cheque(banked, shopper, amount="250.00", on=date(2026, 5, 20), number="0001234")
    second = cheque(banked, other, amount="1100.50", on=date(2026, 5, 21), number="0009876")
    cashed = cheque(banked, other, amount="10.00", on=date(2026, 5, 21), number="0005555")
    services.mark_cheque_cashed(payment=cashed, cashed_on=date(2026, 5, 22), by=None)
    day = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        services.remit_cheques(
            seller=banked, payment_ids=[first.pk, cashed.pk], remitted_on=day, by=None
        )
    assert list(refused.value.message_dict) == [f"cheques[{cashed.pk}]"]
    with pytest.raises(ValidationError) as future:
        services.remit_cheques(
            seller=banked, payment_ids=[first.pk], remitted_on=day + timedelta(days=1), by=None
        )
    assert list(future.value.message_dict) == ["remitted_on"]

    remittance = services.remit_cheques(
        seller=banked, payment_ids=[first.pk, second.pk], remitted_on=day, by=None
    )

    assert (remittance.number, remittance.count, remittance.total) == (
        f"REM{day.year}-000001",
        2,
        Decimal("1350.50"),
    )
    content = read_file(remittance.pdf)
    assert sha256_of(content) == remittance.sha256
    text = text_of(content)
    for expected in (
        "Bordereau de remise de chèques",
        remittance.number,
        "FR76 3000 6000 0112 3456 7890 189",
        "0001234",
        "0009876",
        "Banque Populaire",
        "Julien Martin",
        "Hélène Dupré",
        "250,00 €",
        "1 100,50 €",
        "Nombre de chèques 2",
        "Total de la remise 1 350,50 €",
    ):
        assert expected in text, expected
    assert set(RemittedCheque.objects.values_list("payment_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    # The cheques still wait to be cashed; a cheque is remitted once.
    first.refresh_from_db()
    assert first.status == "pending"
    with pytest.raises(ValidationError) as again:
        services.remit_cheques(seller=banked, payment_ids=[first.pk], remitted_on=day, by=None)
    assert "déjà remis" in again.value.message_dict[f"cheques[{first.pk}]"][0]
