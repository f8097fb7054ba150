import io

import pypdf
import pytest

from clausier.documents.email import Attachment, send_email
from clausier.documents.pdf import render_pdf
from tests.factories import make_seller

pytestmark = pytest.mark.django_db

BODY = """{% extends "documents/print_base.html" %}
{% block content %}<h1>Devis {{ number }}</h1>
{% for i in rows %}<p>Ligne {{ i }} : prestation détaillée, 1 234,56 €</p>{% endfor %}
{% endblock %}"""


@pytest.fixture
def template(tmp_path, settings):
    (tmp_path / "sample.html").write_text(BODY, encoding="utf-8")
    # Changing TEMPLATES makes Django rebuild its template engines (a test signal).
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    return "sample.html"


def read_back(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_a_document_prints_with_its_text_and_page_numbers(template):
    seller = make_seller(legal_name="NEO7 STUDIO WEB")
    pdf = render_pdf(
        template=template, context={"seller": seller, "number": "D2026-000001", "rows": range(120)}
    )
    pages, text = read_back(pdf.content)
    assert pages >= 2
    assert "Devis D2026-000001" in text
    assert "1 234,56 €" in text
    assert f"Page 1 / {pages}" in text
    assert f"Page {pages} / {pages}" in text
    assert "NEO7 STUDIO WEB" in text


def test_the_same_document_hashes_to_its_bytes(template):
    import hashlib

    pdf = render_pdf(
        template=template, context={"seller": make_seller(), "number": "X", "rows": [1]}
    )
    assert pdf.sha256 == hashlib.sha256(pdf.content).hexdigest()
    assert pdf.content.startswith(b"%PDF-")


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
