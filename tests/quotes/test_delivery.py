"""A sent quote reaches the client's mailbox on a real SMTP server, with its PDF."""

import io
import re

import pypdf
import pytest

from clausier.audit.models import Event
from clausier.audit.sentences import sentence
from clausier.quotes.delivery import email_quote
from tests.factories import make_contact
from tests.factories.quotes import sent_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_the_quote_pdf_is_emailed_after_the_sending_commits(
    agency,
    bakery,
    smtp_server,
    immediate_tasks,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.BASE_URL = "https://factures.neo7.example"
    billing = make_contact(bakery, email="compta@boulangerie-martin.test", is_billing=True)
    with django_capture_on_commit_callbacks(execute=True):
        quote = sent_quote(agency, bakery)  # send_quote queues the email on commit
        assert smtp_server.inbox.messages == []  # nothing leaves before the commit

    [received] = smtp_server.inbox.messages
    assert received.rcpt_tos == [billing.email]
    assert received.message["Subject"] == f"Devis {quote.display_number} de NEO7 STUDIO WEB"
    body = received.message.get_body(("plain",)).get_content()
    assert "valable jusqu'au 31 mai 2026" in body
    assert f"https://factures.neo7.example/portal/quotes/{quote.pk}/" in body
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == f"{quote.display_number}.pdf"
    reader = pypdf.PdfReader(io.BytesIO(attachment.get_content()))
    text = re.sub(r"[\u00a0\u202f ]+", " ", "".join(p.extract_text() for p in reader.pages))
    assert f"Devis n° {quote.display_number}" in text
    assert "Total HT 3 411,00 €" in text
    assert "Bon pour accord" in text
    event = Event.objects.get(verb="quote.emailed")
    assert event.summary["after"]["message_id"] == received.message["Message-ID"]
    # The journal and the quote's history read it as a sentence.
    assert sentence(event) == f"Devis {quote.display_number} envoyé à {billing.email}"


def test_a_client_reading_english_gets_the_email_and_its_link_in_english(
    agency, bakery, smtp_server, immediate_tasks, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://factures.neo7.example"
    bakery.preferred_language = "en"
    bakery.save(update_fields=["preferred_language"])
    make_contact(bakery, email="compta@boulangerie-martin.test", is_billing=True)
    with django_capture_on_commit_callbacks(execute=True):
        quote = sent_quote(agency, bakery)

    [received] = smtp_server.inbox.messages
    body = received.message.get_body(("plain",)).get_content()
    assert "May 31, 2026" in body
    assert f"https://factures.neo7.example/en/portal/quotes/{quote.pk}/" in body
    assert "valable" not in body


def test_a_refusing_mail_server_is_recorded_and_raised(agency, bakery, settings):
    from tests.smtp import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    quote = sent_quote(agency, bakery)
    with pytest.raises(ConnectionRefusedError):
        email_quote.call(quote_id=quote.pk)
    assert Event.objects.filter(verb="quote.email_failed", object_id=str(quote.pk)).exists()
