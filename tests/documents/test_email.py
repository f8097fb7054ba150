import pytest

from clausier.documents.email import Attachment, send_email

pytestmark = pytest.mark.django_db


def test_an_email_with_a_pdf_reaches_a_real_smtp_server(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "devis@neo7.example"
    message_id = send_email(
        to=["client@example.test"],
        subject="Votre devis D2026-000001",
        body="Bonjour, voici votre devis.",
        attachments=[Attachment("D2026-000001.pdf", b"%PDF-1.7 test")],
    )
    [received] = smtp_server.inbox.messages
    assert received.rcpt_tos == ["client@example.test"]
    assert received.message["Message-ID"] == message_id
    assert received.message["Subject"] == "Votre devis D2026-000001"
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == "D2026-000001.pdf"
    assert attachment.get_content() == b"%PDF-1.7 test"


def test_an_unreachable_smtp_server_is_an_error_for_the_caller(settings):
    from tests.smtp import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with pytest.raises(ConnectionRefusedError):
        send_email(to=["a@example.test"], subject="x", body="y")
