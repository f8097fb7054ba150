"""The development outbox: in debug, mail is kept as .eml files and listed on a back-office page
for staff, with recipients, subject, body (links on BASE_URL) and attachments."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from clausier.documents.email import Attachment, send_email
from tests.factories import make_contact, make_staff, make_user
from tests.factories.quotes import sent_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path):
    """The development default: EMAIL_URL=outbox://, the page on, tasks run at once."""
    settings.MAILERS = {"default": {"BACKEND": "clausier.documents.outbox.EmailBackend"}}
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.OUTBOX_PAGE = True
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return settings.OUTBOX_DIR


def test_a_sent_quote_is_listed_with_its_recipients_body_link_and_pdf(
    client, outbox, agency, bakery, settings, django_capture_on_commit_callbacks
):
    settings.BASE_URL = "http://127.0.0.1:8123"
    billing = make_contact(bakery, email="compta@boulangerie-martin.test", is_billing=True)
    with django_capture_on_commit_callbacks(execute=True):
        quote = sent_quote(agency, bakery)
    assert len(list(outbox.glob("*.eml"))) == 1

    client.force_login(make_staff(agency, "sales"))
    page = client.get(reverse("backoffice:outbox"))
    assert page.status_code == 200
    [message] = page.context["outbox"]
    assert billing.email in message.to
    assert message.subject == f"Devis {quote.display_number} de NEO7 STUDIO WEB"
    assert f"http://127.0.0.1:8123/portal/quotes/{quote.pk}/" in message.body
    html = page.content.decode()
    assert billing.email in html
    assert f'href="http://127.0.0.1:8123/portal/quotes/{quote.pk}/"' in html

    [attachment] = message.attachments
    assert attachment.filename == f"{quote.display_number}.pdf"
    download = client.get(reverse("backoffice:outbox_attachment", args=[message.key, 0]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(download.content))
    assert quote.display_number in "".join(p.extract_text() for p in reader.pages)
    missing = client.get(reverse("backoffice:outbox_attachment", args=[message.key, 1]))
    assert missing.status_code == 404


def test_messages_are_listed_newest_first(client, outbox, seller):
    send_email(to=["a@example.test"], subject="Premier", body="un")
    send_email(
        to=["b@example.test"],
        subject="Second",
        body="deux",
        attachments=[Attachment("note.bin", b"\x00bonjour", "application/octet-stream")],
        reply_to=["compta@example.test"],
    )
    client.force_login(make_staff(seller, "accountant"))
    messages = client.get(reverse("backoffice:outbox")).context["outbox"]
    assert [m.subject for m in messages] == ["Second", "Premier"]
    assert messages[0].reply_to == "compta@example.test"
    assert messages[0].attachments[0].size == len(b"\x00bonjour")


def test_the_page_is_for_staff_only_and_only_where_it_is_turned_on(
    client, outbox, seller, settings
):
    send_email(to=["a@example.test"], subject="Secret", body="x")
    client.force_login(make_user())
    assert client.get(reverse("backoffice:outbox")).status_code == 403
    client.force_login(make_staff(seller, "support"))
    assert client.get(reverse("backoffice:outbox")).status_code == 200
    settings.OUTBOX_PAGE = False
    assert client.get(reverse("backoffice:outbox")).status_code == 404
    key = next(outbox.glob("*.eml")).stem
    assert client.get(reverse("backoffice:outbox_attachment", args=[key, 0])).status_code == 404


def test_an_attachment_key_outside_the_folder_is_not_found(client, outbox, seller):
    client.force_login(make_staff(seller, "owner"))
    (outbox.parent / "secret.eml").write_bytes(b"Subject: x\r\n\r\nx")
    for key in ("..", ".hidden", "nothing"):
        url = reverse("backoffice:outbox_attachment", args=[key, 0])
        assert client.get(url).status_code == 404
