"""The outputs of an issued document: its Factur-X XML stored at issue, its PDF printed once
after the commit, read back."""

from __future__ import annotations

import hashlib

import facturx as fx
import pytest

from clausier.invoicing import delivery, services
from tests.invoicing.helpers import INVOICE_DAY, line

pytestmark = pytest.mark.django_db


def test_ensure_pdf_prints_once_and_gives_the_same_file_every_time(agency, company):
    draft = services.create_draft(
        seller=agency, client=company, lines=[line()], by=None, now=INVOICE_DAY
    )
    invoice = services.issue_invoice(invoice=draft, by=None, now=INVOICE_DAY)
    assert invoice.xml_sha256 == hashlib.sha256(delivery.xml_bytes(invoice)).hexdigest()
    assert not invoice.pdf

    first = delivery.ensure_pdf(invoice)
    again = delivery.ensure_pdf(invoice)
    assert (again.pdf.name, again.pdf_sha256) == (first.pdf.name, first.pdf_sha256)
    content = delivery.pdf_bytes(invoice)
    assert hashlib.sha256(content).hexdigest() == first.pdf_sha256
    _name, embedded = fx.get_xml_from_pdf(content, check_xsd=True)
    assert embedded == delivery.xml_bytes(invoice)
