"""Uploaded files are judged by their content, never by their name: a PNG renamed .pdf is no
PDF, each kind of upload has its size limit (settings.UPLOAD_MAX_BYTES), a refusal names its
rule next to the field and stores nothing; a stored file is served as a download, typed from
its content, that the browser must not sniff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.kernel.uploads import sniff, upload_refusal
from clausier.quotes.models import QuoteAcceptance, QuoteAttachment
from clausier.terms.models import Acceptance
from tests.factories.quotes import make_quote, pdf_file, sent_quote

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def open_quote(seller, client):
    """A quote sent an hour ago, valid 30 more days."""
    return sent_quote(
        seller,
        client,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=30),
    )


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def errors_of(response, form: str, field: str) -> str:
    errors = response.context[form].errors
    assert field in errors, errors
    return " ".join(errors[field])


@pytest.mark.parametrize(
    ("head", "found"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        (b"From: Camille <c@example.fr>\r\n", "eml"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>", None),
        (b"<!doctype html><script>", None),
        (b"PK\x03\x04", None),
    ],
)
def test_the_format_is_read_from_the_first_bytes(head, found):
    assert sniff(head[:16]) == found


def test_a_png_renamed_pdf_is_refused_as_a_specification_next_to_its_field(
    client, agency, agency_sales, bakery
):
    draft = make_quote(agency, bakery)
    client.force_login(agency_sales)
    events = Event.objects.count()
    response = client.post(
        url("quote_attachment_add", agency, quote_id=draft.pk),
        {"kind": "specification", "file": SimpleUploadedFile("cahier.pdf", PNG, "application/pdf")},
    )
    assert response.status_code == 400
    assert errors_of(response, "attachment_form", "file") == (
        "Le cahier des charges doit être un PDF ; d'après son contenu, ce fichier n'en est pas "
        "un (une image PNG)."
    )
    assert not QuoteAttachment.objects.exists()
    assert Event.objects.count() == events


def test_a_png_named_pdf_is_refused_as_a_scan_whose_name_lies(client, agency, agency_sales, bakery):
    quote = open_quote(agency, bakery)
    client.force_login(agency_sales)
    response = client.post(
        url("quote_accept_postal", agency, quote_id=quote.pk),
        {
            "postal-scan": SimpleUploadedFile("bon-pour-accord.pdf", PNG),
            "postal-signatory_name": "Camille Martin",
            "postal-signatory_role": "Gérante",
            "postal-signed_on": timezone.localdate().isoformat(),
            "postal-shows_bon_pour_accord": "on",
            "postal-shows_signature": "on",
            "postal-shows_date": "on",
            "postal-shows_stamp": "on",
        },
    )
    assert response.status_code == 400
    assert "se nomme « bon-pour-accord.pdf » mais son contenu est une image PNG" in errors_of(
        response, "postal_form", "scan"
    )
    assert not QuoteAcceptance.objects.exists()


def test_an_oversize_scan_is_refused_with_the_limit(
    client, settings, owner, seller, a_client, terms
):
    settings.UPLOAD_MAX_BYTES = settings.UPLOAD_MAX_BYTES | {"evidence": 2 * 1024}
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]),
        {
            "version": terms.pk,
            "method": "postal_scan",
            "accepted_by_name": "M. Durand",
            "evidence_file": SimpleUploadedFile("bpa.pdf", PDF + b"\x00" * 4096),
        },
    )
    assert response.status_code == 400
    assert errors_of(response, "acceptance_form", "evidence_file") == (
        "L'exemplaire signé numérisé ne peut dépasser 2 Ko ; ce fichier pèse 5 Ko."
    )
    assert not Acceptance.objects.exists()


def test_an_oversize_email_is_refused_through_the_api_too(settings, agency_api, agency, bakery):
    settings.UPLOAD_MAX_BYTES = settings.UPLOAD_MAX_BYTES | {"evidence": 1024}
    quote = open_quote(agency, bakery)
    eml = SimpleUploadedFile("accord.eml", b"From: c@example.fr\r\n" + b"x" * 2048)
    response = agency_api.post(
        f"/quotes/{quote.pk}/acceptances/email", form={"eml": eml, "signatory_role": "Gérante"}
    )
    assert response.status_code == 422
    assert "ne peut dépasser 1 Ko" in str(response.json()["errors"]["eml"])


def test_a_served_evidence_file_is_a_download_typed_from_its_content(
    client, owner, seller, a_client, terms
):
    client.force_login(owner)
    client.post(
        reverse("backoffice:acceptance_add", args=[seller.slug, a_client.pk]),
        {
            "version": terms.pk,
            "method": "postal_scan",
            "accepted_by_name": "M. Durand",
            "evidence_file": SimpleUploadedFile("bpa.pdf", PDF, "text/html"),
        },
    )
    acceptance = Acceptance.objects.get(client=a_client)
    response = client.get(
        reverse("backoffice:acceptance_evidence", args=[seller.slug, a_client.pk, acceptance.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bpa" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_a_quote_attachment_is_served_as_a_download(client, agency, agency_sales, bakery):
    draft = make_quote(agency, bakery)
    client.force_login(agency_sales)
    client.post(
        url("quote_attachment_add", agency, quote_id=draft.pk),
        {"kind": "specification", "file": pdf_file()},
    )
    attachment = QuoteAttachment.objects.get(quote=draft)
    response = client.get(
        url("quote_attachment", agency, quote_id=draft.pk, attachment_id=attachment.pk)
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_use_refuses_an_empty_file():
    for use in ("logo", "specification", "mockup", "postal_scan", "email", "evidence"):
        assert "vide" in upload_refusal(SimpleUploadedFile("x.pdf", b""), use=use)
