"""A sent quote's PDF is printed once and stored: the email, the acceptance and every later
download (back-office, portal, API) are the same file, whatever the seller changes after."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clausier.audit.models import Event
from clausier.kernel.errors import Conflict
from clausier.quotes import delivery
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote, QuoteAcceptance
from clausier.quotes.printing import render_quote_pdf
from clausier.sellers.services import upsert_seller
from tests import pdfa_checks as checks
from tests.factories import make_client, make_contact, make_staff
from tests.factories.quotes import make_quote, sent_quote

pytestmark = pytest.mark.django_db


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def text_of(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"[ \u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in reader.pages))


def stored(quote: Quote) -> bytes:
    with quote.pdf.open("rb") as file:
        return file.read()


def open_quote(seller, client) -> Quote:
    """A quote sent an hour ago, still open for acceptance."""
    return sent_quote(
        seller,
        client,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=30),
    )


def files_of(quote: Quote) -> list[str]:
    folder = f"quotes/{quote.seller_id}/{quote.number_year}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def png(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def staff_client(agency):
    browser = Client()
    browser.force_login(make_staff(agency, "accountant"))
    return browser


@pytest.fixture
def portal_client(bakery_contact):
    browser = Client()
    browser.force_login(bakery_contact.user)
    return browser


def backoffice_pdf(browser: Client, quote: Quote):
    return browser.get(
        reverse("backoffice:quote_pdf", kwargs={"slug": quote.seller.slug, "quote_id": quote.pk})
    )


def portal_pdf(browser: Client, quote: Quote):
    return browser.get(reverse("portal:quote_pdf", args=[quote.pk]))


def test_the_email_task_prints_the_pdf_the_client_receives_and_accepts(
    agency,
    bakery,
    bakery_contact,
    portal_client,
    smtp_server,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    make_contact(bakery, email="compta@boulangerie-martin.test", is_billing=True)
    with django_capture_on_commit_callbacks(execute=True):
        quote = open_quote(agency, bakery)
        # Sent: nothing is printed under the sending's lock, the task prints after commit.
        assert not Quote.objects.get(pk=quote.pk).pdf

    quote.refresh_from_db()
    content = stored(quote)
    assert quote.pdf.name.startswith(f"quotes/{agency.pk}/{quote.number_year}/")
    assert quote.pdf.name.endswith(f"{quote.display_number}-{quote.pdf_sha256[:16]}.pdf")
    assert quote.pdf_sha256 == sha256(content)
    assert quote.pdf_language == "fr"
    assert f"Devis n° {quote.display_number}" in text_of(content)
    assert checks.check_pdfa3b(content, attachments=False) == []

    [received] = smtp_server.inbox.messages
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_content() == content
    emailed = Event.objects.get(verb="quote.emailed", object_id=str(quote.pk))
    assert emailed.summary["after"]["pdf_sha256"] == quote.pdf_sha256

    page = portal_client.get(reverse("portal:quote", args=[quote.pk]))
    offered = re.search(r'name="document_sha256" value="([0-9a-f]{64})"', page.content.decode())[1]
    response = portal_client.post(
        reverse("portal:quote_accept", args=[quote.pk]),
        {
            "document_sha256": offered,
            "consent": "on",
            "signatory_name": "Camille Martin",
            "signatory_role": "Gérante",
        },
    )
    assert response.status_code == 302
    acceptance = QuoteAcceptance.objects.get(quote=quote)
    assert acceptance.document_sha256 == quote.pdf_sha256 == sha256(attachment.get_content())


def test_changing_the_brand_colour_or_logo_after_sending_changes_no_download(
    agency, bakery, staff_client, portal_client, agency_api
):
    quote = open_quote(agency, bakery)
    first = backoffice_pdf(staff_client, quote)  # the first download prints and stores it
    assert first.status_code == 200
    quote.refresh_from_db()
    assert first["X-Document-SHA256"] == quote.pdf_sha256 == sha256(first.content)

    upsert_seller(slug=agency.slug, fields={"brand_color": "#c0392b"}, by=None)
    agency.refresh_from_db()
    agency.logo.save("neo7.png", ContentFile(png((200, 30, 40))))
    agency.save(update_fields=["logo"])
    # A print made now would differ: only the stored file keeps what the client received.
    reprint = render_quote_pdf(quote=Quote.objects.select_related("seller").get(pk=quote.pk))
    assert reprint.sha256 != quote.pdf_sha256

    backoffice = backoffice_pdf(staff_client, quote)
    portal = portal_pdf(portal_client, quote)
    api = agency_api.get(f"/quotes/{quote.pk}/pdf")
    for response in (backoffice, portal, api):
        assert response.status_code == 200
        assert response.content == first.content
        assert response["X-Document-SHA256"] == quote.pdf_sha256
    assert api["ETag"] == f'"{quote.pdf_sha256}"'
    assert "X-Document-Translation" not in api
    assert files_of(quote) == [quote.pdf.name.rsplit("/", 1)[1]]


def test_two_ensure_pdf_calls_store_one_file(agency, bakery):
    quote = sent_quote(agency, bakery)
    assert not quote.pdf
    assert not quote.pdf_sha256

    once = delivery.ensure_pdf(quote)
    twice = delivery.ensure_pdf(Quote(pk=quote.pk))
    stale = delivery.ensure_pdf(quote)  # the instance from before the print

    assert once.pdf.name == twice.pdf.name == stale.pdf.name
    assert once.pdf_sha256 == twice.pdf_sha256 == stale.pdf_sha256
    assert files_of(quote) == [once.pdf.name.rsplit("/", 1)[1]]
    assert Event.objects.filter(verb="quote.pdf_stored", object_id=str(quote.pk)).count() == 1
    assert delivery.pdf_bytes(quote) == stored(once)


def test_a_draft_has_no_pdf_anywhere(agency, bakery, staff_client, agency_api):
    draft = make_quote(agency, bakery)

    with pytest.raises(Conflict, match="seul un devis envoyé a un PDF"):
        delivery.ensure_pdf(draft)
    assert backoffice_pdf(staff_client, draft).status_code == 404
    assert agency_api.get(f"/quotes/{draft.pk}/pdf").status_code == 409
    draft.refresh_from_db()
    assert not draft.pdf
    assert not draft.pdf_sha256

    # A revision is a new draft: it does not inherit the PDF of the quote it replaces.
    sent = sent_quote(agency, bakery)
    delivery.ensure_pdf(sent)
    revision = quote_services.revise_quote(quote=sent, by=None)
    assert not revision.pdf
    assert not revision.pdf_sha256


def test_the_stored_pdf_speaks_the_clients_language(agency, staff_client):
    english = make_client(agency, "company", name="Bakery Ltd", preferred_language="en")
    quote = sent_quote(agency, english)

    response = backoffice_pdf(staff_client, quote)

    quote.refresh_from_db()
    assert quote.pdf_language == "en"
    assert response["X-Document-SHA256"] == quote.pdf_sha256
    assert "Total excl. VAT" in text_of(response.content)


def test_the_api_prints_a_translation_on_demand_and_never_stores_it(agency, bakery, agency_api):
    quote = sent_quote(agency, bakery)
    original = agency_api.get(f"/quotes/{quote.pk}/pdf?language=fr")
    quote.refresh_from_db()

    translation = agency_api.get(f"/quotes/{quote.pk}/pdf?language=en")

    assert original["X-Document-SHA256"] == quote.pdf_sha256 == sha256(original.content)
    assert "X-Document-Translation" not in original
    assert translation.status_code == 200
    assert translation["X-Document-Translation"] == "en"
    assert "X-Document-SHA256" not in translation
    assert translation["Content-Disposition"] == (
        f'inline; filename="{quote.display_number}-en.pdf"'
    )
    assert "Total excl. VAT" in text_of(translation.content)
    assert translation.content != original.content
    again = Quote.objects.get(pk=quote.pk)
    assert (again.pdf.name, again.pdf_sha256, again.pdf_language) == (
        quote.pdf.name,
        quote.pdf_sha256,
        "fr",
    )
    assert files_of(quote) == [quote.pdf.name.rsplit("/", 1)[1]]
